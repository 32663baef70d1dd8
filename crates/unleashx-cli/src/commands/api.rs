//! `unleashx api OPERATION`: any operation of openapi.yaml with a JSON body,
//! as `gh api` reaches any endpoint. It runs through the library like the
//! other commands: the credential the operation's security names, retries by
//! its retry safety, typed errors, drift checks and the same exit codes.

use std::path::Path;

use serde_json::{Map, Value};
use unleashx::OperationId;
use unleashx_api::catalogue::Security;

use crate::args::ApiArgs;
use crate::args::OutputFormat;
use crate::commands::Context;
use crate::credentials::{explain_refusal, TokenKind};
use crate::output::{write_stdout, CliError, Output};

/// The credential an operation needs, as the CLI finds it.
pub fn token_kind(security: Security) -> Option<TokenKind> {
    match security {
        Security::None => None,
        Security::LoginToken => Some(TokenKind::Login),
        Security::ApiToken => Some(TokenKind::Api),
    }
}

/// Runs `api`: `--list`, or one call; prints the answer as JSON.
pub async fn run(ctx: &Context, args: ApiArgs, out: Output) -> Result<(), CliError> {
    let Some(name) = args.operation.clone() else {
        ctx.no_token("api --list")?;
        return match out.format {
            OutputFormat::Json => out.value(&list()),
            OutputFormat::Text => write_stdout(list_text().as_bytes()),
        };
    };
    let operation: OperationId = name.parse().map_err(|_| {
        CliError::usage(format!(
            "unknown operation {name:?}; `unleashx api --list` shows them"
        ))
    })?;
    if args.input.as_deref() == Some(Path::new("-")) && ctx.token_stdin {
        return Err(CliError::usage(
            "--input - and --token-stdin both read stdin; put the body in a file or the token in its variable",
        ));
    }
    let body = body(&args)?;
    tracing::info!(%operation, "calling");
    let answer = match token_kind(operation.security()) {
        None => {
            ctx.no_token(&format!("api {operation}"))?;
            ctx.client()?.call_json(operation, body)?.await?
        }
        Some(TokenKind::Login) => {
            let found = ctx.login_token()?;
            let session = ctx.client()?.with_login_token(found.token.clone())?;
            let call = session.call_json(operation, body)?;
            call.await
                .map_err(|e| explain_refusal(&found.source, TokenKind::Login, e.into()))?
        }
        Some(TokenKind::Api) => {
            let found = ctx.api_token()?;
            let api = ctx.client()?.with_api_token(found.token.clone())?;
            let call = api.call_json(operation, body)?;
            call.await
                .map_err(|e| explain_refusal(&found.source, TokenKind::Api, e.into()))?
        }
    };
    out.value(&answer)
}

/// Every operation: id, method, path, credential (and the variable it is
/// read from), and whether a failed call is retried.
pub fn list() -> Value {
    let operations = OperationId::ALL.map(|op| {
        serde_json::json!({
            "operation": op.as_str(),
            "method": op.method().as_str(),
            "path": op.path(),
            "credential": op.security().scheme(),
            "credential_env": token_kind(op.security()).map(TokenKind::env_var),
            "retry_safe": op.retry_safe(),
            "summary": op.summary(),
        })
    });
    serde_json::json!({ "operations": operations })
}

/// `--list --output text`: one tab-separated line per operation: id, method,
/// path, credential (`none` or the scheme) and the variable it is read from
/// (`-` for none).
pub fn list_text() -> String {
    OperationId::ALL
        .iter()
        .map(|op| {
            let security = op.security();
            format!(
                "{}\t{}\t{}\t{}\t{}\n",
                op.as_str(),
                op.method(),
                op.path(),
                security.scheme().unwrap_or("none"),
                token_kind(security).map_or("-", TokenKind::env_var),
            )
        })
        .collect()
}

/// The body: `--input`, or the `--field`s and `--raw-field`s, or none.
fn body(args: &ApiArgs) -> Result<Option<Value>, CliError> {
    if let Some(path) = &args.input {
        return read_input(path).map(Some);
    }
    if args.fields.is_empty() && args.raw_fields.is_empty() {
        return Ok(None);
    }
    let mut map = Map::new();
    let typed = args
        .fields
        .iter()
        .map(|f| split_field(f).map(|(n, v)| (n, infer_value(v))));
    let raw = args
        .raw_fields
        .iter()
        .map(|f| split_field(f).map(|(n, v)| (n, Value::from(v))));
    for field in typed.chain(raw) {
        let (name, value) = field?;
        if map.insert(name.to_owned(), value).is_some() {
            return Err(CliError::usage(format!(
                "field {name:?} is given twice; give each field once"
            )));
        }
    }
    Ok(Some(Value::Object(map)))
}

/// `NAME=VALUE`, split at the first `=`.
fn split_field(field: &str) -> Result<(&str, &str), CliError> {
    match field.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name, value)),
        _ => Err(CliError::usage(format!(
            "field {field:?} is not NAME=VALUE; write it as --field name=value"
        ))),
    }
}

/// As `gh api --field` does: `true`, `false`, `null` and numbers become JSON
/// values, anything else a string (`--raw-field` keeps a string).
pub fn infer_value(value: &str) -> Value {
    match value {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        _ => match serde_json::from_str::<serde_json::Number>(value) {
            Ok(n) => Value::Number(n),
            Err(_) => Value::String(value.to_owned()),
        },
    }
}

/// The JSON body in `path` (`-`: stdin).
fn read_input(path: &Path) -> Result<Value, CliError> {
    let (text, from) = if path == Path::new("-") {
        let text = std::io::read_to_string(std::io::stdin())
            .map_err(|e| CliError::usage(format!("--input -: cannot read stdin: {e}")))?;
        (text, "stdin".to_owned())
    } else {
        let text = std::fs::read_to_string(path).map_err(|e| {
            CliError::usage(format!("--input {}: cannot read it: {e}", path.display()))
        })?;
        (text, path.display().to_string())
    };
    serde_json::from_str(&text).map_err(|e| {
        CliError::usage(format!(
            "--input {from}: not JSON ({e}); write the request body as one JSON object"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_typed_as_gh_types_them() {
        assert_eq!(infer_value("30"), serde_json::json!(30));
        assert_eq!(infer_value("-1.5"), serde_json::json!(-1.5));
        assert_eq!(infer_value("true"), Value::Bool(true));
        assert_eq!(infer_value("false"), Value::Bool(false));
        assert_eq!(infer_value("null"), Value::Null);
        // Not a JSON number (a leading zero): a customer id stays a string.
        assert_eq!(
            infer_value("048372910564"),
            serde_json::json!("048372910564")
        );
        assert_eq!(infer_value("True"), serde_json::json!("True"));
        assert_eq!(infer_value(""), serde_json::json!(""));
        assert_eq!(infer_value("1 2"), serde_json::json!("1 2"));
    }

    #[test]
    fn fields_split_at_the_first_equals_sign() {
        assert_eq!(split_field("a=b=c").ok(), Some(("a", "b=c")));
        assert_eq!(split_field("a=").ok(), Some(("a", "")));
        assert!(split_field("=b").is_err());
        assert!(split_field("ab").is_err());
    }

    #[test]
    fn the_list_has_every_operation_of_the_spec() {
        let list = list();
        let ops = list["operations"].as_array().cloned().unwrap_or_default();
        assert_eq!(ops.len(), OperationId::ALL.len());
        for (entry, op) in ops.iter().zip(OperationId::ALL) {
            assert_eq!(entry["operation"], op.as_str());
            assert_eq!(entry["path"], op.path());
        }
    }
}
