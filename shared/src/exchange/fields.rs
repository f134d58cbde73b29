//! Field escaping and typed access to a record's fields.

use super::Record;

/// Escapes a field: `\` → `\\`, `;` → `\;`, line feed → `\n`, carriage return → `\r`.
pub fn escape_field(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Splits a line (without its line ending) on unescaped `;` and unescapes each field.
pub fn split_fields(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => fields.push(std::mem::take(&mut current)),
            '\\' => match chars.next() {
                Some('\\') => current.push('\\'),
                Some(';') => current.push(';'),
                Some('n') => current.push('\n'),
                Some('r') => current.push('\r'),
                Some(other) => return Err(format!("unknown escape sequence '\\{other}'")),
                None => return Err("the line ends with a lone backslash".into()),
            },
            c if c.is_control() && c != '\t' => {
                return Err(format!("control character U+{:04X} in the line", c as u32))
            }
            c => current.push(c),
        }
    }
    fields.push(current);
    Ok(fields)
}

/// A field-level problem in one record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field '{field}': {reason}")]
pub struct FieldError {
    pub field: &'static str,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        FieldError {
            field,
            reason: reason.into(),
        }
    }
}

/// The fields of one `DETAIL` record, looked up by name.
pub struct Fields<'a> {
    names: &'static [&'static str],
    values: &'a [String],
}

impl<'a> Fields<'a> {
    pub fn new<T: Record>(values: &'a [String]) -> Self {
        Fields {
            names: T::FIELDS,
            values,
        }
    }

    fn index(&self, name: &'static str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .unwrap_or_else(|| panic!("field {name} is not declared in FIELDS"))
    }

    /// The raw value, possibly empty.
    pub fn raw(&self, name: &'static str) -> &'a str {
        &self.values[self.index(name)]
    }

    pub fn required(&self, name: &'static str) -> Result<&'a str, FieldError> {
        let v = self.raw(name);
        if v.trim().is_empty() {
            Err(FieldError::new(name, "is required but empty"))
        } else {
            Ok(v)
        }
    }

    pub fn optional(&self, name: &'static str) -> Option<&'a str> {
        let v = self.raw(name);
        (!v.is_empty()).then_some(v)
    }

    /// Parses a required field, mapping the parser's error to a field error.
    pub fn parse<T, E: std::fmt::Display>(
        &self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, FieldError> {
        parse(self.required(name)?).map_err(|e| FieldError::new(name, e.to_string()))
    }

    pub fn parse_optional<T, E: std::fmt::Display>(
        &self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, FieldError> {
        self.optional(name)
            .map(|v| parse(v).map_err(|e| FieldError::new(name, e.to_string())))
            .transpose()
    }
}
