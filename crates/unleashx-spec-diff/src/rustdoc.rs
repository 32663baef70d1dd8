//! The two source trees and their rustdoc JSON.
//!
//! The baseline tree is the commit that last changed `api-baseline/` (the
//! release commit `scripts/release.sh` makes), unpacked once under `target/spec-diff/` with `git archive`. Both
//! trees build into one target directory there, so dependencies build once;
//! after that a run rebuilds only what a spec edit touched.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the accepted baseline spec lives, relative to the repository root.
pub const BASELINE_SPEC: &str = "api-baseline/openapi.yaml";

/// The directory whose last change marks the baseline commit.
pub const BASELINE_DIR: &str = "api-baseline";

/// The commit whose tree is the baseline: the last one that changed
/// [`BASELINE_DIR`] (a release commit changes `api-baseline/RELEASE`).
pub fn baseline_commit(repo: &Path) -> Result<String, String> {
    let out = git(repo, &["log", "-1", "--format=%H", "--", BASELINE_DIR])?;
    let commit = out.trim().to_owned();
    if commit.is_empty() {
        let shallow = git(repo, &["rev-parse", "--is-shallow-repository"]).unwrap_or_default();
        let help = if shallow.trim() == "true" {
            "this clone is shallow: `git fetch --unshallow`"
        } else {
            "commit it (`bash scripts/spec-diff.sh --accept`, then `git commit`), or pass --baseline-rev REV"
        };
        return Err(format!(
            "no commit changes {BASELINE_DIR}/, so there is no baseline tree\n  help: {help}"
        ));
    }
    Ok(commit)
}

/// Resolves a git revision to a commit id.
pub fn resolve(repo: &Path, rev: &str) -> Result<String, String> {
    let commit = format!("{rev}^{{commit}}");
    git(repo, &["rev-parse", "--verify", "--quiet", &commit])
        .map(|s| s.trim().to_owned())
        .map_err(|_| format!("unknown git revision `{rev}`"))
}

fn git(repo: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The tree of `commit`, unpacked under `work` (once per commit).
pub fn unpack(repo: &Path, work: &Path, commit: &str) -> Result<PathBuf, String> {
    let dir = work.join("baseline-src").join(commit);
    if dir.join(".spec-diff-unpacked").is_file() {
        return Ok(dir);
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["archive", "--format=tar", commit])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git archive: {e}"))?;
    let stdout = archive.stdout.take().ok_or("git archive gave no output")?;
    // -m: extraction time as mtime, so nothing older is taken for fresh.
    let tar = Command::new("tar")
        .args(["-xm", "-C"])
        .arg(&dir)
        .stdin(stdout)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let git_status = archive
        .wait()
        .map_err(|e| format!("git archive failed: {e}"))?;
    if !git_status.success() || !tar.success() {
        return Err(format!(
            "cannot unpack commit {commit} into {}",
            dir.display()
        ));
    }
    let tag = format!("baseline.{}", &commit[..12.min(commit.len())]);
    tag_versions(&dir, &tag)?;
    fs::write(dir.join(".spec-diff-unpacked"), commit)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Gives every package of an unpacked tree `+TAG` build metadata. Cargo
/// hashes a path package by its path relative to the workspace root, so two
/// trees of one layout would share (and overwrite) each other's artifacts in
/// the shared target directory; a different version keeps them apart, and
/// build metadata leaves every version requirement satisfied.
fn tag_versions(tree: &Path, tag: &str) -> Result<(), String> {
    let mut manifests = vec![tree.join("Cargo.toml")];
    if let Ok(entries) = fs::read_dir(tree.join("crates")) {
        manifests.extend(entries.flatten().map(|e| e.path().join("Cargo.toml")));
    }
    for m in manifests.into_iter().filter(|m| m.is_file()) {
        let text = read(&m)?;
        let mut in_package = false;
        let mut done = false;
        let tagged: Vec<String> = text
            .lines()
            .map(|line| {
                if line.starts_with('[') {
                    in_package = line.trim() == "[package]";
                }
                match line.strip_prefix("version = \"") {
                    Some(rest) if in_package && !done => {
                        done = true;
                        format!("version = \"{}+{tag}\"", rest.trim_end_matches('"'))
                    }
                    _ => line.to_owned(),
                }
            })
            .collect();
        write(&m, &(tagged.join("\n") + "\n"))?;
    }
    Ok(())
}

pub(crate) fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

pub(crate) fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Before building the working tree `tree` into `target`: if another tree of
/// the same layout (a scratch clone) was built there last, its workspace
/// packages are cleaned, as their artifacts would pass for `tree`'s.
pub fn claim(tree: &Path, target: &Path, packages: &[&str]) -> Result<(), String> {
    let me = fs::canonicalize(tree)
        .map_err(|e| format!("cannot resolve {}: {e}", tree.display()))?
        .display()
        .to_string();
    let marker = target.join(".spec-diff-current-tree");
    let last = fs::read_to_string(&marker).unwrap_or_default();
    if !last.is_empty() && last != me {
        let status = Command::new("cargo")
            .args(["clean", "-q", "--manifest-path"])
            .arg(tree.join("Cargo.toml"))
            .args(packages.iter().flat_map(|p| ["-p", p]))
            .env("CARGO_TARGET_DIR", target)
            .status()
            .map_err(|e| format!("cannot run cargo clean: {e}"))?;
        if !status.success() {
            return Err(format!(
                "cargo clean in {} failed ({status})",
                target.display()
            ));
        }
    }
    fs::create_dir_all(target).map_err(|e| format!("cannot create {}: {e}", target.display()))?;
    write(&marker, &me)
}

/// Writes `text` to `path` unless it already holds it (an unchanged file
/// keeps its mtime, so the build script does not run again).
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    write(path, text)
}

/// Builds the rustdoc JSON of `package` (with all its features) in `tree`
/// into `target`, and copies it to `out`.
pub fn json(
    tree: &Path,
    target: &Path,
    package: &str,
    crate_name: &str,
    out: &Path,
) -> Result<(), String> {
    let status = Command::new("cargo")
        .args(["rustdoc", "-q", "--lib", "--all-features", "-p", package])
        .arg("--manifest-path")
        .arg(tree.join("Cargo.toml"))
        .args([
            "--",
            "-Zunstable-options",
            "--output-format",
            "json",
            "--cap-lints",
            "allow",
        ])
        // rustdoc JSON is unstable output; the stable toolchain emits it when
        // told it is bootstrapping. cargo-semver-checks does the same.
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| format!("cannot run cargo rustdoc: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo rustdoc -p {package} failed in {} ({status})",
            tree.display()
        ));
    }
    let built = target.join("doc").join(format!("{crate_name}.json"));
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::copy(&built, out).map_err(|e| format!("cannot copy {}: {e}", built.display()))?;
    Ok(())
}
