//! The request examples of `openapi.yaml`, for the tools and tests that call
//! every operation with the spec's own bodies.

use serde_json::Value;

use crate::spec::Spec;

/// One request to send: the operation, the example's name and its JSON body
/// (`None` for an operation that takes no body).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestExample {
    /// The `operationId`.
    pub operation: String,
    /// The example's key under `examples`, `example` for a lone `example`, or
    /// `-` for an operation without a body.
    pub name: String,
    /// The body.
    pub body: Option<Value>,
}

impl Spec {
    /// The request examples of every operation, in spec order: one per
    /// example of a JSON request body, in the order written, or one without
    /// a body for an operation that takes none. A body without an example
    /// gives nothing, so a caller that needs one per operation notices.
    pub fn request_examples(&self) -> Vec<RequestExample> {
        let mut out = Vec::new();
        for (_, _, op) in self.document().operations() {
            let operation = op.operation_id.clone().unwrap_or_default();
            let example = |name: &str, body: Option<&Value>| RequestExample {
                operation: operation.clone(),
                name: name.to_owned(),
                body: body.cloned(),
            };
            let Some(body) = &op.request_body else {
                out.push(example("-", None));
                continue;
            };
            let Some(media) = body
                .as_item()
                .and_then(|b| b.content.get("application/json"))
            else {
                continue;
            };
            out.extend(media.example.iter().map(|v| example("example", Some(v))));
            for (name, item) in &media.examples {
                if let Some(value) = item.as_item().and_then(|e| e.value.as_ref()) {
                    out.push(example(name, Some(value)));
                }
            }
        }
        out
    }
}
