//! Generates `unleashx_api::dispatch`: any operation called by its
//! [`OperationId`](crate::Catalogue) with a JSON body, answered as JSON.
//!
//! The request body becomes the operation's generated request type before
//! anything is sent (a body the spec's types refuse is a `BodyError` naming
//! the field), and the call goes through the generated method, so hooks,
//! credentials and drift checks are those of every other call.

use openapiv3::{OpenAPI, ReferenceOr, RequestBody, Response, StatusCode};

use crate::catalogue::Catalogue;
use crate::error::{escape, Location, SpecError};
use crate::generate::{unparse, GENERATOR_BUG, HEADER};
use crate::spec::Spec;

/// What is the same for every operation: the body error and the conversions.
const SUPPORT: &str = r#"
/// A JSON body the operation's generated request type refuses, or a body for
/// an operation that takes none. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    /// The operation.
    pub operation: OperationId,
    /// Where in the body, as a path (`.` for the body itself).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field == "." {
            write!(f, "{}: the body is refused: {}", self.operation, self.message)
        } else {
            write!(f, "{}: body field `{}` is refused: {}", self.operation, self.field, self.message)
        }
    }
}

impl std::error::Error for BodyError {}

fn parse<T: serde::de::DeserializeOwned>(
    operation: OperationId,
    body: Option<serde_json::Value>,
) -> Result<T, BodyError> {
    let body = body.unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new()));
    serde_path_to_error::deserialize(body).map_err(|e| BodyError {
        operation,
        field: e.path().to_string(),
        message: without_values(&e.inner().to_string()),
    })
}

/// serde's message without the value it refused (`integer `123456``,
/// `string "..."` become `integer `…``, `string "…"`): the field may hold
/// a secret such as the OTP. Field names and expectations stay.
fn without_values(message: &str) -> String {
    const VALUE_KINDS: [&str; 4] = ["boolean ", "integer ", "floating point ", "character "];
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars();
    while let Some(c) = chars.next() {
        if c == '`' && VALUE_KINDS.iter().any(|k| out.ends_with(k)) {
            out.push_str("`…`");
            chars.by_ref().find(|d| *d == '`');
        } else if c == '"' && out.ends_with("string ") {
            out.push_str("\"…\"");
            let mut escaped = false;
            for d in chars.by_ref() {
                match d {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => break,
                    _ => {}
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn no_body(operation: OperationId, body: Option<serde_json::Value>) -> Result<(), BodyError> {
    match body {
        None => Ok(()),
        Some(serde_json::Value::Object(map)) if map.is_empty() => Ok(()),
        Some(_) => Err(BodyError {
            operation,
            field: ".".to_owned(),
            message: "this operation takes no body".to_owned(),
        }),
    }
}

// progenitor's `Error`, as every generated method returns it.
#[allow(clippy::result_large_err)]
fn json<T: serde::Serialize + std::fmt::Debug, E>(
    response: ResponseValue<T>,
) -> Result<ResponseValue<serde_json::Value>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let value = serde_json::to_value(response.into_inner())
        .map_err(|e| Error::InvalidResponsePayload(bytes::Bytes::new(), e))?;
    Ok(ResponseValue::new(value, status, headers))
}
"#;

/// One operation as the dispatch needs it.
struct Entry {
    id: String,
    variant: String,
    body: Option<String>,
}

/// Generates the dispatch module's source, formatted.
pub fn generate_dispatch(spec: &Spec) -> Result<String, SpecError> {
    let catalogue = Catalogue::read(spec)?;
    let doc = spec.document();
    let mut entries = Vec::new();
    let mut error_type: Option<String> = None;
    for (path, method, op) in doc.operations() {
        let id = op.operation_id.clone().unwrap_or_default();
        let Some(entry) = catalogue.operation(&id) else {
            continue; // the catalogue refuses an operation without an id first
        };
        let pointer = format!("/paths/{}/{method}", escape(path));
        let body = match &op.request_body {
            None => None,
            Some(b) => Some(body_type(spec, doc, b, &pointer)?),
        };
        for (status, response) in op.responses.responses.iter() {
            if matches!(status, StatusCode::Code(c) if *c < 400) {
                continue;
            }
            let Some(name) = response_schema(doc, response) else {
                continue;
            };
            match &error_type {
                None => error_type = Some(name),
                Some(seen) if *seen == name => {}
                Some(seen) => {
                    return Err(SpecError::at(
                        spec.file(),
                        &format!("{pointer}/responses/{status}"),
                        format!("this error response's schema is `{name}`, others use `{seen}`"),
                    )
                    .hint("every error response must share one schema (the generated client's error type)"));
                }
            }
        }
        entries.push(Entry {
            id,
            variant: entry.variant.clone(),
            body,
        });
    }
    let error_type = error_type.ok_or_else(|| {
        SpecError::new(
            spec.file(),
            Location::Document,
            "no error response names a schema",
        )
        .hint("give the error responses a `$ref` to the error schema")
    })?;
    let source = render(&entries, &error_type);
    unparse(
        spec,
        HEADER,
        "dispatch",
        GENERATOR_BUG,
        syn::parse_str(&source),
    )
}

/// The generated type of a JSON request body: a `$ref` to a component schema.
fn body_type(
    spec: &Spec,
    doc: &OpenAPI,
    body: &ReferenceOr<RequestBody>,
    pointer: &str,
) -> Result<String, SpecError> {
    let body = match body {
        ReferenceOr::Item(b) => Some(b),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/requestBodies/")
            .and_then(|n| doc.components.as_ref()?.request_bodies.get(n))
            .and_then(|b| b.as_item()),
    };
    body.and_then(|b| b.content.get("application/json"))
        .and_then(|m| m.schema.as_ref())
        .and_then(schema_name)
        .ok_or_else(|| {
            SpecError::at(
                spec.file(),
                &format!("{pointer}/requestBody"),
                "the request body is not an application/json `$ref` to a component schema",
            )
            .hint("move the body schema under components/schemas and `$ref` it")
        })
}

fn response_schema(doc: &OpenAPI, response: &ReferenceOr<Response>) -> Option<String> {
    let response = match response {
        ReferenceOr::Item(r) => r,
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|n| doc.components.as_ref()?.responses.get(n))?
            .as_item()?,
    };
    response
        .content
        .get("application/json")?
        .schema
        .as_ref()
        .and_then(schema_name)
}

fn schema_name<T>(schema: &ReferenceOr<T>) -> Option<String> {
    match schema {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned),
        ReferenceOr::Item(_) => None,
    }
}

fn render(entries: &[Entry], error_type: &str) -> String {
    let mut variants = String::new();
    let mut new_arms = String::new();
    let mut id_arms = String::new();
    let mut send_arms = String::new();
    for Entry { id, variant, body } in entries {
        match body {
            Some(ty) => {
                variants.push_str(&format!(
                    "/// `{id}`, with its body.\n{variant}(types::{ty}),\n"
                ));
                new_arms.push_str(&format!(
                    "OperationId::{variant} => Ok(Self::{variant}(parse(operation, body)?)),\n"
                ));
                id_arms.push_str(&format!("Self::{variant}(_) => OperationId::{variant},\n"));
                send_arms.push_str(&format!(
                    "Self::{variant}(body) => json(client.{id}().body(body.clone()).send().await?),\n"
                ));
            }
            None => {
                variants.push_str(&format!("/// `{id}` (no body).\n{variant},\n"));
                new_arms.push_str(&format!(
                    "OperationId::{variant} => {{ no_body(operation, body)?; Ok(Self::{variant}) }}\n"
                ));
                id_arms.push_str(&format!("Self::{variant} => OperationId::{variant},\n"));
                send_arms.push_str(&format!(
                    "Self::{variant} => json(client.{id}().send().await?),\n"
                ));
            }
        }
    }
    format!(
        r#"use crate::catalogue::OperationId;
use crate::{{types, Client, Error, ResponseValue}};

/// One operation's request, its body checked by the operation's generated
/// request type: built from JSON with [`JsonRequest::new`], sent with
/// [`JsonRequest::send`].
#[derive(Debug, Clone)]
pub enum JsonRequest {{
{variants}}}

impl JsonRequest {{
    /// The request of `operation` with `body` (none is `{{}}` for an
    /// operation that takes a body).
    pub fn new(operation: OperationId, body: Option<serde_json::Value>) -> Result<Self, BodyError> {{
        match operation {{
{new_arms}        }}
    }}

    /// The operation.
    pub fn operation(&self) -> OperationId {{
        match self {{
{id_arms}        }}
    }}

    /// Sends the request through the generated method; the success body as JSON.
    pub async fn send(
        &self,
        client: &Client,
    ) -> Result<ResponseValue<serde_json::Value>, Error<types::{error_type}>> {{
        match self {{
{send_arms}        }}
    }}
}}
{SUPPORT}"#
    )
}
