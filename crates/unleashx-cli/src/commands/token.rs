//! `unleashx token generate|get|verify`.

use unleashx::TokenStatus;

use crate::args::TokenCommand;
use crate::commands::{Context, Outcome};
use crate::credentials::{explain_refusal, TokenKind};
use crate::output::{CliError, ErrorKind, Record};

/// Runs one `token` subcommand. `generate` and `get` store the API token they
/// print unless `--no-store`.
pub async fn run(ctx: &Context, cmd: TokenCommand) -> Result<Outcome, CliError> {
    match cmd {
        TokenCommand::Generate | TokenCommand::Get => {
            let found = ctx.login_token()?;
            let session = ctx.client()?.with_login_token(found.token.clone())?;
            let store = ctx.open_store()?;
            let source = found.source.label();
            let refused =
                |e: unleashx::Error| explain_refusal(&found.source, TokenKind::Login, e.into());
            let (token, record) = if let TokenCommand::Generate = cmd {
                tracing::info!(source, "generating an API token");
                let token = session.generate_api_token().await.map_err(refused)?;
                let record = Record::new().field("token", token.expose_secret());
                (token, record)
            } else {
                tracing::info!(source, "fetching the latest API token");
                let d = session.latest_api_token().await.map_err(refused)?;
                let record = Record::new()
                    .field("token", d.token.expose_secret())
                    .field("email", d.email)
                    .field("workspace_name", d.workspace_name);
                (d.token, record)
            };
            Ok(Outcome {
                record,
                save: store.map(|s| s.with(TokenKind::Api, token.expose_secret())),
            })
        }
        TokenCommand::Verify => {
            let found = ctx.api_token()?;
            let api = ctx.client()?.with_api_token(found.token.clone())?;
            tracing::info!(source = found.source.label(), "verifying the API token");
            let response = api.verify().send_with_meta().await?;
            match response.value() {
                TokenStatus::Valid => Ok(Record::new().field("valid", true).into()),
                TokenStatus::Invalid(code) => {
                    let status = response.meta().status();
                    let mut message = format!(
                        "verify_token: the API token is not valid: HTTP {status} {code}: {}",
                        unleashx::error_hint(code)
                    );
                    if let Some(id) = response.meta().request_id() {
                        message.push_str(&format!(" (request id {id})"));
                    }
                    let error = CliError {
                        kind: ErrorKind::Api,
                        status: Some(status),
                        code: Some(code.as_str().to_owned()),
                        message,
                        hint: Some(unleashx::error_hint(code).to_owned()),
                    };
                    Err(explain_refusal(&found.source, TokenKind::Api, error))
                }
                // A status this version does not know: report it as not valid.
                other => Err(CliError {
                    status: Some(response.meta().status()),
                    ..CliError::new(
                        ErrorKind::UnexpectedResponse,
                        format!("verify_token: unknown token status {other:?}"),
                    )
                }),
            }
        }
    }
}
