use std::path::Path;

use openapiv3::OpenAPI;
use serde_path_to_error::Segment;

use crate::error::{escape, Location, SpecError};

/// A parsed and checked OpenAPI document.
#[derive(Debug, Clone)]
pub struct Spec {
    file: String,
    document: OpenAPI,
    raw: serde_json::Value,
}

impl Spec {
    /// Reads and checks the spec at `path`.
    pub fn load(path: &Path) -> Result<Self, SpecError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            SpecError::new(
                &file,
                Location::Document,
                format!("cannot read the spec: {e}"),
            )
            .hint("check the path; build.rs reads openapi.yaml at the workspace root")
        })?;
        Self::parse(&text, &file)
    }

    /// Parses and checks spec text; `file` names it in error messages.
    pub fn parse(text: &str, file: &str) -> Result<Self, SpecError> {
        let raw: serde_json::Value =
            serde_yaml_ng::from_str(text).map_err(|e| yaml_error(file, &e))?;
        check_version(file, &raw)?;
        let de = serde_yaml_ng::Deserializer::from_str(text);
        let document: OpenAPI = serde_path_to_error::deserialize(de).map_err(|e| {
            let pointer = pointer_of(e.path());
            let inner = e.into_inner();
            let location = match inner.location() {
                Some(l) => line_column(l),
                None => Location::Pointer(pointer.clone()),
            };
            SpecError::new(
                file,
                location,
                format!("not a valid OpenAPI 3.0 document at #{pointer}: {inner}"),
            )
            .hint("compare that part with the OpenAPI 3.0.3 specification")
        })?;
        crate::checks::check(file, &document)?;
        let spec = Self {
            file: file.to_owned(),
            document,
            raw,
        };
        // The extensions the catalogue reads are checked on load too, so a
        // malformed one fails before any code is generated.
        crate::catalogue::Catalogue::read(&spec)?;
        Ok(spec)
    }

    /// The file name given when loading.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The typed document.
    pub fn document(&self) -> &OpenAPI {
        &self.document
    }

    /// The document as plain JSON, extensions and examples included.
    pub fn raw(&self) -> &serde_json::Value {
        &self.raw
    }
}

fn yaml_error(file: &str, e: &serde_yaml_ng::Error) -> SpecError {
    let location = e.location().map_or(Location::Document, line_column);
    SpecError::new(file, location, format!("YAML syntax error: {e}"))
        .hint("fix the YAML syntax (indentation, quoting, a missing colon)")
}

fn line_column(l: serde_yaml_ng::Location) -> Location {
    Location::LineColumn {
        line: l.line(),
        column: l.column(),
    }
}

fn check_version(file: &str, raw: &serde_json::Value) -> Result<(), SpecError> {
    match raw.get("openapi").and_then(|v| v.as_str()) {
        Some(v) if v.trim().starts_with("3.0.") => Ok(()),
        Some(v) => Err(SpecError::at(file, "/openapi", format!("OpenAPI version {v} is not supported"))
            .hint("progenitor 0.15 reads OpenAPI 3.0.x only; write `openapi: 3.0.3` and express 3.1 features in 3.0 terms (`nullable: true` instead of a `null` type)")),
        None => Err(SpecError::at(file, "/openapi", "the `openapi` version field is missing or not a string")
            .hint("start the document with `openapi: 3.0.3`")),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Seq { index } => format!("/{index}"),
            Segment::Map { key } => format!("/{}", escape(key)),
            Segment::Enum { variant } => format!("/{}", escape(variant)),
            Segment::Unknown => "/?".to_owned(),
        })
        .collect()
}
