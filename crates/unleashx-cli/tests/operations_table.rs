//! The CLI column of the `unleashx` crate docs' table of operations
//! (`crates/unleashx/src/operations.md`): each command exists in the clap
//! tree, and `unleashx api OPERATION`, the command that covers every
//! operation, is listed.

mod support;

use clap::CommandFactory;
use support::command_for;
use unleashx::OperationId;

const TABLE: &str = include_str!("../../unleashx/src/operations.md");

#[test]
fn the_operations_table_names_the_cli_command_of_each_operation() {
    let rows: Vec<Vec<String>> = TABLE
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .skip(1)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace(['`', '[', ']'], ""))
                .collect()
        })
        .collect();
    assert_eq!(
        rows.len(),
        OperationId::ALL.len(),
        "crates/unleashx/src/operations.md: one row per operation of openapi.yaml (its own test names the missing one)"
    );
    let cli = unleashx_cli::args::Cli::command();
    for row in rows {
        let op: OperationId = row[1].parse().expect("an operationId of the spec");
        let commands: Vec<Vec<&str>> = row[4]
            .split(',')
            .map(|c| c.split_whitespace().collect())
            .collect();
        for words in &commands {
            assert_eq!(words.first(), Some(&"unleashx"), "{row:?}");
            let mut command = &cli;
            for word in words[1..].iter().take_while(|w| **w != op.as_str()) {
                command = command
                    .find_subcommand(word)
                    .unwrap_or_else(|| panic!("{op}: `{}` is not a command", words.join(" ")));
            }
        }
        // The generic door, which the coverage test runs for every operation.
        let (argv, _) = command_for(op);
        let api: Vec<&str> = argv.iter().take(2).map(String::as_str).collect();
        assert!(
            commands.iter().any(|words| words[1..] == api[..]),
            "{op}: the table's CLI column lacks `unleashx {}`",
            api.join(" ")
        );
    }
}
