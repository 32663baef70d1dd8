//! The commands, one module per group, and what they share.

pub mod api;
pub mod auth;
pub mod customer;
pub mod demo;
pub mod docs;
pub mod doctor;
pub mod login;
pub mod mock;
pub mod token;

use std::process::ExitCode;
use std::time::Duration;

use unleashx::{ApiToken, Client, LoginToken};

use crate::args::{Cli, Command, OutputFormat};
use crate::credentials::{self, Found, TokenKind};
use crate::output::{CliError, Output, Record};
use crate::store::{Entry, Store};

/// What every API command needs from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--base-url` / `UNLEASHX_BASE_URL`.
    pub base_url: String,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--token-stdin`.
    pub token_stdin: bool,
    /// `--no-store` / `UNLEASHX_NO_STORE`.
    pub no_store: bool,
}

impl Context {
    /// A client for the base URL and timeout. A refused configuration is exit 2.
    pub fn client(&self) -> Result<Client, CliError> {
        client_for(&self.base_url, self.timeout)
    }

    /// Refuses `--token-stdin` for a command that takes no token.
    pub fn no_token(&self, command: &str) -> Result<(), CliError> {
        if self.token_stdin {
            return Err(CliError::usage(format!(
                "{command} takes no token; drop --token-stdin"
            )));
        }
        Ok(())
    }

    /// The login token: `--token-stdin`, its variable, or the stored file.
    pub fn login_token(&self) -> Result<Found<LoginToken>, CliError> {
        credentials::find(TokenKind::Login, self.token_stdin, &self.base_url)
    }

    /// The API token: `--token-stdin`, its variable, or the stored file.
    pub fn api_token(&self) -> Result<Found<ApiToken>, CliError> {
        credentials::find(TokenKind::Api, self.token_stdin, &self.base_url)
    }

    /// Opens the credentials file for storing a token the command will print,
    /// before anything is sent, so that a file that is corrupt or readable by
    /// others stops the command first. `None` with `--no-store`.
    pub fn open_store(&self) -> Result<Option<Pending>, CliError> {
        if self.no_store {
            return Ok(None);
        }
        let store = Store::locate()?;
        store.load()?;
        Ok(Some(Pending {
            store,
            tokens: Entry::default(),
            base_url: self.base_url.clone(),
        }))
    }
}

/// The credentials file, checked readable, and the tokens to store in it.
#[derive(Debug)]
pub struct Pending {
    store: Store,
    tokens: Entry,
    base_url: String,
}

impl Pending {
    /// Sets the token of `kind` (written by [`Outcome`]'s caller after printing).
    pub fn with(mut self, kind: TokenKind, token: &str) -> Self {
        self.tokens.set(kind, Some(token));
        self
    }

    /// Stores the tokens for the base URL, merged under the file's lock into
    /// what the file holds then (another process may have written since).
    pub fn save(&self) -> Result<(), CliError> {
        tracing::info!(path = %self.store.path().display(), "storing credentials");
        self.store.update(|credentials| {
            for kind in TokenKind::ALL {
                if let Some(token) = self.tokens.get(kind) {
                    credentials.set(&self.base_url, kind, Some(token));
                }
            }
        })
    }
}

/// A command's result, and the credentials to store once it is printed.
#[derive(Debug)]
pub struct Outcome {
    /// What to print.
    pub record: Record,
    /// What to store.
    pub save: Option<Pending>,
}

impl From<Record> for Outcome {
    fn from(record: Record) -> Self {
        Self { record, save: None }
    }
}

/// A client for `base_url`, with `timeout` as the total limit of each call.
pub fn client_for(base_url: &str, timeout: Option<Duration>) -> Result<Client, CliError> {
    let mut builder = Client::builder()
        .base_url(base_url)
        .app_name(concat!("unleashx-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(limit) = timeout {
        builder = builder.timeout(limit);
    }
    Ok(builder.build()?)
}

/// Runs the command and prints its result or error; returns the exit code.
pub async fn dispatch(cli: Cli) -> ExitCode {
    let ctx = Context {
        base_url: cli.base_url,
        timeout: cli.timeout,
        token_stdin: cli.token_stdin,
        no_store: cli.no_store,
    };
    let format = cli.output;
    let out = Output::new(format.unwrap_or(OutputFormat::Json));
    let result: Result<Outcome, CliError> = match cli.command {
        Command::Login(args) => login::run(&ctx, args).await,
        Command::Token(cmd) => token::run(&ctx, cmd).await,
        Command::Customer(cmd) => customer::run(&ctx, cmd).await.map(Outcome::from),
        Command::Api(args) => return out.exit(api::run(&ctx, args, out).await),
        Command::Auth(cmd) => return auth::run(&ctx, cmd, out).await,
        Command::Doctor => return doctor::run(&ctx, out).await,
        Command::Completions(args) => {
            return out.exit(
                ctx.no_token("completions")
                    .and_then(|()| docs::completions(args)),
            )
        }
        Command::Man(args) => return out.exit(ctx.no_token("man").and_then(|()| docs::man(args))),
        Command::Demo => {
            let out = Output::new(format.unwrap_or(OutputFormat::Text));
            if let Err(e) = ctx.no_token("demo") {
                return out.error(&e);
            }
            return demo::run(ctx.timeout, out).await;
        }
        Command::Mock(cmd) => {
            if let Err(e) = ctx.no_token("mock serve") {
                return out.error(&e);
            }
            return mock::run(cmd, out).await;
        }
    };
    match result {
        Ok(Outcome { record, save }) => {
            // Print first: a token that cannot be stored is still shown.
            let printed = out.record(&record);
            let saved = save.map_or(Ok(()), |pending| pending.save());
            out.exit(printed.and(saved))
        }
        Err(e) => out.error(&e),
    }
}
