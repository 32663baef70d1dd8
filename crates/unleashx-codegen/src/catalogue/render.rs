//! The catalogue as Rust source: `OperationId`, `ErrorCode` and the limits.

use std::fmt::Write;

use super::{Catalogue, ErrorCodeEntry, OperationEntry};
use crate::error::SpecError;
use crate::generate::{unparse, HEADER};
use crate::spec::Spec;

/// Generates the catalogue module: `OperationId`, `EachOperation`,
/// `RetrySafety`, `ErrorCode`, `Security`, `Method`, `DeclaredError`,
/// `TOKEN_HEADER`, `ERROR_FIELDS`, `messages` and `limits`.
pub fn generate_catalogue(spec: &Spec) -> Result<String, SpecError> {
    let source = render(&Catalogue::read(spec)?);
    let hint = "this is a bug in crates/unleashx-codegen/src/catalogue; report it with the spec";
    unparse(spec, HEADER, "catalogue", hint, syn::parse_str(&source))
}

/// `#[doc = "..."]` with the text escaped.
fn doc(text: &str) -> String {
    text.lines()
        .map(|line| format!("#[doc = {:?}]\n", format!(" {line}").trim_end()))
        .collect()
}

/// `&[a, b]`.
fn slice<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    format!("&[{}]", items.join(", "))
}

fn strs(items: &[String]) -> String {
    slice(items.iter().map(|s| format!("{s:?}")))
}

fn render(c: &Catalogue) -> String {
    let mut s = String::new();
    render_method(&mut s);
    render_security(&mut s, c);
    render_operations(&mut s, c);
    render_error_codes(&mut s, c);
    render_each(&mut s, c);
    render_messages(&mut s, c);
    render_limits(&mut s, c);
    let _ = writeln!(
        s,
        "/// Calls the macro `$m` with the name of every generated `types::` item that\n/// a component schema of the spec becomes, so that a check over all of them\n/// needs no hand-kept list.\n#[macro_export]\nmacro_rules! for_each_schema_type {{ ($m:ident) => {{ $m!({}) }}; }}",
        c.schema_types.join(", ")
    );
    s
}

/// The method name of an operation in `EachOperation` (snake case).
fn method_name(o: &OperationEntry) -> String {
    super::screaming_snake(&o.variant).to_ascii_lowercase()
}

fn render_each(s: &mut String, c: &Catalogue) {
    s.push_str("/// One method per operation of the spec. A type implementing it covers\n/// every operation: when the spec gains one, every implementation stops\n/// compiling with an error naming the missing method. The simulator's\n/// handlers and the wrapper's method table implement it;\n/// [`OperationId::dispatch`] calls the method of an operation.\npub trait EachOperation {\n/// What each method gives.\ntype Output;\n");
    for o in &c.operations {
        s.push_str(&doc(&format!(
            "`{} {}` (`{}`): {}",
            o.method, o.path, o.id, o.summary
        )));
        let _ = writeln!(s, "fn {}(&self) -> Self::Output;", method_name(o));
    }
    s.push_str("}\nimpl OperationId {\n/// Calls `each`'s method for this operation.\npub fn dispatch<T: EachOperation + ?Sized>(self, each: &T) -> T::Output { match self {\n");
    for o in &c.operations {
        let name = method_name(o);
        let _ = writeln!(s, "OperationId::{} => each.{name}(),", o.variant);
    }
    s.push_str("} } }\n");
}

fn render_messages(s: &mut String, c: &Catalogue) {
    s.push_str("/// The `message` of each success example in the spec, named after the\n/// operation and, for named examples, the example.\npub mod messages {\n");
    for o in &c.operations {
        for (example, text) in &o.messages {
            let base = super::screaming_snake(&o.variant);
            let (name, what) = match example {
                Some(e) => (
                    format!("{base}_{}", super::screaming_snake(e)),
                    format!("example `{e}`"),
                ),
                None => (base, "example".to_owned()),
            };
            let _ = writeln!(
                s,
                "/// `message` of `{}`'s success {what}.\npub const {name}: &str = {text:?};",
                o.id
            );
        }
    }
    s.push_str("}\n");
}

fn render_method(s: &mut String) {
    let methods = [
        "Get", "Put", "Post", "Delete", "Options", "Head", "Patch", "Trace",
    ];
    s.push_str("/// An HTTP method of an operation.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Method {\n");
    for m in methods {
        let _ = writeln!(s, "/// `{}`.\n{m},", m.to_ascii_uppercase());
    }
    s.push_str("}\nimpl Method {\n/// The method as HTTP writes it (`GET`).\npub const fn as_str(self) -> &'static str { match self {\n");
    for m in methods {
        let _ = writeln!(s, "Method::{m} => {:?},", m.to_ascii_uppercase());
    }
    s.push_str("} } }\nimpl std::fmt::Display for Method { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) } }\n");
}

fn render_security(s: &mut String, c: &Catalogue) {
    s.push_str("/// The credential an operation needs: one of the spec's security schemes, or none.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Security {\n/// No credential (`security: []`).\nNone,\n");
    for name in &c.schemes {
        let _ = writeln!(s, "/// The `{name}` security scheme.\n{name},");
    }
    s.push_str("}\nimpl Security {\n/// The scheme's name in `components/securitySchemes`, `None` for no credential.\npub const fn scheme(self) -> Option<&'static str> { match self {\nSecurity::None => None,\n");
    for name in &c.schemes {
        let _ = writeln!(s, "Security::{name} => Some({name:?}),");
    }
    s.push_str("} } }\n");
    if let Some(header) = &c.token_header {
        let _ = writeln!(
            s,
            "/// The request header every security scheme sends its credential in.\npub const TOKEN_HEADER: &str = {header:?};"
        );
    }
}

fn render_operations(s: &mut String, c: &Catalogue) {
    let ops = &c.operations;
    s.push_str("/// An error response an operation declares: its status and one code it carries.\n#[derive(Debug, Clone, PartialEq, Eq)]\npub struct DeclaredError {\n/// The HTTP status.\npub status: u16,\n/// The code in the body's `message`.\npub code: ErrorCode,\n}\n");
    s.push_str("/// How an operation may be retried (`x-unleashx-retry` in the spec).\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum RetrySafety {\n/// `safe`: repeating it after a failure that may have reached the server is harmless (it reads).\nSafe,\n/// `never`: it mints, creates or changes something, so it is repeated only when the request provably never reached the server.\nNever,\n}\nimpl RetrySafety {\n/// The spec's word for it (`safe`, `never`).\npub const fn as_str(self) -> &'static str { match self { RetrySafety::Safe => \"safe\", RetrySafety::Never => \"never\" } }\n}\n/// One operation of `openapi.yaml`, named after its `operationId`.\n///\n/// Non-exhaustive: a new operation in the spec is an addition for other\n/// crates. Code that must handle every operation implements\n/// [`EachOperation`] instead of matching, so the compiler names what is missing.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum OperationId {\n");
    for o in ops {
        s.push_str(&doc(&format!(
            "`{} {}` (`{}`): {}",
            o.method, o.path, o.id, o.summary
        )));
        let _ = writeln!(s, "{},", o.variant);
    }
    s.push_str("}\n");
    for o in ops {
        let name = super::screaming_snake(&o.variant);
        let _ = write!(s, "const {name}_ERRORS: &[DeclaredError] = &[");
        for (status, code) in &o.errors {
            let variant = c
                .error_codes
                .iter()
                .find(|e| &e.code == code)
                .map_or("Unknown", |e| e.variant.as_str());
            let _ = write!(
                s,
                "DeclaredError {{ status: {status}, code: ErrorCode::{variant} }},"
            );
        }
        s.push_str("];\n");
    }
    // The method `sig` (with its docs), matching each operation to `f` of it.
    let getter = |sig: &str, f: &dyn Fn(&OperationEntry) -> String| -> String {
        let arms = ops
            .iter()
            .map(|o| format!("OperationId::{} => {},\n", o.variant, f(o)));
        match_method(sig, arms)
    };
    let _ = write!(
        s,
        "impl OperationId {{\n/// Every operation, in spec order.\npub const ALL: [OperationId; {}] = [{}];\n",
        ops.len(),
        ops.iter()
            .map(|o| format!("OperationId::{}", o.variant))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.push_str(&getter(
        "/// The `operationId`.\npub const fn as_str(self) -> &'static str",
        &|o| format!("{:?}", o.id),
    ));
    let _ = write!(
        s,
        "/// The operation with this `operationId`.\npub fn from_operation_id(id: &str) -> Option<Self> {{ match id {{\n{}_ => None,\n}} }}\n",
        ops.iter()
            .map(|o| format!("{:?} => Some(OperationId::{}),\n", o.id, o.variant))
            .collect::<String>()
    );
    s.push_str("/// The operation served at `method` (case-insensitive) and `path`.\npub fn find(method: &str, path: &str) -> Option<Self> {\nSelf::ALL.into_iter().find(|op| op.path() == path && op.method().as_str().eq_ignore_ascii_case(method))\n}\n");
    s.push_str(&getter(
        "/// The HTTP method.\npub const fn method(self) -> Method",
        &|o| format!("Method::{}", super::upper_camel(&o.method)),
    ));
    s.push_str(&getter(
        "/// The path, in full from the origin.\npub const fn path(self) -> &'static str",
        &|o| format!("{:?}", o.path),
    ));
    s.push_str(&getter(
        "/// The spec's summary line.\npub const fn summary(self) -> &'static str",
        &|o| format!("{:?}", o.summary),
    ));
    s.push_str(&getter(
        "/// The credential it needs.\npub const fn security(self) -> Security",
        &|o| format!("Security::{}", o.security.as_deref().unwrap_or("None")),
    ));
    s.push_str(&getter(
        "/// How it may be retried (`x-unleashx-retry`).\npub const fn retry(self) -> RetrySafety",
        &|o| format!("RetrySafety::{:?}", o.retry),
    ));
    s.push_str("/// Whether repeating it after a failure that may have reached the server is harmless (`x-unleashx-retry: safe`).\npub const fn retry_safe(self) -> bool { matches!(self.retry(), RetrySafety::Safe) }\n");
    s.push_str(&getter(
        "/// The request body's field aliases (`x-unleashx-aliases`): each field with the other names the server accepts for it.\npub const fn aliases(self) -> &'static [(&'static str, &'static [&'static str])]",
        &|o| slice(o.aliases.iter().map(|(f, a)| format!("({f:?}, {})", strs(a)))),
    ));
    s.push_str(&getter(
        "/// The properties of the request body's schema; `None` when it takes no body.\npub const fn request_fields(self) -> Option<&'static [&'static str]>",
        &|o| o.request_fields.as_ref().map_or("None".to_owned(), |f| format!("Some({})", strs(f))),
    ));
    s.push_str(&getter(
        "/// The status of a success.\npub const fn success_status(self) -> u16",
        &|o| o.success_status.to_string(),
    ));
    s.push_str(&getter(
        "/// Every status the spec documents for it, ascending.\npub const fn statuses(self) -> &'static [u16]",
        &|o| slice(&o.statuses),
    ));
    s.push_str(&getter(
        "/// Every `(status, code)` its error responses declare (`x-unleashx-error-codes`).\npub const fn errors(self) -> &'static [DeclaredError]",
        &|o| format!("{}_ERRORS", super::screaming_snake(&o.variant)),
    ));
    s.push_str("/// The first status whose response declares `code`, if any does.\npub fn status_of(self, code: &ErrorCode) -> Option<u16> {\nself.errors().iter().find(|e| &e.code == code).map(|e| e.status)\n}\n");
    s.push_str("/// Whether the response for `status` declares `code`.\npub fn declares(self, status: u16, code: &ErrorCode) -> bool {\nself.errors().iter().any(|e| e.status == status && &e.code == code)\n}\n");
    s.push_str(&getter(
        "/// The success body's fields as dotted paths (`data.token`); `name.*` marks an object whose fields are free-form.\npub const fn success_fields(self) -> &'static [&'static str]",
        &|o| strs(&o.success_fields),
    ));
    s.push_str(&getter(
        "/// What the spec assumes where the docs are silent (`x-unleashx-assumed` of the operation and its responses).\npub const fn assumptions(self) -> &'static [&'static str]",
        &|o| strs(&o.assumptions),
    ));
    s.push_str("}\n");
    s.push_str("impl std::fmt::Display for OperationId { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) } }\n");
    s.push_str("/// A name that is no `operationId` of the spec.\n#[derive(Debug, Clone, PartialEq, Eq)]\npub struct UnknownOperation(pub String);\nimpl std::fmt::Display for UnknownOperation { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, \"`{}` is not an operationId of openapi.yaml; known: \", self.0)?; for (i, op) in OperationId::ALL.iter().enumerate() { if i > 0 { f.write_str(\", \")?; } f.write_str(op.as_str())?; } Ok(()) } }\nimpl std::error::Error for UnknownOperation {}\n");
    s.push_str("impl std::str::FromStr for OperationId { type Err = UnknownOperation; fn from_str(s: &str) -> Result<Self, Self::Err> { Self::from_operation_id(s).ok_or_else(|| UnknownOperation(s.to_owned())) } }\n");
    let _ = writeln!(
        s,
        "/// The fields of the API's error body, as dotted paths.\npub const ERROR_FIELDS: &[&str] = {};",
        strs(&c.error_fields)
    );
}

fn render_error_codes(s: &mut String, c: &Catalogue) {
    let codes = &c.error_codes;
    s.push_str("/// An error code the API sends in the error body's `message`.\n///\n/// One variant per code the spec declares (`x-unleashx-error-codes`),\n/// documented ones and ones the spec assumes where the docs are silent, and\n/// [`ErrorCode::Unknown`] for any other.\n#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum ErrorCode {\n");
    for e in codes {
        let status = if e.documented {
            "Documented by the API."
        } else {
            "Assumed: the public docs do not list this code."
        };
        let mut text = format!("`{}`: {}\n\n{status}", e.code, e.description);
        if let Some(hint) = &e.hint {
            let _ = write!(text, " What to do: {hint}.");
        }
        s.push_str(&doc(&text));
        let _ = writeln!(s, "{},", e.variant);
    }
    s.push_str(
        "/// A code the spec does not declare, as the server sent it.\nUnknown(String),\n}\n",
    );
    // The method `sig` (with its docs), matching each code to `f` of it and
    // ending with the `ErrorCode::{unknown}` arm.
    let getter = |sig: &str, f: &dyn Fn(&ErrorCodeEntry) -> String, unknown: &str| -> String {
        let known = codes
            .iter()
            .map(|e| format!("ErrorCode::{} => {},\n", e.variant, f(e)));
        match_method(sig, known.chain([format!("ErrorCode::{unknown},\n")]))
    };
    let _ = writeln!(
        s,
        "impl ErrorCode {{\n/// Every code the spec declares, sorted by code.\npub const KNOWN: &'static [ErrorCode] = {};",
        slice(codes.iter().map(|e| format!("ErrorCode::{}", e.variant)))
    );
    s.push_str(&getter(
        "/// The code as the API sends it.\npub fn as_str(&self) -> &str",
        &|e| format!("{:?}", e.code),
        "Unknown(code) => code",
    ));
    s.push_str(&getter(
        "/// What the code means, from the spec; `None` for an unknown code.\npub fn description(&self) -> Option<&'static str>",
        &|e| format!("Some({:?})", e.description),
        "Unknown(_) => None",
    ));
    s.push_str(&getter(
        "/// What the caller should do, from the spec, when it says.\npub fn hint(&self) -> Option<&'static str>",
        &|e| e.hint.as_ref().map_or("None".to_owned(), |h| format!("Some({h:?})")),
        "Unknown(_) => None",
    ));
    s.push_str(&getter(
        "/// Whether the public docs list the code (`false` for an assumed or unknown code).\npub fn is_documented(&self) -> bool",
        &|e| e.documented.to_string(),
        "Unknown(_) => false",
    ));
    s.push_str(&getter(
        "/// Whether the code says the request carried no credential (`credential-missing` in the spec): a server that answers it to a request that did carry one did not see it.\npub fn means_credential_missing(&self) -> bool",
        &|e| e.credential_missing.to_string(),
        "Unknown(_) => false",
    ));
    s.push_str("/// Whether the spec does not declare the code.\npub fn is_unknown(&self) -> bool { matches!(self, ErrorCode::Unknown(_)) }\n}\n");
    let _ = write!(
        s,
        "impl From<&str> for ErrorCode {{ fn from(code: &str) -> Self {{ match code {{\n{}other => ErrorCode::Unknown(other.to_owned()),\n}} }} }}\n",
        codes
            .iter()
            .map(|e| format!("{:?} => ErrorCode::{},\n", e.code, e.variant))
            .collect::<String>()
    );
    s.push_str("impl From<String> for ErrorCode { fn from(code: String) -> Self { match ErrorCode::from(code.as_str()) { ErrorCode::Unknown(_) => ErrorCode::Unknown(code), known => known } } }\n");
    s.push_str("impl std::str::FromStr for ErrorCode { type Err = std::convert::Infallible; fn from_str(s: &str) -> Result<Self, Self::Err> { Ok(Self::from(s)) } }\n");
    s.push_str("impl std::fmt::Display for ErrorCode { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) } }\n");
}

fn render_limits(s: &mut String, c: &Catalogue) {
    s.push_str("/// The numeric limits of the spec's schemas (`minimum`, `maximum`, `minLength`, `maxLength`).\npub mod limits {\n");
    for l in &c.limits {
        let _ = writeln!(
            s,
            "/// `{}` in openapi.yaml.\npub const {}: i64 = {};",
            l.source, l.name, l.value
        );
    }
    s.push_str("}\n");
}

/// The method `sig` (with its docs) whose body matches `self` with `arms`.
fn match_method(sig: &str, arms: impl Iterator<Item = String>) -> String {
    let arms: String = arms.collect();
    format!("{sig} {{ match self {{\n{arms}}} }}\n")
}
