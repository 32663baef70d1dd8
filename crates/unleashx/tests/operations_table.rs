//! The crate docs' one table of operations (`src/operations.md`) is the
//! catalogue's: a row per operation, each with its wrapper method
//! ([`unleashx::wrapped`]), operationId, HTTP method and path, and credential,
//! rendered here. A new operation's row is written by
//! `UNLEASHX_BLESS=1 cargo test -p unleashx --test operations_table`, never
//! by hand. The CLI column is kept as written (a new row gets
//! `unleashx api OPERATION`) and checked by the CLI's own test.

use std::path::Path;

use unleashx::OperationId;

const TABLE_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/operations.md");
const HEADER: &str =
    "| Method | operationId | HTTP | Credential | CLI command |\n|---|---|---|---|---|\n";

/// The table's row for `op`, keeping the CLI cell of `written` (the file's
/// row for `op`, if any).
fn row(op: OperationId, written: Option<&str>) -> String {
    let methods: Vec<String> = unleashx::wrapped(op)
        .split(", ")
        .map(|m| format!("[`{m}`]"))
        .collect();
    let credential = op
        .security()
        .scheme()
        .map_or("none".to_owned(), |s| format!("`{s}`"));
    let cli = written
        .and_then(|r| r.trim_end().trim_end_matches('|').rsplit('|').next())
        .map_or(format!("`unleashx api {op}`"), |c| c.trim().to_owned());
    format!(
        "| {} | `{op}` | `{} {}` | {credential} | {cli} |\n",
        methods.join(", "),
        op.method(),
        op.path()
    )
}

/// The file as the catalogue renders it: its prose, then the table.
fn render(written: &str) -> String {
    let prose = written.split(HEADER).next().unwrap_or_default();
    let rows = written.lines().filter(|l| l.starts_with("| ["));
    let rows: Vec<&str> = rows.collect();
    let mut out = format!("{prose}{HEADER}");
    for op in OperationId::ALL {
        let mine = format!("| `{op}` |");
        let written = rows.iter().find(|r| r.contains(&mine)).copied();
        out.push_str(&row(op, written));
    }
    out
}

#[test]
fn the_operations_table_is_the_catalogues() {
    let written = std::fs::read_to_string(TABLE_PATH).expect("src/operations.md");
    assert!(
        written.contains(HEADER),
        "src/operations.md lost its table header"
    );
    let rendered = render(&written);
    if rendered == written {
        return;
    }
    let bless = std::env::var_os("UNLEASHX_BLESS").is_some_and(|v| v == "1")
        && std::env::var_os("CI").is_none_or(|v| v != "true");
    if bless {
        std::fs::write(Path::new(TABLE_PATH), &rendered).expect("write src/operations.md");
        eprintln!("wrote crates/unleashx/src/operations.md: review `git diff`");
        return;
    }
    let stale: Vec<&str> = written
        .lines()
        .filter(|l| l.starts_with("| [") && !rendered.contains(l))
        .collect();
    let missing: Vec<&str> = rendered
        .lines()
        .filter(|l| l.starts_with("| [") && !written.contains(l))
        .collect();
    let list = |rows: Vec<&str>| match rows.is_empty() {
        true => "(none)".to_owned(),
        false => rows.join("\n  "),
    };
    panic!(
        "crates/unleashx/src/operations.md differs from the catalogue and the Wrapped table.\n\
         rows to remove:\n  {}\nrows to add:\n  {}\n\
         Run `UNLEASHX_BLESS=1 cargo test -p unleashx --test operations_table` to write it, then review `git diff`.",
        list(stale),
        list(missing)
    );
}

/// The handle methods the `Wrapped` table names exist. The compiler asks for
/// the table's line but cannot ask for the method (it is generic over the
/// operation); this test does, by name. (`cargo doc` checks the table's
/// links to them too.)
#[test]
fn every_wrapped_method_is_a_handle_method() {
    const OPS: &str = include_str!("../src/ops.rs");
    for op in OperationId::ALL {
        for path in unleashx::wrapped(op).split(", ") {
            let (handle, method) = path.split_once("::").expect("Type::method");
            let found = OPS
                .split(&format!("\nimpl {handle} {{"))
                .skip(1)
                .any(|block| {
                    let block = &block[..block.find("\n}\n").unwrap_or(block.len())];
                    ["(", "<"]
                        .iter()
                        .any(|open| block.contains(&format!("    pub fn {method}{open}")))
                });
            assert!(
                found,
                "{op}: the Wrapped table names {path}, but no `impl {handle}` in crates/unleashx/src/ops.rs has `pub fn {method}(` (or `<`): add it after the operation's `impl Operation`, with a doc example"
            );
        }
    }
}
