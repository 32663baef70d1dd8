//! Generates the `unleashx-api` client from `openapi.yaml` into `OUT_DIR`.
//!
//! All the logic lives in `crates/unleashx-codegen`, which the snapshot tests
//! call too, so the build and the snapshots cannot drift apart.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=openapi.yaml");
    println!("cargo:rerun-if-changed=build.rs");
    let spec_path = Path::new("openapi.yaml");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let result = unleashx_codegen::Spec::load(spec_path).and_then(|spec| {
        let client = unleashx_codegen::generate_client(&spec)?;
        let mock = unleashx_codegen::generate_httpmock(&spec, "crate")?;
        let catalogue = unleashx_codegen::generate_catalogue(&spec)?;
        let dispatch = unleashx_codegen::generate_dispatch(&spec)?;
        Ok((client, mock, catalogue, dispatch))
    });
    match result {
        Ok((client, mock, catalogue, dispatch)) => {
            write(&out.join("client.rs"), &client);
            write(&out.join("httpmock.rs"), &mock);
            write(&out.join("catalogue.rs"), &catalogue);
            write(&out.join("dispatch.rs"), &dispatch);
        }
        Err(e) => {
            eprintln!("error: openapi.yaml cannot be turned into a client\n{e}");
            std::process::exit(1);
        }
    }
}

fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        eprintln!("error: cannot write {}: {e}", path.display());
        std::process::exit(1);
    }
}
