//! The request examples of `openapi.yaml`, for the tools and tests that call
//! every operation with the spec's own bodies.

use openapiv3::ReferenceOr;
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
        for item in self.document().paths.paths.values() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (_, op) in item.iter() {
                let operation = op.operation_id.clone().unwrap_or_default();
                let media = match &op.request_body {
                    None => {
                        out.push(RequestExample {
                            operation,
                            name: "-".to_owned(),
                            body: None,
                        });
                        continue;
                    }
                    Some(ReferenceOr::Item(body)) => body.content.get("application/json"),
                    Some(ReferenceOr::Reference { .. }) => None,
                };
                let Some(media) = media else { continue };
                if let Some(value) = &media.example {
                    out.push(RequestExample {
                        operation: operation.clone(),
                        name: "example".to_owned(),
                        body: Some(value.clone()),
                    });
                }
                for (name, example) in &media.examples {
                    if let ReferenceOr::Item(example) = example {
                        if let Some(value) = &example.value {
                            out.push(RequestExample {
                                operation: operation.clone(),
                                name: name.clone(),
                                body: Some(value.clone()),
                            });
                        }
                    }
                }
            }
        }
        out
    }
}
