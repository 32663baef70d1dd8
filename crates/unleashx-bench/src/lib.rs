//! Benchmarks of the unleashx client, the simulator and the build; see
//! `BENCHMARKS.md` at the workspace root.
//!
//! This library holds what the criterion bench (`benches/per_call.rs`) and
//! the load binaries (`src/bin/*.rs`) share: a loopback server on its own
//! runtime thread that counts the TCP connections it accepts
//! ([`BenchServer`]), the three client variants being compared
//! ([`Callers`]: a hand-written reqwest call, the generated `unleashx-api`
//! client and the ergonomic `unleashx` client), and small statistics helpers
//! ([`stats`]). Every server binds 127.0.0.1 only.
#![deny(missing_docs)]

pub mod stats;

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;

use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use axum::Router;
use reqwest::header::{HeaderValue, ACCEPT};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use unleashx_api::catalogue::{messages, OperationId, TOKEN_HEADER};
use unleashx_api::types;

/// The demo account's customer id, used by every mint.
pub const CUSTOMER_ID: &str = "048372910564";

/// The API token the fixed server hands out (it accepts any token).
pub const FIXED_TOKEN: &str = "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9";

/// The verify path of the spec.
pub const VERIFY_PATH: &str = OperationId::VerifyToken.path();

/// The customer-token mint path of the spec.
pub const MINT_PATH: &str = OperationId::GetTokenByCustomerId.path();

/// The customer token the fixed server's mint answers with.
const FIXED_MINT_TOKEN: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// A boxed error, for the benchmark plumbing.
pub type BoxError = Box<dyn StdError + Send + Sync>;

/// A binary's exit: 0, or its error on stderr as `<name>: <error>` and 2.
pub fn exit(name: &str, result: Result<(), BoxError>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// Which server answers the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ServerKind {
    /// The simulator's own router (`unleashx_mock::router`), with its state,
    /// token checks and request ids.
    #[value(name = "sim", alias = "simulator")]
    Simulator,
    /// A trivial axum handler per path returning a fixed body, so that the
    /// client's cost dominates the measurement.
    Fixed,
}

impl ServerKind {
    /// The short name used on command lines and in reports.
    pub fn name(self) -> &'static str {
        match self {
            ServerKind::Simulator => "sim",
            ServerKind::Fixed => "fixed",
        }
    }
}

/// A loopback HTTP/1 server on its own thread and Tokio runtime, counting the
/// TCP connections it accepts. Dropping it stops the server and joins the thread.
pub struct BenchServer {
    base_url: String,
    api_token: String,
    connections: Arc<ConnCounts>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl fmt::Debug for BenchServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BenchServer")
            .field("base_url", &self.base_url)
            .field("connections", &self.connections())
            .finish_non_exhaustive()
    }
}

impl BenchServer {
    /// Starts a server of `kind` on 127.0.0.1 (a free port) with `threads`
    /// runtime worker threads.
    pub fn start(kind: ServerKind, threads: usize) -> io::Result<Self> {
        let (app, api_token) = match kind {
            ServerKind::Simulator => {
                let state = unleashx_mock::MockState::new(
                    &unleashx_mock::Fixtures::default(),
                    unleashx_mock::Clock::system(),
                )
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
                let token = state
                    .issue_api_token(unleashx_mock::DEMO_EMAIL)
                    .ok_or_else(|| io::Error::other("the demo account is missing"))?;
                (unleashx_mock::router(state), token)
            }
            ServerKind::Fixed => (fixed_router(), FIXED_TOKEN.to_owned()),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("bench-server")
            .enable_all()
            .build()?;
        let std_listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let connections = Arc::new(ConnCounts::default());
        let counts = Arc::clone(&connections);
        let (stop, stopped) = oneshot::channel::<()>();
        // Registered with the server's runtime, which drives it on the thread.
        let listener = {
            let _runtime = runtime.enter();
            TcpListener::from_std(std_listener)?
        };
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = CountingListener { listener, counts };
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(async move {
                            let _ = stopped.await;
                        })
                        .await;
                });
            })?;
        Ok(Self {
            base_url: format!("http://{addr}"),
            api_token,
            connections,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The origin, `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// An API token the server accepts.
    pub fn api_token(&self) -> &str {
        &self.api_token
    }

    /// How many TCP connections the server has accepted so far.
    pub fn connections(&self) -> u64 {
        self.connections.accepted.load(Ordering::Relaxed)
    }

    /// The most TCP connections that were open at the same time so far.
    pub fn peak_open_connections(&self) -> u64 {
        self.connections.peak.load(Ordering::Relaxed)
    }
}

impl Drop for BenchServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Connection counts kept by [`CountingListener`].
#[derive(Debug, Default)]
struct ConnCounts {
    accepted: AtomicU64,
    open: AtomicU64,
    peak: AtomicU64,
}

/// A TCP listener for `axum::serve` that counts accepted connections and
/// tracks how many are open at once (a connection is closed when the server
/// drops its stream).
struct CountingListener {
    listener: TcpListener,
    counts: Arc<ConnCounts>,
}

impl axum::serve::Listener for CountingListener {
    type Io = CountedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.listener.accept().await {
                Ok((tcp, addr)) => {
                    let _ = tcp.set_nodelay(true);
                    self.counts.accepted.fetch_add(1, Ordering::Relaxed);
                    let open = self.counts.open.fetch_add(1, Ordering::Relaxed) + 1;
                    self.counts.peak.fetch_max(open, Ordering::Relaxed);
                    let counts = Arc::clone(&self.counts);
                    return (CountedStream { tcp, counts }, addr);
                }
                // Out of file descriptors and the like: wait and retry, as axum does.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.listener.local_addr()
    }
}

/// An accepted stream that counts itself closed when dropped.
struct CountedStream {
    tcp: TcpStream,
    counts: Arc<ConnCounts>,
}

impl Drop for CountedStream {
    fn drop(&mut self) {
        self.counts.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl AsyncRead for CountedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for CountedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }
}

fn json(body: Bytes) -> ([(axum::http::HeaderName, &'static str); 1], Bytes) {
    ([(CONTENT_TYPE, "application/json")], body)
}

/// `value` serialized once, for a fixed answer.
fn fixed_body<T: Serialize>(value: &T) -> Bytes {
    Bytes::from(serde_json::to_vec(value).expect("the generated response types serialize"))
}

/// The fixed server: verify and the mint answer constant bodies, built once
/// from the generated types and the spec's example messages (the request
/// body is read, so the connection stays reusable).
pub fn fixed_router() -> Router {
    let verify = fixed_body(&types::VerifyResponse {
        message: Some(messages::VERIFY_TOKEN.to_owned()),
    });
    let mint = fixed_body(&types::GetTokenByCustomerIdResponse {
        customer_api_key: unleashx::ApiToken::new(FIXED_MINT_TOKEN),
        customerid: CUSTOMER_ID.to_owned(),
        expires: None,
        message: Some(messages::GET_TOKEN_BY_CUSTOMER_ID_NO_EXPIRY.to_owned()),
        name: None,
    });
    Router::new()
        .route(
            VERIFY_PATH,
            post(move |_body: Bytes| async move { json(verify) }),
        )
        .route(
            MINT_PATH,
            post(move |_body: Bytes| async move { json(mint) }),
        )
}

/// The client being measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Variant {
    /// Hand-written reqwest + serde: the floor.
    Raw,
    /// The generated `unleashx-api` client.
    #[value(alias = "gen")]
    Generated,
    /// The ergonomic `unleashx` client.
    #[value(alias = "ux")]
    Unleashx,
}

impl Variant {
    /// All variants, raw first.
    pub const ALL: [Variant; 3] = [Variant::Raw, Variant::Generated, Variant::Unleashx];

    /// The short name used on command lines and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Raw => "raw",
            Variant::Generated => "generated",
            Variant::Unleashx => "unleashx",
        }
    }
}

/// The operation being called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Op {
    /// verify ([`VERIFY_PATH`]) with `{}`.
    Verify,
    /// gettokenbycustomerid ([`MINT_PATH`]) for [`CUSTOMER_ID`].
    Mint,
}

impl Op {
    /// The short name used on command lines and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Op::Verify => "verify",
            Op::Mint => "mint",
        }
    }
}

/// The verify response, as the raw variant decodes it.
#[derive(Debug, Deserialize)]
pub struct RawVerify {
    /// The spec's success message.
    pub message: Option<String>,
}

/// The mint response, as the raw variant decodes it.
#[derive(Debug, Deserialize)]
pub struct RawMint {
    /// The customer id echoed back.
    pub customerid: String,
    /// The new token.
    pub customer_api_key: String,
    /// The token's name.
    pub name: Option<String>,
    /// Expiry, Unix seconds.
    pub expires: Option<i64>,
}

#[derive(Serialize)]
struct RawMintBody<'a> {
    customer_id: &'a str,
}

#[derive(Serialize)]
struct RawEmpty {}

/// The hand-written client: one reqwest call with the token header, a JSON
/// body and a serde decode of the response.
#[derive(Debug, Clone)]
pub struct RawApi {
    http: reqwest::Client,
    verify_url: String,
    mint_url: String,
    token: HeaderValue,
}

/// A reqwest client built as the raw and generated variants use it: no
/// redirects, everything else default.
pub fn plain_reqwest() -> Result<reqwest::Client, BoxError> {
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?)
}

impl RawApi {
    /// A raw client for `base_url` sending `token`.
    pub fn new(http: reqwest::Client, base_url: &str, token: &str) -> Result<Self, BoxError> {
        let mut token = HeaderValue::from_str(token)?;
        token.set_sensitive(true);
        Ok(Self {
            http,
            verify_url: format!("{base_url}{VERIFY_PATH}"),
            mint_url: format!("{base_url}{MINT_PATH}"),
            token,
        })
    }

    /// verify.
    pub async fn verify(&self) -> Result<RawVerify, BoxError> {
        self.post(&self.verify_url, &RawEmpty {}).await
    }

    /// The customer-token mint for [`CUSTOMER_ID`].
    pub async fn mint(&self) -> Result<RawMint, BoxError> {
        let body = RawMintBody {
            customer_id: CUSTOMER_ID,
        };
        self.post(&self.mint_url, &body).await
    }

    /// POSTs `body` to `url` with the token header; the success body decoded.
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        url: &str,
        body: &impl Serialize,
    ) -> Result<T, BoxError> {
        let response = self
            .http
            .post(url)
            .header(TOKEN_HEADER, self.token.clone())
            .header(ACCEPT, "application/json")
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("status {status}").into());
        }
        Ok(serde_json::from_slice(&bytes)?)
    }
}

/// The three clients, each with its own reqwest client (its own pool), all
/// pointed at one server.
#[derive(Clone)]
pub struct Callers {
    /// The hand-written reqwest call.
    pub raw: RawApi,
    /// The generated client.
    pub generated: unleashx_api::Client,
    /// The ergonomic client.
    pub unleashx: unleashx::ApiClient,
}

impl fmt::Debug for Callers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callers").finish_non_exhaustive()
    }
}

impl Callers {
    /// Builds the three clients for `base_url` and `token`. The raw and
    /// generated variants get [`plain_reqwest`]; `unleashx` builds its own
    /// (user agent, connect timeout, no redirects) with the default retry policy.
    pub fn new(base_url: &str, token: &str) -> Result<Self, BoxError> {
        let raw = RawApi::new(plain_reqwest()?, base_url, token)?;
        let generated = unleashx_api::Client::new_with_client(
            base_url,
            plain_reqwest()?,
            unleashx_api::auth::Auth::token(token)?,
        );
        let unleashx = unleashx::Client::builder()
            .base_url(base_url)
            .retry(unleashx::RetryPolicy::default())
            .build()?
            .with_api_token(token)?;
        Ok(Self {
            raw,
            generated,
            unleashx,
        })
    }

    /// One call of `op` through `variant`; the decoded response is dropped.
    pub async fn call(&self, variant: Variant, op: Op) -> Result<(), BoxError> {
        match (variant, op) {
            (Variant::Raw, Op::Verify) => drop(self.raw.verify().await?),
            (Variant::Raw, Op::Mint) => drop(self.raw.mint().await?),
            (Variant::Generated, Op::Verify) => {
                self.generated
                    .verify_token()
                    .body(unleashx_api::types::EmptyObject(Default::default()))
                    .send()
                    .await?;
            }
            (Variant::Generated, Op::Mint) => {
                self.generated
                    .get_token_by_customer_id()
                    .body(unleashx_api::types::GetTokenByCustomerIdRequest {
                        customer_id: CUSTOMER_ID.parse()?,
                        name: None,
                        expiration_days: None,
                    })
                    .send()
                    .await?;
            }
            (Variant::Unleashx, Op::Verify) => {
                let status = self.unleashx.verify().await?;
                if !status.is_valid() {
                    return Err("verify said the token is not valid".into());
                }
            }
            (Variant::Unleashx, Op::Mint) => drop(self.unleashx.customer_token(CUSTOMER_ID).await?),
        }
        Ok(())
    }
}

/// The peak resident set size of this process so far (`VmHWM`), in KiB, when
/// `/proc/self/status` has it.
pub fn peak_rss_kib() -> Option<u64> {
    proc_status_kib("VmHWM:")
}

/// The resident set size of this process now (`VmRSS`), in KiB.
pub fn rss_kib() -> Option<u64> {
    proc_status_kib("VmRSS:")
}

fn proc_status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;

    use super::{Op, ServerKind, Variant};

    /// `name()` (in reports) and the command-line value are one name.
    fn round_trips<T: ValueEnum + PartialEq + std::fmt::Debug + Copy>(
        name: impl Fn(T) -> &'static str,
    ) {
        for v in T::value_variants() {
            assert_eq!(T::from_str(name(*v), false).as_ref(), Ok(v), "{}", name(*v));
        }
    }

    #[test]
    fn report_names_are_the_command_line_values() {
        round_trips(ServerKind::name);
        round_trips(Variant::name);
        round_trips(Op::name);
    }
}
