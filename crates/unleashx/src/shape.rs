//! One pass over a JSON response body, without building its values: the
//! dotted paths of its fields, those the spec does not declare, and the
//! error body's `message`. The drift check and `unleashx doctor` (through
//! [`inspect`](crate::inspect)) both read bodies with it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// The longest field path kept as sent in a deviation; longer ones are cut.
pub(crate) const MAX_SHOWN: usize = 64;

/// What to look for.
pub(crate) struct Walk<'a> {
    /// The declared dotted paths (`name.*` marks a free-form object), or
    /// `None` to check none.
    pub(crate) declared: Option<&'a [&'a str]>,
    /// Whether to read the top-level `message` string.
    pub(crate) message: bool,
    /// Whether to list every field, declared or not.
    pub(crate) all_fields: bool,
}

/// What one walk found.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    /// Every field's dotted path (only with `all_fields`), depth first with
    /// the keys of each object sorted, a repeated key keeping its last value:
    /// the order of the object as JSON defines it, unordered keys.
    pub(crate) fields: Vec<String>,
    /// The outermost undeclared paths, cut at [`MAX_SHOWN`].
    pub(crate) extra: Vec<String>,
    /// The top-level `message`, when it is a string and was asked for.
    pub(crate) message: Option<String>,
}

impl Walk<'_> {
    /// Walks `body`; `None` when it is not one JSON object.
    pub(crate) fn run(&self, body: &[u8]) -> Option<Shape> {
        let mut state = State {
            walk: self,
            path: String::new(),
            shape: Shape::default(),
        };
        let mut de = serde_json::Deserializer::from_slice(body);
        let top = Object {
            state: &mut state,
            top: true,
            checked: self.declared.is_some(),
            message: false,
        };
        de::Deserializer::deserialize_map(&mut de, top).ok()?;
        de.end().ok()?;
        Some(state.shape)
    }
}

struct State<'w, 'a> {
    walk: &'w Walk<'a>,
    path: String,
    shape: Shape,
}

impl State<'_, '_> {
    fn declared(&self) -> &[&str] {
        self.walk.declared.unwrap_or_default()
    }

    /// Whether the spec lists fields under the current path, and not as
    /// free-form (`path.*`).
    fn descend(&self) -> bool {
        // A loop, not a collected list: this runs for every object of every
        // response the drift check reads.
        let mut children = false;
        for rest in self
            .declared()
            .iter()
            .filter_map(|field| field.strip_prefix(self.path.as_str())?.strip_prefix('.'))
        {
            if rest == "*" {
                return false;
            }
            children = true;
        }
        children
    }

    fn note_extra(&mut self) {
        let mut path: String = self.path.chars().take(MAX_SHOWN).collect();
        if path.len() < self.path.len() {
            path.push('…');
        }
        self.shape.extra.push(path);
    }
}

/// Visitor methods that accept a value and do nothing with it.
macro_rules! skip {
    ($($visit:ident($($value:ty)?)),*) => {$(
        fn $visit<E>(self, $(_: $value)?) -> Result<(), E> {
            Ok(())
        }
    )*};
}

/// One value: an object is walked, anything else skipped; the `message`
/// slot keeps its string.
struct Object<'s, 'w, 'a> {
    state: &'s mut State<'w, 'a>,
    /// Whether this is the body itself, which must be an object.
    top: bool,
    /// Whether undeclared fields are noted at this level.
    checked: bool,
    /// Whether this is the top-level `message`.
    message: bool,
}

impl<'de> DeserializeSeed<'de> for Object<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Object<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let state = self.state;
        let all = state.walk.all_fields;
        // With every field listed: each key's fields, by key; of a repeated
        // key only the last stays.
        let mut by_key: BTreeMap<String, Vec<String>> = BTreeMap::new();
        while let Some(Key(key)) = map.next_key()? {
            let from = state.shape.fields.len();
            let len = state.path.len();
            if len > 0 {
                state.path.push('.');
            }
            state.path.push_str(&key);
            if all {
                state.shape.fields.push(state.path.clone());
            }
            let extra = self.checked && !state.declared().contains(&state.path.as_str());
            if extra {
                state.note_extra();
            }
            let message = self.top && state.walk.message && key == "message" && !extra;
            let checked = self.checked && !extra && state.descend();
            if message || checked || all {
                map.next_value_seed(Object {
                    state: &mut *state,
                    top: false,
                    checked,
                    message,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
            state.path.truncate(len);
            if all {
                by_key.insert(key.into_owned(), state.shape.fields.split_off(from));
            }
        }
        state.shape.fields.extend(by_key.into_values().flatten());
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        if self.message {
            self.state.shape.message = Some(v.to_owned());
        }
        Ok(())
    }

    // A documented object field holding something else: not this walk's business.
    skip!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );
    skip!(visit_unit(), visit_none());
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// An object key, borrowed from the body unless it has escapes: the drift
/// check reads every key of every response, so it allocates none it can avoid.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_walk_lists_fields_extras_and_the_message() {
        let body = br#"{"message":"X","data":{"token":"t","seats":{"a":1}},"plan":[{"b":1}],"auth":{"k":{"l":2}}}"#;
        let declared: &[&str] = &["message", "data", "data.token", "auth", "auth.*"];
        let shape = Walk {
            declared: Some(declared),
            message: true,
            all_fields: true,
        }
        .run(body)
        .expect("an object");
        assert_eq!(
            shape.fields,
            [
                "auth",
                "auth.k",
                "auth.k.l",
                "data",
                "data.seats",
                "data.seats.a",
                "data.token",
                "message",
                "plan"
            ]
        );
        // Keys sort per object (`b` and its fields before `b.c`); a repeated
        // key keeps its last value.
        let sorted = Walk {
            declared: None,
            message: false,
            all_fields: true,
        }
        .run(br#"{"z":{"y":1},"b.c":2,"b":{"q":1},"z":3}"#)
        .expect("an object");
        assert_eq!(sorted.fields, ["b", "b.q", "b.c", "z"]);
        assert_eq!(shape.extra, ["data.seats", "plan"]);
        assert_eq!(shape.message.as_deref(), Some("X"));
        let quiet = Walk {
            declared: Some(declared),
            message: false,
            all_fields: false,
        }
        .run(body)
        .expect("an object");
        assert!(quiet.fields.is_empty() && quiet.message.is_none());
        assert_eq!(quiet.extra, shape.extra);
        for not_an_object in [&b"[1]"[..], b"<html>", b"", b"{} x", b"\"s\""] {
            assert!(Walk {
                declared: None,
                message: true,
                all_fields: true
            }
            .run(not_an_object)
            .is_none());
        }
    }
}
