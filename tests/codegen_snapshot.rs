//! Pins the generated code: any change to the spec, the generator settings or
//! a progenitor/typify bump shows up here as a snapshot diff to review with
//! `cargo insta review`.

mod common;

#[test]
fn generated_client_is_pinned() {
    let spec = common::spec();
    let code = unleashx_codegen::generate_client(&spec).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("client", code);
}

#[test]
fn generated_httpmock_helpers_are_pinned() {
    let spec = common::spec();
    let code =
        unleashx_codegen::generate_httpmock(&spec, "crate").unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("httpmock", code);
}

#[test]
fn generated_catalogue_is_pinned() {
    let spec = common::spec();
    let code = unleashx_codegen::generate_catalogue(&spec).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("catalogue", code);
}

#[test]
fn generated_dispatch_is_pinned() {
    let spec = common::spec();
    let code = unleashx_codegen::generate_dispatch(&spec).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("dispatch", code);
}

#[test]
fn build_output_matches_the_snapshot_generator() {
    // build.rs and this test call the same function; a mismatch means the
    // build used other settings than the snapshot pins.
    let spec = common::spec();
    let code = unleashx_codegen::generate_client(&spec).unwrap_or_else(|e| panic!("{e}"));
    let built = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    assert_eq!(
        code, built,
        "build.rs output differs from generate_client()"
    );
    let catalogue = unleashx_codegen::generate_catalogue(&spec).unwrap_or_else(|e| panic!("{e}"));
    let built = include_str!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
    assert_eq!(
        catalogue, built,
        "build.rs output differs from generate_catalogue()"
    );
    let dispatch = unleashx_codegen::generate_dispatch(&spec).unwrap_or_else(|e| panic!("{e}"));
    let built = include_str!(concat!(env!("OUT_DIR"), "/dispatch.rs"));
    assert_eq!(
        dispatch, built,
        "build.rs output differs from generate_dispatch()"
    );
}
