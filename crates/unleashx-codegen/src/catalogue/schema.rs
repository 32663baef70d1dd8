//! Reading schemas out of the raw document: body fields and numeric limits.

use serde_json::Value;

use super::{screaming_snake, Limit};

/// A response's first media type.
fn first_media(response: &Value) -> Option<&Value> {
    response.get("content")?.as_object()?.values().next()
}

/// The schema of a response's first media type (`Null` when it has no body).
pub(super) fn response_schema(response: &Value) -> Value {
    first_media(response)
        .and_then(|m| m.get("schema"))
        .cloned()
        .unwrap_or(Value::Null)
}

/// The request body schema of the operation at `op_ptr`, `$ref`s followed,
/// with the JSON pointer where it is defined.
pub(super) fn request_schema<'a>(raw: &'a Value, op_ptr: &str) -> Option<(String, &'a Value)> {
    let mut ptr = format!("{op_ptr}/requestBody");
    let mut body = raw.pointer(&ptr)?;
    if let Some(target) = body.get("$ref").and_then(Value::as_str) {
        ptr = target.strip_prefix('#')?.to_owned();
        body = raw.pointer(&ptr)?;
    }
    let (media, content) = body.get("content")?.as_object()?.iter().next()?;
    ptr = format!("{ptr}/content/{}/schema", crate::error::escape(media));
    let mut schema = content.get("schema")?;
    for _ in 0..32 {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => {
                ptr = target.strip_prefix('#')?.to_owned();
                schema = raw.pointer(&ptr)?;
            }
            None => return Some((ptr, schema)),
        }
    }
    None
}

/// The `message` of each example of a response's first media type: the
/// example's name (`None` for a lone `example`) and the text.
pub(super) fn messages(response: &Value) -> Vec<(Option<String>, String)> {
    let Some(media) = first_media(response) else {
        return Vec::new();
    };
    let message = |v: &Value| v.get("message").and_then(Value::as_str).map(str::to_owned);
    let mut out = Vec::new();
    if let Some(text) = media.get("example").and_then(message) {
        out.push((None, text));
    }
    for (name, example) in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(text) = example.get("value").and_then(message) {
            out.push((Some(name.clone()), text));
        }
    }
    out
}

/// The schema of the first error response in the document (all error
/// responses share one body type: the spec checks see to that).
pub(super) fn error_schema(raw: &Value) -> Value {
    raw.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("responses").and_then(Value::as_object))
        .flat_map(|r| r.iter())
        .filter(|(status, _)| !status.starts_with('2'))
        .map(|(_, response)| response_schema(resolve(raw, response)))
        .find(|schema| !schema.is_null())
        .unwrap_or(Value::Null)
}

/// Follows a local `$ref` (and one-element `allOf`) to the schema it names.
fn resolve<'a>(raw: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        if let Some(target) = value.get("$ref").and_then(Value::as_str) {
            match target.strip_prefix('#').and_then(|p| raw.pointer(p)) {
                Some(next) => value = next,
                None => return &Value::Null,
            }
        } else if let Some([one]) = value
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            value = one;
        } else {
            return value;
        }
    }
    value
}

/// The fields of an object schema as dotted paths, nested objects included;
/// a free-form object (`additionalProperties` not false, no properties) adds
/// `name.*`.
pub(super) fn fields(raw: &Value, schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(raw, schema, "", &mut out, 0);
    out
}

fn walk(raw: &Value, schema: &Value, prefix: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let schema = resolve(raw, schema);
    let properties = schema.get("properties").and_then(Value::as_object);
    let open = !matches!(schema.get("additionalProperties"), Some(Value::Bool(false)));
    match properties {
        Some(props) if !props.is_empty() => {
            for (name, sub) in props {
                let path = format!("{prefix}{name}");
                out.push(path.clone());
                walk(raw, sub, &format!("{path}."), out, depth + 1);
            }
        }
        _ if !prefix.is_empty() && open && is_object(schema) => {
            out.push(format!("{prefix}*"));
        }
        _ => {}
    }
}

fn is_object(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("object")
}

/// Every `minimum`, `maximum`, `minLength` and `maxLength` of a component
/// schema or of one of its properties.
pub(super) fn limits(raw: &Value) -> Vec<Limit> {
    let mut out = Vec::new();
    let schemas = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        push_limits(&screaming_snake(name), name, schema, &mut out);
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (prop, sub) in props {
                let base = format!("{}_{}", screaming_snake(name), screaming_snake(prop));
                push_limits(&base, &format!("{name}.{prop}"), sub, &mut out);
            }
        }
    }
    out
}

fn push_limits(base: &str, source: &str, schema: &Value, out: &mut Vec<Limit>) {
    for key in ["minimum", "maximum", "minLength", "maxLength"] {
        if let Some(value) = schema.get(key).and_then(Value::as_i64) {
            out.push(Limit {
                name: format!("{base}_{}", screaming_snake(key)),
                source: format!("{source}.{key}"),
                value,
            });
        }
    }
}
