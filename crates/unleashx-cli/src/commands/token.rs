//! `unleashx token generate|get|verify`.

use unleashx::{LoginSession, LoginToken, TokenStatus};

use crate::args::TokenCommand;
use crate::commands::{Context, Outcome};
use crate::credentials::{explain_refusal, Found, TokenKind};
use crate::output::{CliError, ErrorKind, Record};

/// Runs one `token` subcommand. `generate` and `get` store the API token they
/// print unless `--no-store`.
pub async fn run(ctx: &Context, cmd: TokenCommand) -> Result<Outcome, CliError> {
    match cmd {
        TokenCommand::Generate => {
            let (session, found) = login_session(ctx)?;
            let store = ctx.open_store()?;
            tracing::info!(source = found.source.label(), "generating an API token");
            let api_token = session
                .generate_api_token()
                .await
                .map_err(|e| explain_refusal(&found.source, TokenKind::Login, e.into()))?;
            let token = api_token.expose_secret();
            Ok(Outcome {
                record: Record::new().field("token", token),
                save: store.map(|s| s.with(TokenKind::Api, token)),
            })
        }
        TokenCommand::Get => {
            let (session, found) = login_session(ctx)?;
            let store = ctx.open_store()?;
            tracing::info!(
                source = found.source.label(),
                "fetching the latest API token"
            );
            let details = session
                .latest_api_token()
                .await
                .map_err(|e| explain_refusal(&found.source, TokenKind::Login, e.into()))?;
            let token = details.token.expose_secret();
            Ok(Outcome {
                record: Record::new()
                    .field("token", token)
                    .field("email", details.email.clone())
                    .field("workspace_name", details.workspace_name.clone()),
                save: store.map(|s| s.with(TokenKind::Api, token)),
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

/// A session with the login token the command finds, and where it came from.
fn login_session(ctx: &Context) -> Result<(LoginSession, Found<LoginToken>), CliError> {
    let found = ctx.login_token()?;
    let session = ctx.client()?.with_login_token(found.token.clone())?;
    Ok((session, found))
}
