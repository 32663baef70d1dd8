//! Running the simulator: the [`MockServer`] handle for tests and [`serve`]
//! for long-running processes.

use std::future::Future;
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{router, Clock, Drift, Faults, Fixtures, MockState, Operation};

/// A running simulator on a local port. Dropping it shuts the server down
/// (gracefully, in the background); [`MockServer::shutdown`] waits for that.
///
/// The control methods delegate to [`MockState`], reachable with [`MockServer::state`].
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    state: MockState,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

/// Configures and starts a [`MockServer`].
#[derive(Debug, Clone)]
pub struct MockServerBuilder {
    fixtures: Fixtures,
    clock: Clock,
    bind: SocketAddr,
    session_lifetime: Option<Duration>,
    drifts: Vec<Drift>,
}

impl Default for MockServerBuilder {
    fn default() -> Self {
        Self {
            fixtures: Fixtures::default(),
            clock: Clock::system(),
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            session_lifetime: None,
            drifts: Vec::new(),
        }
    }
}

impl MockServerBuilder {
    /// The starting data (default: the demo account, see [`Fixtures::default`]).
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
        self.fixtures = fixtures;
        self
    }

    /// The clock (default: [`Clock::system`]); pass a [`Clock::manual`] to test expiry.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// How long login tokens live (default: the fixtures' `session_lifetime_secs`, 24 h).
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = Some(lifetime);
        self
    }

    /// Makes the server drift from the spec in the named way (see [`Drift`]);
    /// call once per drift.
    ///
    /// ```
    /// # #[tokio::main] async fn main() -> std::io::Result<()> {
    /// use unleashx_mock::{Drift, MockServer};
    ///
    /// let server = MockServer::builder().drift(Drift::RenamedCode).start().await?;
    /// assert_eq!(server.state().drifts(), [Drift::RenamedCode]);
    /// # Ok(()) }
    /// ```
    pub fn drift(mut self, drift: Drift) -> Self {
        self.drifts.push(drift);
        self
    }

    fn state(&self) -> io::Result<MockState> {
        let state = MockState::new(&self.fixtures, self.clock.clone())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        if let Some(lifetime) = self.session_lifetime {
            state.set_session_lifetime(lifetime);
        }
        state.set_drifts(&self.drifts);
        Ok(state)
    }

    /// Binds and starts serving. Invalid fixtures give an
    /// [`io::ErrorKind::InvalidInput`] error naming the problem.
    pub async fn start(self) -> io::Result<MockServer> {
        let state = self.state()?;
        let listener = TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let app = router(state.clone());
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(MockServer {
            addr,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Binds and serves until `shutdown` completes, then finishes in-flight
    /// requests and returns: the long-running form of [`start`](Self::start),
    /// for binaries.
    ///
    /// Once listening it prints [`listening_line`] (one line) on stdout, so a
    /// caller binding port 0 learns the port. Invalid fixtures give
    /// [`io::ErrorKind::InvalidInput`]; a busy address the bind error.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        let state = self.state()?;
        let listener = TcpListener::bind(self.bind).await?;
        let local = listener.local_addr()?;
        {
            let mut out = io::stdout().lock();
            let _ = writeln!(out, "{}", listening_line(&format!("http://{local}"), local));
            let _ = out.flush();
        }
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown)
            .await
    }
}

impl MockServer {
    /// Starts a server with the default fixtures on `127.0.0.1:0`.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// A builder for a configured server.
    pub fn builder() -> MockServerBuilder {
        MockServerBuilder::default()
    }

    /// The origin to give a client, like `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The server's state.
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// The server's clock.
    pub fn clock(&self) -> &Clock {
        self.state.clock()
    }

    /// Fault injection (failures, latency) per operation.
    pub fn faults(&self) -> &Faults {
        self.state.faults()
    }

    /// How many requests reached `op`'s route, faulted ones included.
    pub fn requests(&self, op: Operation) -> u64 {
        self.state.requests(op)
    }

    /// See [`MockState::in_flight`].
    pub fn in_flight(&self) -> u64 {
        self.state.in_flight()
    }

    /// See [`MockState::max_in_flight`].
    pub fn max_in_flight(&self) -> u64 {
        self.state.max_in_flight()
    }

    /// See [`MockState::reset_max_in_flight`].
    pub fn reset_max_in_flight(&self) {
        self.state.reset_max_in_flight()
    }

    /// See [`MockState::issue_login_token`].
    pub fn issue_login_token(&self, email: &str) -> Option<String> {
        self.state.issue_login_token(email)
    }

    /// See [`MockState::issue_api_token`].
    pub fn issue_api_token(&self, email: &str) -> Option<String> {
        self.state.issue_api_token(email)
    }

    /// See [`MockState::set_blocked`].
    pub fn set_blocked(&self, customer_salt: &str, blocked: bool) -> bool {
        self.state.set_blocked(customer_salt, blocked)
    }

    /// See [`MockState::set_active_workspace`].
    pub fn set_active_workspace(&self, customer_salt: &str, active: bool) -> bool {
        self.state.set_active_workspace(customer_salt, active)
    }

    /// See [`MockState::last_otp`].
    pub fn last_otp(&self, email: &str) -> Option<String> {
        self.state.last_otp(email)
    }

    /// Stops accepting connections and waits (up to 10 s, then aborts) for
    /// in-flight requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut task) = self.task.take() {
            if tokio::time::timeout(Duration::from_secs(10), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The one JSON line printed when a served simulator is listening:
/// `{"base_url":"http://127.0.0.1:8080","addr":"127.0.0.1:8080"}`.
pub fn listening_line(base_url: &str, addr: SocketAddr) -> String {
    #[derive(serde::Serialize)]
    struct Listening<'a> {
        base_url: &'a str,
        addr: String,
    }
    let line = Listening {
        base_url,
        addr: addr.to_string(),
    };
    serde_json::to_string(&line)
        .unwrap_or_else(|_| format!("{{\"base_url\":\"{base_url}\",\"addr\":\"{addr}\"}}"))
}

/// Serves the simulator on `addr` with `fixtures` and the system clock until
/// `shutdown` completes, then finishes in-flight requests and returns. See
/// [`MockServerBuilder::serve`] (output, errors) and for more settings.
pub async fn serve(
    addr: SocketAddr,
    fixtures: Fixtures,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    MockServer::builder()
        .bind(addr)
        .fixtures(fixtures)
        .serve(shutdown)
        .await
}

/// A future that completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
///
/// The signal handlers are installed when this is called (not when the future
/// is first polled), so a signal arriving right after the listening line is
/// printed is not lost. Must be called inside a Tokio runtime.
pub fn shutdown_signal() -> io::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
