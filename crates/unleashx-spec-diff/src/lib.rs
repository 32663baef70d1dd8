//! Compares the public Rust API generated from two revisions of the spec, and
//! classifies each difference as breaking or additive. A maintainer tool
//! (`spec-diff`, run by `scripts/spec-diff.sh`), kept out of
//! `unleashx-codegen` so that consumers of `unleashx-api` never build it.
//!
//! Both revisions go through [`unleashx_codegen::generate_client`], so
//! the comparison is exactly the surface `unleashx-api` would expose; the
//! generated code is parsed with `syn` and reduced to a [`Surface`]: public
//! modules, structs and their public fields, enums and their variants,
//! inherent `pub fn`s (the `Client` operations and the builders' methods),
//! trait impls (written and derived), aliases, constants and re-exports.
//!
//! The rules follow Rust's semver conventions for a crate whose types are
//! built with struct literals:
//!
//! | change | class |
//! |---|---|
//! | any item, field, variant, method or trait impl removed | breaking |
//! | a field's type, a method's signature, a struct's generics changed | breaking |
//! | a `pub` field added to an existing struct with only `pub` fields (no `#[non_exhaustive]`) | breaking: struct literals and exhaustive patterns stop compiling |
//! | a variant added to an existing enum without `#[non_exhaustive]` | breaking: exhaustive `match`es stop compiling |
//! | a new type, operation, method or trait impl | additive |
//!
//! So a new optional request or response field is breaking (the generated
//! structs are plain, literal-constructible structs; the `unleashx` wrapper
//! itself builds `types::GetTokenByCustomerIdRequest { .. }` literally), while
//! a new operation or schema is additive.
//!
//! What this does not see, like `cargo-semver-checks`: behaviour inside
//! bodies (a `pattern` or `minLength` change moves a runtime check, a path or
//! status change moves the wire format).

#![deny(missing_docs)]

mod cli;
mod surface;

use std::fmt::{self, Write as _};

pub use cli::{run, USAGE};
pub use surface::{Entry, Kind, Surface};

use unleashx_codegen::{generate_client, Spec, SpecError};

/// Why a spec's surface could not be computed.
#[derive(Debug)]
pub enum SurfaceError {
    /// The spec cannot be read, checked or generated from.
    Spec(SpecError),
    /// The generated code does not parse (a generator bug).
    Unparsable {
        /// The spec's file name.
        file: String,
        /// syn's message.
        message: String,
    },
}

impl fmt::Display for SurfaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurfaceError::Spec(e) => e.fmt(f),
            SurfaceError::Unparsable { file, message } => write!(
                f,
                "{file}: the generated code does not parse: {message}\n  help: this is a generator bug; report it with the spec"
            ),
        }
    }
}

impl std::error::Error for SurfaceError {}

impl From<SpecError> for SurfaceError {
    fn from(e: SpecError) -> Self {
        SurfaceError::Spec(e)
    }
}

/// The public surface of the client generated from `spec`.
pub fn surface_of(spec: &Spec) -> Result<Surface, SurfaceError> {
    let code = generate_client(spec)?;
    Surface::from_source(&code).map_err(|e| SurfaceError::Unparsable {
        file: spec.file().to_owned(),
        message: e.to_string(),
    })
}

/// How much a change matters to users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code that compiled against the old API may not compile against the new.
    Breaking,
    /// Only adds to the API.
    Additive,
}

/// What happened to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Only in the new revision.
    Added,
    /// Only in the old revision.
    Removed,
    /// In both, with different signatures.
    Changed,
}

/// One difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Breaking or additive.
    pub severity: Severity,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// What kind of item.
    pub item: Kind,
    /// The entry's key, e.g. `types::ApiTokenDetails.workspace_name`.
    pub key: String,
    /// The old signature, unless added.
    pub old: Option<String>,
    /// The new signature, unless removed.
    pub new: Option<String>,
    /// The name a `BREAKING:` line in the changelog must mention to
    /// acknowledge it: the type, or the operation for `Client` methods.
    pub subject: String,
    /// Why it is classified so, when not obvious.
    pub reason: Option<String>,
}

/// Every difference between two surfaces, breaking ones first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// The changes.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// Compares `old` with `new`.
    pub fn between(old: &Surface, new: &Surface) -> Self {
        let mut changes = Vec::new();
        for (key, o) in old.entries() {
            match new.get(key) {
                None => {
                    // A removed type's members are implied by its removal.
                    if o.parent
                        .as_ref()
                        .is_some_and(|p| old.get(p).is_some() && new.get(p).is_none())
                    {
                        continue;
                    }
                    changes.push(Change {
                        severity: Severity::Breaking,
                        kind: ChangeKind::Removed,
                        item: o.kind,
                        key: key.clone(),
                        old: Some(o.signature.clone()),
                        new: None,
                        subject: o.subject.clone(),
                        reason: None,
                    });
                }
                Some(n) => {
                    // A changed signature, or a type that lost #[non_exhaustive].
                    let reason = if n.signature != o.signature || n.kind != o.kind {
                        None
                    } else if o.extensible && !n.extensible {
                        Some("lost #[non_exhaustive] (or its private fields): it became exhaustive")
                    } else {
                        continue;
                    };
                    changes.push(Change {
                        severity: Severity::Breaking,
                        kind: ChangeKind::Changed,
                        item: n.kind,
                        key: key.clone(),
                        old: Some(o.signature.clone()),
                        new: Some(n.signature.clone()),
                        subject: n.subject.clone(),
                        reason: reason.map(str::to_owned),
                    });
                }
            }
        }
        for (key, n) in new.entries() {
            if old.get(key).is_some() {
                continue;
            }
            let parent_old = n.parent.as_ref().and_then(|p| old.get(p));
            // A new type's members are implied by its addition.
            if n.parent.is_some() && parent_old.is_none() {
                continue;
            }
            let (severity, reason) = match (n.kind, parent_old) {
                (Kind::Field, Some(p)) if !p.extensible => (
                    Severity::Breaking,
                    Some(
                        "new pub field in an existing struct whose fields are all pub and which \
                         is not #[non_exhaustive]: struct literals and exhaustive patterns of it \
                         no longer compile"
                            .to_owned(),
                    ),
                ),
                (Kind::Variant, Some(p)) if !p.extensible => (
                    Severity::Breaking,
                    Some(
                        "new variant in an enum that is not #[non_exhaustive]: exhaustive \
                         matches no longer compile"
                            .to_owned(),
                    ),
                ),
                _ => (Severity::Additive, None),
            };
            changes.push(Change {
                severity,
                kind: ChangeKind::Added,
                item: n.kind,
                key: key.clone(),
                old: None,
                new: Some(n.signature.clone()),
                subject: n.subject.clone(),
                reason,
            });
        }
        changes.sort_by(|a, b| (a.severity, &a.key).cmp(&(b.severity, &b.key)));
        ApiDiff { changes }
    }

    /// Whether the two surfaces are identical.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The breaking changes.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
    }

    /// The additive changes.
    pub fn additive(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Additive)
    }

    /// A readable report, one line per change (two for a changed signature).
    pub fn report(&self, acknowledged: &dyn Fn(&Change) -> Option<String>) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No change to the generated public API.\n");
            return out;
        }
        let breaking: Vec<_> = self.breaking().collect();
        let additive: Vec<_> = self.additive().collect();
        let _ = writeln!(
            out,
            "{} breaking and {} additive change(s) to the generated public API (unleashx-api).",
            breaking.len(),
            additive.len()
        );
        if !breaking.is_empty() {
            out.push_str("\nBREAKING\n");
            for c in &breaking {
                line(&mut out, "-", c);
                if let Some(reason) = &c.reason {
                    let _ = writeln!(out, "      why: {reason}");
                }
                match acknowledged(c) {
                    Some(by) => {
                        let _ = writeln!(out, "      acknowledged by {by}");
                    }
                    None => {
                        let _ = writeln!(out, "      NOT acknowledged (subject `{}`)", c.subject);
                    }
                }
            }
        }
        if !additive.is_empty() {
            out.push_str("\nADDITIVE\n");
            for c in &additive {
                line(&mut out, "+", c);
            }
        }
        out
    }
}

fn line(out: &mut String, mark: &str, c: &Change) {
    let what = match c.kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    };
    let _ = write!(out, "  {mark} {} {what}: {}", c.item.name(), c.key);
    match (&c.old, &c.new, c.kind) {
        (Some(o), Some(n), ChangeKind::Changed) => {
            let _ = write!(out, "\n      was: {o}\n      now: {n}");
        }
        (Some(o), _, ChangeKind::Removed) if !o.is_empty() => {
            let _ = write!(out, "  (was `{o}`)");
        }
        (_, Some(n), ChangeKind::Added) if !n.is_empty() && c.item == Kind::Field => {
            let _ = write!(out, ": {n}");
        }
        _ => {}
    }
    out.push('\n');
}

/// The acknowledgements in a Keep a Changelog file: the lines containing
/// `BREAKING:` in the `## [Unreleased]` (or `## Unreleased`) section, with
/// their 1-based line numbers.
pub fn changelog_acknowledgements(changelog: &str) -> Vec<(usize, String)> {
    let mut in_unreleased = false;
    let mut found = Vec::new();
    for (i, line) in changelog.lines().enumerate() {
        let trimmed = line.trim();
        if let Some(heading) = trimmed.strip_prefix("## ") {
            in_unreleased = heading
                .trim()
                .trim_start_matches('[')
                .to_ascii_lowercase()
                .starts_with("unreleased");
            continue;
        }
        if in_unreleased && trimmed.contains("BREAKING:") {
            found.push((i + 1, trimmed.to_owned()));
        }
    }
    found
}

/// Whether `line` names `subject` as a whole word (identifier characters
/// around it do not count: `ApiTokenDetails` is not named by `ApiToken`).
pub fn mentions(line: &str, subject: &str) -> bool {
    if subject.is_empty() {
        return false;
    }
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    line.match_indices(subject).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + subject.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}
