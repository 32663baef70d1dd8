//! The guarded spec-change workflow: `spec-diff` on revisions of
//! `openapi.yaml` derived from the current one at test time.
//! See tests/spec_changes/README.md.

use std::path::{Path, PathBuf};

use unleashx_codegen::Spec;
use unleashx_spec_diff::{self as api_diff, ApiDiff, ChangeKind, Kind, Severity};

/// The repository root (openapi.yaml).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// This crate (its test fixtures).
fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn current() -> String {
    std::fs::read_to_string(root().join("openapi.yaml")).expect("read openapi.yaml")
}

/// `openapi.yaml` with `from` replaced by `to` (which must occur exactly once).
fn changed(from: &str, to: &str) -> String {
    let spec = current();
    assert_eq!(
        spec.matches(from).count(),
        1,
        "the fixture's anchor must occur exactly once in openapi.yaml: {from:?}"
    );
    spec.replacen(from, to, 1)
}

/// Writes a derived spec under a fresh directory (no CHANGELOG.md beside it).
fn write(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("spec_diff")
        .join(name);
    std::fs::create_dir_all(&dir).expect("fixture dir");
    let path = dir.join("openapi.yaml");
    std::fs::write(&path, text).expect("write fixture spec");
    path
}

fn field_removed() -> String {
    changed(
        "      required: [token, email, workspace_name]\n      properties:\n        token:\n          $ref: '#/components/schemas/ApiTokenValue'\n        email:\n          type: string\n          description: The account's registered email address.\n          example: user@example.com\n        workspace_name:\n          type: string\n          description: The name of the account's workspace.\n          example: My Workspace\n",
        "      required: [token, email]\n      properties:\n        token:\n          $ref: '#/components/schemas/ApiTokenValue'\n        email:\n          type: string\n          description: The account's registered email address.\n          example: user@example.com\n",
    )
}

fn optional_request_field_added() -> String {
    changed(
        "    GetTokenByCustomerIdResponse:\n",
        "        label:\n          type: string\n          description: An optional label.\n    GetTokenByCustomerIdResponse:\n",
    )
}

fn operation_added() -> String {
    changed(
        "components:\n  securitySchemes:\n",
        "  /api/v1/global/ping:\n    get:\n      operationId: ping\n      x-unleashx-creates: false\n      security: []\n      responses:\n        '200':\n          description: Alive.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/VerifyResponse'\ncomponents:\n  securitySchemes:\n",
    )
}

fn diff(old: &str, new: &str) -> ApiDiff {
    let surface = |text: &str| {
        let spec = Spec::parse(text, "openapi.yaml").unwrap_or_else(|e| panic!("{e}"));
        api_diff::surface_of(&spec).unwrap_or_else(|e| panic!("{e}"))
    };
    ApiDiff::between(&surface(old), &surface(new))
}

/// Runs the `spec-diff` command in-process: (status, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = api_diff::run(&args, &mut out, &mut err);
    (
        status,
        String::from_utf8(out).expect("utf-8"),
        String::from_utf8(err).expect("utf-8"),
    )
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn identical_spec_has_no_changes() {
    let d = diff(&current(), &current());
    assert!(d.is_empty(), "{:#?}", d.changes);

    let old = write("identical_old", &current());
    let new = write("identical_new", &current());
    let (status, out, _) = run(&[path_str(&old), path_str(&new)]);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("No change to the generated public API."),
        "{out}"
    );
}

#[test]
fn surface_covers_types_operations_and_builders() {
    let spec = Spec::parse(&current(), "openapi.yaml").expect("spec");
    let s = api_diff::surface_of(&spec).expect("surface");
    let kind = |key: &str| s.get(key).map(|e| e.kind);
    assert_eq!(kind("types::ApiTokenDetails"), Some(Kind::Struct));
    assert_eq!(
        s.get("types::ApiTokenDetails.workspace_name")
            .map(|e| e.signature.as_str()),
        Some("::std::string::String")
    );
    for op in [
        "login",
        "generate_token",
        "get_token",
        "verify_token",
        "onboard_user",
        "get_token_by_customer_id",
    ] {
        assert_eq!(kind(&format!("Client::{op}")), Some(Kind::Method), "{op}");
    }
    assert_eq!(
        kind("builder::GetTokenByCustomerId::send"),
        Some(Kind::Method)
    );
    assert_eq!(
        kind("types::builder::ApiTokenDetails::workspace_name"),
        Some(Kind::Method)
    );
    assert_eq!(
        kind("types::impl Clone for ApiTokenDetails"),
        Some(Kind::TraitImpl)
    );
}

#[test]
fn removed_response_field_is_breaking_and_named() {
    let d = diff(&current(), &field_removed());
    let field = d
        .changes
        .iter()
        .find(|c| c.key == "types::ApiTokenDetails.workspace_name")
        .unwrap_or_else(|| panic!("no change for the field: {:#?}", d.changes));
    assert_eq!(field.severity, Severity::Breaking);
    assert_eq!(field.kind, ChangeKind::Removed);
    assert_eq!(field.item, Kind::Field);
    assert_eq!(field.subject, "ApiTokenDetails");
    // The typed builder's setter goes with it.
    assert!(d
        .breaking()
        .any(|c| c.key == "types::builder::ApiTokenDetails::workspace_name"));
    assert_eq!(d.additive().count(), 0, "{:#?}", d.changes);

    let old = write("removed_old", &current());
    let new = write("removed_new", &field_removed());
    let (status, out, err) = run(&["--no-changelog", path_str(&old), path_str(&new)]);
    assert_eq!(status, 1, "{out}\n{err}");
    assert!(out.contains("BREAKING"), "{out}");
    assert!(
        out.contains("field removed: types::ApiTokenDetails.workspace_name"),
        "{out}"
    );
    assert!(out.contains("NOT acknowledged"), "{out}");
    assert!(err.contains("BREAKING: `ApiTokenDetails`"), "{err}");
}

#[test]
fn added_optional_request_field_is_breaking_for_struct_literals() {
    let d = diff(&current(), &optional_request_field_added());
    let field = d
        .changes
        .iter()
        .find(|c| c.key == "types::GetTokenByCustomerIdRequest.label")
        .unwrap_or_else(|| panic!("no change for the field: {:#?}", d.changes));
    assert_eq!(field.kind, ChangeKind::Added);
    assert_eq!(
        field.new.as_deref(),
        Some("::std::option::Option<::std::string::String>")
    );
    // Classified breaking: the generated struct has only pub fields and no
    // #[non_exhaustive], so `types::GetTokenByCustomerIdRequest { .. }`
    // literals (the unleashx wrapper writes one) stop compiling.
    assert_eq!(field.severity, Severity::Breaking);
    assert!(field
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("struct literals"));
    // Its builder setter is a plain addition.
    let setter = d
        .changes
        .iter()
        .find(|c| c.key == "types::builder::GetTokenByCustomerIdRequest::label")
        .expect("builder setter");
    assert_eq!(setter.severity, Severity::Additive);
    assert_eq!(d.breaking().count(), 1, "{:#?}", d.changes);
}

#[test]
fn added_operation_is_additive() {
    let d = diff(&current(), &operation_added());
    assert_eq!(d.breaking().count(), 0, "{:#?}", d.changes);
    let keys: Vec<&str> = d.additive().map(|c| c.key.as_str()).collect();
    assert!(keys.contains(&"Client::ping"), "{keys:?}");
    assert!(keys.contains(&"builder::Ping"), "{keys:?}");

    let old = write("op_old", &current());
    let new = write("op_new", &operation_added());
    let (status, out, _) = run(&["--no-changelog", path_str(&old), path_str(&new)]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("ADDITIVE"), "{out}");
}

#[test]
fn acknowledged_breaking_change_exits_ok() {
    let old = write("ack_old", &current());
    let new = write("ack_new", &field_removed());
    let fixtures = here().join("tests/spec_changes");
    let ack = fixtures.join("CHANGELOG.ack.md");

    let (status, out, err) = run(&[
        "--changelog",
        path_str(&ack),
        path_str(&old),
        path_str(&new),
    ]);
    assert_eq!(status, 0, "{out}\n{err}");
    assert!(out.contains("acknowledged by"), "{out}");
    assert!(out.contains("CHANGELOG.ack.md:7"), "{out}");

    // The default changelog is the one beside the new spec.
    std::fs::copy(&ack, new.with_file_name("CHANGELOG.md")).expect("copy changelog");
    let (status, out, _) = run(&[path_str(&old), path_str(&new)]);
    assert_eq!(status, 0, "{out}");
    std::fs::remove_file(new.with_file_name("CHANGELOG.md")).expect("remove changelog");

    // A BREAKING: line about something else, or in a released section, does not count.
    let other = fixtures.join("CHANGELOG.other.md");
    let (status, out, _) = run(&[
        "--changelog",
        path_str(&other),
        path_str(&old),
        path_str(&new),
    ]);
    assert_eq!(status, 1, "{out}");

    // --allow-breaking reports but passes.
    let (status, out, _) = run(&["--allow-breaking", path_str(&old), path_str(&new)]);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("acknowledged by --allow-breaking"), "{out}");
}

#[test]
fn usage_and_spec_errors_exit_2() {
    let ok = write("usage_ok", &current());
    assert_eq!(run(&[]).0, 2);
    assert_eq!(run(&[path_str(&ok)]).0, 2);
    assert_eq!(run(&["--bogus", path_str(&ok), path_str(&ok)]).0, 2);
    let (status, _, err) = run(&[path_str(&ok), "/nonexistent/openapi.yaml"]);
    assert_eq!(status, 2);
    assert!(err.contains("cannot read the spec"), "{err}");
    let broken = write(
        "usage_broken",
        "openapi: 3.1.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
    );
    let (status, _, err) = run(&[path_str(&ok), path_str(&broken)]);
    assert_eq!(status, 2);
    assert!(err.contains("3.1.0"), "{err}");
    assert_eq!(run(&["--help"]).0, 0);
}

#[test]
fn changelog_acknowledgements_come_from_unreleased_only() {
    let text = std::fs::read_to_string(here().join("tests/spec_changes/CHANGELOG.other.md"))
        .expect("fixture");
    let acks = api_diff::changelog_acknowledgements(&text);
    assert_eq!(acks.len(), 1, "{acks:?}");
    assert!(api_diff::mentions(&acks[0].1, "LoginResponse"));
    assert!(!api_diff::mentions(&acks[0].1, "Login"));
    assert!(!api_diff::mentions(&acks[0].1, "ApiTokenDetails"));
}
