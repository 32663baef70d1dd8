//! Runs cargo-semver-checks on two rustdoc JSON files and turns its report
//! into [`Change`]s with stable ids.
//!
//! It runs with `--release-type patch`, so every lint that finds something
//! fails, and `-v`, whose per-lint status lines give each lint's category:
//! `major` is breaking (a new 0.x minor version), `minor` only needs a new
//! patch version in 0.x.

use std::path::Path;
use std::process::Command;

use crate::{Change, Severity};

/// Compares `baseline` with `current` (rustdoc JSON of crate `krate`).
pub fn check(krate: &str, baseline: &Path, current: &Path) -> Result<Vec<Change>, String> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--color", "never", "-v"])
        .args(["--release-type", "patch"])
        .arg("--baseline-rustdoc")
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .output()
        .map_err(|e| {
            format!("cannot run cargo semver-checks: {e}\n  help: run `bash scripts/spec-diff.sh`, which installs it")
        })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let changes = parse(krate, &stdout, &stderr);
    if !output.status.success() && changes.is_empty() {
        return Err(format!(
            "cargo semver-checks failed on {krate} ({}) without a lint result:\n{stderr}",
            output.status
        ));
    }
    Ok(changes)
}

/// Reads cargo-semver-checks' text report (`--color never -v`).
pub fn parse(krate: &str, stdout: &str, stderr: &str) -> Vec<Change> {
    // "        FAIL [   0.003s]       major        enum_variant_added"
    let category = |lint: &str| -> Option<&str> {
        stderr.lines().find_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words.first() == Some(&"FAIL") && words.last() == Some(&lint))
                .then(|| words.iter().rev().nth(1).copied())
                .flatten()
        })
    };
    let mut out = Vec::new();
    let mut lint: Option<&str> = None;
    let mut in_failed = false;
    for line in stdout.lines() {
        if line.starts_with("--- ") {
            lint = line
                .strip_prefix("--- failure ")
                .and_then(|rest| rest.split(':').next());
            in_failed = false;
            continue;
        }
        if line.trim() == "Failed in:" {
            in_failed = true;
            continue;
        }
        let Some(l) = lint.filter(|_| in_failed) else {
            continue;
        };
        let Some(message) = line.strip_prefix("  ").map(str::trim) else {
            in_failed = false;
            continue;
        };
        if message.is_empty() {
            continue;
        }
        let (severity, breaks) = match category(l) {
            Some("minor") => (Severity::Additive, ""),
            _ => (Severity::Breaking, who_breaks(l)),
        };
        out.push(Change {
            id: format!(
                "{krate}: {l}: {}",
                without_location(message).trim_end_matches(", previously")
            ),
            severity,
            breaks: breaks.to_owned(),
        });
    }
    out
}

/// `variant OperationId:Ping in src/catalogue.rs:12` without ` in FILE:LINE`,
/// which moves with unrelated edits (and a removed item's `, previously`).
fn without_location(message: &str) -> &str {
    match message.rsplit_once(" in ") {
        Some((head, tail))
            if tail
                .rsplit_once(':')
                .is_some_and(|(_, n)| n.chars().all(|c| c.is_ascii_digit())) =>
        {
            head
        }
        _ => message,
    }
}

/// The users a lint's finding breaks.
pub fn who_breaks(lint: &str) -> &'static str {
    if lint.starts_with("enum_")
        && (lint.contains("variant_added") || lint.contains("non_exhaustive"))
    {
        "exhaustive matches on it"
    } else if lint.contains("struct")
        && (lint.contains("field_added")
            || lint.contains("non_exhaustive")
            || lint.contains("constructible"))
    {
        "struct literals and exhaustive patterns of it"
    } else if lint.starts_with("trait_") && (lint.contains("added") || lint.contains("sealed")) {
        "implementations of the trait"
    } else if lint.starts_with("trait_") {
        "implementations and callers of the trait"
    } else if lint.contains("method") || lint.contains("function") {
        "callers"
    } else {
        "code that names or uses it"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STDOUT: &str = "
--- failure enum_variant_added: enum variant added on exhaustive enum ---

Description:
A publicly-visible enum without #[non_exhaustive] has a new variant.
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#enum-variant-new
       impl: https://github.com/obi1kenobi/cargo-semver-checks/tree/v0.51.0/src/lints/enum_variant_added.ron

Failed in:
  variant OperationId:Ping in /tmp/x/out/catalogue.rs:40
  variant OperationId:Pong in /tmp/x/out/catalogue.rs:41

--- failure function_marked_deprecated: function #[deprecated] added ---

Description:
A function is now #[deprecated].
Failed in:
  function unleashx_api::f in src/lib.rs:3

--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---

Failed in:
  field email of struct ApiTokenDetails, previously in file /tmp/out/client.rs:120
";
    const STDERR: &str = "
        FAIL [   0.003s]       major        enum_variant_added
        PASS [   0.001s]       major        struct_missing
        FAIL [   0.001s]       minor        function_marked_deprecated
        FAIL [   0.001s]       major        struct_pub_field_missing
";

    #[test]
    fn each_failed_item_is_one_change_without_its_location() {
        let got = parse("unleashx-api", STDOUT, STDERR);
        let ids: Vec<_> = got.iter().map(|c| (c.id.as_str(), c.severity)).collect();
        assert_eq!(
            ids,
            [
                (
                    "unleashx-api: enum_variant_added: variant OperationId:Ping",
                    Severity::Breaking
                ),
                (
                    "unleashx-api: enum_variant_added: variant OperationId:Pong",
                    Severity::Breaking
                ),
                (
                    "unleashx-api: function_marked_deprecated: function unleashx_api::f",
                    Severity::Additive
                ),
                (
                    "unleashx-api: struct_pub_field_missing: field email of struct ApiTokenDetails",
                    Severity::Breaking
                ),
            ]
        );
        assert_eq!(got[0].breaks, "exhaustive matches on it");
    }
}
