//! The spec-diff step of `scripts/test.sh` as CI sees it: a fresh repository
//! whose last commit makes a breaking spec change. Comparing with the
//! committed baseline (not with HEAD, which is the tree itself) must fail
//! until CHANGELOG.md acknowledges the change.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scratch repository with the files the spec-diff step reads, committed.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("baseline")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear scratch dir");
    }
    for file in [
        "openapi.yaml",
        "CHANGELOG.md",
        "api-baseline/openapi.yaml",
        "scripts/spec-diff.sh",
    ] {
        let to = dir.join(file);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(repo().join(file), &to).unwrap_or_else(|e| panic!("copy {file}: {e}"));
    }
    git(&dir, &["init", "-q"]);
    commit(&dir, "the accepted state");
    dir
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", message]);
}

/// Runs `bash scripts/spec-diff.sh ARGS` there: (status, stdout + stderr).
fn spec_diff(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new("bash")
        .arg("scripts/spec-diff.sh")
        .args(args)
        .env("SPEC_DIFF_BIN", env!("CARGO_BIN_EXE_spec-diff"))
        .current_dir(dir)
        .output()
        .expect("bash runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert_eq!(text.matches(from).count(), 1, "anchor {from:?} in {path:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// `workspace_name` dropped from `ApiTokenDetails`: a breaking change.
fn break_the_spec(dir: &Path) {
    edit(
        &dir.join("openapi.yaml"),
        "      required: [token, email, workspace_name]\n",
        "      required: [token, email]\n",
    );
    edit(
        &dir.join("openapi.yaml"),
        "        workspace_name:\n          type: string\n          description: The name of the account's workspace.\n          example: My Workspace\n",
        "",
    );
}

const ACK: &str =
    "## [Unreleased]\n\n- BREAKING: `ApiTokenDetails`: `workspace_name` removed; get-token no longer returns it.\n";

#[test]
fn committed_breaking_change_fails_until_acknowledged() {
    let dir = scratch("ci");
    let (status, out) = spec_diff(&dir, &[]);
    assert_eq!(status, 0, "the accepted state passes:\n{out}");

    break_the_spec(&dir);
    commit(&dir, "drop workspace_name");
    let (status, out) = spec_diff(&dir, &[]);
    assert_eq!(status, 1, "a committed breaking change must fail:\n{out}");
    assert!(
        out.contains("api-baseline/openapi.yaml (accepted baseline)"),
        "{out}"
    );
    assert!(out.contains("BREAKING: `ApiTokenDetails`"), "{out}");

    // The baseline cannot be moved past an unacknowledged change.
    let baseline = std::fs::read_to_string(dir.join("api-baseline/openapi.yaml")).expect("read");
    let (status, out) = spec_diff(&dir, &["--accept"]);
    assert_eq!(status, 1, "{out}");
    let (status, out) = spec_diff(&dir, &["--accept", "--allow-breaking"]);
    assert_eq!(status, 2, "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("api-baseline/openapi.yaml")).expect("read"),
        baseline
    );

    edit(&dir.join("CHANGELOG.md"), "## [Unreleased]\n", ACK);
    commit(&dir, "acknowledge");
    let (status, out) = spec_diff(&dir, &[]);
    assert_eq!(status, 0, "an acknowledged change passes:\n{out}");
    assert!(out.contains("acknowledged by CHANGELOG.md:"), "{out}");

    // Accepting it (at release) makes it the baseline: no change remains.
    let (status, out) = spec_diff(&dir, &["--accept"]);
    assert_eq!(status, 0, "{out}");
    let accepted = std::fs::read_to_string(dir.join("api-baseline/openapi.yaml")).expect("read");
    assert!(accepted.ends_with(&std::fs::read_to_string(dir.join("openapi.yaml")).expect("read")));
    // Releasing moves the BREAKING: line out of [Unreleased]; nothing is left to acknowledge.
    edit(&dir.join("CHANGELOG.md"), ACK, "## [Unreleased]\n\n## [0.2.0]\n\n- BREAKING: `ApiTokenDetails`: `workspace_name` removed.\n");
    commit(&dir, "release");
    let (status, out) = spec_diff(&dir, &[]);
    assert_eq!(status, 0, "{out}");
    assert!(
        out.contains("No change to the generated public API."),
        "{out}"
    );
}

#[test]
fn repository_baseline_is_a_loadable_spec() {
    let spec = unleashx_codegen::Spec::load(&repo().join("api-baseline/openapi.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    unleashx_spec_diff::surface_of(&spec).unwrap_or_else(|e| panic!("{e}"));
}
