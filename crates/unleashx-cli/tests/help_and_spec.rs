//! `--help` snapshots, and every operation of openapi.yaml reachable from a command.

mod support;

use clap::CommandFactory;
use support::{bin, run, stdout};
use unleashx_cli::args::Cli;
use unleashx_cli::OPERATION_COMMANDS;

const COMMANDS: &[&[&str]] = &[
    &[],
    &["login"],
    &["token"],
    &["token", "generate"],
    &["token", "get"],
    &["token", "verify"],
    &["customer"],
    &["customer", "onboard"],
    &["customer", "token"],
    &["demo"],
    &["mock"],
    &["mock", "serve"],
    &["auth"],
    &["auth", "status"],
    &["auth", "logout"],
    &["completions"],
    &["man"],
];

#[test]
fn help_snapshots() {
    for path in COMMANDS {
        let out = run(bin().args(*path).arg("--help").env("COLUMNS", "100"), 0);
        let name = if path.is_empty() {
            "help_unleashx".to_owned()
        } else {
            format!("help_unleashx_{}", path.join("_"))
        };
        insta::assert_snapshot!(name, stdout(&out));
    }
}

fn spec_operation_ids() -> Vec<String> {
    let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../openapi.yaml"))
        .expect("openapi.yaml is readable");
    spec.lines()
        .filter_map(|l| l.trim().strip_prefix("operationId:"))
        .map(|id| id.trim().trim_matches(|c| c == '"' || c == '\'').to_owned())
        .collect()
}

#[test]
fn every_spec_operation_has_a_command() {
    let ids = spec_operation_ids();
    assert!(ids.len() >= 6, "found only {ids:?}");
    for id in &ids {
        assert!(
            OPERATION_COMMANDS.iter().any(|(op, _)| op == id),
            "operation {id} of openapi.yaml has no command in OPERATION_COMMANDS"
        );
    }
    for (op, _) in OPERATION_COMMANDS {
        assert!(ids.iter().any(|id| id == op), "{op} is not in openapi.yaml");
    }
}

#[test]
fn every_mapped_command_exists() {
    let root = Cli::command();
    for (op, path) in OPERATION_COMMANDS {
        let mut cmd = &root;
        for name in path.split(' ') {
            cmd = cmd
                .find_subcommand(name)
                .unwrap_or_else(|| panic!("{op}: no command `{path}`"));
        }
        assert!(
            !cmd.has_subcommands(),
            "{op}: `{path}` is a group, not a command"
        );
    }
}
