//! The guard as a maintainer runs it: one spec change at a time on a scratch
//! clone of this repository's HEAD, judged per crate, with the exit code; and
//! `scripts/release.sh` on an acknowledged breaking change.
//!
//! `#[ignore]`d: each run builds rustdoc JSON of the three crates and needs
//! cargo-semver-checks, which `scripts/spec-diff.sh` installs; `bash
//! scripts/test.sh` runs the guard first, then these. They share the guard's
//! build directory (`target/spec-diff`), so only what a change touches is
//! rebuilt. The clone is of HEAD: commit before running them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

use unleashx_spec_diff::shape::{CrateDoc, Shape};

/// One scratch clone, so one scenario at a time.
static CLONE: Mutex<()> = Mutex::new(());

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

/// The guard's build directory, shared with `scripts/spec-diff.sh`.
fn work() -> PathBuf {
    target_tmp()
        .parent()
        .map(|t| t.join("spec-diff"))
        .unwrap_or_else(|| target_tmp().join("spec-diff"))
}

fn run(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("SPEC_DIFF_WORK_DIR", work())
        .env("SPEC_DIFF_BIN", env!("CARGO_BIN_EXE_spec-diff"))
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"))
}

fn git(dir: &Path, args: &[&str]) {
    let mut all = vec!["-c", "user.name=test", "-c", "user.email=test@invalid"];
    all.extend_from_slice(args);
    let out = run(dir, "git", &all);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The clone at HEAD, with no local change.
fn clone(name: &str) -> PathBuf {
    let dir = target_tmp().join("guard").join(name);
    if !dir.join(".git").is_dir() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("clear the scratch dir");
        }
        std::fs::create_dir_all(dir.parent().expect("parent")).expect("mkdir");
        let out = Command::new("git")
            .args(["clone", "-q", "--no-hardlinks"])
            .arg(repo())
            .arg(&dir)
            .output()
            .expect("git clone");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let head = String::from_utf8(
        Command::new("git")
            .arg("-C")
            .arg(repo())
            .args(["rev-parse", "HEAD"])
            .output()
            .expect("git rev-parse")
            .stdout,
    )
    .expect("utf-8");
    // A kept clone fetches from this checkout, wherever it now is.
    let origin = repo().to_string_lossy().into_owned();
    git(&dir, &["remote", "set-url", "origin", &origin]);
    git(&dir, &["fetch", "-q", "origin"]);
    git(&dir, &["reset", "-q", "--hard", head.trim()]);
    git(&dir, &["clean", "-q", "-fdx", "-e", "target"]);
    dir
}

/// Replaces `from` (which must occur) with `to` in `file`.
fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} no longer contains {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Adds `line` under `## [Unreleased]` in the clone's CHANGELOG.md.
fn acknowledge(dir: &Path, line: &str) {
    edit(
        dir,
        "CHANGELOG.md",
        "## [Unreleased]\n",
        &format!("## [Unreleased]\n\n{line}\n"),
    );
}

struct Judged {
    code: i32,
    verdicts: BTreeMap<String, String>,
    report: String,
}

/// The guard against the clone's HEAD (`--baseline-rev HEAD`): what the one change
/// on top of it does, whatever the repository changed since its last release.
fn judge(dir: &Path) -> Judged {
    guard_with(dir, &["--baseline-rev", "HEAD"])
}

/// The guard as CI runs it, against the last release.
fn guard(dir: &Path) -> Judged {
    guard_with(dir, &[])
}

fn guard_with(dir: &Path, extra: &[&str]) -> Judged {
    // Beside the clone: release.sh wants a clean tree.
    let verdicts = dir.with_extension("verdicts.txt");
    let mut args = vec![
        "scripts/spec-diff.sh",
        "--verdicts",
        verdicts.to_str().expect("utf-8 path"),
    ];
    args.extend_from_slice(extra);
    let out = run(dir, "bash", &args);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts = std::fs::read_to_string(&verdicts)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(c, v)| (c.to_owned(), v.to_owned()))
        .collect();
    let judged = Judged {
        code: out.status.code().unwrap_or(-1),
        verdicts,
        report,
    };
    // The verdicts of every run, for `-- --ignored --nocapture`.
    eprintln!(
        "{} {extra:?}: exit {}, verdicts {:?}",
        std::thread::current().name().unwrap_or("guard"),
        judged.code,
        judged.verdicts
    );
    judged
}

impl Judged {
    fn expect(&self, code: i32, verdicts: [&str; 3]) {
        let got: Vec<&str> = ["unleashx-api", "unleashx", "unleashx-mock"]
            .iter()
            .map(|c| self.verdicts.get(*c).map(String::as_str).unwrap_or("none"))
            .collect();
        assert_eq!(
            (self.code, got.as_slice()),
            (code, verdicts.as_slice()),
            "exit code and verdicts (api, unleashx, mock); report:\n{}",
            self.report
        );
    }

    /// Each of `crates` is judged breaking, or no longer builds.
    fn breaks(&self, crates: &[&str]) {
        for c in crates {
            let v = self.verdicts.get(*c).map(String::as_str);
            assert!(
                matches!(v, Some("breaking" | "unbuildable")),
                "{c}: {v:?}\n{}",
                self.report
            );
        }
    }

    fn has(&self, text: &str) {
        assert!(
            self.report.contains(text),
            "the report lacks {text:?}:\n{}",
            self.report
        );
    }
}

/// Whether the current `OperationId` is `#[non_exhaustive]`, read from the
/// rustdoc JSON the guard just built (the guard must judge what the code says).
fn operation_id_is_non_exhaustive() -> bool {
    let json = std::fs::read_to_string(work().join("json/current/unleashx_api.json"))
        .expect("the guard wrote unleashx-api's JSON");
    let doc = CrateDoc::parse(&json).expect("rustdoc JSON");
    match doc
        .visible(&[])
        .get("catalogue::OperationId")
        .map(|v| &v.shape)
    {
        Some(Shape::Enum { non_exhaustive, .. }) => *non_exhaustive,
        other => panic!("catalogue::OperationId is not an enum: {other:?}"),
    }
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn catalogue_only_change_is_reported_and_passes() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "hint: log in again with a new OTP to get a fresh login token",
        "hint: log in again to get a fresh login token",
    );
    let j = judge(&dir);
    j.expect(0, ["unchanged", "unchanged", "unchanged"]);
    j.has("changed /x-unleashx-error-codes/INVALID_LOGIN_TOKEN/hint");
}

/// The `- BREAKING: ...` lines a failing run prints for pasting.
fn lines_to_paste(j: &Judged) -> Vec<String> {
    j.report
        .lines()
        .filter(|l| l.starts_with("- BREAKING: `"))
        .map(str::to_owned)
        .collect()
}

/// `ApiTokenDetails.workspace_name` as the spec declares it.
const WORKSPACE_NAME: &str = "        workspace_name:\n          type: string\n          description: The name of the account's workspace.\n          example: My Workspace\n";

const REMOVE_SESSION_EXPIRED: [(&str, &str); 2] = [
    (
        "  SESSIONEXPIRED:\n    description: The login session expired (listed for generate-token).\n    documented: true\n    hint: log in again with a new OTP\n    rust-name: SessionExpired\n",
        "",
    ),
    (
        "x-unleashx-error-codes: [INVALID_LOGIN_TOKEN, SESSIONEXPIRED]",
        "x-unleashx-error-codes: [INVALID_LOGIN_TOKEN]",
    ),
];

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn required_request_field_breaks_struct_literals() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "      required: [email_id, first_name, last_name, company_name]\n      properties:\n",
        "      required: [email_id, first_name, last_name, company_name, phone]\n      properties:\n        phone:\n          type: string\n",
    );
    let j = judge(&dir);
    // unleashx re-exports the generated `types`: its users' struct literals
    // break too. (The wrapper's own literal no longer compiles either, which
    // rustdoc does not check; cargo check and the tests do.)
    j.expect(1, ["breaking", "breaking", "unchanged"]);
    j.has("unleashx: types::OnboardUserRequest.phone added");
    j.has("BREAKING `unleashx-api: constructible_struct_adds_field: field OnboardUserRequest.phone`\n      breaks: struct literals and exhaustive patterns of it");
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn field_made_optional_then_retyped_each_need_their_own_acknowledgement() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "      required: [token, email, workspace_name]\n",
        "      required: [token, email]\n",
    );
    let j = judge(&dir);
    // The wrapper returns the generated type and re-exports `types`: its
    // users see the field change too.
    j.expect(1, ["breaking", "breaking", "unchanged"]);
    j.has("unleashx: types::ApiTokenDetails.workspace_name");
    let id = "unleashx-api: types::ApiTokenDetails.workspace_name: type String -> Option<String>";
    j.has(id);
    acknowledge(
        &dir,
        "- BREAKING: `ApiTokenDetails`: the type alone names no change",
    );
    acknowledge(&dir, &format!("- BREAKING: `{id}`: may be absent"));
    let j = judge(&dir);
    j.has(&format!("BREAKING `{id}`\n      breaks: code that reads the field or sets it in a struct literal\n      acknowledged by"));
    j.has("names no change id");
    // A newer change to the same field is not hidden by the older line.
    edit(
        &dir,
        "openapi.yaml",
        "        workspace_name:\n          type: string\n",
        "        workspace_name:\n          type: integer\n",
    );
    let j = judge(&dir);
    j.expect(1, ["breaking", "breaking", "unchanged"]);
    j.has("BREAKING `unleashx-api: types::ApiTokenDetails.workspace_name: type String -> Option<i64>`\n      breaks: code that reads the field or sets it in a struct literal\n      NOT acknowledged");
    j.has("accepts nothing");
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn error_code_added_is_additive_and_removed_breaks_every_crate_until_acknowledged() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "x-unleashx-error-codes:\n",
        "x-unleashx-error-codes:\n  RATE_LIMITED:\n    description: Too many requests.\n    documented: false\n    hint: wait and retry\n",
    );
    edit(
        &dir,
        "openapi.yaml",
        "x-unleashx-error-codes: [INVALID_LOGIN_TOKEN, SESSIONEXPIRED]",
        "x-unleashx-error-codes: [INVALID_LOGIN_TOKEN, SESSIONEXPIRED, RATE_LIMITED]",
    );
    let j = judge(&dir);
    j.expect(0, ["additive", "additive", "additive"]);
    j.has("unleashx-api: catalogue::ErrorCode::RateLimited added");
    j.has("unleashx: ErrorCode::RateLimited added");

    let dir = clone("scenarios");
    for (from, to) in REMOVE_SESSION_EXPIRED {
        edit(&dir, "openapi.yaml", from, to);
    }
    let j = judge(&dir);
    j.expect(1, ["breaking", "breaking", "breaking"]);
    j.has("unleashx: ErrorCode::SessionExpired removed");
    j.has("unleashx-mock: ErrorCode::SessionExpired removed");
    j.has("code that builds or matches the variant");
    let lines = lines_to_paste(&j);
    assert!(lines.len() >= 3, "{}", j.report);
    for line in &lines {
        acknowledge(&dir, line);
    }
    let j = judge(&dir);
    j.expect(0, ["breaking", "breaking", "breaking"]);
    j.has("Every breaking change is acknowledged.");
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn operation_added_is_additive_for_operation_id_but_breaks_the_generated_traits() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "  /api/v1/global/verify:\n",
        "  /api/v1/global/ping:\n    get:\n      operationId: ping\n      x-unleashx-retry: safe\n      tags: [token]\n      summary: Ping\n      responses:\n        '200':\n          description: Alive.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/VerifyResponse'\n  /api/v1/global/verify:\n",
    );
    let j = judge(&dir);
    if operation_id_is_non_exhaustive() {
        // The new variant itself is additive: no tool's `match` breaks.
        j.has("additive `unleashx-api: catalogue::OperationId::Ping added`");
    } else {
        j.has("exhaustive matches");
    }
    // What still breaks, for tools that implement the generated traits.
    j.has("trait_method_added: trait method unleashx_api::catalogue::EachOperation::ping");
    j.has("trait_method_added: trait method unleashx_api::mock::MockServerExt::ping");
    assert_eq!(
        j.verdicts.get("unleashx-api").map(String::as_str),
        Some("breaking"),
        "{}",
        j.report
    );
    // The wrapper and the simulator implement EachOperation: they do not
    // build until the operation is wrapped and handled.
    j.has("DOES NOT BUILD");
    assert_eq!(j.code, 1, "{}", j.report);
    j.has("Ping");
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn operation_renamed_breaks_callers() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "operationId: verify_token",
        "operationId: check_token",
    );
    let j = judge(&dir);
    assert_eq!(j.code, 1, "{}", j.report);
    assert_eq!(
        j.verdicts.get("unleashx-api").map(String::as_str),
        Some("breaking"),
        "{}",
        j.report
    );
    j.breaks(&["unleashx", "unleashx-mock"]);
    j.has("verify_token");
}

#[test]
#[ignore = "builds the crates and runs scripts/release.sh; needs cargo-semver-checks (scripts/test.sh)"]
fn release_after_an_acknowledged_breaking_change() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    for (from, to) in REMOVE_SESSION_EXPIRED {
        edit(&dir, "openapi.yaml", from, to);
    }
    let j = guard(&dir);
    for line in lines_to_paste(&j) {
        acknowledge(&dir, &line);
    }
    git(
        &dir,
        &[
            "commit",
            "-q",
            "-am",
            "a breaking spec change, acknowledged",
        ],
    );
    let out = Command::new("bash")
        .args(["scripts/release.sh", "--date", "2026-12-01"])
        .current_dir(&dir)
        .env("SPEC_DIFF_WORK_DIR", work())
        .env("SPEC_DIFF_BIN", env!("CARGO_BIN_EXE_spec-diff"))
        // Packaging with verification is CI's own step; here, only its checks.
        .env("RELEASE_PACKAGE_FLAGS", "--no-verify")
        .output()
        .expect("run release.sh");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "release.sh failed:\n{log}");
    let version = |manifest: &str| {
        let text = std::fs::read_to_string(dir.join(manifest)).expect("manifest");
        text.lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .map(|v| v.trim_end_matches('"').to_owned())
            .expect("a version")
    };
    assert_eq!(
        [
            version("Cargo.toml"),
            version("crates/unleashx/Cargo.toml"),
            version("crates/unleashx-mock/Cargo.toml"),
            version("crates/unleashx-codegen/Cargo.toml"),
        ],
        ["0.2.0", "0.2.0", "0.2.0", "0.1.1"],
        "{log}"
    );
    let manifest = std::fs::read_to_string(dir.join("crates/unleashx/Cargo.toml")).expect("read");
    assert!(manifest.contains("unleashx-api = { path = \"../..\", version = \"0.2.0\""));
    let root = std::fs::read_to_string(dir.join("Cargo.toml")).expect("read");
    assert!(
        root.contains("version = \"=0.1.1\""),
        "the generator stays pinned"
    );
    let baseline = std::fs::read_to_string(dir.join("api-baseline/openapi.yaml")).expect("read");
    let spec = std::fs::read_to_string(dir.join("openapi.yaml")).expect("read");
    assert!(
        baseline.ends_with(&spec),
        "the baseline spec is the released spec"
    );
    let changelog = std::fs::read_to_string(dir.join("CHANGELOG.md")).expect("read");
    let unreleased = changelog.find("## [Unreleased]").expect("Unreleased");
    let released = changelog
        .find("## [0.2.0] - 2026-12-01")
        .expect("the release heading");
    let ack = changelog.find("SessionExpired").expect("the ack");
    assert!(unreleased < released && released < ack, "{changelog}");
    // After the release the guard is green: nothing changed since the baseline.
    let j = guard(&dir);
    j.expect(0, ["unchanged", "unchanged", "unchanged"]);
}

/// A status is no type: the catalogue's tables change, and the httpmock
/// `Then` builder gains or loses the status's method. So an added status
/// passes, and a removed one breaks `unleashx-api`'s mock stubs.
#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn error_status_added_passes_and_removed_breaks_the_mock_stubs() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "        '401':\n          $ref: '#/components/responses/InvalidApiToken'\n  /api/v1/global/users/onboard:\n",
        "        '401':\n          $ref: '#/components/responses/InvalidApiToken'\n        '413':\n          $ref: '#/components/responses/PayloadTooLarge'\n  /api/v1/global/users/onboard:\n",
    );
    let j = judge(&dir);
    j.expect(0, ["unchanged", "unchanged", "unchanged"]);
    j.has("added /paths/~1api~1v1~1global~1verify/post/responses/413");

    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "        '413':\n          $ref: '#/components/responses/PayloadTooLarge'\n        '415':\n          $ref: '#/components/responses/UnsupportedMediaType'\n  /api/v1/global/generate-token:\n",
        "        '413':\n          $ref: '#/components/responses/PayloadTooLarge'\n  /api/v1/global/generate-token:\n",
    );
    let j = judge(&dir);
    j.expect(1, ["breaking", "unchanged", "unchanged"]);
    j.has("removed /paths/~1api~1login/post/responses/415");
    j.has("BREAKING `unleashx-api: inherent_method_missing: LoginThen::unsupported_media_type`");
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn response_field_removed_breaks_readers() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        "      required: [token, email, workspace_name]\n",
        "      required: [token, email]\n",
    );
    edit(&dir, "openapi.yaml", WORKSPACE_NAME, "");
    let j = judge(&dir);
    assert_eq!(j.code, 1, "{}", j.report);
    j.has("workspace_name");
    j.breaks(&["unleashx-api", "unleashx"]);
}

#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn operation_removed_breaks_every_crate() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    let spec = std::fs::read_to_string(dir.join("openapi.yaml")).expect("read");
    let start = spec.find("  /api/v1/global/verify:\n").expect("verify");
    let end = spec
        .find("  /api/v1/global/users/onboard:\n")
        .expect("onboard");
    let verify = spec[start..end].to_owned();
    edit(&dir, "openapi.yaml", &verify, "");
    let j = judge(&dir);
    assert_eq!(j.code, 1, "{}", j.report);
    j.has("VerifyToken");
    j.breaks(&["unleashx-api", "unleashx", "unleashx-mock"]);
}

/// An optional response field: code that reads the type is fine, but the
/// generated structs are built with struct literals too (a tool's tests,
/// its own stubs), and those break.
#[test]
#[ignore = "builds the crates; needs cargo-semver-checks (scripts/test.sh)"]
fn optional_response_field_added_breaks_struct_literals_only() {
    let _one = CLONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = clone("scenarios");
    edit(
        &dir,
        "openapi.yaml",
        WORKSPACE_NAME,
        &format!("{WORKSPACE_NAME}        created_at:\n          type: string\n          description: When the token was minted.\n"),
    );
    let j = judge(&dir);
    j.expect(1, ["breaking", "breaking", "unchanged"]);
    j.has("ApiTokenDetails.created_at");
    j.has("struct literals");
}
