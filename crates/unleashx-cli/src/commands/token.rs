//! `unleashx token generate|get|verify`.

use unleashx::TokenStatus;

use crate::args::TokenCommand;
use crate::commands::Context;
use crate::credentials;
use crate::output::{CliError, ErrorKind, Record};

/// Runs one `token` subcommand.
pub async fn run(ctx: &Context, cmd: TokenCommand) -> Result<Record, CliError> {
    match cmd {
        TokenCommand::Generate => {
            let token = credentials::login_token(ctx.token_stdin)?;
            let session = ctx.client()?.with_login_token(token)?;
            tracing::info!("generating an API token");
            let api_token = session.generate_api_token().await?;
            Ok(Record::new().field("token", api_token.expose_secret()))
        }
        TokenCommand::Get => {
            let token = credentials::login_token(ctx.token_stdin)?;
            let session = ctx.client()?.with_login_token(token)?;
            tracing::info!("fetching the latest API token");
            let details = session.latest_api_token().await?;
            Ok(Record::new()
                .field("token", details.token.expose_secret())
                .field("email", details.email)
                .field("workspace_name", details.workspace_name))
        }
        TokenCommand::Verify => {
            let token = credentials::api_token(ctx.token_stdin)?;
            let api = ctx.client()?.with_api_token(token)?;
            tracing::info!("verifying the API token");
            let response = api.verify().send_with_meta().await?;
            match response.value() {
                TokenStatus::Valid => Ok(Record::new().field("valid", true)),
                TokenStatus::Invalid(code) => {
                    let status = response.meta().status();
                    let mut message = format!(
                        "verify_token: the API token is not valid: HTTP {status} {code}: {}",
                        code.hint()
                    );
                    if let Some(id) = response.meta().request_id() {
                        message.push_str(&format!(" (request id {id})"));
                    }
                    Err(CliError {
                        kind: ErrorKind::Api,
                        status: Some(status),
                        code: Some(code.as_str().to_owned()),
                        message,
                    })
                }
                // A status this version does not know: report it as not valid.
                other => Err(CliError {
                    kind: ErrorKind::UnexpectedResponse,
                    status: Some(response.meta().status()),
                    code: None,
                    message: format!("verify_token: unknown token status {other:?}"),
                }),
            }
        }
    }
}
