//! The stored-credentials file: one JSON file, mode 0600 in a folder of mode
//! 0700, under the platform's config folder (`$XDG_CONFIG_HOME/unleashx/`,
//! `~/.config/unleashx/` when unset, `%APPDATA%\unleashx\` on Windows).
//!
//! Tokens are kept per API origin (`--base-url`), so a token obtained from one
//! server is never sent to another. The file is written atomically (a new
//! temp file created with mode 0600, fsync, rename), so it is never partly
//! written and never readable by others, even for an instant.
//!
//! Every change goes through [`Store::update`]: it holds an exclusive lock on
//! [`LOCK_NAME`] beside the file (the data file itself is replaced by each
//! rename, so it cannot carry the lock), re-reads the file, applies the change
//! and renames the new file in. Processes storing tokens at once, for
//! different base URLs, therefore all keep theirs.

use std::collections::BTreeMap;
use std::fs;
use std::io::{ErrorKind as IoKind, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use unleashx::{ApiToken, LoginToken};

use crate::output::{CliError, ErrorKind};

/// The folder under the config folder.
pub const DIR_NAME: &str = "unleashx";
/// The file's name.
pub const FILE_NAME: &str = "credentials.json";
/// The lock file writers hold, in the same folder; it stays there, empty.
pub const LOCK_NAME: &str = "credentials.json.lock";
/// The file format's version.
const VERSION: u32 = 1;

/// Which token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// The login token (token generate, token get).
    Login,
    /// An API token (token verify, customer ...).
    Api,
}

impl TokenKind {
    /// Both kinds.
    pub const ALL: [TokenKind; 2] = [TokenKind::Login, TokenKind::Api];

    /// Its name in output: `login_token`, `api_token`.
    pub fn key(self) -> &'static str {
        match self {
            TokenKind::Login => "login_token",
            TokenKind::Api => "api_token",
        }
    }

    /// As a person says it: `login token`, `API token`.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::Login => "login token",
            TokenKind::Api => "API token",
        }
    }

    /// The environment variable it is read from.
    pub fn env_var(self) -> &'static str {
        match self {
            TokenKind::Login => crate::env::LOGIN_TOKEN,
            TokenKind::Api => crate::env::API_TOKEN,
        }
    }
}

/// The tokens stored for one origin, as the client library's secret types
/// (redacted `Debug`, wiped on drop).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The login token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_token: Option<LoginToken>,
    /// The API token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_token: Option<ApiToken>,
}

impl Entry {
    /// The token of `kind`.
    pub fn get(&self, kind: TokenKind) -> Option<&str> {
        match kind {
            TokenKind::Login => self.login_token.as_ref().map(|t| t.expose_secret()),
            TokenKind::Api => self.api_token.as_ref().map(|t| t.expose_secret()),
        }
    }

    /// Stores (or, with `None`, forgets) the token of `kind`.
    pub fn set(&mut self, kind: TokenKind, token: Option<&str>) {
        match kind {
            TokenKind::Login => self.login_token = token.map(LoginToken::new),
            TokenKind::Api => self.api_token = token.map(ApiToken::new),
        }
    }

    fn is_empty(&self) -> bool {
        self.login_token.is_none() && self.api_token.is_none()
    }
}

/// The file's contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    version: u32,
    /// The tokens, by API origin.
    #[serde(default)]
    origins: BTreeMap<String, Entry>,
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            version: VERSION,
            origins: BTreeMap::new(),
        }
    }
}

impl Credentials {
    /// The tokens stored for `base_url`.
    pub fn entry(&self, base_url: &str) -> Option<&Entry> {
        self.origins.get(&origin_key(base_url))
    }

    /// Stores (or, with `None`, forgets) a token for `base_url`.
    pub fn set(&mut self, base_url: &str, kind: TokenKind, token: Option<&str>) {
        let key = origin_key(base_url);
        let entry = self.origins.entry(key.clone()).or_default();
        entry.set(kind, token);
        if entry.is_empty() {
            self.origins.remove(&key);
        }
    }

    /// Forgets every token of `base_url`; returns the kinds that were stored.
    pub fn remove(&mut self, base_url: &str) -> Vec<TokenKind> {
        match self.origins.remove(&origin_key(base_url)) {
            Some(entry) => TokenKind::ALL
                .into_iter()
                .filter(|k| entry.get(*k).is_some())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Whether no token is stored at all.
    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }
}

/// The key of an origin: the base URL without trailing slashes.
fn origin_key(base_url: &str) -> String {
    base_url.trim().trim_end_matches('/').to_owned()
}

/// The credentials file at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// The file in the platform's config folder. No home folder is an error
    /// (exit 2) saying which variable to set.
    pub fn locate() -> Result<Store, CliError> {
        use etcetera::BaseStrategy;
        let base = etcetera::choose_base_strategy().map_err(|e| {
            config_error(format!(
                "cannot find the config folder for stored credentials ({e}); set HOME or \
                 XDG_CONFIG_HOME, or set {} / {} and pass --no-store",
                crate::env::LOGIN_TOKEN,
                crate::env::API_TOKEN
            ))
        })?;
        Ok(Store {
            path: base.config_dir().join(DIR_NAME).join(FILE_NAME),
        })
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file; no file is no credentials. A file others can read, an
    /// unreadable file or one that is not valid is an error naming the path.
    pub fn load(&self) -> Result<Credentials, CliError> {
        let path = self.path.display();
        let file = match fs::File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == IoKind::NotFound => return Ok(Credentials::default()),
            Err(e) => {
                return Err(config_error(format!(
                    "cannot read the credentials file {path}: {e}; fix its permissions or remove it"
                )))
            }
        };
        let meta = file
            .metadata()
            .map_err(|e| config_error(format!("cannot read the credentials file {path}: {e}")))?;
        if !meta.is_file() {
            return Err(config_error(format!(
                "the credentials file {path} is not a regular file; remove it"
            )));
        }
        check_private(&self.path, &meta)?;
        let text = std::io::read_to_string(&file).map_err(|e| {
            config_error(format!(
                "cannot read the credentials file {path}: {e}; remove it (`rm {path}`) and log in again"
            ))
        })?;
        let credentials: Credentials = serde_json::from_str(&text).map_err(|e| {
            config_error(format!(
                "the credentials file {path} is not valid ({e}); remove it (`rm {path}`) and log in again"
            ))
        })?;
        if credentials.version != VERSION {
            return Err(config_error(format!(
                "the credentials file {path} has version {}, this unleashx reads version {VERSION}; \
                 remove it (`rm {path}`) and log in again, or use a newer unleashx",
                credentials.version
            )));
        }
        Ok(credentials)
    }

    /// Applies `change` to the stored credentials and writes them, holding
    /// the folder's lock from before the file is read until the new one is
    /// renamed in, so that a concurrent writer's change is never lost. The
    /// file is removed when no token is left.
    pub fn update<R>(&self, change: impl FnOnce(&mut Credentials) -> R) -> Result<R, CliError> {
        let _lock = self.lock()?;
        let mut credentials = self.load()?;
        let result = change(&mut credentials);
        self.save(&credentials)?;
        Ok(result)
    }

    fn folder(&self) -> &Path {
        self.path.parent().unwrap_or_else(|| Path::new("."))
    }

    fn write_error(&self, what: &str, e: std::io::Error) -> CliError {
        CliError::new(
            ErrorKind::Io,
            format!(
                "cannot store credentials in {}: {what}: {e}",
                self.path.display()
            ),
        )
    }

    /// Waits for the exclusive lock on [`LOCK_NAME`], creating the folder
    /// (mode 0700) and the lock file (mode 0600) when missing. Closing the
    /// returned file releases the lock.
    fn lock(&self) -> Result<fs::File, CliError> {
        let dir = self.folder();
        private_dir(dir)
            .map_err(|e| self.write_error("cannot create its folder with mode 0700", e))?;
        let lock_path = dir.join(LOCK_NAME);
        let file = private_options()
            .read(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| {
                self.write_error(&format!("cannot open the lock {}", lock_path.display()), e)
            })?;
        fs4::FileExt::lock(&file)
            .map_err(|e| self.write_error(&format!("cannot lock {}", lock_path.display()), e))?;
        Ok(file)
    }

    /// Writes `credentials` atomically, or removes the file when it holds no
    /// token. Only [`Store::update`] calls it, under the lock.
    fn save(&self, credentials: &Credentials) -> Result<(), CliError> {
        if credentials.is_empty() {
            return self.remove();
        }
        let failed = |what: &str, e: std::io::Error| self.write_error(what, e);
        let dir = self.folder();
        private_dir(dir).map_err(|e| failed("cannot create its folder with mode 0700", e))?;
        let json = serde_json::to_vec_pretty(credentials)
            .map_err(|e| failed("cannot encode", std::io::Error::other(e)))?;
        let tmp = dir.join(format!(
            ".{FILE_NAME}.{}.{}.tmp",
            std::process::id(),
            unique()
        ));
        let written = write_new_private(&tmp, &json).and_then(|()| fs::rename(&tmp, &self.path));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(failed("cannot write", e));
        }
        // Make the rename itself durable; some platforms cannot open a folder.
        if let Ok(dir) = fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Removes the file; no file is not an error.
    fn remove(&self) -> Result<(), CliError> {
        match fs::remove_file(&self.path) {
            Err(e) if e.kind() != IoKind::NotFound => Err(CliError::new(
                ErrorKind::Io,
                format!(
                    "cannot remove the credentials file {}: {e}",
                    self.path.display()
                ),
            )),
            _ => Ok(()),
        }
    }
}

fn config_error(message: String) -> CliError {
    CliError::new(ErrorKind::Config, message)
}

/// A number that differs between the temp files one process creates.
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Refuses a file that anyone but its owner may read or write, as ssh does.
#[cfg(unix)]
fn check_private(path: &Path, meta: &fs::Metadata) -> Result<(), CliError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        let path = path.display();
        return Err(config_error(format!(
            "the credentials file {path} has mode {mode:04o}, so other users may read the tokens \
             in it; it was not used. Run `chmod 600 {path}`, and log in again if others could \
             have read it"
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path, _meta: &fs::Metadata) -> Result<(), CliError> {
    Ok(())
}

/// Creates `dir` with mode 0700 (its parents with the default mode), or
/// narrows an existing one to 0700.
#[cfg(unix)]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)?;
    }
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Err(e) if e.kind() == IoKind::AlreadyExists => {
            if fs::metadata(dir)?.permissions().mode() & 0o077 != 0 {
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
            }
            Ok(())
        }
        created => created,
    }
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Writes `bytes` to a new file that is mode 0600 from its creation, and
/// flushes it to disk.
fn write_new_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = private_options().create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Options for writing a file that, when created, is mode 0600.
fn private_options() -> fs::OpenOptions {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_ignore_trailing_slashes() {
        let mut c = Credentials::default();
        c.set("http://h:1/", TokenKind::Api, Some("a"));
        assert!(c.entry("http://h:1").is_some_and(|e| e.api_token.is_some()));
        assert!(c.entry("http://h:2").is_none());
        c.set("http://h:1", TokenKind::Api, None);
        assert!(c.is_empty());
    }

    #[test]
    fn debug_hides_tokens() {
        let mut c = Credentials::default();
        c.set("o", TokenKind::Login, Some("s3cr3t-value"));
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }
}
