//! The crate docs' one table of operations (`src/operations.md`) matches the
//! catalogue: a row per operation, each with its wrapper method
//! ([`unleashx::wrapped`]), operationId, HTTP method and path, and credential.
//! The CLI column is checked by the CLI's own test.

use unleashx::OperationId;

const TABLE: &str = include_str!("../src/operations.md");

/// The table's rows, as cells with links and backticks removed.
fn rows() -> Vec<Vec<String>> {
    TABLE
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .skip(1)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace(['`', '[', ']'], ""))
                .collect()
        })
        .collect()
}

#[test]
fn the_operations_table_matches_the_catalogue() {
    let rows = rows();
    assert_eq!(
        rows.len(),
        OperationId::ALL.len(),
        "one row per operation of openapi.yaml"
    );
    for op in OperationId::ALL {
        let row = rows
            .iter()
            .find(|r| r.get(1).map(String::as_str) == Some(op.as_str()))
            .unwrap_or_else(|| panic!("src/operations.md has no row for {op}"));
        let expected = [
            unleashx::wrapped(op).to_owned(),
            op.as_str().to_owned(),
            format!("{} {}", op.method(), op.path()),
            op.security().scheme().unwrap_or("none").to_owned(),
        ];
        assert_eq!(row[..4], expected, "the row of {op}");
        assert!(
            row[4].starts_with("unleashx "),
            "the CLI command of {op}: {}",
            row[4]
        );
    }
}
