//! The `spec-diff` command.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;

use crate::acks;
use crate::report::{self, CrateChanges, Verdict};
use crate::rustdoc::{self, read, write, BASELINE_SPEC};
use crate::semver_checks;
use crate::shape::{self, CrateDoc};
use crate::spec;
use crate::{Change, Severity, CRATES};

/// What every published crate's public API lost or gained since the last
/// release, and whether each breaking change is acknowledged.
///
/// Baseline: the tree of the commit that last changed
/// api-baseline/ (the last release), with api-baseline/openapi.yaml as its
/// spec. Current: the working tree.
/// Each side's rustdoc JSON goes through cargo-semver-checks and through
/// spec-diff's own check of field types and re-exported structs and enums.
///
/// Acknowledge an intended breaking change with a line under
/// `## [Unreleased]` in the changelog that contains `BREAKING:` and quotes the
/// change's id in backticks, as the report prints it.
///
/// Exit status: 0 no unacknowledged breaking change, 1 an unacknowledged
/// breaking change or a published crate that no longer builds, 2 usage error
/// or a baseline that does not build.
#[derive(Debug, Parser)]
#[command(name = "spec-diff", version)]
pub struct Args {
    /// The repository (its root).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,

    /// Compare with this git revision's tree and openapi.yaml instead of the
    /// accepted baseline.
    #[arg(long, value_name = "REV", conflicts_with = "accept")]
    pub baseline_rev: Option<String>,

    /// The changelog whose `## [Unreleased]` section acknowledges breaking
    /// changes [default: CHANGELOG.md in the repository].
    #[arg(long, value_name = "PATH")]
    pub changelog: Option<PathBuf>,

    /// Read no changelog: every breaking change counts as unacknowledged.
    #[arg(long, conflicts_with = "changelog")]
    pub no_changelog: bool,

    /// Report breaking changes but exit 0 (a one-off local run).
    #[arg(long, conflicts_with = "accept")]
    pub allow_breaking: bool,

    /// Write each crate's verdict (`unleashx-api breaking`, `additive` or
    /// `unchanged`) to this file, one per line.
    #[arg(long, value_name = "FILE")]
    pub verdicts: Option<PathBuf>,

    /// After a run with no unacknowledged breaking change, make the working
    /// tree's openapi.yaml the baseline spec (commit it: that commit becomes
    /// the baseline tree).
    #[arg(long, conflicts_with = "no_changelog")]
    pub accept: bool,

    /// Where the baseline tree, the builds and the JSON go
    /// [default: target/spec-diff in the repository].
    #[arg(long, value_name = "DIR", env = "SPEC_DIFF_WORK_DIR")]
    pub work_dir: Option<PathBuf>,
}

struct Side {
    tree: PathBuf,
    label: String,
    spec: String,
}

/// Runs `spec-diff` with `args` (the program name first), writing the report
/// to `out` and problems to `err`; returns the exit status.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            // --help and --version: on `out`, status 0.
            let to: &mut dyn Write = if e.use_stderr() { err } else { out };
            let _ = write!(to, "{}", e.render());
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match guard(&args, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "spec-diff: {e}");
            2
        }
    }
}

/// Where a side's rustdoc JSON of a crate is kept.
fn json_path(work: &Path, side: &str, crate_name: &str) -> PathBuf {
    work.join("json")
        .join(side)
        .join(format!("{crate_name}.json"))
}

fn guard(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, String> {
    let repo = args.repo.clone();
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| repo.join("target").join("spec-diff"));
    let baseline = match &args.baseline_rev {
        Some(rev) => {
            let commit = rustdoc::resolve(&repo, rev)?;
            let tree = rustdoc::unpack(&repo, &work, &commit)?;
            let spec = read(&tree.join("openapi.yaml"))?;
            Side {
                tree,
                label: format!("{rev} ({})", &commit[..12.min(commit.len())]),
                spec,
            }
        }
        None => {
            let spec = read(&repo.join(BASELINE_SPEC)).map_err(|e| {
                format!("{e}\n  help: restore it from git (git checkout -- {BASELINE_SPEC})")
            })?;
            let commit = rustdoc::baseline_commit(&repo)?;
            let tree = rustdoc::unpack(&repo, &work, &commit)?;
            rustdoc::write_if_changed(&tree.join("openapi.yaml"), &spec)?;
            Side {
                tree,
                label: format!(
                    "{BASELINE_SPEC} on the tree of {} (the last release)",
                    &commit[..12]
                ),
                spec,
            }
        }
    };
    let current = Side {
        tree: repo.clone(),
        label: "the working tree".to_owned(),
        spec: read(&repo.join("openapi.yaml"))?,
    };

    let old_spec = spec::load(&baseline.spec).map_err(|e| format!("baseline spec: {e}"))?;
    let new_spec = spec::load(&current.spec).map_err(|e| format!("openapi.yaml: {e}"))?;
    let spec_changes = spec::diff(&old_spec, &new_spec);

    let target = work.join("target");
    let mut packages: Vec<&str> = CRATES.iter().map(|(p, _)| *p).collect();
    packages.push("unleashx-codegen");
    rustdoc::claim(&current.tree, &target, &packages)?;
    let mut docs: BTreeMap<(&str, &str), CrateDoc> = BTreeMap::new();
    // Crates of the working tree that do not build: no API to judge, and no
    // release until their code follows the spec.
    let mut unbuildable: Vec<(&str, String)> = Vec::new();
    for (side, s) in [("baseline", &baseline), ("current", &current)] {
        let _ = writeln!(err, "spec-diff: rustdoc JSON of {side} ({})", s.label);
        for (package, crate_name) in CRATES {
            let json = json_path(&work, side, crate_name);
            match rustdoc::json(&s.tree, &target, package, crate_name, &json) {
                Ok(()) => {}
                Err(e) if side == "current" => {
                    unbuildable.push((package, e));
                    continue;
                }
                Err(e) => return Err(e),
            }
            let doc =
                CrateDoc::parse(&read(&json)?).map_err(|e| format!("{}: {e}", json.display()))?;
            docs.insert((side, package), doc);
        }
    }

    let mut results = Vec::new();
    for (package, crate_name) in CRATES {
        if unbuildable.iter().any(|(p, _)| *p == package) {
            continue;
        }
        let json = |side| json_path(&work, side, crate_name);
        let mut changes = semver_checks::check(package, &json("baseline"), &json("current"))?;
        let visible = |side: &'static str| {
            let others: Vec<&CrateDoc> = CRATES
                .iter()
                .filter(|(p, _)| *p != package)
                .filter_map(|(p, _)| docs.get(&(side, *p)))
                .collect();
            docs.get(&(side, package))
                .map(|d| d.visible(&others))
                .unwrap_or_default()
        };
        let own = shape::compare(package, &visible("baseline"), &visible("current"));
        // A re-exported item's change can also surface in a lint; one id each.
        for c in own {
            if !changes.iter().any(|x| x.id == c.id) {
                changes.push(c);
            }
        }
        changes.sort_by(|a, b| (a.severity, &a.id).cmp(&(b.severity, &b.id)));
        results.push(CrateChanges {
            krate: package.to_owned(),
            changes,
        });
    }

    let changelog = if args.no_changelog {
        None
    } else {
        let path = args
            .changelog
            .clone()
            .unwrap_or_else(|| repo.join("CHANGELOG.md"));
        match (path.is_file(), args.changelog.is_some()) {
            (true, _) => Some((read(&path)?, path)),
            (false, true) => return Err(format!("changelog {} not found", path.display())),
            (false, false) => None,
        }
    };
    let names: Vec<&str> = CRATES.iter().map(|(p, _)| *p).collect();
    let (ids, not_ids) = changelog
        .as_ref()
        .map(|(text, _)| acks::parse(text, &names))
        .unwrap_or_default();
    let changelog_name = changelog
        .as_ref()
        .map(|(_, p)| p.display().to_string())
        .unwrap_or_default();
    let acknowledged = |c: &Change| -> Option<String> {
        if let Some(a) = ids.iter().find(|a| a.id == c.id) {
            return Some(format!("{changelog_name}:{}", a.line));
        }
        args.allow_breaking.then(|| "--allow-breaking".to_owned())
    };

    let _ = writeln!(out, "spec-diff: {} -> {}", baseline.label, current.label);
    let report = report::render(&results, &spec_changes, &acknowledged);
    let _ = out.write_all(report.as_bytes());

    let all: Vec<&Change> = results.iter().flat_map(|r| &r.changes).collect();
    let breaking = |id: &str| {
        all.iter()
            .any(|c| c.id == id && c.severity == Severity::Breaking)
    };
    for a in ids.iter().filter(|a| !breaking(&a.id)) {
        let _ = writeln!(
            out,
            "\nnote: {changelog_name}:{} acknowledges `{}`, which is no breaking change since the baseline (already released, or worded differently): it accepts nothing",
            a.line, a.id
        );
    }
    for a in &not_ids {
        let _ = writeln!(
            out,
            "\nnote: {changelog_name}:{} quotes `{}` on a BREAKING: line; that names no change id (an id starts with the crate, e.g. `unleashx-api: ...`), so it accepts nothing",
            a.line, a.id
        );
    }

    for (package, e) in &unbuildable {
        let _ = writeln!(
            out,
            "\n== {package}: DOES NOT BUILD against the working tree: the spec change breaks its own code \
             (and so code like it in tools); update it, then run the guard again\n  {}",
            e.replace('\n', "\n  ")
        );
    }
    if let Some(path) = &args.verdicts {
        let text: String = results
            .iter()
            .map(|r| format!("{} {}\n", r.krate, Verdict::of(&r.changes).as_str()))
            .chain(
                unbuildable
                    .iter()
                    .map(|(p, _)| format!("{p} unbuildable\n")),
            )
            .collect();
        write(path, &text)?;
    }

    let open: Vec<&&Change> = all
        .iter()
        .filter(|c| c.severity == Severity::Breaking && acknowledged(c).is_none())
        .collect();
    if !unbuildable.is_empty() {
        let names: Vec<&str> = unbuildable.iter().map(|(p, _)| *p).collect();
        let _ = writeln!(
            err,
            "\nspec-diff: {} do(es) not build against the working tree; no acknowledgement accepts that",
            names.join(", ")
        );
    }
    if !open.is_empty() {
        let _ = writeln!(
            err,
            "\nspec-diff: {} unacknowledged breaking change(s). If intended, add to CHANGELOG.md under `## [Unreleased]`:\n",
            open.len()
        );
        for c in &open {
            let _ = writeln!(
                err,
                "- BREAKING: `{}`: <what changed and what users must do>",
                c.id
            );
        }
        let _ = writeln!(err, "\n(or pass --allow-breaking for a one-off local run)");
        return Ok(1);
    }
    if !unbuildable.is_empty() {
        return Ok(1);
    }
    if all.iter().any(|c| c.severity == Severity::Breaking) {
        let _ = writeln!(out, "\nEvery breaking change is acknowledged.");
    }
    if args.accept {
        let header = "# The accepted API baseline for scripts/spec-diff.sh: openapi.yaml as of the\n# last release (api-baseline/RELEASE). Written by `bash scripts/spec-diff.sh\n# --accept` (scripts/release.sh runs it); never edit by hand.\n";
        write(
            &repo.join(BASELINE_SPEC),
            &format!("{header}{}", current.spec),
        )?;
        let _ = writeln!(
            out,
            "spec-diff: {BASELINE_SPEC} now holds the working tree's openapi.yaml; commit it (the last commit that changes api-baseline/ is the baseline tree)"
        );
    }
    Ok(0)
}
