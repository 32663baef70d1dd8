//! `--help` snapshots of every command in clap's command tree, and every
//! operation of openapi.yaml reached by `unleashx api` with the spec's own
//! request example: each runs against the simulator, whose counters show what
//! it called.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use clap::CommandFactory;
use support::{bin, command_for, run, stdout, Sim};
use unleashx_cli::args::Cli;
use unleashx_mock::Operation;

/// Every command path of the CLI (`[]` is `unleashx` itself), from clap.
fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            path.push(sub.get_name().to_owned());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), &mut Vec::new(), &mut out);
    out
}

fn snapshot_name(path: &[String]) -> String {
    if path.is_empty() {
        "help_unleashx".to_owned()
    } else {
        format!("help_unleashx_{}", path.join("_"))
    }
}

#[test]
fn help_snapshots() {
    for path in commands() {
        let out = run(bin().args(&path).arg("--help").env("COLUMNS", "100"), 0);
        insta::assert_snapshot!(snapshot_name(&path), stdout(&out));
    }
}

#[test]
fn every_command_has_its_help_snapshot_and_every_snapshot_a_command() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let prefix = "help_and_spec__";
    let expected: BTreeSet<String> = commands().iter().map(|p| snapshot_name(p)).collect();
    let committed: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("tests/snapshots")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| Some(f.strip_prefix(prefix)?.strip_suffix(".snap")?.to_owned()))
        .collect();
    let missing: Vec<_> = expected.difference(&committed).collect();
    assert!(
        missing.is_empty(),
        "commands without a committed help snapshot: {missing:?}; run \
         `INSTA_UPDATE=always cargo test -p unleashx-cli --test help_and_spec`, review and commit"
    );
    let stale: Vec<_> = committed.difference(&expected).collect();
    assert!(
        stale.is_empty(),
        "help snapshots of no command: {stale:?}; delete them"
    );
}

#[test]
fn every_spec_operation_is_reached_by_unleashx_api() {
    let sim = Sim::start();
    // Issued in-process: no request reaches a counter. get-token needs one to exist.
    let login = sim.login_token();
    let api = sim.api_token();
    let counts = || Operation::ALL.map(|op| sim.server.requests(op));
    for op in Operation::ALL {
        let (args, _) = command_for(op);
        let cmd = sim.covering(op, &login, &api);
        let before = counts();
        let out = run(cmd, 0);
        assert!(
            serde_json::from_slice::<serde_json::Value>(&out.stdout).is_ok(),
            "`unleashx {}` printed no JSON",
            args.join(" ")
        );
        let after = counts();
        for ((other, before), after) in Operation::ALL.into_iter().zip(before).zip(after) {
            assert_eq!(
                after != before,
                other == op,
                "`unleashx {}` should call {op} and nothing else, but {other} went from {before} to {after}",
                args.join(" "),
            );
        }
    }
}
