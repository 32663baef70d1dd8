//! Broken specs must fail with a message that names the file, the place and
//! what is wrong, never with a panic from inside the generator.

use std::path::PathBuf;

use unleashx_codegen::{Location, Spec, SpecError};

fn load(name: &str) -> SpecError {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/broken_specs")
        .join(name);
    let result = std::panic::catch_unwind(|| {
        Spec::load(&path).and_then(|s| unleashx_codegen::generate_client(&s))
    });
    match result {
        Ok(Ok(_)) => panic!("{name} was accepted"),
        Ok(Err(e)) => {
            let shown = e.to_string();
            assert!(
                shown.contains(name),
                "message does not name the file: {shown}"
            );
            assert!(e.help().is_some(), "no hint on what to do: {shown}");
            e
        }
        Err(_) => panic!("{name} made the generator panic"),
    }
}

#[test]
fn yaml_syntax_error_gives_line_and_column() {
    let e = load("yaml_syntax.yaml");
    assert!(
        matches!(e.location(), Location::LineColumn { line: 8, .. }),
        "{e}"
    );
    assert!(e.message().contains("YAML syntax error"), "{e}");
}

#[test]
fn openapi_31_is_refused_with_the_reason() {
    let e = load("openapi_31.yaml");
    assert_eq!(e.location(), &Location::Pointer("/openapi".into()));
    assert!(e.message().contains("3.1.0"), "{e}");
    assert!(e.to_string().contains("3.0.3"), "{e}");
}

#[test]
fn missing_operation_id_points_at_the_operation() {
    let e = load("missing_operation_id.yaml");
    assert_eq!(
        e.location(),
        &Location::Pointer("/paths/~1api~1a/get".into())
    );
    assert!(e.message().contains("no operationId"), "{e}");
}

#[test]
fn two_success_body_types_are_refused_before_progenitor_panics() {
    let e = load("two_success_bodies.yaml");
    assert_eq!(
        e.location(),
        &Location::Pointer("/paths/~1api~1a/post/responses".into())
    );
    assert!(
        e.message().contains("more than one success body type"),
        "{e}"
    );
    assert!(
        e.message().contains("#/components/schemas/A")
            && e.message().contains("#/components/schemas/B"),
        "{e}"
    );
}

#[test]
fn inline_response_schema_asks_for_a_ref() {
    let e = load("inline_response_schema.yaml");
    assert_eq!(
        e.location(),
        &Location::Pointer("/paths/~1api~1a/get/responses/200".into())
    );
    assert!(e.help().is_some_and(|h| h.contains("$ref")), "{e}");
}

#[test]
fn default_beside_typed_errors_is_refused() {
    let e = load("default_beside_errors.yaml");
    assert!(
        e.message()
            .contains("`default` beside typed error responses"),
        "{e}"
    );
}

#[test]
fn duplicate_operation_ids_name_both_places() {
    let e = load("duplicate_operation_id.yaml");
    assert!(e.message().contains("`same` is used twice"), "{e}");
    assert!(e.message().contains("/paths/~1api~1a/get"), "{e}");
}

#[test]
fn a_structurally_wrong_document_names_the_place() {
    let e = load("not_openapi.yaml");
    assert!(
        e.message()
            .contains("not a valid OpenAPI 3.0 document at #/paths"),
        "{e}"
    );
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let e =
        Spec::load("tests/broken_specs/does-not-exist.yaml".as_ref()).expect_err("missing file");
    assert!(e.to_string().contains("cannot read the spec"), "{e}");
}
