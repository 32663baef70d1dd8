//! The check for what cargo-semver-checks does not see, over rustdoc JSON:
//! the shape (fields with their types, variants, `#[non_exhaustive]`) of every
//! struct and enum a crate's user can name, including the ones it re-exports
//! from another workspace crate (cargo-semver-checks does not follow
//! re-exports across crates, its issue #638, and has no lint for a field whose
//! type changes).
//!
//! The JSON is read as `serde_json::Value`, so one format version more or
//! less does not stop the check; the fields it reads (`index`, `paths`,
//! `inner.{module,struct,enum,use,struct_field,variant}`) have been stable
//! across many versions.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{Change, Severity};

/// A struct's or enum's shape, as its users see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A struct.
    Struct {
        /// Public fields (tuple fields are named `0`, `1`, ...) and their types.
        fields: BTreeMap<String, String>,
        /// Whether code outside the crate can build it with a struct literal
        /// and match it exhaustively: every field public, no `#[non_exhaustive]`.
        literal: bool,
    },
    /// An enum.
    Enum {
        /// Variants and their payloads (`(T, U)` or `{ a: T }`, empty for unit).
        variants: BTreeMap<String, String>,
        /// `#[non_exhaustive]`: other crates must have a wildcard arm.
        non_exhaustive: bool,
    },
    /// Any other item (function, constant, trait, type alias, ...): its kind,
    /// and for a type alias the aliased type.
    Other {
        /// `function`, `constant`, `trait`, `type_alias = Secret<..>`, ...
        signature: String,
    },
}

/// A struct or enum visible from a crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visible {
    /// Its shape.
    pub shape: Shape,
    /// The crate that defines it, when it is re-exported from another one.
    pub from: Option<String>,
}

/// One crate's rustdoc JSON.
#[derive(Debug, Clone)]
pub struct CrateDoc {
    /// The crate's name as Rust spells it (`unleashx_api`).
    pub name: String,
    doc: Value,
}

impl CrateDoc {
    /// Parses rustdoc JSON text; the error says why it cannot be read.
    pub fn parse(text: &str) -> Result<Self, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let root = doc.get("root").ok_or("no `root` item: not rustdoc JSON")?;
        let name = doc
            .pointer(&format!("/index/{}/name", id_key(root)))
            .and_then(Value::as_str)
            .ok_or("the root item has no name: not rustdoc JSON")?
            .to_owned();
        Ok(CrateDoc { name, doc })
    }

    fn item(&self, id: &Value) -> Option<&Value> {
        self.doc.get("index")?.get(id_key(id))
    }

    fn external_path(&self, id: &Value) -> Option<Vec<String>> {
        let path = self.doc.get("paths")?.get(id_key(id))?.get("path")?;
        Some(
            path.as_array()?
                .iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect(),
        )
    }

    /// The structs and enums a user of this crate can name, by path from the
    /// crate root (`types::LoginRequest`); re-exports from crates in `others`
    /// are resolved there.
    pub fn visible(&self, others: &[&CrateDoc]) -> BTreeMap<String, Visible> {
        let mut out = BTreeMap::new();
        if let Some(root) = self.doc.get("root").and_then(|id| self.item(id)) {
            self.visit(root, String::new(), others, &mut out, 0);
        }
        out
    }

    /// Maps every local struct and enum's definition path (without the crate
    /// name) to its shape: how a re-export from another crate is resolved.
    fn definitions(&self) -> BTreeMap<String, Shape> {
        let index = self.doc.get("index").and_then(Value::as_object);
        index
            .into_iter()
            .flatten()
            .filter_map(|(id, item)| {
                let shape = self.shape(item)?;
                let path = self.external_path(&Value::String(id.clone()))?;
                Some((path[1.min(path.len())..].join("::"), shape))
            })
            .collect()
    }

    /// Puts a local item at path `at`: its shape, or (a module has none) the
    /// module's public items under it.
    fn visit(
        &self,
        item: &Value,
        at: String,
        others: &[&CrateDoc],
        out: &mut BTreeMap<String, Visible>,
        depth: usize,
    ) {
        if let Some(shape) = self.shape(item) {
            out.insert(at, Visible { shape, from: None });
            return;
        }
        if depth > 16 {
            return;
        }
        for item in array(item, "/inner/module/items").filter_map(|id| self.item(id)) {
            if item.get("visibility").and_then(Value::as_str) != Some("public") {
                continue;
            }
            let name = item.get("name").and_then(Value::as_str).unwrap_or("");
            match item.pointer("/inner/use") {
                Some(u) => self.re_export(u, &at, others, out, depth),
                None => self.visit(item, join(&at, name), others, out, depth + 1),
            }
        }
    }

    fn re_export(
        &self,
        u: &Value,
        prefix: &str,
        others: &[&CrateDoc],
        out: &mut BTreeMap<String, Visible>,
        depth: usize,
    ) {
        let Some(target) = u.get("id").filter(|v| !v.is_null()) else {
            return;
        };
        let name = u.get("name").and_then(Value::as_str).unwrap_or("");
        let glob = u.get("is_glob").and_then(Value::as_bool).unwrap_or(false);
        if let Some(item) = self.item(target) {
            let at = if glob {
                prefix.to_owned()
            } else {
                join(prefix, name)
            };
            return self.visit(item, at, others, out, depth + 1);
        }
        // An item of another crate: resolve it in that crate's own JSON.
        let Some((krate, rest)) = self.external_path(target).and_then(|p| {
            let (krate, rest) = p.split_first()?;
            Some((krate.clone(), rest.join("::")))
        }) else {
            return;
        };
        let Some(other) = others.iter().find(|o| o.name == krate) else {
            return;
        };
        // Where an item at path `p` of the other crate lands here.
        let under = format!("{rest}::");
        let at = |p: &str| -> Option<String> {
            if glob {
                p.strip_prefix(&under).map(|s| join(prefix, s))
            } else if p == rest {
                Some(join(prefix, name))
            } else {
                p.strip_prefix(&under)
                    .map(|s| join(prefix, &format!("{name}::{s}")))
            }
        };
        let from = Some(other.name.clone());
        let mut found: Vec<(String, Shape)> = other
            .visible(&[])
            .into_iter()
            .filter_map(|(p, v)| Some((at(&p)?, v.shape)))
            .collect();
        if found.is_empty() && !glob {
            // Named by its definition path (a module the other crate
            // re-exports from a private one, such as `generated::types`):
            // the item itself, or every struct and enum under the module.
            found = other
                .definitions()
                .into_iter()
                .filter_map(|(p, shape)| Some((at(&p)?, shape)))
                .collect();
        }
        for (at, shape) in found {
            let from = from.clone();
            out.insert(at, Visible { shape, from });
        }
    }

    /// The shape of a struct or enum, or for any other public item its kind.
    fn shape(&self, item: &Value) -> Option<Shape> {
        let inner = item.get("inner")?;
        let non_exhaustive = is_non_exhaustive(item);
        if let Some(kind) = inner.pointer("/struct/kind") {
            let mut fields = BTreeMap::new();
            let mut literal = !non_exhaustive;
            if let Some(plain) = kind.get("plain") {
                if plain.get("has_stripped_fields").and_then(Value::as_bool) == Some(true) {
                    literal = false;
                }
                for f in array(plain, "/fields").filter_map(|id| self.item(id)) {
                    fields.insert(field_name(f), field_type(f));
                }
            } else if let Some(tuple) = kind.get("tuple").and_then(Value::as_array) {
                for (i, id) in tuple.iter().enumerate() {
                    match self.item(id) {
                        Some(f) if !id.is_null() => {
                            fields.insert(i.to_string(), field_type(f));
                        }
                        _ => literal = false,
                    }
                }
            }
            return Some(Shape::Struct { fields, literal });
        }
        if let Some(e) = inner.get("enum") {
            let variants = array(e, "/variants")
                .filter_map(|id| self.item(id))
                .map(|v| {
                    let name = v.get("name").and_then(Value::as_str).unwrap_or("");
                    (name.to_owned(), self.variant_payload(v))
                })
                .collect();
            return Some(Shape::Enum {
                variants,
                non_exhaustive,
            });
        }
        let (kind, inner) = inner.as_object()?.iter().next()?;
        if matches!(
            kind.as_str(),
            "module" | "use" | "impl" | "struct_field" | "variant"
        ) {
            return None;
        }
        let signature = match inner.get("type") {
            Some(t) if kind == "type_alias" => format!("type_alias = {}", render_type(t)),
            _ => kind.clone(),
        };
        Some(Shape::Other { signature })
    }

    fn variant_payload(&self, v: &Value) -> String {
        let Some(kind) = v.pointer("/inner/variant/kind") else {
            return String::new();
        };
        if let Some(tuple) = kind.get("tuple").and_then(Value::as_array) {
            let parts: Vec<String> = tuple
                .iter()
                .map(|id| self.item(id).map(field_type).unwrap_or_else(|| "_".into()))
                .collect();
            return format!("({})", parts.join(", "));
        }
        if let Some(fields) = kind.pointer("/struct/fields").and_then(Value::as_array) {
            let parts: Vec<String> = fields
                .iter()
                .filter_map(|id| self.item(id))
                .map(|f| format!("{}: {}", field_name(f), field_type(f)))
                .collect();
            return format!("{{ {} }}", parts.join(", "));
        }
        String::new()
    }
}

fn id_key(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else if name.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}::{name}")
    }
}

/// The elements of the array at `pointer`, none if there is none.
fn array<'a>(v: &'a Value, pointer: &str) -> impl Iterator<Item = &'a Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn is_non_exhaustive(item: &Value) -> bool {
    array(item, "/attrs").any(|a| match a {
        Value::String(s) => s.contains("non_exhaustive"),
        other => other.to_string().contains("non_exhaustive"),
    })
}

fn field_name(f: &Value) -> String {
    f.get("name")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned()
}

fn field_type(f: &Value) -> String {
    f.pointer("/inner/struct_field")
        .map(render_type)
        .unwrap_or_else(|| "?".into())
}

/// A type as a user would write it, with paths shortened to their last
/// segment (`Option<Otp>`), so a moved import is no change.
pub fn render_type(t: &Value) -> String {
    if let Some(p) = t.get("resolved_path") {
        let path = p.get("path").and_then(Value::as_str).unwrap_or("?");
        let last = path.rsplit("::").next().unwrap_or(path);
        return format!("{last}{}", render_args(p.get("args")));
    }
    if let Some(s) = t
        .get("generic")
        .or_else(|| t.get("primitive"))
        .and_then(Value::as_str)
    {
        return s.to_owned();
    }
    if let Some(r) = t.get("borrowed_ref") {
        let lifetime = r
            .get("lifetime")
            .and_then(Value::as_str)
            .map(|l| format!("{l} "))
            .unwrap_or_default();
        let m = if r.get("is_mutable").and_then(Value::as_bool) == Some(true) {
            "mut "
        } else {
            ""
        };
        return format!(
            "&{lifetime}{m}{}",
            r.get("type").map(render_type).unwrap_or_default()
        );
    }
    if let Some(items) = t.get("tuple").and_then(Value::as_array) {
        let parts: Vec<String> = items.iter().map(render_type).collect();
        return format!("({})", parts.join(", "));
    }
    if let Some(inner) = t.get("slice") {
        return format!("[{}]", render_type(inner));
    }
    if let Some(a) = t.get("array") {
        return format!(
            "[{}; {}]",
            a.get("type").map(render_type).unwrap_or_default(),
            a.get("len").and_then(Value::as_str).unwrap_or("?")
        );
    }
    // Rare in fields (dyn, impl, fn pointers, qualified paths): exact JSON.
    t.to_string()
}

fn render_args(args: Option<&Value>) -> String {
    let list = args
        .and_then(|a| a.pointer("/angle_bracketed/args"))
        .and_then(Value::as_array);
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        return String::new();
    };
    let parts: Vec<String> = list
        .iter()
        .map(
            |a| match (a.get("type"), a.get("lifetime").and_then(Value::as_str)) {
                (Some(t), _) => render_type(t),
                (None, Some(l)) => l.to_owned(),
                (None, None) => a.to_string(),
            },
        )
        .collect();
    format!("<{}>", parts.join(", "))
}

/// How [`compare`] words the changes to a struct's fields or an enum's variants.
struct Members {
    sep: &'static str,
    changed: &'static str,
    typed_addition: bool,
    uses: &'static str,
    addition_breaks: bool,
    sealed: bool,
    sealed_text: &'static str,
    exhaustive: &'static str,
}

/// The changes between two crates' visible items that cargo-semver-checks
/// does not report: for the crate's own items, a field's or variant
/// payload's changed type and every addition that breaks nothing; for items
/// re-exported from another crate, every change to their shape, their
/// removal and their arrival.
pub fn compare(
    krate: &str,
    old: &BTreeMap<String, Visible>,
    new: &BTreeMap<String, Visible>,
) -> Vec<Change> {
    let mut out = Vec::new();
    // A change that breaks nobody (empty `breaks`) is additive.
    let mut push = |id: String, breaks: &str| {
        let severity = if breaks.is_empty() {
            Severity::Additive
        } else {
            Severity::Breaking
        };
        out.push(Change {
            id: format!("{krate}: {id}"),
            severity,
            breaks: breaks.to_owned(),
        })
    };
    for (path, o) in old {
        let reexport = o.from.is_some();
        let Some(n) = new.get(path) else {
            if reexport {
                push(format!("{path} removed"), "code that names it");
            }
            continue;
        };
        let full = reexport || n.from.is_some();
        // A struct's fields and an enum's variants change alike; `sealed`: it
        // can no longer be built or matched exhaustively elsewhere.
        let (om, nm, m) = match (&o.shape, &n.shape) {
            (
                Shape::Struct {
                    fields: om,
                    literal: ol,
                },
                Shape::Struct {
                    fields: nm,
                    literal: nl,
                },
            ) => (
                om,
                nm,
                Members {
                    sep: ".",
                    changed: ": type",
                    typed_addition: true,
                    uses: "code that reads the field or sets it in a struct literal",
                    // Of the crate's own items, cargo-semver-checks reports
                    // this addition (constructible_struct_adds_field).
                    addition_breaks: *ol && *nl,
                    sealed: *ol && !*nl,
                    sealed_text: "no longer constructible with a struct literal",
                    exhaustive: "struct literals and exhaustive patterns of it",
                },
            ),
            (
                Shape::Enum {
                    variants: om,
                    non_exhaustive: one,
                },
                Shape::Enum {
                    variants: nm,
                    non_exhaustive: nne,
                },
            ) => (
                om,
                nm,
                Members {
                    sep: "::",
                    changed: ":",
                    typed_addition: false,
                    uses: "code that builds or matches the variant",
                    // Own items: cargo-semver-checks (enum_variant_added).
                    addition_breaks: !*one,
                    sealed: !*one && *nne,
                    sealed_text: "became #[non_exhaustive]",
                    exhaustive: "exhaustive matches on it",
                },
            ),
            (Shape::Other { signature: os }, Shape::Other { signature: ns }) => {
                if full && os != ns {
                    push(format!("{path}: {os} -> {ns}"), "code that uses it");
                }
                continue;
            }
            _ => {
                if full {
                    push(format!("{path} changed kind"), "code that uses it");
                }
                continue;
            }
        };
        let sep = m.sep;
        for (k, ot) in om {
            match nm.get(k) {
                Some(nt) if nt != ot => {
                    push(format!("{path}{sep}{k}{} {ot} -> {nt}", m.changed), m.uses)
                }
                None if full => push(format!("{path}{sep}{k} removed"), m.uses),
                _ => {}
            }
        }
        for (k, nt) in nm.iter().filter(|(k, _)| !om.contains_key(*k)) {
            let id = if m.typed_addition {
                format!("{path}{sep}{k} added: {nt}")
            } else {
                format!("{path}{sep}{k} added")
            };
            if !m.addition_breaks {
                push(id, "");
            } else if full {
                push(id, m.exhaustive);
            }
        }
        if full && m.sealed {
            push(format!("{path} {}", m.sealed_text), m.exhaustive);
        }
    }
    // cargo-semver-checks reports no addition, so they all come from here.
    for path in new.keys().filter(|p| !old.contains_key(*p)) {
        push(format!("{path} added"), "");
    }
    out
}
