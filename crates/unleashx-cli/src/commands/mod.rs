//! The commands, one module per group, and what they share.

pub mod customer;
pub mod demo;
pub mod login;
pub mod mock;
pub mod token;

use std::process::ExitCode;
use std::time::Duration;

use unleashx::Client;

use crate::args::{Cli, Command, OutputFormat};
use crate::output::{CliError, Output, Record};

/// What every API command needs from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--base-url` / `UNLEASHX_BASE_URL`.
    pub base_url: String,
    /// `--timeout`.
    pub timeout: Option<Duration>,
    /// `--token-stdin`.
    pub token_stdin: bool,
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
    };
    let format = cli.output;
    let out = Output::new(format.unwrap_or(OutputFormat::Json));
    let result: Result<Record, CliError> = match cli.command {
        Command::Login(args) => login::run(&ctx, args).await,
        Command::Token(cmd) => token::run(&ctx, cmd).await,
        Command::Customer(cmd) => customer::run(&ctx, cmd).await,
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
        Ok(record) => {
            out.record(&record);
            ExitCode::SUCCESS
        }
        Err(e) => out.error(&e),
    }
}
