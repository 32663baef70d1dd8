//! The spec's facts that the layers above the generated client need: the
//! operations (method, path, credential, retry safety, declared errors) and
//! the error codes, read from `openapi.yaml` and its `x-unleashx-*` extensions.
//!
//! [`Catalogue::read`] checks every extension it reads, so a malformed one is
//! a build error that names the file, the JSON pointer and the fix.

mod render;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Operation, ReferenceOr, SecurityScheme, StatusCode};
use serde_json::Value;

use crate::error::{escape, SpecError};
use crate::spec::Spec;

pub use render::generate_catalogue;

/// The root map declaring every error code once.
pub const ERROR_CODES_KEY: &str = "x-unleashx-error-codes";
/// The operation field saying how it may be retried (`safe` or `never`).
pub const RETRY_KEY: &str = "x-unleashx-retry";
/// The request-schema map from a field to the other names the server accepts for it.
pub const ALIASES_KEY: &str = "x-unleashx-aliases";
/// The marker of an assumption where the docs are silent.
pub const ASSUMED_KEY: &str = "x-unleashx-assumed";

/// Everything the catalogue holds, in spec order (operations) and code order
/// (error codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// The header every security scheme sends its token in.
    pub token_header: Option<String>,
    /// The security schemes, by name.
    pub schemes: Vec<String>,
    /// One entry per operation.
    pub operations: Vec<OperationEntry>,
    /// One entry per declared error code, sorted by code.
    pub error_codes: Vec<ErrorCodeEntry>,
    /// The fields of the error body, as dotted paths.
    pub error_fields: Vec<String>,
    /// Numeric limits of the component schemas.
    pub limits: Vec<Limit>,
    /// The component schemas that become a `types::` item of the same name
    /// (all but the secrets, which become `secret::` types).
    pub schema_types: Vec<String>,
}

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationEntry {
    /// The `operationId`.
    pub id: String,
    /// The Rust variant name (UpperCamelCase of the id).
    pub variant: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path, as written in the spec.
    pub path: String,
    /// The summary line.
    pub summary: String,
    /// The security scheme it needs, `None` for none.
    pub security: Option<String>,
    /// How it may be retried (`x-unleashx-retry`).
    pub retry: RetrySafety,
    /// The request body's field aliases (`x-unleashx-aliases`): each field
    /// with the other names the server accepts for it, by field name.
    pub aliases: Vec<(String, Vec<String>)>,
    /// The request body schema's properties, sorted; `None`
    /// when the operation takes no body.
    pub request_fields: Option<Vec<String>>,
    /// The `message` of each success example: the example's name (`None` for
    /// a lone `example`) and the text.
    pub messages: Vec<(Option<String>, String)>,
    /// The success status.
    pub success_status: u16,
    /// Every documented status, ascending.
    pub statuses: Vec<u16>,
    /// `(status, code)` for every code an error response lists.
    pub errors: Vec<(u16, String)>,
    /// The success body's fields as dotted paths; `a.*` marks a free-form object.
    pub success_fields: Vec<String>,
    /// The `x-unleashx-assumed` texts of the operation and its responses.
    pub assumptions: Vec<String>,
}

/// How an operation may be retried, as `x-unleashx-retry` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetrySafety {
    /// `safe`: repeating it after a failure that may have reached the server
    /// is harmless (it reads).
    Safe,
    /// `never`: it is repeated only when the request provably never reached
    /// the server (it mints, creates or changes state, so a repeat could act
    /// twice or answer differently).
    Never,
}

impl RetrySafety {
    /// The spec's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            RetrySafety::Safe => "safe",
            RetrySafety::Never => "never",
        }
    }
}

/// One declared error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeEntry {
    /// The code as the API sends it.
    pub code: String,
    /// The Rust variant name.
    pub variant: String,
    /// What it means.
    pub description: String,
    /// Whether the public docs list it (`false`: assumed).
    pub documented: bool,
    /// What the caller should do.
    pub hint: Option<String>,
    /// Whether the code says the request carried no credential
    /// (`credential-missing`).
    pub credential_missing: bool,
}

/// A numeric limit of a schema or property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limit {
    /// The constant's name, such as `CUSTOMER_ID_MAX_LENGTH`.
    pub name: String,
    /// Where it comes from, such as `CustomerId.maxLength`.
    pub source: String,
    /// The value.
    pub value: i64,
}

impl Catalogue {
    /// Reads and checks the catalogue of `spec`.
    pub fn read(spec: &Spec) -> Result<Self, SpecError> {
        Reader {
            file: spec.file(),
            doc: spec.document(),
            raw: spec.raw(),
        }
        .read()
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&OperationEntry> {
        self.operations.iter().find(|o| o.id == id)
    }
}

/// The fields of an error code's entry in the root map.
const CODE_FIELDS: [&str; 5] = [
    "description",
    "documented",
    "hint",
    "rust-name",
    "credential-missing",
];

struct Reader<'a> {
    file: &'a str,
    doc: &'a OpenAPI,
    raw: &'a Value,
}

impl Reader<'_> {
    fn err(&self, pointer: &str, message: impl Into<String>) -> SpecError {
        SpecError::at(self.file, pointer, message)
    }

    fn read(&self) -> Result<Catalogue, SpecError> {
        let error_codes = self.error_codes()?;
        let known: BTreeSet<&str> = error_codes.iter().map(|c| c.code.as_str()).collect();
        let (schemes, token_header) = self.schemes()?;
        let mut operations = Vec::new();
        let mut used = BTreeSet::new();
        for (path, method, op) in self.doc.operations() {
            let ptr = format!("/paths/{}/{method}", escape(path));
            let entry = self.operation(path, method, op, &ptr, &known, &schemes)?;
            used.extend(entry.errors.iter().map(|(_, c)| c.clone()));
            operations.push(entry);
        }
        if let Some(unused) = error_codes.iter().find(|c| !used.contains(&c.code)) {
            return Err(self
                .err(
                    &format!("/{ERROR_CODES_KEY}/{}", escape(&unused.code)),
                    format!("error code `{}` is declared but no response lists it", unused.code),
                )
                .hint(format!("list it in `{ERROR_CODES_KEY}` of the error responses that carry it, or remove it from the root map")));
        }
        Ok(Catalogue {
            token_header,
            schemes,
            operations,
            error_codes,
            error_fields: schema::fields(self.raw, &schema::error_schema(self.raw)),
            limits: schema::limits(self.raw),
            schema_types: self
                .raw
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|m| m.keys())
                .filter(|name| {
                    !crate::generate::SECRET_SCHEMAS
                        .iter()
                        .any(|(secret, _)| secret == name)
                })
                .cloned()
                .collect(),
        })
    }

    fn error_codes(&self) -> Result<Vec<ErrorCodeEntry>, SpecError> {
        let root = format!("/{ERROR_CODES_KEY}");
        let map = match self.raw.get(ERROR_CODES_KEY) {
            Some(Value::Object(map)) if !map.is_empty() => map,
            Some(_) => return Err(self.err(&root, format!("`{ERROR_CODES_KEY}` must be a non-empty map from code to its description"))
                .hint("write `CODE: {description: ..., documented: true|false, hint: ...}` entries")),
            None => return Err(self.err("", format!("the root `{ERROR_CODES_KEY}` map is missing"))
                .hint(format!("declare every error code once at the root of the spec: `{ERROR_CODES_KEY}: {{CODE: {{description: ..., documented: true}}}}`"))),
        };
        let mut entries = Vec::new();
        let mut variants = BTreeMap::new();
        for (code, value) in map {
            let ptr = format!("{root}/{}", escape(code));
            if !code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                || !code.starts_with(|c: char| c.is_ascii_uppercase())
            {
                return Err(self
                    .err(
                        &ptr,
                        format!("error code `{code}` is not SCREAMING_SNAKE_CASE"),
                    )
                    .hint("write codes as the API sends them, e.g. CUSTOMER_ID_NOT_FOUND"));
            }
            let Value::Object(fields) = value else {
                return Err(self
                    .err(&ptr, format!("error code `{code}` must map to an object"))
                    .hint("write `{description: ..., documented: true|false}`"));
            };
            if let Some(key) = fields.keys().find(|k| !CODE_FIELDS.contains(&k.as_str())) {
                return Err(self
                    .err(&format!("{ptr}/{}", escape(key)), format!("unknown field `{key}` in error code `{code}`"))
                    .hint("the fields are description, documented, and the optional hint, rust-name and credential-missing"));
            }
            let string = |key: &str, fix: &str| match fields.get(key) {
                None => Ok(None),
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
                Some(_) => Err(self
                    .err(
                        &format!("{ptr}/{key}"),
                        format!("the {key} of `{code}` must be a non-empty string"),
                    )
                    .hint(fix)),
            };
            let flag = |key: &str, fix: &str| match fields.get(key) {
                None => Ok(None),
                Some(Value::Bool(b)) => Ok(Some(*b)),
                Some(_) => Err(self
                    .err(
                        &format!("{ptr}/{key}"),
                        format!("`{key}` of `{code}` must be true or false"),
                    )
                    .hint(fix)),
            };
            let description = string("description", "say in one sentence what the code means")?
                .ok_or_else(|| {
                    self.err(&ptr, format!("error code `{code}` has no description"))
                        .hint("add `description:`, one sentence saying what the code means")
                })?;
            let fix = "true when the public docs list the code, false when the spec assumes it";
            let documented = flag("documented", fix)?.ok_or_else(|| {
                self.err(&ptr, format!("error code `{code}` does not say whether it is documented"))
                    .hint("add `documented: true` (the public docs list it) or `documented: false` (assumed)")
            })?;
            let hint = string("hint", "say what the caller should do, or leave `hint` out")?;
            let credential_missing = flag(
                "credential-missing",
                "true when the code means the request carried no credential, or leave it out",
            )?
            .unwrap_or(false);
            let variant =
                match fields.get("rust-name") {
                    None => upper_camel(code),
                    Some(Value::String(s)) if is_upper_camel(s) => s.clone(),
                    Some(_) => return Err(self
                        .err(
                            &format!("{ptr}/rust-name"),
                            format!(
                                "the rust-name of `{code}` must be an UpperCamelCase identifier"
                            ),
                        )
                        .hint(
                            "such as SessionExpired, or leave it out to derive it from the code",
                        )),
                };
            if variant == "Unknown" {
                return Err(self
                    .err(&ptr, format!("error code `{code}` would be named `Unknown`, which is reserved for codes the spec does not know"))
                    .hint("set `rust-name:` to another name"));
            }
            if let Some(other) = variants.insert(variant.clone(), code.clone()) {
                return Err(self
                    .err(
                        &ptr,
                        format!(
                            "error codes `{other}` and `{code}` would both be named `{variant}`"
                        ),
                    )
                    .hint("set `rust-name:` on one of them"));
            }
            entries.push(ErrorCodeEntry {
                code: code.clone(),
                variant,
                description,
                documented,
                hint,
                credential_missing,
            });
        }
        Ok(entries)
    }

    fn schemes(&self) -> Result<(Vec<String>, Option<String>), SpecError> {
        let mut names = Vec::new();
        let mut header: Option<String> = None;
        let Some(components) = &self.doc.components else {
            return Ok((names, header));
        };
        for (name, scheme) in components.security_schemes.iter() {
            let ptr = format!("/components/securitySchemes/{}", escape(name));
            let in_header = match scheme {
                ReferenceOr::Item(SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name: header_name,
                    ..
                }) => header_name,
                _ => {
                    return Err(self
                        .err(&ptr, format!("security scheme `{name}` is not an apiKey in a header"))
                        .hint("the client sends every credential in one header (progenitor ignores securitySchemes; src/hooks.rs adds it): use `type: apiKey, in: header`"))
                }
            };
            if !is_upper_camel(name) || name == "None" {
                return Err(self
                    .err(&ptr, format!("security scheme `{name}` is not an UpperCamelCase name other than None"))
                    .hint("name schemes like LoginToken or ApiToken; the name becomes a Rust variant"));
            }
            match &header {
                Some(h) if !h.eq_ignore_ascii_case(in_header) => {
                    return Err(self
                        .err(&format!("{ptr}/name"), format!("security scheme `{name}` uses header `{in_header}`, another scheme uses `{h}`"))
                        .hint("the client injects one credential header: put every scheme in the same header"))
                }
                _ => header = Some(in_header.to_ascii_lowercase()),
            }
            names.push(name.clone());
        }
        Ok((names, header))
    }

    fn operation(
        &self,
        path: &str,
        method: &str,
        op: &Operation,
        ptr: &str,
        known: &BTreeSet<&str>,
        schemes: &[String],
    ) -> Result<OperationEntry, SpecError> {
        let id = op.operation_id.clone().unwrap_or_default(); // checked by the spec checks
        let variant = upper_camel(&id);
        if !is_upper_camel(&variant) {
            return Err(self
                .err(
                    ptr,
                    format!("operationId `{id}` cannot name a Rust variant"),
                )
                .hint("use a snake_case operationId such as get_token_by_customer_id"));
        }
        let retry = self.retry(op, ptr, &id)?;
        let aliases = self.aliases(ptr, &id)?;
        let request_fields = schema::request_schema(self.raw, ptr).map(|(_, schema)| {
            schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        });
        let security = self.security(op, ptr, &id, schemes)?;
        let mut statuses = Vec::new();
        let mut errors = Vec::new();
        let mut success = None;
        let mut assumptions = assumed(op.extensions.get(ASSUMED_KEY));
        for (status, response) in op.responses.responses.iter() {
            let StatusCode::Code(code) = status else {
                return Err(self
                    .err(
                        &format!("{ptr}/responses/{status}"),
                        format!("status range `{status}` in `{id}`"),
                    )
                    .hint("write each status the API answers with explicitly, such as 404"));
            };
            let code = *code;
            statuses.push(code);
            let (rptr, raw) = self.response(ptr, status, response);
            for text in assumed(raw.get(ASSUMED_KEY)) {
                assumptions.push(format!("HTTP {code}: {text}"));
            }
            let listed = raw.get(ERROR_CODES_KEY);
            if (200..300).contains(&code) {
                if listed.is_some() {
                    return Err(self
                        .err(
                            &format!("{rptr}/{ERROR_CODES_KEY}"),
                            format!("success response {code} of `{id}` lists error codes"),
                        )
                        .hint("only error responses carry error codes: remove the list"));
                }
                if success.is_none() {
                    success = Some((code, schema::response_schema(raw), schema::messages(raw)));
                }
                continue;
            }
            let list = match listed {
                Some(Value::Array(list)) if !list.is_empty() => list,
                Some(_) => return Err(self.err(&format!("{rptr}/{ERROR_CODES_KEY}"), format!("`{ERROR_CODES_KEY}` of response {code} must be a non-empty list of codes"))
                    .hint("write `[CODE, ...]` with codes declared in the root map")),
                None => return Err(self.err(&rptr, format!("error response {code} of `{id}` does not list its error codes"))
                    .hint(format!("add `{ERROR_CODES_KEY}: [CODE, ...]` to the response (for a `$ref`'d response, where it is defined)"))),
            };
            for (i, item) in list.iter().enumerate() {
                let iptr = format!("{rptr}/{ERROR_CODES_KEY}/{i}");
                let Value::String(c) = item else {
                    return Err(self
                        .err(&iptr, "an error code must be a string")
                        .hint("write the code as the API sends it, e.g. INVALID_REQUEST"));
                };
                if !known.contains(c.as_str()) {
                    return Err(self
                        .err(&iptr, format!("error code `{c}` is not declared"))
                        .hint(format!("declare it once in the root `{ERROR_CODES_KEY}` map (description, documented), or fix the spelling")));
                }
                if errors.contains(&(code, c.clone())) {
                    return Err(self
                        .err(
                            &iptr,
                            format!("error code `{c}` is listed twice for response {code}"),
                        )
                        .hint("list each code once per response"));
                }
                errors.push((code, c.clone()));
            }
        }
        let Some((success_status, success_schema, messages)) = success else {
            return Err(self
                .err(
                    &format!("{ptr}/responses"),
                    format!("operation `{id}` has no success response"),
                )
                .hint("document the 2xx response the operation answers with"));
        };
        statuses.sort_unstable();
        Ok(OperationEntry {
            id,
            variant,
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            summary: op.summary.clone().unwrap_or_default(),
            security,
            retry,
            aliases,
            request_fields,
            messages,
            success_status,
            statuses,
            errors,
            success_fields: schema::fields(self.raw, &success_schema),
            assumptions,
        })
    }

    fn retry(&self, op: &Operation, ptr: &str, id: &str) -> Result<RetrySafety, SpecError> {
        if op.extensions.contains_key("x-unleashx-creates") {
            return Err(self
                .err(&format!("{ptr}/x-unleashx-creates"), format!("`x-unleashx-creates` of `{id}` is no longer read"))
                .hint(format!("say how it may be retried instead: `{RETRY_KEY}: never` (it mints, creates or changes something) or `{RETRY_KEY}: safe` (it only reads)")));
        }
        let fix = format!("add `{RETRY_KEY}: safe` when repeating it is harmless (it only reads), or `{RETRY_KEY}: never` when it mints, creates or changes something (a repeat could act twice or answer differently)");
        match op.extensions.get(RETRY_KEY) {
            Some(Value::String(s)) if s == "safe" => Ok(RetrySafety::Safe),
            Some(Value::String(s)) if s == "never" => Ok(RetrySafety::Never),
            Some(_) => Err(self
                .err(
                    &format!("{ptr}/{RETRY_KEY}"),
                    format!("`{RETRY_KEY}` of `{id}` must be `safe` or `never`"),
                )
                .hint(fix)),
            None => Err(self
                .err(
                    ptr,
                    format!("operation `{id}` does not say how it may be retried"),
                )
                .hint(fix)),
        }
    }

    /// The `x-unleashx-aliases` of the operation's request body schema.
    fn aliases(&self, ptr: &str, id: &str) -> Result<Vec<(String, Vec<String>)>, SpecError> {
        let Some((schema_ptr, schema)) = schema::request_schema(self.raw, ptr) else {
            return Ok(Vec::new());
        };
        let Some(value) = schema.get(ALIASES_KEY) else {
            return Ok(Vec::new());
        };
        let aptr = format!("{schema_ptr}/{ALIASES_KEY}");
        let properties = schema.get("properties").and_then(Value::as_object);
        let Value::Object(map) = value else {
            return Err(self
                .err(
                    &aptr,
                    format!(
                        "`{ALIASES_KEY}` of `{id}`'s request body must map a field to its aliases"
                    ),
                )
                .hint("write `field: [alias, ...]`"));
        };
        let mut seen: BTreeSet<&str> = properties
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut out = Vec::new();
        for (field, names) in map {
            let fptr = format!("{aptr}/{}", escape(field));
            if !properties.is_some_and(|p| p.contains_key(field)) {
                return Err(self
                    .err(
                        &fptr,
                        format!("`{field}` is not a property of `{id}`'s request body"),
                    )
                    .hint("alias a field the schema's `properties` declare, or fix the spelling"));
            }
            let Some(list) = names.as_array().filter(|l| !l.is_empty()) else {
                return Err(self
                    .err(
                        &fptr,
                        format!("the aliases of `{field}` must be a non-empty list of names"),
                    )
                    .hint("write `[alias, ...]`, or remove the entry"));
            };
            let mut aliases = Vec::new();
            for (i, name) in list.iter().enumerate() {
                match name {
                    Value::String(n) if !n.is_empty() && seen.insert(n.as_str()) => {
                        aliases.push(n.clone());
                    }
                    _ => {
                        return Err(self
                            .err(&format!("{fptr}/{i}"), format!("alias {i} of `{field}` is not a new name"))
                            .hint("each alias is a non-empty string that is neither a property nor another alias"))
                    }
                }
            }
            out.push((field.clone(), aliases));
        }
        Ok(out)
    }

    /// The response's raw JSON, resolving a `$ref` to `components/responses`,
    /// and the pointer where it (and so its extensions) is defined.
    fn response(
        &self,
        op_ptr: &str,
        status: &StatusCode,
        response: &ReferenceOr<openapiv3::Response>,
    ) -> (String, &Value) {
        let here = format!("{op_ptr}/responses/{status}");
        let target = match response {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix('#')
                .map(str::to_owned)
                .unwrap_or(here),
            ReferenceOr::Item(_) => here,
        };
        let value = self.raw.pointer(&target).unwrap_or(&Value::Null);
        (target, value)
    }

    fn security(
        &self,
        op: &Operation,
        ptr: &str,
        id: &str,
        schemes: &[String],
    ) -> Result<Option<String>, SpecError> {
        let (requirements, sptr) = match &op.security {
            Some(s) => (s, format!("{ptr}/security")),
            None => match &self.doc.security {
                Some(s) => (s, "/security".to_owned()),
                None => return Ok(None),
            },
        };
        match requirements.as_slice() {
            [] => Ok(None),
            [one] if one.len() == 1 => {
                let name = one.keys().next().cloned().unwrap_or_default();
                if schemes.contains(&name) {
                    Ok(Some(name))
                } else {
                    Err(self
                        .err(&sptr, format!("`{id}` needs security scheme `{name}`, which components/securitySchemes does not define"))
                        .hint("define it under components/securitySchemes or fix the name"))
                }
            }
            _ => Err(self
                .err(&sptr, format!("`{id}` lists alternative or combined security requirements"))
                .hint("the client sends one credential per call: give each operation one scheme, or `security: []` for none")),
        }
    }
}

/// The texts of an `x-unleashx-assumed` value: one string or a list.
fn assumed(value: Option<&Value>) -> Vec<String> {
    let one = |v: &Value| {
        v.as_str()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

/// `get_token_by_customer_id` and `CUSTOMER_ID_NOT_FOUND` give
/// `GetTokenByCustomerId` and `CustomerIdNotFound`.
pub(crate) fn upper_camel(s: &str) -> String {
    s.split(['_', '-', ' '])
        .flat_map(|w| w.chars().enumerate())
        .map(|(i, c)| match i {
            0 => c.to_ascii_uppercase(),
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

/// `CustomerIdNotFound` and `GetTokenByCustomerId` give
/// `CUSTOMER_ID_NOT_FOUND` and `GET_TOKEN_BY_CUSTOMER_ID`.
pub(crate) fn screaming_snake(s: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
        } else {
            if c.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
            {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        }
        previous = Some(c);
    }
    out
}

fn is_upper_camel(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            upper_camel("get_token_by_customer_id"),
            "GetTokenByCustomerId"
        );
        assert_eq!(upper_camel("CUSTOMER_ID_NOT_FOUND"), "CustomerIdNotFound");
        assert_eq!(
            screaming_snake("GetTokenByCustomerIdRequest"),
            "GET_TOKEN_BY_CUSTOMER_ID_REQUEST"
        );
        assert_eq!(screaming_snake("expiration_days"), "EXPIRATION_DAYS");
        assert_eq!(screaming_snake("maxLength"), "MAX_LENGTH");
    }
}
