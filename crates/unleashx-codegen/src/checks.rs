//! Checks that stop the generator from panicking or producing surprising code.
//!
//! progenitor 0.15 panics on several valid documents; each check here turns one
//! of those panics into an error that points at the spec.

use std::collections::{BTreeSet, HashMap};

use openapiv3::{OpenAPI, Operation, ReferenceOr, Response, StatusCode};

use crate::error::{escape, SpecError};

pub(crate) fn check(file: &str, doc: &OpenAPI) -> Result<(), SpecError> {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for (path, item) in doc.paths.iter() {
        let path_ptr = format!("/paths/{}", escape(path));
        if !path.starts_with('/') {
            return Err(SpecError::at(
                file,
                &path_ptr,
                format!("path `{path}` does not start with `/`"),
            )
            .hint("write the full path from the origin, such as /api/v1/global/get-token"));
        }
        let ReferenceOr::Item(item) = item else {
            return Err(SpecError::at(
                file,
                &path_ptr,
                "a `$ref` path item is not supported by progenitor",
            )
            .hint("write the path item inline"));
        };
        for (method, op) in item.iter() {
            let ptr = format!("{path_ptr}/{method}");
            let Some(id) = op.operation_id.as_deref() else {
                return Err(SpecError::at(
                    file,
                    &ptr,
                    format!("{} {path} has no operationId", method.to_uppercase()),
                )
                .hint("add a unique snake_case `operationId`; it names the generated method"));
            };
            if let Some(first) = seen.insert(id, ptr.clone()) {
                return Err(SpecError::at(
                    file,
                    &ptr,
                    format!("operationId `{id}` is used twice (first at #{first})"),
                )
                .hint("give every operation its own operationId"));
            }
            check_responses(file, doc, op, &ptr)?;
        }
    }
    Ok(())
}

fn check_responses(file: &str, doc: &OpenAPI, op: &Operation, ptr: &str) -> Result<(), SpecError> {
    let mut success = BTreeSet::new();
    let mut errors = BTreeSet::new();
    let mut typed_errors = false;
    for (status, response) in op.responses.responses.iter() {
        let rptr = format!("{ptr}/responses/{status}");
        let is_success = match status {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        let body = body_type(file, doc, response, &rptr)?;
        if is_success {
            success.insert(body);
        } else {
            typed_errors |= body.is_some();
            errors.insert(body);
        }
    }
    if success.len() > 1 {
        return Err(SpecError::at(file, &format!("{ptr}/responses"), format!("more than one success body type: {}", describe(&success)))
            .hint("progenitor 0.15 allows one success body type per operation: merge them into one schema (optional fields) or drop a status"));
    }
    if let Some(default) = &op.responses.default {
        let dptr = format!("{ptr}/responses/default");
        errors.insert(body_type(file, doc, default, &dptr)?);
        if typed_errors {
            return Err(SpecError::at(file, &dptr, "`default` beside typed error responses")
                .hint("progenitor 0.15 cannot combine them: list the error statuses (or 4XX/5XX) explicitly and drop `default`"));
        }
    }
    if errors.len() > 1 {
        return Err(SpecError::at(file, &format!("{ptr}/responses"), format!("more than one error body type: {}", describe(&errors)))
            .hint("progenitor 0.15 allows one error body type per operation: use the shared ApiError schema for every error status"));
    }
    Ok(())
}

/// The named schema of a response's JSON body, `None` for no body.
fn body_type(
    file: &str,
    doc: &OpenAPI,
    response: &ReferenceOr<Response>,
    ptr: &str,
) -> Result<Option<String>, SpecError> {
    let response = match response {
        ReferenceOr::Item(r) => r,
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/responses/")
                .unwrap_or(reference);
            let Some(ReferenceOr::Item(r)) =
                doc.components.as_ref().and_then(|c| c.responses.get(name))
            else {
                return Err(SpecError::at(
                    file,
                    ptr,
                    format!("response reference `{reference}` does not resolve"),
                )
                .hint("define it under components/responses"));
            };
            r
        }
    };
    let Some((_, media)) = response.content.iter().next() else {
        return Ok(None);
    };
    match &media.schema {
        None => Ok(None),
        Some(ReferenceOr::Reference { reference }) => Ok(Some(reference.clone())),
        Some(ReferenceOr::Item(_)) => Err(SpecError::at(file, ptr, "inline response schema")
            .hint("progenitor names inline response schemas after the operation, so two can collide: move it to components/schemas and use `$ref`")),
    }
}

fn describe(set: &BTreeSet<Option<String>>) -> String {
    set.iter()
        .map(|b| b.as_deref().unwrap_or("no body").to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}
