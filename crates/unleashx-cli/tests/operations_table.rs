//! The CLI column of the `unleashx` crate docs' table of operations
//! (`crates/unleashx/src/operations.md`): each command exists in the clap
//! tree, and is the command that covers its operation.

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
    assert_eq!(rows.len(), OperationId::ALL.len());
    let cli = unleashx_cli::args::Cli::command();
    for row in rows {
        let op: OperationId = row[1].parse().expect("an operationId of the spec");
        let words: Vec<&str> = row[4].split_whitespace().collect();
        assert_eq!(words.first(), Some(&"unleashx"), "{row:?}");
        let mut command = &cli;
        for word in &words[1..] {
            command = command
                .find_subcommand(word)
                .unwrap_or_else(|| panic!("{op}: `{}` is not a command", row[4]));
        }
        let (argv, _) = command_for(op);
        assert!(
            argv.starts_with(&words[1..]),
            "{op}: the table says `{}`, the command covering it is {argv:?}",
            row[4]
        );
    }
}
