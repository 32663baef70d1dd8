//! `--help` snapshots, and every operation of openapi.yaml covered by a command:
//! each command runs against the simulator, whose counters show what it called.

mod support;

use support::{bin, command_for, run, stdout, Sim};
use unleashx_mock::Operation;

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

#[test]
fn every_spec_operation_is_covered_by_a_command() {
    let sim = Sim::start();
    // Issued in-process: no request reaches a counter. get-token needs one to exist.
    let login = sim.login_token();
    let api = sim.api_token();
    let counts = || Operation::ALL.map(|op| sim.server.requests(op));
    for op in Operation::ALL {
        let (args, _) = command_for(op);
        let cmd = sim.covering(op, &login, &api);
        let before = counts();
        run(cmd, 0);
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
