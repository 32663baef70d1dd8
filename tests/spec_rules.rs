//! What `openapi.yaml` must capture, checked on the document itself.

mod common;

use serde_json::Value;
use unleashx_api::catalogue::{ErrorCode, OperationId, Security};

/// Every operation of the generated catalogue: `(method, path, operationId,
/// security scheme)`, method in lower case as the spec's keys write it.
fn operations() -> Vec<(String, &'static str, &'static str, Option<&'static str>)> {
    OperationId::ALL
        .iter()
        .map(|op| {
            (
                op.method().as_str().to_ascii_lowercase(),
                op.path(),
                op.as_str(),
                op.security().scheme(),
            )
        })
        .collect()
}

fn op<'a>(raw: &'a Value, method: &str, path: &str) -> &'a Value {
    raw.get("paths")
        .and_then(|p| p.get(path))
        .and_then(|i| i.get(method))
        .unwrap_or_else(|| panic!("{method} {path} is missing"))
}

#[test]
fn every_operation_is_there_with_ids_docs_tags_and_security() {
    let spec = common::spec();
    let raw = spec.raw();
    let count: usize = raw["paths"]
        .as_object()
        .map(|p| {
            p.values()
                .map(|i| i.as_object().map_or(0, |m| m.len()))
                .sum()
        })
        .unwrap_or(0);
    assert_eq!(
        count,
        operations().len(),
        "the spec has operations the generated catalogue does not list"
    );
    for (method, path, id, scheme) in operations() {
        let method = method.as_str();
        let op = op(raw, method, path);
        assert_eq!(op["operationId"], id, "{method} {path}");
        for key in ["summary", "description"] {
            assert!(
                op[key].as_str().is_some_and(|s| s.len() > 10),
                "{method} {path} lacks {key}"
            );
        }
        assert!(
            op["tags"].as_array().is_some_and(|t| t.len() == 1),
            "{method} {path} needs one tag"
        );
        let security = op.get("security").unwrap_or(&raw["security"]);
        let named: Vec<&str> = security
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_object())
            .flat_map(|s| s.keys().map(String::as_str))
            .collect();
        assert_eq!(
            named,
            scheme.iter().copied().collect::<Vec<_>>(),
            "{method} {path} security"
        );
    }
}

/// The refusals every layer gives whatever the operation are declared on
/// it: a body with fields can be too large (413) or of another content type
/// (415); a credential can be missing (a `credential-missing` code) or
/// refused (401).
#[test]
fn every_operation_declares_the_refusals_of_its_body_and_credential() {
    for op in OperationId::ALL {
        if op.request_fields().is_some_and(|f| !f.is_empty()) {
            for (status, response) in [(413, "PayloadTooLarge"), (415, "UnsupportedMediaType")] {
                assert!(
                    op.declares(status, &ErrorCode::InvalidRequest),
                    "{op} takes a body: add `'{status}': $ref: '#/components/responses/{response}'`"
                );
            }
        }
        if op.security() != Security::None {
            assert!(
                op.errors()
                    .iter()
                    .any(|e| e.code.means_credential_missing()),
                "{op} needs a credential: its 400 must list the code for a missing one"
            );
            assert!(
                op.statuses().contains(&401),
                "{op} needs a credential: it must declare the 401 of a refused one"
            );
        }
    }
}

#[test]
fn both_token_kinds_travel_in_the_token_header() {
    let spec = common::spec();
    for scheme in ["LoginToken", "ApiToken"] {
        let s = &spec.raw()["components"]["securitySchemes"][scheme];
        assert_eq!(s["type"], "apiKey", "{scheme}");
        assert_eq!(s["in"], "header", "{scheme}");
        assert_eq!(s["name"], "token", "{scheme}");
    }
}

#[test]
fn the_customer_id_is_a_twelve_digit_string_with_an_anchored_pattern() {
    let spec = common::spec();
    let id = &spec.raw()["components"]["schemas"]["CustomerId"];
    assert_eq!(id["type"], "string");
    assert_eq!(id["pattern"], "^[0-9]{12}$");
    assert_eq!(
        id["example"], "048372910564",
        "the leading zero must survive"
    );
    let expiry = &spec.raw()["components"]["schemas"]["GetTokenByCustomerIdRequest"]["properties"]
        ["expiration_days"];
    assert_eq!(expiry["type"], "integer");
    assert_eq!(expiry["minimum"], 1);
}

#[test]
fn the_generated_customer_id_keeps_leading_zeros_and_rejects_partial_matches() {
    use unleashx_api::types::CustomerId;
    let id: CustomerId = "048372910564".parse().expect("valid id");
    assert_eq!(id.to_string(), "048372910564");
    for bad in [
        "48372910564",
        "0483729105641",
        "x048372910564",
        "04837291056a",
        "",
    ] {
        assert!(bad.parse::<CustomerId>().is_err(), "{bad:?} accepted");
    }
}

#[test]
fn assumptions_are_recorded_where_the_docs_are_silent() {
    let spec = common::spec();
    let raw = spec.raw();
    for (method, path) in [
        ("post", "/api/login"),
        ("post", "/api/v1/global/verify"),
        ("post", "/api/v1/global/users/onboard"),
        ("post", "/api/v1/global/users/gettokenbycustomerid"),
    ] {
        assert!(
            op(raw, method, path)["x-unleashx-assumed"]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{method} {path}"
        );
    }
    assert!(raw["info"]["x-unleashx-doc-conflicts"]
        .as_array()
        .is_some_and(|a| a.len() >= 4));
}

#[test]
fn every_error_response_uses_the_one_error_schema() {
    let spec = common::spec();
    let raw = spec.raw();
    for (method, path, ..) in operations() {
        for (status, response) in op(raw, &method, path)["responses"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if status.starts_with('2') {
                continue;
            }
            let response = match response.get("$ref").and_then(Value::as_str) {
                Some(r) => raw
                    .pointer(&r.replacen('#', "", 1))
                    .unwrap_or_else(|| panic!("{r} does not resolve")),
                None => response,
            };
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(
                schema, "#/components/schemas/ApiError",
                "{method} {path} {status}"
            );
        }
    }
}
