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
    for op in OperationId::ALL {
        let row = rows
            .iter()
            .find(|r| r.get(1).map(String::as_str) == Some(op.as_str()))
            .unwrap_or_else(|| {
                panic!(
                    "crates/unleashx/src/operations.md has no row for {op}: add `| [`{}`] | `{op}` | `{} {}` | ... |`",
                    unleashx::wrapped(op),
                    op.method(),
                    op.path()
                )
            });
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
    assert_eq!(
        rows.len(),
        OperationId::ALL.len(),
        "crates/unleashx/src/operations.md: one row per operation of openapi.yaml, no other"
    );
}

/// The handle methods the `Wrapped` table names exist. The compiler asks for
/// the table's line but cannot ask for the method (it is generic over the
/// operation); this test does, by name. (`cargo doc` checks the table's
/// links to them too.)
#[test]
fn every_wrapped_method_is_a_handle_method() {
    const HANDLES: &str = include_str!("../src/client.rs");
    for op in OperationId::ALL {
        for path in unleashx::wrapped(op).split(", ") {
            let (handle, method) = path.split_once("::").expect("Type::method");
            let impl_start = HANDLES
                .find(&format!("\nimpl {handle} {{"))
                .unwrap_or_else(|| panic!("src/client.rs has no `impl {handle}`"));
            let body = &HANDLES[impl_start..];
            let body = &body[..body.find("\n}\n").unwrap_or(body.len())];
            assert!(
                body.contains(&format!("    pub fn {method}(")),
                "{op}: the Wrapped table (src/ops.rs) names {path}, but `impl {handle}` in crates/unleashx/src/client.rs has no `pub fn {method}(`: add the handle method there, with a doc example"
            );
        }
    }
}
