//! The simulator's in-memory state and the rules that change it.
//!
//! Everything lives behind one `std::sync::Mutex`, taken for short synchronous
//! sections only (never across an `.await`).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use unleashx_api::catalogue::{ErrorCode, OperationId};
use unleashx_api::secret::ApiToken;
use unleashx_api::types;

use crate::drift::{Drift, Drifts};
use crate::fixtures::{is_customer_salt, Fixtures, FixturesError};
use crate::in_flight::{Entered, InFlight};
use crate::{random, Clock, Faults};

/// How long an OTP issued by login step 1 stays usable.
pub const OTP_LIFETIME: Duration = Duration::from_secs(600);

/// The simulator's shared state: accounts, sessions, API tokens, the clock,
/// fault injection and request counters. Cheap to clone (an `Arc`).
///
/// The control methods here are also available on
/// [`MockServer`](crate::MockServer); use this type directly when serving
/// [`router`](crate::router) yourself.
#[derive(Clone, Debug)]
pub struct MockState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Mutex<Store>,
    clock: Clock,
    faults: Faults,
    /// One counter per operation, every operation present from the start.
    counters: BTreeMap<OperationId, AtomicU64>,
    in_flight: InFlight,
    request_ids: AtomicU64,
    drifts: AtomicU8,
}

#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) email: String,
    pub(crate) fixed_otp: Option<String>,
    /// The OTP issued by the last step 1 and when (ms), until used.
    pub(crate) pending_otp: Option<(String, i64)>,
    pub(crate) workspace_name: String,
    pub(crate) customer_salt: String,
    pub(crate) blocked: bool,
    pub(crate) active_workspace: bool,
    /// API token values, oldest first.
    pub(crate) tokens: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) account: usize,
    pub(crate) expires_at_ms: i64,
}

#[derive(Debug)]
pub(crate) struct ApiTokenRecord {
    pub(crate) owner: usize,
    // Kept for fidelity and `Debug`; `expect`, so the first reader is told
    // to drop it.
    #[expect(dead_code)]
    pub(crate) name: Option<String>,
    #[expect(dead_code)]
    pub(crate) created_at: i64,
    /// Unix seconds; `None` never expires.
    pub(crate) expires_at: Option<i64>,
}

/// The simulator's data. Handlers reach it through `MockState::store` for
/// short synchronous sections.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) accounts: Vec<Account>,
    pub(crate) by_email: HashMap<String, usize>,
    pub(crate) by_salt: HashMap<String, usize>,
    pub(crate) companies: HashSet<String>,
    pub(crate) sessions: HashMap<String, Session>,
    // A BTreeMap, not a HashMap: under a load test millions of tokens pile up,
    // and rehashing them all at once under the lock stalls every request.
    pub(crate) api_tokens: BTreeMap<String, ApiTokenRecord>,
    pub(crate) next_id: i64,
    pub(crate) restricted_domains: Vec<String>,
    pub(crate) next_salts: VecDeque<String>,
    pub(crate) session_lifetime_ms: i64,
}

/// What login step 2 hands back.
pub(crate) struct LoggedIn {
    pub token: String,
    pub email: String,
    pub workspace_name: String,
}

/// A request being answered by an operation's route.
#[derive(Debug)]
pub(crate) struct Call<'a> {
    /// Its number among the operation's requests, from 1.
    pub(crate) number: u64,
    _in_flight: Entered<'a>,
}

/// The ids onboard creates.
pub(crate) struct Onboarded {
    pub registration_id: i64,
    pub user_id: i64,
    pub company_id: i64,
    pub workspace_id: i64,
    pub customer_salt: String,
}

fn key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn mint(
        &mut self,
        owner: usize,
        name: Option<String>,
        now: i64,
        expires_at: Option<i64>,
    ) -> String {
        let token = loop {
            let t = random::api_token();
            if !self.api_tokens.contains_key(&t) {
                break t;
            }
        };
        self.insert_token(owner, token.clone(), name, now, expires_at);
        token
    }

    fn insert_token(
        &mut self,
        owner: usize,
        token: String,
        name: Option<String>,
        now: i64,
        expires_at: Option<i64>,
    ) {
        self.api_tokens.insert(
            token.clone(),
            ApiTokenRecord {
                owner,
                name,
                created_at: now,
                expires_at,
            },
        );
        if let Some(a) = self.accounts.get_mut(owner) {
            a.tokens.push(token);
        }
    }

    fn fresh_salt(&mut self) -> String {
        while let Some(s) = self.next_salts.pop_front() {
            if is_customer_salt(&s) && !self.by_salt.contains_key(&s) {
                return s;
            }
        }
        loop {
            let s = random::customer_salt();
            if !self.by_salt.contains_key(&s) {
                return s;
            }
        }
    }

    pub(crate) fn session_account(
        &self,
        login_token: Option<&str>,
        now_ms: i64,
    ) -> Result<usize, ErrorCode> {
        let token = login_token.ok_or(ErrorCode::LoginTokenRequired)?;
        match self.sessions.get(token) {
            Some(s) if s.expires_at_ms > now_ms => Ok(s.account),
            _ => Err(ErrorCode::InvalidLoginToken),
        }
    }

    pub(crate) fn check_api_token(
        &self,
        api_token: Option<&str>,
        now: i64,
    ) -> Result<usize, ErrorCode> {
        let token = api_token.ok_or(ErrorCode::ApiTokenRequired)?;
        match self.api_tokens.get(token) {
            Some(t) if t.expires_at.is_none_or(|e| e > now) => Ok(t.owner),
            _ => Err(ErrorCode::InvalidApiToken),
        }
    }

    /// The account of the customer with id `salt`; an unknown or blocked
    /// one is `CUSTOMER_ID_NOT_FOUND`.
    pub(crate) fn customer(&self, salt: &str) -> Result<usize, ErrorCode> {
        match self.by_salt.get(salt) {
            Some(&i) if self.accounts.get(i).is_some_and(|a| !a.blocked) => Ok(i),
            _ => Err(ErrorCode::CustomerIdNotFound),
        }
    }

    /// The index of the account `email` (any case, outer spaces ignored).
    fn index(&self, email: &str) -> Option<usize> {
        self.by_email.get(&key(email)).copied()
    }

    fn account(&self, email: &str) -> Option<&Account> {
        self.accounts.get(self.index(email)?)
    }

    fn add_account(&mut self, account: Account, company: Option<&str>) -> usize {
        let idx = self.accounts.len();
        self.by_email.insert(key(&account.email), idx);
        self.by_salt.insert(account.customer_salt.clone(), idx);
        if let Some(c) = company {
            self.companies.insert(key(c));
        }
        self.accounts.push(account);
        idx
    }
}

impl MockState {
    /// State seeded from `fixtures` (validated first), reading time from `clock`.
    pub fn new(fixtures: &Fixtures, clock: Clock) -> Result<Self, FixturesError> {
        fixtures.validate()?;
        let mut store = Store {
            restricted_domains: fixtures
                .restricted_domains
                .iter()
                .map(|d| d.trim().trim_start_matches('.').to_lowercase())
                .collect(),
            next_salts: fixtures.next_customer_salts.iter().cloned().collect(),
            session_lifetime_ms: i64::try_from(fixtures.session_lifetime_secs)
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000),
            ..Store::default()
        };
        let now = clock.now_unix();
        for f in &fixtures.accounts {
            // Fixture accounts use up ids too, so onboarded ids keep increasing.
            store.next_id += 4;
            let account = Account {
                email: f.email.trim().to_owned(),
                fixed_otp: f.otp.clone(),
                pending_otp: None,
                workspace_name: f.workspace_name.clone(),
                customer_salt: f.customer_salt.clone(),
                blocked: f.blocked,
                active_workspace: f.active_workspace,
                tokens: Vec::new(),
            };
            let idx = store.add_account(account, f.company_name.as_deref());
            for t in &f.api_tokens {
                store.insert_token(idx, t.token.clone(), t.name.clone(), now, t.expires_at);
            }
        }
        Ok(Self {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                clock,
                faults: Faults::default(),
                counters: OperationId::ALL
                    .into_iter()
                    .map(|op| (op, AtomicU64::new(0)))
                    .collect(),
                in_flight: InFlight::default(),
                request_ids: AtomicU64::new(0),
                drifts: AtomicU8::new(0),
            }),
        })
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The clock the state reads.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Fault injection for this state's server.
    pub fn faults(&self) -> &Faults {
        &self.inner.faults
    }

    /// How many requests reached `op`'s route (faulted ones included).
    pub fn requests(&self, op: OperationId) -> u64 {
        self.inner
            .counters
            .get(&op)
            .map_or(0, |c| c.load(Ordering::SeqCst))
    }

    /// How many requests the operations' routes are answering now.
    pub fn in_flight(&self) -> u64 {
        self.inner.in_flight.now()
    }

    /// The most requests the operations' routes answered at once (each
    /// counted from its arrival, before injected latency, to its answer),
    /// since the start or the last [`reset_max_in_flight`](Self::reset_max_in_flight).
    /// A test of a tool's concurrency limit reads it after the run.
    pub fn max_in_flight(&self) -> u64 {
        self.inner.in_flight.max()
    }

    /// Restarts [`max_in_flight`](Self::max_in_flight) from the requests in flight now.
    pub fn reset_max_in_flight(&self) {
        self.inner.in_flight.reset_max();
    }

    /// Makes the simulator drift from the spec in the named ways (replacing
    /// any drift set before; an empty slice restores the spec's behaviour).
    pub fn set_drifts(&self, drifts: &[Drift]) {
        self.inner
            .drifts
            .store(Drifts::of(drifts).0, Ordering::SeqCst);
    }

    /// The drifts in effect, in [`Drift::ALL`] order.
    pub fn drifts(&self) -> Vec<Drift> {
        let set = self.drift_set();
        Drift::ALL.into_iter().filter(|d| set.has(*d)).collect()
    }

    pub(crate) fn drift_set(&self) -> Drifts {
        Drifts(self.inner.drifts.load(Ordering::Relaxed))
    }

    /// Sets how long login tokens issued from now on stay valid.
    pub fn set_session_lifetime(&self, lifetime: Duration) {
        self.store().session_lifetime_ms = i64::try_from(lifetime.as_millis()).unwrap_or(i64::MAX);
    }

    /// A login token for the account `email`, as if it had logged in.
    /// `None` for an unknown email.
    pub fn issue_login_token(&self, email: &str) -> Option<String> {
        let now_ms = self.clock().now_millis();
        let mut store = self.store();
        let idx = store.index(email)?;
        Some(new_session(&mut store, idx, now_ms))
    }

    /// A new non-expiring API token for `email` (recorded as its most recent,
    /// as generate-token does). `None` for an unknown email.
    pub fn issue_api_token(&self, email: &str) -> Option<String> {
        self.issue_api_token_with(email, None, None)
    }

    /// A new API token for `email` with a name and an expiry (Unix seconds).
    pub fn issue_api_token_with(
        &self,
        email: &str,
        name: Option<&str>,
        expires_at: Option<i64>,
    ) -> Option<String> {
        let now = self.clock().now_unix();
        let mut store = self.store();
        let idx = store.index(email)?;
        Some(store.mint(idx, name.map(str::to_owned), now, expires_at))
    }

    /// The API tokens of `email`, oldest first (empty for an unknown email).
    pub fn api_tokens_of(&self, email: &str) -> Vec<String> {
        let store = self.store();
        store
            .account(email)
            .map(|a| a.tokens.clone())
            .unwrap_or_default()
    }

    /// The OTP issued by the last login step 1 for `email` and not used yet.
    /// For tests of accounts without a fixed OTP; never logged.
    pub fn last_otp(&self, email: &str) -> Option<String> {
        let store = self.store();
        let (otp, _) = store.account(email)?.pending_otp.as_ref()?;
        Some(otp.clone())
    }

    /// The customer salt of `email`.
    pub fn customer_salt_of(&self, email: &str) -> Option<String> {
        let store = self.store();
        store.account(email).map(|a| a.customer_salt.clone())
    }

    /// Blocks or unblocks the customer `salt`; `false` if there is none.
    pub fn set_blocked(&self, salt: &str, blocked: bool) -> bool {
        self.update_customer(salt, |a| a.blocked = blocked)
    }

    /// Gives or takes away the active workspace of customer `salt`; `false` if there is none.
    pub fn set_active_workspace(&self, salt: &str, active: bool) -> bool {
        self.update_customer(salt, |a| a.active_workspace = active)
    }

    /// Queues `salt` for the next onboarded user. `false` (and nothing queued)
    /// if it is not 12 digits or already in use.
    pub fn push_next_customer_salt(&self, salt: &str) -> bool {
        let mut store = self.store();
        if !is_customer_salt(salt) || store.by_salt.contains_key(salt) {
            return false;
        }
        store.next_salts.push_back(salt.to_owned());
        true
    }

    fn update_customer(&self, salt: &str, f: impl FnOnce(&mut Account)) -> bool {
        let mut store = self.store();
        let Some(&i) = store.by_salt.get(salt) else {
            return false;
        };
        store.accounts.get_mut(i).map(f).is_some()
    }

    // ---- used by the handlers ----

    /// Counts a request to `op`: its number among `op`'s requests (from 1),
    /// and its place in the in-flight count until the [`Call`] is dropped.
    pub(crate) fn count(&self, op: OperationId) -> Call<'_> {
        let number = self
            .inner
            .counters
            .get(&op)
            .map_or(0, |c| c.fetch_add(1, Ordering::SeqCst) + 1);
        Call {
            number,
            _in_flight: self.inner.in_flight.enter(),
        }
    }

    pub(crate) fn next_request_id(&self) -> u64 {
        self.inner.request_ids.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Login step 1. Unknown usernames are accepted silently (no enumeration).
    pub(crate) fn request_otp(&self, username: &str) {
        let now_ms = self.clock().now_millis();
        let mut store = self.store();
        let Some(i) = store.index(username) else {
            return;
        };
        if let Some(a) = store.accounts.get_mut(i) {
            let otp = a.fixed_otp.clone().unwrap_or_else(random::otp);
            a.pending_otp = Some((otp, now_ms));
        }
    }

    /// Login step 2.
    pub(crate) fn login(&self, username: &str, otp: &str) -> Result<LoggedIn, ErrorCode> {
        let now_ms = self.clock().now_millis();
        let lifetime_ms = i64::try_from(OTP_LIFETIME.as_millis()).unwrap_or(i64::MAX);
        let mut store = self.store();
        let invalid = || ErrorCode::InvalidOtp;
        let i = store.index(username).ok_or_else(invalid)?;
        let account = store.accounts.get_mut(i).ok_or_else(invalid)?;
        match &account.pending_otp {
            Some((expected, issued))
                if expected == otp && now_ms < issued.saturating_add(lifetime_ms) => {}
            _ => return Err(invalid()),
        }
        account.pending_otp = None;
        let (email, workspace_name) = (account.email.clone(), account.workspace_name.clone());
        Ok(LoggedIn {
            token: new_session(&mut store, i, now_ms),
            email,
            workspace_name,
        })
    }

    pub(crate) fn generate_token(&self, login_token: Option<&str>) -> Result<String, ErrorCode> {
        let now_ms = self.clock().now_millis();
        let mut store = self.store();
        let i = store.session_account(login_token, now_ms)?;
        Ok(store.mint(i, None, now_ms.div_euclid(1000), None))
    }

    pub(crate) fn latest_token(
        &self,
        login_token: Option<&str>,
    ) -> Result<types::ApiTokenDetails, ErrorCode> {
        let now_ms = self.clock().now_millis();
        let store = self.store();
        let i = store.session_account(login_token, now_ms)?;
        let account = store.accounts.get(i).ok_or(ErrorCode::InvalidLoginToken)?;
        let token = account.tokens.last().ok_or(ErrorCode::NoApiTokenFound)?;
        Ok(types::ApiTokenDetails {
            token: ApiToken::new(token.clone()),
            email: account.email.clone(),
            workspace_name: account.workspace_name.clone(),
        })
    }

    pub(crate) fn check_api_token(&self, api_token: Option<&str>) -> Result<(), ErrorCode> {
        let now = self.clock().now_unix();
        self.store().check_api_token(api_token, now).map(|_| ())
    }

    /// Onboards a user; the names are checked but not stored, since no
    /// operation returns them.
    pub(crate) fn onboard(&self, user: &types::OnboardUserRequest) -> Result<Onboarded, ErrorCode> {
        let email_key = key(&user.email_id);
        let domain = email_key
            .rsplit_once('@')
            .map(|(_, d)| d)
            .unwrap_or_default();
        let mut store = self.store();
        let restricted = store.restricted_domains.iter().any(|r| {
            domain == r
                || domain
                    .strip_suffix(r.as_str())
                    .is_some_and(|p| p.ends_with('.'))
        });
        if restricted {
            return Err(ErrorCode::RestrictedEmailDomain);
        }
        if store.by_email.contains_key(&email_key) {
            return Err(ErrorCode::EmailAlreadyRegistered);
        }
        if store.companies.contains(&key(&user.company_name)) {
            return Err(ErrorCode::CompanyAlreadyExists);
        }
        let customer_salt = store.fresh_salt();
        let ids = Onboarded {
            registration_id: store.next_id(),
            user_id: store.next_id(),
            company_id: store.next_id(),
            workspace_id: store.next_id(),
            customer_salt: customer_salt.clone(),
        };
        let account = Account {
            email: user.email_id.trim().to_owned(),
            fixed_otp: None,
            pending_otp: None,
            workspace_name: format!("{} Workspace", user.company_name.trim()),
            customer_salt,
            blocked: false,
            active_workspace: true,
            tokens: Vec::new(),
        };
        store.add_account(account, Some(&user.company_name));
        Ok(ids)
    }

    /// Mints a token for customer `salt`, expiring `expiration_days` from now.
    /// Returns the token and its expiry (Unix seconds).
    pub(crate) fn token_for_customer(
        &self,
        salt: &str,
        name: Option<String>,
        expiration_days: Option<u64>,
    ) -> Result<(String, Option<i64>), ErrorCode> {
        let now = self.clock().now_unix();
        let expires = expiration_days
            .map(|days| {
                i64::try_from(days)
                    .ok()
                    .and_then(|d| d.checked_mul(86_400))
                    .and_then(|s| s.checked_add(now))
                    .ok_or(ErrorCode::InvalidExpirationDays)
            })
            .transpose()?;
        let mut store = self.store();
        let i = store.customer(salt)?;
        if !store.accounts.get(i).is_some_and(|a| a.active_workspace) {
            return Err(ErrorCode::WorkspaceNotFound);
        }
        let token = store.mint(i, name, now, expires);
        Ok((token, expires))
    }
}

fn new_session(store: &mut Store, account: usize, now_ms: i64) -> String {
    let token = loop {
        let t = random::login_token(now_ms.div_euclid(1000));
        if !store.sessions.contains_key(&t) {
            break t;
        }
    };
    let expires_at_ms = now_ms.saturating_add(store.session_lifetime_ms);
    store.sessions.insert(
        token.clone(),
        Session {
            account,
            expires_at_ms,
        },
    );
    token
}
