//! Every example in `openapi.yaml` must be valid: against its schema in the
//! spec, as a value of the generated Rust type, and against the schemars
//! schema derived from that type. An example that fails any of the three is
//! either a wrong example or a schema that does not say what the docs say.

mod common;

use serde_json::{json, Map, Value};
use unleashx_api::types;

/// One example and where it stands.
struct Example {
    pointer: String,
    schema: Value,
    value: Value,
}

#[test]
fn every_example_matches_its_schema_in_the_spec() {
    let spec = common::spec();
    let raw = spec.raw();
    let examples = collect(raw);
    assert!(
        examples.len() >= 40,
        "only {} examples found",
        examples.len()
    );
    let mut failures = Vec::new();
    for ex in &examples {
        let schema = standalone(raw, &ex.schema);
        let validator = jsonschema::draft7::new(&schema)
            .unwrap_or_else(|e| panic!("{}: bad schema: {e}", ex.pointer));
        for err in validator.iter_errors(&ex.value) {
            failures.push(format!("{}: {err}", ex.pointer));
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not match the spec:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_body_example_decodes_into_the_generated_type_and_its_schemars_schema() {
    let spec = common::spec();
    let examples = collect(spec.raw());
    let mut checked = 0;
    let mut failures = Vec::new();
    for ex in &examples {
        let Some(name) = ex
            .schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        else {
            continue;
        };
        checked += 1;
        if let Err(e) = check_generated(name, &ex.value) {
            failures.push(format!("{} ({name}): {e}", ex.pointer));
        }
    }
    assert!(checked >= 20, "only {checked} body examples checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrong_example_is_caught() {
    // The checks above must be able to fail: a customer id with 11 digits.
    let spec = common::spec();
    let schema = standalone(
        spec.raw(),
        &json!({"$ref": "#/components/schemas/GetTokenByCustomerIdRequest"}),
    );
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    assert!(!validator.is_valid(&json!({"customer_id": "04837291056"})));
    assert!(
        !validator.is_valid(&json!({"customer_id": "x048372910564y"})),
        "pattern must be anchored"
    );
    assert!(!validator.is_valid(&json!({"customer_id": "048372910564", "expiration_days": 0})));
    assert!(validator.is_valid(&json!({"customer_id": "048372910564", "expiration_days": 1})));
    assert!(check_generated(
        "GetTokenByCustomerIdRequest",
        &json!({"customer_id": "48372910564"})
    )
    .is_err());
    assert!(check_generated(
        "GetTokenByCustomerIdRequest",
        &json!({"customer_id": "048372910564", "expiration_days": 0})
    )
    .is_err());
    assert!(check_generated(
        "GetTokenByCustomerIdResponse",
        &json!({"customerid": "048372910564"})
    )
    .is_err());
}

/// Deserializes `value` as the generated type named `name`, re-serializes it
/// unchanged, and validates it against that type's schemars schema.
fn check_generated(name: &str, value: &Value) -> Result<(), String> {
    macro_rules! dispatch {
        ($($ty:ident),* $(,)?) => {
            match name {
                $(stringify!($ty) => roundtrip::<types::$ty>(value),)*
                other => Err(format!("schema `{other}` has no generated `types::` item")),
            }
        };
    }
    unleashx_api::for_each_schema_type!(dispatch)
}

fn roundtrip<T>(value: &Value) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + serde::Serialize + schemars::JsonSchema + PartialEq,
{
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    // Serializing may drop empty optional members; decoding again must give
    // the same value.
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    let again: T = serde_json::from_value(back.clone())
        .map_err(|e| format!("re-encoded {back} does not decode: {e}"))?;
    if again != typed {
        return Err(format!("changes on a round trip: {value} became {back}"));
    }
    let schema = serde_json::to_value(schemars::schema_for!(T)).map_err(|e| e.to_string())?;
    let validator =
        jsonschema::draft7::new(&schema).map_err(|e| format!("schemars schema: {e}"))?;
    let errors: Vec<String> = [value, &back]
        .into_iter()
        .flat_map(|v| {
            validator
                .iter_errors(v)
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "does not match the schemars schema: {}",
            errors.join("; ")
        ))
    }
}

/// Finds every example: on media types (request bodies and responses, shared
/// responses included) and on schemas and their properties.
fn collect(raw: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let empty = Map::new();
    let obj = |v: Option<&Value>| {
        v.and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    };
    for (path, item) in obj(raw.get("paths")) {
        for (method, op) in obj(Some(&item)) {
            let base = format!(
                "/paths/{}/{method}",
                path.replace('~', "~0").replace('/', "~1")
            );
            if let Some(content) = op.pointer("/requestBody/content") {
                media_examples(&format!("{base}/requestBody/content"), content, &mut out);
            }
            for (status, response) in obj(op.get("responses")) {
                if let Some(content) = response.get("content") {
                    media_examples(
                        &format!("{base}/responses/{status}/content"),
                        content,
                        &mut out,
                    );
                }
            }
        }
    }
    for (name, response) in obj(raw.pointer("/components/responses")) {
        if let Some(content) = response.get("content") {
            media_examples(
                &format!("/components/responses/{name}/content"),
                content,
                &mut out,
            );
        }
    }
    for (name, schema) in obj(raw.pointer("/components/schemas")) {
        schema_examples(&format!("/components/schemas/{name}"), &schema, &mut out);
    }
    out
}

fn media_examples(pointer: &str, content: &Value, out: &mut Vec<Example>) {
    for (media_type, media) in content.as_object().into_iter().flatten() {
        let Some(schema) = media.get("schema") else {
            continue;
        };
        let here = format!("{pointer}/{}", media_type.replace('/', "~1"));
        if let Some(value) = media.get("example") {
            out.push(Example {
                pointer: format!("{here}/example"),
                schema: schema.clone(),
                value: value.clone(),
            });
        }
        for (name, ex) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = ex.get("value") {
                out.push(Example {
                    pointer: format!("{here}/examples/{name}"),
                    schema: schema.clone(),
                    value: value.clone(),
                });
            }
        }
    }
}

fn schema_examples(pointer: &str, schema: &Value, out: &mut Vec<Example>) {
    if let Some(value) = schema.get("example") {
        out.push(Example {
            pointer: format!("{pointer}/example"),
            schema: schema.clone(),
            value: value.clone(),
        });
    }
    for (name, prop) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        schema_examples(&format!("{pointer}/properties/{name}"), prop, out);
    }
}

/// Turns an OpenAPI 3.0 schema into a draft-7 JSON Schema that carries the
/// spec's components as `definitions`.
fn standalone(raw: &Value, schema: &Value) -> Value {
    // Each component is converted on its own: converting the map of names as
    // if it were a schema would drop a component named like a keyword.
    let definitions: Map<String, Value> = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, def)| (name.clone(), to_json_schema(def)))
        .collect();
    json!({ "definitions": definitions, "allOf": [to_json_schema(schema)] })
}

fn to_json_schema(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, val) in map {
                match k.as_str() {
                    "$ref" => {
                        let r = val
                            .as_str()
                            .unwrap_or_default()
                            .replace("#/components/schemas/", "#/definitions/");
                        out.insert(k.clone(), Value::String(r));
                    }
                    "nullable" | "example" => {}
                    k if k.starts_with("x-") => {}
                    _ => {
                        out.insert(k.clone(), to_json_schema(val));
                    }
                }
            }
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(t) = out.get("type").cloned() {
                    out.insert("type".into(), json!([t, "null"]));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(to_json_schema).collect()),
        other => other.clone(),
    }
}
