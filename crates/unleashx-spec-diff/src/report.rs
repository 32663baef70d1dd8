//! Verdicts and the readable report.

use std::fmt::Write as _;

use crate::spec::SpecChange;
use crate::{Change, Severity};

/// What a crate's changes require of its next version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At least one breaking change: a new 0.x minor version.
    Breaking,
    /// Only additions: a new patch version.
    Additive,
    /// No change to the public API.
    Unchanged,
}

impl Verdict {
    /// Of one crate's changes.
    pub fn of(changes: &[Change]) -> Self {
        if changes.iter().any(|c| c.severity == Severity::Breaking) {
            Verdict::Breaking
        } else if changes.is_empty() {
            Verdict::Unchanged
        } else {
            Verdict::Additive
        }
    }

    /// `breaking`, `additive` or `unchanged` (the `--verdicts` file's words).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Breaking => "breaking",
            Verdict::Additive => "additive",
            Verdict::Unchanged => "unchanged",
        }
    }
}

/// One crate's changes.
#[derive(Debug, Clone)]
pub struct CrateChanges {
    /// Package name.
    pub krate: String,
    /// Its changes, breaking first.
    pub changes: Vec<Change>,
}

/// Writes the per-crate report. `acknowledged` names where a breaking
/// change is acknowledged (changelog line, or `--allow-breaking`).
pub fn render(
    crates: &[CrateChanges],
    spec: &[SpecChange],
    acknowledged: &dyn Fn(&Change) -> Option<String>,
) -> String {
    let mut out = String::new();
    for c in crates {
        let verdict = Verdict::of(&c.changes);
        let _ = writeln!(out, "\n== {}: {}", c.krate, verdict.as_str().to_uppercase());
        for ch in &c.changes {
            match ch.severity {
                Severity::Breaking => {
                    let by = acknowledged(ch).map_or("NOT acknowledged".to_owned(), |by| {
                        format!("acknowledged by {by}")
                    });
                    let _ = writeln!(
                        out,
                        "  - BREAKING `{}`\n      breaks: {}\n      {by}",
                        ch.id, ch.breaks
                    );
                }
                Severity::Additive => {
                    let _ = writeln!(out, "  + additive `{}`", ch.id);
                }
            }
        }
    }
    if spec.is_empty() {
        out.push_str("\n== openapi.yaml: same as the baseline spec\n");
    } else {
        let catalogue = spec.iter().filter(|s| s.is_catalogue()).count();
        let _ = writeln!(
            out,
            "\n== openapi.yaml: {} difference(s) from the baseline spec ({catalogue} in the catalogue, x-unleashx-*); \
             behaviour the API checks above cannot see (statuses, codes, patterns, paths):",
            spec.len()
        );
        const SHOWN: usize = 40;
        for s in spec.iter().take(SHOWN) {
            let _ = writeln!(out, "  {} {}", s.kind, s.pointer);
        }
        if spec.len() > SHOWN {
            let _ = writeln!(out, "  ... and {} more", spec.len() - SHOWN);
        }
    }
    out
}
