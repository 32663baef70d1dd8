//! spec-diff's own check on real rustdoc JSON of two tiny crates: `up`
//! defines structs and enums, `down` re-exports some of them, as `unleashx`
//! re-exports `unleashx_api::catalogue::ErrorCode`. Builds take seconds (no
//! dependencies), so this runs in plain `cargo test`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use unleashx_spec_diff::shape::{compare, CrateDoc};
use unleashx_spec_diff::Severity;

const DOWN: &str = "pub use up::api::{Code, Request};\npub use up::Exhaustive as Op;\npub struct Own { pub a: u8 }\n";

fn build(side: &str, up: &str, down: &str) -> (CrateDoc, CrateDoc) {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("shape")
        .join(side);
    let write = |path: &str, text: &str| {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write(
        "Cargo.toml",
        "[workspace]\nmembers = [\"up\", \"down\"]\nresolver = \"2\"\n",
    );
    write(
        "up/Cargo.toml",
        "[package]\nname = \"up\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write("up/src/lib.rs", up);
    write(
        "down/Cargo.toml",
        "[package]\nname = \"down\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies]\nup = { path = \"../up\" }\n",
    );
    write("down/src/lib.rs", down);
    let doc = |package: &str| {
        let status = Command::new(env!("CARGO"))
            .args(["rustdoc", "-q", "--lib", "-p", package])
            .args(["--", "-Zunstable-options", "--output-format", "json"])
            .current_dir(&root)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", root.join("target"))
            .status()
            .expect("cargo rustdoc");
        assert!(status.success());
        let path: &Path = &root.join("target/doc").join(format!("{package}.json"));
        CrateDoc::parse(&std::fs::read_to_string(path).expect("json")).expect("rustdoc JSON")
    };
    (doc("up"), doc("down"))
}

const UP_OLD: &str = "#![allow(dead_code)]
pub mod api {
    pub struct Request { pub otp: Option<String>, pub name: String }
    #[non_exhaustive]
    pub enum Code { A, B, Other(String) }
}
pub enum Exhaustive { One, Two }
pub struct Sealed { pub x: u8, y: u8 }
";

const UP_NEW: &str = "#![allow(dead_code)]
pub mod api {
    pub struct Request { pub otp: String, pub name: String, pub extra: u8 }
    #[non_exhaustive]
    pub enum Code { A, Other(String), C }
}
pub enum Exhaustive { One, Two, Three }
pub struct Sealed { pub x: u16, y: u8, pub z: u8 }
";

#[test]
fn field_types_and_re_exported_shapes_are_judged() {
    let (up_old, down_old) = build("old", UP_OLD, DOWN);
    let (up_new, down_new) = build("new", UP_NEW, DOWN);

    let up = compare("up", &up_old.visible(&[]), &up_new.visible(&[]));
    let ids = |changes: &[unleashx_spec_diff::Change], severity| -> BTreeSet<String> {
        changes
            .iter()
            .filter(|c| c.severity == severity)
            .map(|c| c.id.clone())
            .collect()
    };
    // The crate's own items: only the type changes (cargo-semver-checks
    // reports the rest).
    assert_eq!(
        ids(&up, Severity::Breaking),
        BTreeSet::from([
            "up: api::Request.otp: type Option<String> -> String".to_owned(),
            "up: Sealed.x: type u8 -> u16".to_owned(),
        ])
    );
    // Additions that break nothing are reported here too (the lints report
    // only breakage); the breaking ones (Exhaustive::Three, Request.extra)
    // are left to cargo-semver-checks.
    assert_eq!(
        ids(&up, Severity::Additive),
        BTreeSet::from([
            "up: api::Code::C added".to_owned(),
            "up: Sealed.z added: u8".to_owned(),
        ])
    );

    // Through the re-exports, everything: the type change, the new field of
    // a literal-constructible struct, the new variant of an exhaustive enum
    // and the removed variant break; the new variant of a non_exhaustive
    // enum does not. `down`'s own struct is unchanged.
    let down = compare(
        "down",
        &down_old.visible(&[&up_old]),
        &down_new.visible(&[&up_new]),
    );
    assert_eq!(
        ids(&down, Severity::Breaking),
        BTreeSet::from([
            "down: Request.otp: type Option<String> -> String".to_owned(),
            "down: Request.extra added: u8".to_owned(),
            "down: Code::B removed".to_owned(),
            "down: Op::Three added".to_owned(),
        ])
    );
    assert_eq!(
        ids(&down, Severity::Additive),
        BTreeSet::from(["down: Code::C added".to_owned()])
    );
    let exhaustive = down
        .iter()
        .find(|c| c.id == "down: Op::Three added")
        .expect("Op::Three");
    assert_eq!(exhaustive.breaks, "exhaustive matches on it");
    let literal = down
        .iter()
        .find(|c| c.id == "down: Request.extra added: u8")
        .expect("Request.extra");
    assert_eq!(
        literal.breaks,
        "struct literals and exhaustive patterns of it"
    );

    // No change, no finding.
    assert!(compare(
        "down",
        &down_old.visible(&[&up_old]),
        &down_old.visible(&[&up_old])
    )
    .is_empty());
}
