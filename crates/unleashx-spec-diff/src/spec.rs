//! How `openapi.yaml` differs from the baseline spec, as JSON pointers: a
//! change to the catalogue (`x-unleashx-*`), a status, a pattern or a path
//! moves behaviour without touching a Rust signature, so it is listed even
//! when the API checks find nothing.

use serde_json::Value;

/// One difference between two spec documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecChange {
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// Where, as a JSON pointer (`/paths/~1api~1v1~1login/post/responses/400`).
    pub pointer: String,
}

impl SpecChange {
    /// Whether it is in the catalogue the code generator reads from the
    /// spec's `x-unleashx-*` extensions.
    pub fn is_catalogue(&self) -> bool {
        self.pointer.contains("/x-unleashx-")
    }
}

/// Reads a YAML spec into JSON values.
pub fn load(text: &str) -> Result<Value, String> {
    serde_yaml_ng::from_str(text).map_err(|e| e.to_string())
}

/// Every difference, parents before children; a subtree added or removed
/// whole is one entry.
pub fn diff(old: &Value, new: &Value) -> Vec<SpecChange> {
    let mut out = Vec::new();
    walk(old, new, String::new(), &mut out);
    out
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn walk(old: &Value, new: &Value, at: String, out: &mut Vec<SpecChange>) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            for (k, ov) in o {
                let p = format!("{at}/{}", escape(k));
                match n.get(k) {
                    Some(nv) => walk(ov, nv, p, out),
                    None => out.push(SpecChange {
                        kind: "removed",
                        pointer: p,
                    }),
                }
            }
            for k in n.keys().filter(|k| !o.contains_key(*k)) {
                out.push(SpecChange {
                    kind: "added",
                    pointer: format!("{at}/{}", escape(k)),
                });
            }
        }
        (a, b) if a != b => out.push(SpecChange {
            kind: "changed",
            pointer: if at.is_empty() { "/".into() } else { at },
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_each_difference_once_with_its_pointer() {
        let old = load("a: {b: 1, c: [1, 2]}\nx-unleashx-error-codes: {E: {status: 400}}\n")
            .expect("yaml");
        let new = load("a: {b: 2, c: [1, 2], d: {e: 1}}\nx-unleashx-error-codes: {E: {status: 400, credential-missing: true}}\n")
            .expect("yaml");
        let d = diff(&old, &new);
        let got: Vec<_> = d
            .iter()
            .map(|c| (c.kind, c.pointer.as_str(), c.is_catalogue()))
            .collect();
        assert_eq!(
            got,
            [
                ("changed", "/a/b", false),
                ("added", "/a/d", false),
                (
                    "added",
                    "/x-unleashx-error-codes/E/credential-missing",
                    true
                ),
            ]
        );
        assert!(diff(&old, &old).is_empty());
    }
}
