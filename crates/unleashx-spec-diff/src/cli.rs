//! The `spec-diff` command, as a function so tests can run it in-process.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{changelog_acknowledgements, mentions, surface_of, ApiDiff, Change};
use unleashx_codegen::Spec;

/// The command's help text.
pub const USAGE: &str = "\
usage: spec-diff [OPTIONS] OLD_SPEC NEW_SPEC

Compares the public Rust API that unleashx-codegen generates from two
revisions of openapi.yaml and classifies each difference as BREAKING or
additive.

Exit status: 0 no breaking change (or every one acknowledged),
             1 a breaking change that is not acknowledged,
             2 usage error, or a spec that cannot be read or generated.

A breaking change is acknowledged by a line containing `BREAKING:` under
`## [Unreleased]` in the changelog that names the change's subject (the type,
e.g. `ApiTokenDetails`, or for a `Client` method the operation, e.g.
`get_token`), or by --allow-breaking.

options:
  --allow-breaking     report breaking changes but exit 0
  --changelog PATH     the changelog to read acknowledgements from
                       (default: CHANGELOG.md next to NEW_SPEC, if present)
  --no-changelog       read no changelog
  --old-label TEXT     how to name OLD_SPEC in the report (e.g. a git revision)
  --new-label TEXT     how to name NEW_SPEC in the report
  -h, --help           this help
";

struct Args {
    old: PathBuf,
    new: PathBuf,
    allow_breaking: bool,
    changelog: Option<PathBuf>,
    no_changelog: bool,
    old_label: Option<String>,
    new_label: Option<String>,
}

fn parse(args: &[String]) -> Result<Option<Args>, String> {
    let mut positional = Vec::new();
    let mut allow_breaking = false;
    let mut changelog = None;
    let mut no_changelog = false;
    let mut old_label = None;
    let mut new_label = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--allow-breaking" => allow_breaking = true,
            "--no-changelog" => no_changelog = true,
            "--changelog" => changelog = Some(PathBuf::from(value("--changelog")?)),
            "--old-label" => old_label = Some(value("--old-label")?),
            "--new-label" => new_label = Some(value("--new-label")?),
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    if no_changelog && changelog.is_some() {
        return Err("--changelog and --no-changelog exclude each other".to_owned());
    }
    let [old, new]: [PathBuf; 2] = positional.try_into().map_err(|p: Vec<PathBuf>| {
        format!("expected OLD_SPEC and NEW_SPEC, got {} path(s)", p.len())
    })?;
    Ok(Some(Args {
        old,
        new,
        allow_breaking,
        changelog,
        no_changelog,
        old_label,
        new_label,
    }))
}

fn version(spec: &Spec) -> String {
    spec.raw()
        .pointer("/info/version")
        .and_then(|v| v.as_str())
        .unwrap_or("?")
        .to_owned()
}

/// Runs `spec-diff` with `args` (without the program name), writing the
/// report to `out` and problems to `err`; returns the exit status.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let args = match parse(args) {
        Ok(Some(a)) => a,
        Ok(None) => {
            let _ = out.write_all(USAGE.as_bytes());
            return 0;
        }
        Err(e) => {
            let _ = writeln!(err, "spec-diff: {e}\n\n{USAGE}");
            return 2;
        }
    };

    let mut specs = Vec::new();
    for path in [&args.old, &args.new] {
        match Spec::load(path)
            .map_err(super::SurfaceError::from)
            .and_then(|s| surface_of(&s).map(|surface| (s, surface)))
        {
            Ok(pair) => specs.push(pair),
            Err(e) => {
                let _ = writeln!(err, "spec-diff: {e}");
                return 2;
            }
        }
    }
    let (new_spec, new_surface) = specs.pop().expect("two specs");
    let (old_spec, old_surface) = specs.pop().expect("two specs");

    let changelog_path = if args.no_changelog {
        None
    } else if let Some(p) = &args.changelog {
        if !p.is_file() {
            let _ = writeln!(err, "spec-diff: changelog {} not found", p.display());
            return 2;
        }
        Some(p.clone())
    } else {
        let default = args
            .new
            .parent()
            .unwrap_or(Path::new("."))
            .join("CHANGELOG.md");
        default.is_file().then_some(default)
    };
    let acks = match &changelog_path {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(text) => changelog_acknowledgements(&text),
            Err(e) => {
                let _ = writeln!(err, "spec-diff: cannot read {}: {e}", p.display());
                return 2;
            }
        },
        None => Vec::new(),
    };
    let changelog_name = changelog_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let acknowledged = |c: &Change| -> Option<String> {
        if let Some((line, _)) = acks.iter().find(|(_, text)| mentions(text, &c.subject)) {
            return Some(format!("{changelog_name}:{line}"));
        }
        args.allow_breaking.then(|| "--allow-breaking".to_owned())
    };

    let diff = ApiDiff::between(&old_surface, &new_surface);
    let label = |l: &Option<String>, p: &Path| l.clone().unwrap_or_else(|| p.display().to_string());
    let _ = writeln!(
        out,
        "spec-diff: {} (info.version {}) -> {} (info.version {})",
        label(&args.old_label, &args.old),
        version(&old_spec),
        label(&args.new_label, &args.new),
        version(&new_spec),
    );
    let _ = write!(out, "{}", diff.report(&acknowledged));

    let open: BTreeSet<&str> = diff
        .breaking()
        .filter(|c| acknowledged(c).is_none())
        .map(|c| c.subject.as_str())
        .collect();
    if open.is_empty() {
        if diff.breaking().next().is_some() {
            let _ = writeln!(out, "\nEvery breaking change is acknowledged.");
        }
        return 0;
    }
    let _ = writeln!(
        err,
        "\nspec-diff: unacknowledged breaking change(s) to the generated API. If they are \
         intended, say so in CHANGELOG.md under `## [Unreleased]`, one line per subject, e.g.:\n"
    );
    for subject in &open {
        let _ = writeln!(
            err,
            "- BREAKING: `{subject}`: <what changed and what users must do>"
        );
    }
    let _ = writeln!(err, "\n(or pass --allow-breaking for a one-off local run)");
    1
}
