//! The first thing wrong with a request, located by its JSON path, and the text checks every
//! request shares.

/// Longest free text kassa stores (descriptions, names, references).
pub const MAX_TEXT: usize = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldErrorKind {
    /// Absent or null where the contract requires it (code 12).
    Missing,
    /// Present but wrong (code 11).
    Invalid,
}

/// The first thing wrong with a request, as `"{path} {message}"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub kind: FieldErrorKind,
    pub path: String,
    pub message: String,
}

impl FieldError {
    pub fn missing(path: impl Into<String>) -> FieldError {
        FieldError {
            kind: FieldErrorKind::Missing,
            path: path.into(),
            message: "is required".into(),
        }
    }

    pub fn invalid(path: impl Into<String>, message: impl ToString) -> FieldError {
        FieldError {
            kind: FieldErrorKind::Invalid,
            path: path.into(),
            message: message.to_string(),
        }
    }

    pub fn detail(&self) -> String {
        format!("{} {}", self.path, self.message)
    }
}

pub type FieldResult<T> = Result<T, FieldError>;

/// A present, non-empty, bounded string.
pub fn text(path: &str, value: Option<String>) -> FieldResult<String> {
    let v = value.ok_or_else(|| FieldError::missing(path))?;
    bounded_text(path, v)
}

pub fn optional_text(path: &str, value: Option<String>) -> FieldResult<Option<String>> {
    value.map(|v| bounded_text(path, v)).transpose()
}

fn bounded_text(path: &str, v: String) -> FieldResult<String> {
    if v.trim().is_empty() {
        return Err(FieldError::invalid(path, "must not be empty"));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(FieldError::invalid(
            path,
            format_args!("is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(v)
}
