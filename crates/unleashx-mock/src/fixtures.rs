//! The simulator's starting data, built in or loaded from a JSON file.
//!
//! # File format
//!
//! A JSON object; every key is optional except `accounts[].email`,
//! `accounts[].workspace_name` and `accounts[].customer_salt`. Unknown keys are
//! rejected, so typos are reported instead of silently ignored.
//!
//! ```json
//! {
//!   "accounts": [
//!     {
//!       "email": "demo@unleashx.test",
//!       "otp": "123456",
//!       "workspace_name": "Demo Workspace",
//!       "company_name": "Demo Company",
//!       "customer_salt": "048372910564",
//!       "blocked": false,
//!       "active_workspace": true,
//!       "api_tokens": [
//!         { "token": "359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9",
//!           "name": "seeded", "expires_at": null }
//!       ]
//!     }
//!   ],
//!   "restricted_domains": ["mailinator.com", "tempmail.com"],
//!   "next_customer_salts": ["000000000042"],
//!   "session_lifetime_secs": 86400
//! }
//! ```
//!
//! * `otp`: the fixed one-time password of the account (every login step 1
//!   issues this value). Omitted: a random six-digit OTP per step 1, readable in
//!   tests with [`MockState::last_otp`](crate::MockState::last_otp).
//! * `blocked` (default `false`): the customer is not found by its id
//!   (`CUSTOMER_ID_NOT_FOUND`).
//! * `active_workspace` (default `true`): `false` makes gettokenbycustomerid
//!   answer `WORKSPACE_NOT_FOUND`.
//! * `api_tokens`: pre-seeded API tokens, oldest first (the last is what
//!   get-token returns). `expires_at` is Unix seconds or `null` (never).
//! * `restricted_domains` (default `mailinator.com`, `tempmail.com`): email
//!   domains onboard refuses (`RESTRICTED_EMAIL_DOMAIN`), subdomains included.
//! * `next_customer_salts`: salts handed out, in order, to the next onboarded
//!   users before random ones are drawn (use it to force a leading zero).
//! * `session_lifetime_secs` (default 86400): how long a login token lives.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The email of the built-in demo account.
pub const DEMO_EMAIL: &str = "demo@unleashx.test";
/// The fixed OTP of the built-in demo account.
pub const DEMO_OTP: &str = "123456";
/// The workspace name of the built-in demo account.
pub const DEMO_WORKSPACE: &str = "Demo Workspace";
/// The customer salt (customer id) of the built-in demo account.
pub const DEMO_CUSTOMER_SALT: &str = "048372910564";
/// The default session (login token) lifetime: 24 hours.
pub const DEFAULT_SESSION_LIFETIME_SECS: u64 = 86_400;

/// The simulator's starting data. See the [module docs](self) for the file format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixtures {
    /// The accounts that exist at start-up.
    #[serde(default)]
    pub accounts: Vec<AccountFixture>,
    /// Email domains onboard refuses (compared case-insensitively, subdomains included).
    #[serde(default = "default_restricted_domains")]
    pub restricted_domains: Vec<String>,
    /// Customer salts given, in order, to the next onboarded users.
    #[serde(default)]
    pub next_customer_salts: Vec<String>,
    /// How long a login token stays valid, in seconds.
    #[serde(default = "default_session_lifetime")]
    pub session_lifetime_secs: u64,
}

/// One account in [`Fixtures`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountFixture {
    /// The account's email, which is also its login username.
    pub email: String,
    /// A fixed OTP; `None` draws a random one on every login step 1. The file
    /// may give it as a string or a non-negative integer.
    #[serde(default, deserialize_with = "string_or_integer")]
    pub otp: Option<String>,
    /// The name of the account's workspace.
    pub workspace_name: String,
    /// The company name (counts as taken for onboard), if any.
    #[serde(default)]
    pub company_name: Option<String>,
    /// The 12-digit customer id.
    pub customer_salt: String,
    /// A blocked customer is not found by its id.
    #[serde(default)]
    pub blocked: bool,
    /// Whether the account has an active workspace.
    #[serde(default = "yes")]
    pub active_workspace: bool,
    /// Pre-seeded API tokens, oldest first.
    #[serde(default)]
    pub api_tokens: Vec<TokenFixture>,
}

/// A pre-seeded API token in an [`AccountFixture`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenFixture {
    /// The token value (any non-empty string without whitespace; real ones are 64 hex characters).
    pub token: String,
    /// The token's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Expiry in Unix seconds; `None` never expires.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// An optional string that may also be written as a non-negative integer.
/// Errors never quote the value (it is a secret).
fn string_or_integer<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) if n.is_u64() => Ok(Some(n.to_string())),
        Some(_) => Err(serde::de::Error::custom(
            "`otp` must be a string or a non-negative integer",
        )),
    }
}

fn default_restricted_domains() -> Vec<String> {
    vec!["mailinator.com".to_owned(), "tempmail.com".to_owned()]
}

fn default_session_lifetime() -> u64 {
    DEFAULT_SESSION_LIFETIME_SECS
}

fn yes() -> bool {
    true
}

impl Default for Fixtures {
    /// One demo account: `demo@unleashx.test`, OTP `123456`, workspace
    /// `Demo Workspace`, customer salt `048372910564`, active, not blocked, no tokens.
    fn default() -> Self {
        Self {
            accounts: vec![
                AccountFixture::new(DEMO_EMAIL, DEMO_WORKSPACE, DEMO_CUSTOMER_SALT)
                    .with_otp(DEMO_OTP),
            ],
            restricted_domains: default_restricted_domains(),
            next_customer_salts: Vec::new(),
            session_lifetime_secs: DEFAULT_SESSION_LIFETIME_SECS,
        }
    }
}

impl AccountFixture {
    /// An active, unblocked account without a fixed OTP, company or tokens.
    pub fn new(email: &str, workspace_name: &str, customer_salt: &str) -> Self {
        Self {
            email: email.to_owned(),
            otp: None,
            workspace_name: workspace_name.to_owned(),
            company_name: None,
            customer_salt: customer_salt.to_owned(),
            blocked: false,
            active_workspace: true,
            api_tokens: Vec::new(),
        }
    }

    /// Sets a fixed OTP.
    pub fn with_otp(mut self, otp: &str) -> Self {
        self.otp = Some(otp.to_owned());
        self
    }

    /// Sets the blocked flag.
    pub fn blocked(mut self, blocked: bool) -> Self {
        self.blocked = blocked;
        self
    }

    /// Sets whether the account has an active workspace.
    pub fn active_workspace(mut self, active: bool) -> Self {
        self.active_workspace = active;
        self
    }
}

impl Fixtures {
    /// No accounts, default restricted domains and session lifetime.
    pub fn empty() -> Self {
        Self {
            accounts: Vec::new(),
            ..Self::default()
        }
    }

    /// Adds an account.
    pub fn with_account(mut self, account: AccountFixture) -> Self {
        self.accounts.push(account);
        self
    }

    /// Parses and validates fixtures from JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, FixturesError> {
        let fixtures: Self = serde_json::from_str(text).map_err(|e| FixturesError {
            line: Some(e.line()),
            column: Some(e.column()),
            ..FixturesError::problem(format!("invalid fixtures JSON: {}", strip_position(&e)))
        })?;
        fixtures.validate()?;
        Ok(fixtures)
    }

    /// Reads, parses and validates a fixtures file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, FixturesError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| FixturesError {
            path: Some(path.to_owned()),
            ..FixturesError::problem(format!("cannot read the file: {e}"))
        })?;
        Self::from_json_str(&text).map_err(|mut e| {
            e.path = Some(path.to_owned());
            e
        })
    }

    /// Checks the rules serde cannot: unique, well-formed emails, salts and tokens.
    pub fn validate(&self) -> Result<(), FixturesError> {
        let mut emails = HashSet::new();
        let mut salts = HashSet::new();
        let mut tokens = HashSet::new();
        for (i, a) in self.accounts.iter().enumerate() {
            let at = |what: String| FixturesError::problem(format!("accounts[{i}]: {what}"));
            if !is_plausible_email(&a.email) {
                return Err(at(format!("`email` {:?} is not an email address", a.email)));
            }
            if !emails.insert(a.email.trim().to_lowercase()) {
                return Err(at(format!("duplicate `email` {:?}", a.email)));
            }
            let salt = &a.customer_salt;
            if !is_customer_salt(salt) {
                return Err(at(format!(
                    "`customer_salt` {salt:?} must be a string of exactly 12 digits"
                )));
            }
            if !salts.insert(salt.clone()) {
                return Err(at(format!("duplicate `customer_salt` {salt:?}")));
            }
            if a.workspace_name.trim().is_empty() {
                return Err(at("`workspace_name` is empty".to_owned()));
            }
            if let Some(otp) = &a.otp {
                if otp.is_empty() || otp.chars().any(char::is_whitespace) {
                    return Err(at(
                        "`otp` must be non-empty and contain no whitespace".to_owned()
                    ));
                }
            }
            for (j, t) in a.api_tokens.iter().enumerate() {
                if t.token.is_empty()
                    || t.token.chars().any(|c| c.is_whitespace() || c.is_control())
                {
                    return Err(at(format!(
                        "api_tokens[{j}]: `token` must be non-empty and contain no whitespace"
                    )));
                }
                if !tokens.insert(t.token.clone()) {
                    return Err(at(format!("api_tokens[{j}]: duplicate `token`")));
                }
            }
        }
        for (i, s) in self.next_customer_salts.iter().enumerate() {
            if !is_customer_salt(s) {
                return Err(FixturesError::problem(format!(
                    "next_customer_salts[{i}]: {s:?} must be a string of exactly 12 digits"
                )));
            }
            if salts.contains(s) {
                return Err(FixturesError::problem(format!(
                    "next_customer_salts[{i}]: {s:?} is already an account's `customer_salt`"
                )));
            }
        }
        for (i, d) in self.restricted_domains.iter().enumerate() {
            if d.trim().is_empty() || d.contains('@') {
                return Err(FixturesError::problem(format!(
                    "restricted_domains[{i}]: {d:?} is not a domain"
                )));
            }
        }
        Ok(())
    }
}

/// Whether `s` is a customer id by the spec's `CustomerId` schema (the
/// generated type's checks).
pub(crate) fn is_customer_salt(s: &str) -> bool {
    unleashx_api::types::CustomerId::try_from(s).is_ok()
}

/// Whether `s` is an email address by the spec's `EmailAddress` schema (the
/// generated type's checks), ignoring surrounding white space.
pub(crate) fn is_plausible_email(s: &str) -> bool {
    s.trim()
        .parse::<unleashx_api::types::EmailAddress>()
        .is_ok()
}

/// serde_json appends " at line L column C"; the error carries them separately.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if e.line() > 0 => text[..i].to_owned(),
        _ => text,
    }
}

/// Why fixtures could not be used: which file, what is wrong and, for JSON
/// syntax or type errors, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixturesError {
    /// The file, when the fixtures came from one.
    pub path: Option<PathBuf>,
    /// What is wrong, in words.
    pub problem: String,
    /// The 1-based line of a JSON error.
    pub line: Option<usize>,
    /// The 1-based column of a JSON error.
    pub column: Option<usize>,
}

impl FixturesError {
    fn problem(problem: String) -> Self {
        Self {
            path: None,
            problem,
            line: None,
            column: None,
        }
    }
}

impl fmt::Display for FixturesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "fixtures file {}", p.display())?,
            None => f.write_str("fixtures")?,
        }
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, " (line {l}, column {c})")?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for FixturesError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        Fixtures::default().validate().unwrap();
        let f = Fixtures::from_json_str("{}").unwrap();
        let with_otp = Fixtures::from_json_str(
            r#"{"accounts":[{"email":"a@b.c","workspace_name":"W","customer_salt":"000000000001","otp":987654}]}"#,
        )
        .unwrap();
        assert_eq!(with_otp.accounts[0].otp.as_deref(), Some("987654"));
        let err = Fixtures::from_json_str(
            r#"{"accounts":[{"email":"a@b.c","workspace_name":"W","customer_salt":"000000000001","otp":[98765]}]}"#,
        )
        .unwrap_err();
        assert!(!err.to_string().contains("98765"), "{err}");
        assert!(f.accounts.is_empty());
        assert_eq!(f.restricted_domains, default_restricted_domains());
    }
}
