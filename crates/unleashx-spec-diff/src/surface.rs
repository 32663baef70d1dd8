//! The public surface of generated code: every public item, field, variant,
//! inherent method and trait impl, each with its signature as text.

use std::collections::BTreeMap;

use syn::punctuated::Punctuated;
use syn::{
    Attribute, Fields, FnArg, GenericArgument, GenericParam, Generics, ImplItem, Item, Path,
    PathArguments, ReceiverKind, ReturnType, Signature, Type, TypeParamBound, UseTree, Visibility,
    WherePredicate,
};

/// What kind of public item an [`Entry`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `pub mod`.
    Module,
    /// `pub struct`.
    Struct,
    /// A `pub` field of a struct (or a tuple struct's `pub` field `0`, `1`...).
    Field,
    /// `pub enum`.
    Enum,
    /// A variant of a public enum.
    Variant,
    /// A `pub fn` in an inherent `impl` block.
    Method,
    /// A free `pub fn`.
    Function,
    /// `impl Trait for Type`, written or derived.
    TraitImpl,
    /// `pub type`.
    TypeAlias,
    /// `pub const` or `pub static`.
    Constant,
    /// `pub trait`.
    Trait,
    /// `pub use`.
    Reexport,
}

impl Kind {
    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Module => "module",
            Kind::Struct => "struct",
            Kind::Field => "field",
            Kind::Enum => "enum",
            Kind::Variant => "variant",
            Kind::Method => "method",
            Kind::Function => "function",
            Kind::TraitImpl => "trait impl",
            Kind::TypeAlias => "type alias",
            Kind::Constant => "constant",
            Kind::Trait => "trait",
            Kind::Reexport => "re-export",
        }
    }
}

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// What it is.
    pub kind: Kind,
    /// Its signature: a field's type, a method's full signature, a struct's
    /// generics and shape. Two revisions with different signatures differ.
    pub signature: String,
    /// The key of the type it belongs to (fields, variants, methods, impls).
    pub parent: Option<String>,
    /// The short name an acknowledgement names it by: the owning type's name,
    /// or for a method of `Client` the operation (the method's name).
    pub subject: String,
    /// For structs and enums: whether new fields or variants can be added
    /// without breaking users (`#[non_exhaustive]`, or a struct that already
    /// has private fields and so cannot be built with a literal).
    pub extensible: bool,
}

/// The public surface of one generated file, keyed by a readable path such
/// as `types::ApiTokenDetails.workspace_name` or `Client::login`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    entries: BTreeMap<String, Entry>,
}

impl Surface {
    /// Parses generated code and extracts its public surface.
    pub fn from_source(source: &str) -> Result<Self, syn::Error> {
        let file = syn::parse_file(source)?;
        let mut surface = Surface::default();
        surface.items(&[], &file.items);
        Ok(surface)
    }

    /// Every entry, by key.
    pub fn entries(&self) -> &BTreeMap<String, Entry> {
        &self.entries
    }

    /// The entry at `key`.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.get(key)
    }

    fn insert(&mut self, key: String, entry: Entry) {
        self.entries.insert(key, entry);
    }

    fn items(&mut self, module: &[String], items: &[Item]) {
        for item in items {
            self.item(module, item);
        }
    }

    fn item(&mut self, module: &[String], item: &Item) {
        match item {
            Item::Mod(m) if is_pub(&m.vis) => {
                let key = join(module, &m.ident.to_string());
                self.insert(
                    key.clone(),
                    top(Kind::Module, String::new(), &m.ident.to_string()),
                );
                if let Some((_, items)) = &m.content {
                    let mut inner = module.to_vec();
                    inner.push(m.ident.to_string());
                    self.items(&inner, items);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) => {
                let name = s.ident.to_string();
                let key = join(module, &name);
                let (shape, fields) = match &s.fields {
                    Fields::Named(f) => ("{..}", f.named.iter().collect::<Vec<_>>()),
                    Fields::Unnamed(f) => ("(..)", f.unnamed.iter().collect()),
                    Fields::Unit => (";", Vec::new()),
                };
                let has_private = fields.iter().any(|f| !is_pub(&f.vis));
                let mut entry = top(
                    Kind::Struct,
                    format!("struct {name}{} {shape}", generics(&s.generics)),
                    &name,
                );
                entry.extensible = non_exhaustive(&s.attrs) || has_private;
                self.insert(key.clone(), entry);
                for (i, field) in fields.iter().enumerate() {
                    if !is_pub(&field.vis) {
                        continue;
                    }
                    let fname = field
                        .ident
                        .as_ref()
                        .map(|i| i.to_string())
                        .unwrap_or_else(|| i.to_string());
                    self.insert(
                        format!("{key}.{fname}"),
                        child(Kind::Field, ty(&field.ty), &key, &name),
                    );
                }
                self.derives(&key, &name, &s.attrs);
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let name = e.ident.to_string();
                let key = join(module, &name);
                let mut entry = top(
                    Kind::Enum,
                    format!("enum {name}{}", generics(&e.generics)),
                    &name,
                );
                entry.extensible = non_exhaustive(&e.attrs);
                self.insert(key.clone(), entry);
                for v in &e.variants {
                    let sig = match &v.fields {
                        Fields::Named(f) => format!(
                            "{{ {} }}",
                            f.named
                                .iter()
                                .map(|f| format!(
                                    "{}: {}",
                                    f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(),
                                    ty(&f.ty)
                                ))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Unnamed(f) => format!(
                            "({})",
                            f.unnamed
                                .iter()
                                .map(|f| ty(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        Fields::Unit => String::new(),
                    };
                    self.insert(
                        format!("{key}::{}", v.ident),
                        child(Kind::Variant, sig, &key, &name),
                    );
                }
                self.derives(&key, &name, &e.attrs);
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                let name = f.sig.ident.to_string();
                self.insert(
                    join(module, &name),
                    top(Kind::Function, signature(&f.sig), &name),
                );
            }
            Item::Type(t) if is_pub(&t.vis) => {
                let name = t.ident.to_string();
                self.insert(
                    join(module, &name),
                    top(
                        Kind::TypeAlias,
                        format!("type {name}{} = {}", generics(&t.generics), ty(&t.ty)),
                        &name,
                    ),
                );
            }
            Item::Const(c) if is_pub(&c.vis) => {
                let name = c.ident.to_string();
                self.insert(
                    join(module, &name),
                    top(
                        Kind::Constant,
                        format!("const {name}: {}", ty(&c.ty)),
                        &name,
                    ),
                );
            }
            Item::Static(s) if is_pub(&s.vis) => {
                let name = s.ident.to_string();
                self.insert(
                    join(module, &name),
                    top(
                        Kind::Constant,
                        format!("static {name}: {}", ty(&s.ty)),
                        &name,
                    ),
                );
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                let name = t.ident.to_string();
                self.insert(
                    join(module, &name),
                    top(
                        Kind::Trait,
                        format!("trait {name}{}", generics(&t.generics)),
                        &name,
                    ),
                );
            }
            Item::Use(u) if is_pub(&u.vis) => {
                let mut paths = Vec::new();
                use_paths(String::new(), &u.tree, &mut paths);
                for (name, target) in paths {
                    self.insert(
                        join(module, &name),
                        top(Kind::Reexport, format!("pub use {target}"), &name),
                    );
                }
            }
            Item::Impl(imp) => self.impl_block(module, imp),
            _ => {}
        }
    }

    fn impl_block(&mut self, module: &[String], imp: &syn::ItemImpl) {
        let self_ty = ty(&imp.self_ty);
        let base = base_name(&imp.self_ty).unwrap_or_else(|| self_ty.clone());
        let owner = join(module, &base);
        match &imp.trait_ {
            Some((path, _)) => {
                let sig = format!(
                    "impl{} {} for {self_ty}{}",
                    generics(&imp.generics),
                    path_str(path),
                    where_clause(&imp.generics)
                );
                self.insert(
                    format!("{}impl {} for {self_ty}", prefix(module), path_str(path)),
                    child(Kind::TraitImpl, sig, &owner, &base),
                );
            }
            None => {
                for item in &imp.items {
                    if let ImplItem::Fn(f) = item {
                        if !is_pub(&f.vis) {
                            continue;
                        }
                        let name = f.sig.ident.to_string();
                        // A method of the top-level `Client` is an operation:
                        // acknowledge it by its name.
                        let subject = if module.is_empty() && base == "Client" {
                            name.clone()
                        } else {
                            base.clone()
                        };
                        self.insert(
                            format!("{owner}::{name}"),
                            child(
                                Kind::Method,
                                format!("{}{}", signature(&f.sig), generics_outer(&imp.generics)),
                                &owner,
                                &subject,
                            ),
                        );
                    }
                }
            }
        }
    }

    /// `#[derive(..)]` traits, recorded like written trait impls.
    fn derives(&mut self, key: &str, name: &str, attrs: &[Attribute]) {
        let module = key.rsplit_once("::").map(|(m, _)| m).unwrap_or("");
        for attr in attrs {
            if !attr.path().is_ident("derive") {
                continue;
            }
            let Ok(paths) =
                attr.parse_args_with(Punctuated::<Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            for path in paths {
                let trait_name = path_str(&path);
                let module_prefix = if module.is_empty() {
                    String::new()
                } else {
                    format!("{module}::")
                };
                self.insert(
                    format!("{module_prefix}impl {trait_name} for {name}"),
                    child(
                        Kind::TraitImpl,
                        format!("#[derive({trait_name})] {name}"),
                        key,
                        name,
                    ),
                );
            }
        }
    }
}

fn top(kind: Kind, signature: String, subject: &str) -> Entry {
    Entry {
        kind,
        signature,
        parent: None,
        subject: subject.to_owned(),
        extensible: false,
    }
}

fn child(kind: Kind, signature: String, parent: &str, subject: &str) -> Entry {
    Entry {
        kind,
        signature,
        parent: Some(parent.to_owned()),
        subject: subject.to_owned(),
        extensible: false,
    }
}

fn join(module: &[String], name: &str) -> String {
    format!("{}{name}", prefix(module))
}

fn prefix(module: &[String]) -> String {
    module.iter().map(|m| format!("{m}::")).collect()
}

fn is_pub(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn non_exhaustive(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn use_paths(prefix: String, tree: &UseTree, out: &mut Vec<(String, String)>) {
    let with = |p: &str, s: &str| {
        if p.is_empty() {
            s.to_owned()
        } else {
            format!("{p}::{s}")
        }
    };
    match tree {
        UseTree::Path(p) => use_paths(with(&prefix, &p.ident.to_string()), &p.tree, out),
        UseTree::Name(n) => {
            let name = n.ident.to_string();
            out.push((name.clone(), with(&prefix, &name)));
        }
        UseTree::Rename(r) => out.push((
            r.rename.to_string(),
            format!("{} as {}", with(&prefix, &r.ident.to_string()), r.rename),
        )),
        UseTree::Glob(_) => out.push((with(&prefix, "*"), with(&prefix, "*"))),
        UseTree::Group(g) => {
            for t in &g.items {
                use_paths(prefix.clone(), t, out);
            }
        }
    }
}

/// The last path segment's name of a path type: `Login` for `Login<'a>`.
fn base_name(t: &Type) -> Option<String> {
    match t {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// A function signature without parameter names (they are not API).
fn signature(sig: &Signature) -> String {
    let mut s = String::new();
    if sig.constness.is_some() {
        s.push_str("const ");
    }
    if sig.asyncness.is_some() {
        s.push_str("async ");
    }
    if matches!(sig.safety, syn::Safety::Unsafe(_)) {
        s.push_str("unsafe ");
    }
    s.push_str(&format!("fn {}{}(", sig.ident, generics(&sig.generics)));
    let args: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            FnArg::Receiver(r) => match &r.kind {
                ReceiverKind::Value => "self".to_owned(),
                ReceiverKind::Reference(_, lt, m) => format!(
                    "&{}{}self",
                    lt.as_ref()
                        .map(|l| format!("'{} ", l.ident))
                        .unwrap_or_default(),
                    if m.is_some() { "mut " } else { "" }
                ),
                ReceiverKind::Typed(_, t) => format!("self: {}", ty(t)),
                _ => "self".to_owned(),
            },
            FnArg::Typed(p) => ty(&p.ty),
        })
        .collect();
    s.push_str(&args.join(", "));
    s.push(')');
    s.push_str(&ret(&sig.output));
    s.push_str(&where_clause(&sig.generics));
    s
}

/// The impl block's generics, when a method depends on them.
fn generics_outer(g: &Generics) -> String {
    let w = where_clause(g);
    if w.is_empty() {
        String::new()
    } else {
        format!(" /* impl{w} */")
    }
}

fn ret(r: &ReturnType) -> String {
    match r {
        ReturnType::Default => String::new(),
        ReturnType::Type(_, t) => format!(" -> {}", ty(t)),
    }
}

fn generics(g: &Generics) -> String {
    if g.params.is_empty() {
        return String::new();
    }
    let params: Vec<String> = g
        .params
        .iter()
        .map(|p| match p {
            GenericParam::Lifetime(l) => {
                let mut s = format!("'{}", l.lifetime.ident);
                if !l.bounds.is_empty() {
                    let b: Vec<String> = l.bounds.iter().map(|b| format!("'{}", b.ident)).collect();
                    s.push_str(&format!(": {}", b.join(" + ")));
                }
                s
            }
            GenericParam::Type(t) => {
                let mut s = t.ident.to_string();
                if !t.bounds.is_empty() {
                    s.push_str(&format!(": {}", bounds(&t.bounds)));
                }
                if let Some((_, d)) = &t.default {
                    s.push_str(&format!(" = {}", ty(d)));
                }
                s
            }
            GenericParam::Const(c) => format!("const {}: {}", c.ident, ty(&c.ty)),
        })
        .collect();
    format!("<{}>", params.join(", "))
}

fn where_clause(g: &Generics) -> String {
    let Some(w) = &g.where_clause else {
        return String::new();
    };
    if w.predicates.is_empty() {
        return String::new();
    }
    let preds: Vec<String> = w
        .predicates
        .iter()
        .map(|p| match p {
            WherePredicate::Lifetime(l) => format!(
                "'{}: {}",
                l.lifetime.ident,
                l.bounds
                    .iter()
                    .map(|b| format!("'{}", b.ident))
                    .collect::<Vec<_>>()
                    .join(" + ")
            ),
            WherePredicate::Type(t) => format!("{}: {}", ty(&t.bounded_ty), bounds(&t.bounds)),
            _ => "..".to_owned(),
        })
        .collect();
    format!(" where {}", preds.join(", "))
}

fn bounds(b: &Punctuated<TypeParamBound, syn::Token![+]>) -> String {
    b.iter()
        .map(|b| match b {
            TypeParamBound::Trait(t) => {
                format!(
                    "{}{}",
                    if t.maybe.is_some() { "?" } else { "" },
                    path_str(&t.path)
                )
            }
            TypeParamBound::Lifetime(l) => format!("'{}", l.ident),
            _ => "..".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn path_str(p: &Path) -> String {
    let segs: Vec<String> = p
        .segments
        .iter()
        .map(|s| format!("{}{}", s.ident, args(&s.arguments)))
        .collect();
    format!(
        "{}{}",
        if p.leading_colon.is_some() { "::" } else { "" },
        segs.join("::")
    )
}

fn args(a: &PathArguments) -> String {
    match a {
        PathArguments::None => String::new(),
        PathArguments::AngleBracketed(a) => {
            let parts: Vec<String> = a
                .args
                .iter()
                .map(|g| match g {
                    GenericArgument::Lifetime(l) => format!("'{}", l.ident),
                    GenericArgument::Type(t) => ty(t),
                    GenericArgument::AssocType(a) => format!("{} = {}", a.ident, ty(&a.ty)),
                    GenericArgument::Constraint(c) => format!("{}: {}", c.ident, bounds(&c.bounds)),
                    _ => "_".to_owned(),
                })
                .collect();
            format!("<{}>", parts.join(", "))
        }
        PathArguments::Parenthesized(p) => {
            let inputs: Vec<String> = p.inputs.iter().map(|a| ty(&a.ty)).collect();
            format!("({}){}", inputs.join(", "), ret(&p.output))
        }
    }
}

/// A type as text, normalised (no spacing differences).
pub(crate) fn ty(t: &Type) -> String {
    match t {
        Type::Path(p) => match &p.qself {
            None => path_str(&p.path),
            Some(q) => {
                // `<T as Trait>::Rest`: the first `position` segments are the trait.
                let segs: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| format!("{}{}", s.ident, args(&s.arguments)))
                    .collect();
                let (tr, rest) = segs.split_at(q.position.min(segs.len()));
                if tr.is_empty() {
                    format!("<{}>::{}", ty(&q.ty), rest.join("::"))
                } else {
                    format!(
                        "<{} as {}{}>::{}",
                        ty(&q.ty),
                        if p.path.leading_colon.is_some() {
                            "::"
                        } else {
                            ""
                        },
                        tr.join("::"),
                        rest.join("::")
                    )
                }
            }
        },
        Type::Reference(r) => format!(
            "&{}{}{}",
            r.lifetime
                .as_ref()
                .map(|l| format!("'{} ", l.ident))
                .unwrap_or_default(),
            if r.mutability.is_some() { "mut " } else { "" },
            ty(&r.elem)
        ),
        Type::Tuple(t) => {
            let e: Vec<String> = t.elems.iter().map(ty).collect();
            if e.len() == 1 {
                format!("({},)", e[0])
            } else {
                format!("({})", e.join(", "))
            }
        }
        Type::Slice(s) => format!("[{}]", ty(&s.elem)),
        Type::Array(a) => format!("[{}; _]", ty(&a.elem)),
        Type::Paren(p) => format!("({})", ty(&p.elem)),
        Type::Group(g) => ty(&g.elem),
        Type::Never(_) => "!".to_owned(),
        Type::Infer(_) => "_".to_owned(),
        Type::ImplTrait(i) => format!("impl {}", bounds(&i.bounds)),
        Type::TraitObject(o) => format!("dyn {}", bounds(&o.bounds)),
        Type::Ptr(p) => format!(
            "*{} {}",
            match p.mutability {
                syn::PointerMutability::Mut(_) => "mut",
                syn::PointerMutability::Const(_) => "const",
            },
            ty(&p.elem)
        ),
        Type::FnPtr(f) => {
            let i: Vec<String> = f.inputs.iter().map(|a| ty(&a.ty)).collect();
            format!("fn({}){}", i.join(", "), ret(&f.output))
        }
        _ => "<unrecognised type>".to_owned(),
    }
}
