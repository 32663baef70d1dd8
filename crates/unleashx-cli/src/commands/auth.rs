//! `unleashx auth status|logout`: what is stored, and forgetting it.

use std::process::ExitCode;

use serde_json::{json, Value};
use unleashx::{ApiToken, ErrorCode, LoginToken, TokenStatus};

use crate::args::AuthCommand;
use crate::commands::Context;
use crate::credentials::{self, masked, Found, Source, TokenKind};
use crate::output::{CliError, ErrorKind, Output, Record};
use crate::store::Store;

/// Runs one `auth` subcommand; prints its result or error.
pub async fn run(ctx: &Context, cmd: AuthCommand, out: Output) -> ExitCode {
    if let Err(e) = ctx.no_token("auth") {
        return out.error(&e);
    }
    let result = match cmd {
        AuthCommand::Status(args) => status(ctx, args.check).await,
        AuthCommand::Logout => logout(ctx).map(|record| (record, None)),
    };
    out.exit(result.and_then(|(record, refused)| {
        out.record(&record)?;
        refused.map_or(Ok(()), Err)
    }))
}

/// The status record, and the error to exit with when `--check` found a
/// token the server refuses.
async fn status(ctx: &Context, check: bool) -> Result<(Record, Option<CliError>), CliError> {
    let store = Store::locate()?;
    let mut record = Record::new()
        .field("base_url", ctx.base_url.as_str())
        .field("file", store.path().display().to_string());
    // A variable wins over the file, which is read once, if at all.
    let login: Option<Found<LoginToken>> = credentials::from_env(TokenKind::Login)?;
    let api: Option<Found<ApiToken>> = credentials::from_env(TokenKind::Api)?;
    let saved = match (&login, &api) {
        (Some(_), Some(_)) => None,
        _ => Some(store.load()?),
    };
    let base = &ctx.base_url;
    let login =
        login.or_else(|| credentials::stored(TokenKind::Login, &store, saved.as_ref()?, base));
    let api = api.or_else(|| credentials::stored(TokenKind::Api, &store, saved.as_ref()?, base));
    if check && login.is_none() && api.is_none() {
        return Err(CliError::usage(format!(
            "no token to check for {}: {}, or {}; nothing was sent",
            ctx.base_url,
            how_to_get(TokenKind::Login),
            how_to_get(TokenKind::Api)
        )));
    }
    let login_accepted = match (&login, check) {
        (Some(found), true) => Some(check_login(ctx, &found.token).await?),
        _ => None,
    };
    let api_accepted = match (&api, check) {
        (Some(found), true) => Some(check_api(ctx, &found.token).await?),
        _ => None,
    };
    let shown = [
        (
            TokenKind::Login,
            login.map(|f| (masked(f.token.expose_secret()), f.source)),
            login_accepted,
        ),
        (
            TokenKind::Api,
            api.map(|f| (masked(f.token.expose_secret()), f.source)),
            api_accepted,
        ),
    ];
    // The tokens the server refused, and how to replace each.
    let mut refused = Vec::new();
    for (kind, found, accepted) in shown {
        let Some((shown, source)) = found else {
            let text = format!("none ({})", how_to_get(kind));
            record = record.field_shown_as(kind.key(), Value::Null, text);
            continue;
        };
        let (value, text) = describe(&shown, &source, accepted);
        if accepted == Some(false) {
            let which = match source {
                Source::Env(var) => format!("the {} in {var}", kind.name()),
                _ => format!("the stored {}", kind.name()),
            };
            refused.push((which, kind));
        }
        record = record.field_shown_as(kind.key(), value, text);
    }
    let error = (!refused.is_empty()).then(|| {
        let which: Vec<&str> = refused.iter().map(|(w, _)| w.as_str()).collect();
        let hints: Vec<&str> = refused.iter().map(|&(_, k)| how_to_get(k)).collect();
        let message = format!(
            "the server refused {}; {}",
            which.join(" and "),
            hints.join("; ")
        );
        CliError::new(ErrorKind::Api, message)
    });
    Ok((record, error))
}

/// JSON `{"source": .., "token": "****1a2b"}` (and `valid` when checked:
/// whether the server accepted it), and the text line, for a token shown as
/// `shown`.
fn describe(shown: &str, source: &Source, accepted: Option<bool>) -> (Value, String) {
    let mut value = json!({"source": source.label(), "token": shown});
    let mut text = match source {
        Source::File(path) => format!("{shown} (stored in {})", path.display()),
        Source::Env(_) | Source::Stdin => format!("{shown} (from {})", source.label()),
    };
    if let Some(valid) = accepted {
        value["valid"] = Value::Bool(valid);
        text.push_str(if valid {
            ", accepted by the server"
        } else {
            ", REFUSED by the server"
        });
    }
    (value, text)
}

fn how_to_get(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Login => {
            "`unleashx login --username EMAIL` then `--otp-stdin` stores a login token"
        }
        TokenKind::Api => "`unleashx token generate` stores an API token",
    }
}

/// Whether the server accepts the login token, asked with get-token. A
/// transport failure or an unexpected answer is an error.
async fn check_login(ctx: &Context, token: &LoginToken) -> Result<bool, CliError> {
    let session = ctx.client()?.with_login_token(token.clone())?;
    tracing::info!("checking the login token with get-token");
    match session.latest_api_token().await {
        Ok(_) => Ok(true),
        // Accepted, but no API token exists yet.
        Err(e) if e.code() == Some(&ErrorCode::NoApiTokenFound) => Ok(true),
        // The spec's status for an invalid login token: the server refuses it.
        Err(e)
            if e.is_api()
                && e.status().is_some()
                && e.status() == credentials::refused(TokenKind::Login) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the server accepts the API token, asked with verify.
async fn check_api(ctx: &Context, token: &ApiToken) -> Result<bool, CliError> {
    let api = ctx.client()?.with_api_token(token.clone())?;
    tracing::info!("checking the API token with verify");
    match api.verify().await? {
        TokenStatus::Valid => Ok(true),
        TokenStatus::Invalid(_) => Ok(false),
        other => Err(CliError::new(
            ErrorKind::UnexpectedResponse,
            format!("verify_token: unknown token status {other:?}"),
        )),
    }
}

/// Forgets the tokens stored for the base URL; removes the file when it
/// holds no other.
fn logout(ctx: &Context) -> Result<Record, CliError> {
    let store = Store::locate()?;
    let removed = if store.load()?.entry(&ctx.base_url).is_some() {
        store.update(|credentials| credentials.remove(&ctx.base_url))?
    } else {
        Vec::new()
    };
    let keys: Vec<&str> = removed.iter().map(|k| k.key()).collect();
    let text = if keys.is_empty() {
        format!("nothing was stored for {}", ctx.base_url)
    } else {
        removed
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Ok(Record::new()
        .field("base_url", ctx.base_url.as_str())
        .field("file", store.path().display().to_string())
        .field_shown_as("removed", keys, text))
}
