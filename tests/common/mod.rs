//! Helpers shared by the root integration tests.

use std::path::PathBuf;

/// The workspace's `openapi.yaml`, loaded and checked as build.rs does.
pub fn spec() -> unleashx_codegen::Spec {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml");
    match unleashx_codegen::Spec::load(&path) {
        Ok(spec) => spec,
        Err(e) => panic!("openapi.yaml does not load:\n{e}"),
    }
}
