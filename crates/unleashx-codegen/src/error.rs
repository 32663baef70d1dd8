use std::fmt;

/// Where in the spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A 1-based line and column in the YAML text.
    LineColumn {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// A JSON pointer (RFC 6901) into the document, such as `/paths/~1api~1login/post`.
    Pointer(String),
    /// The document as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(p) if p.is_empty() => f.write_str("#"),
            Location::Pointer(p) => write!(f, "#{p}"),
            Location::Document => f.write_str("(document)"),
        }
    }
}

/// Why a spec could not be loaded or turned into code.
///
/// Its `Display` reads `FILE:LOCATION: what is wrong` followed by what to do,
/// the form compilers use, so build output points straight at the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    file: String,
    location: Location,
    message: String,
    hint: Option<String>,
}

impl SpecError {
    pub(crate) fn new(file: &str, location: Location, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn at(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Self::new(file, Location::Pointer(pointer.to_owned()), message)
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The file the error is in, as it was named when loading.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where in the file.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What to do about it, when known.
    pub fn help(&self) -> Option<&str> {
        self.hint.as_deref()
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.location, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// Escapes one JSON pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
