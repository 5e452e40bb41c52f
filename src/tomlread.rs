//! Typed reading of TOML tables with positions: every wrong value and unknown key becomes a
//! diagnostic at its line and column in the file, and reading goes on to collect them all.

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Fix, Lint, Position, did_you_mean};
use crate::source::SourceText;

/// A value with the position it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it stands in its file.
    pub position: Position,
}

/// Where a TOML text sits: its file, its byte offset in that file, and the lint for bad values.
#[derive(Clone, Copy)]
pub struct TomlSource<'a> {
    /// The file.
    pub source: &'a SourceText,
    /// Byte offset of the TOML text within the file (non-zero for front matter).
    pub base: usize,
    /// The lint that syntax and type errors are reported under.
    pub lint: Lint,
}

impl<'a> TomlSource<'a> {
    /// The file position of byte `offset` of the TOML text.
    pub fn position(&self, offset: usize) -> Position {
        self.source.position(self.base + offset)
    }

    /// A diagnostic of this source's lint at `position` of the file.
    pub fn error_at(&self, position: Position, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.lint, message)
            .in_file(&self.source.path)
            .at(position)
    }

    /// A diagnostic of this source's lint at byte `offset` of the TOML text.
    pub fn error(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.lint, message)
            .in_file(&self.source.path)
            .at(self.position(offset))
    }

    /// The one of `all` that `given` names (case, spaces and underscores aside: `Not
    /// Implemented` is `not-implemented`); otherwise a diagnostic saying what `key` may be, with
    /// a did-you-mean, and `None`.
    pub fn choose<T: Copy>(
        &self,
        given: &Located<String>,
        all: &[T],
        name: fn(T) -> &'static str,
        key: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        let wanted = given
            .value
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-");
        if let Some(found) = all.iter().copied().find(|v| name(*v) == wanted) {
            return Some(found);
        }
        let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        let help = did_you_mean(&wanted, names.iter().copied())
            .map(|n| format!("did you mean \"{n}\"?"))
            .unwrap_or_else(|| format!("use one of: {}", names.join(", ")));
        out.push(
            Diagnostic::new(
                self.lint,
                format!(
                    "`{key}` \"{}\" is not one of {}",
                    given.value,
                    names.join(", ")
                ),
            )
            .in_file(&self.source.path)
            .at(given.position)
            .with_help(help),
        );
        None
    }

    /// Parses `text` (a slice of the file starting at `base`) into a table, reporting every
    /// syntax error. Returns `None` when there was any.
    pub fn parse<'t>(
        &self,
        text: &'t str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<DeTable<'t>> {
        let (table, errors) = DeTable::parse_recoverable(text);
        if errors.is_empty() {
            return Some(table.into_inner());
        }
        for error in errors {
            let offset = error.span().map(|s| s.start).unwrap_or(0);
            let message = error.message().trim().trim_end_matches('.').to_string();
            diagnostics.push(self.error(offset, format!("TOML syntax error: {message}")));
        }
        None
    }
}

/// Reads the keys of one table, remembering which were used so the rest can be reported.
pub struct Fields<'a, 't> {
    src: TomlSource<'a>,
    table: &'a DeTable<'t>,
    prefix: String,
    used: Vec<String>,
    yaml: bool,
}

impl<'a, 't> Fields<'a, 't> {
    /// Starts reading `table`; `prefix` names it in messages (`""` at the top, `"reviews."` below).
    pub fn new(src: TomlSource<'a>, table: &'a DeTable<'t>, prefix: &str) -> Self {
        Fields {
            src,
            table,
            prefix: prefix.to_string(),
            used: Vec::new(),
            yaml: false,
        }
    }

    /// Reads a table made from YAML front matter (which `yamlread` turns into TOML values): every scalar is a string there,
    /// read as a date, number or boolean where one is expected.
    pub fn yaml(mut self) -> Self {
        self.yaml = true;
        self
    }

    /// Whether the table was made from YAML.
    pub fn is_yaml(&self) -> bool {
        self.yaml
    }

    /// The source this table is read from.
    pub fn source(&self) -> TomlSource<'a> {
        self.src
    }

    /// The raw value of `key`, marking it used.
    pub fn raw(&mut self, key: &str) -> Option<&'a Spanned<DeValue<'t>>> {
        let value = self.table.get(key)?;
        self.used.push(key.to_string());
        Some(value)
    }

    /// Whether the table has `key` (without marking it used).
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    fn wrong_type(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        expected: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        out.push(self.src.error(
            value.span().start,
            format!(
                "`{}{key}` must be {expected}, found {}",
                self.prefix,
                describe(value.get_ref())
            ),
        ));
    }

    /// A string value; other types are reported.
    pub fn string(&mut self, key: &str, out: &mut Vec<Diagnostic>) -> Option<Located<String>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(self.located(value, s.to_string())),
            _ => {
                self.wrong_type(key, value, "a string", out);
                None
            }
        }
    }

    /// A string, or a number kept as written (for `version = 2.1`).
    pub fn string_or_number(
        &mut self,
        key: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Located<String>> {
        let value = self.raw(key)?;
        let text = match value.get_ref() {
            DeValue::String(s) => s.to_string(),
            DeValue::Integer(i) => i.as_str().to_string(),
            DeValue::Float(f) => f.as_str().to_string(),
            _ => {
                self.wrong_type(key, value, "a string", out);
                return None;
            }
        };
        Some(self.located(value, text))
    }

    /// A boolean value.
    pub fn boolean(&mut self, key: &str, out: &mut Vec<Diagnostic>) -> Option<Located<bool>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(self.located(value, *b)),
            DeValue::String(s) if self.yaml && yaml_bool(s).is_some() => {
                Some(self.located(value, yaml_bool(s)?))
            }
            _ => {
                self.wrong_type(key, value, "true or false", out);
                None
            }
        }
    }

    /// A non-negative integer no larger than `max`.
    pub fn integer(
        &mut self,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Located<i64>> {
        let value = self.raw(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .ok()
                .or_else(|| i.as_str().replace('_', "").parse().ok()),
            DeValue::String(s) if self.yaml => s.trim().parse().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if range.contains(&n) => Some(self.located(value, n)),
            Some(n) => {
                out.push(self.src.error(
                    value.span().start,
                    format!(
                        "`{}{key}` must be between {} and {}, found {n}",
                        self.prefix,
                        range.start(),
                        range.end()
                    ),
                ));
                None
            }
            None => {
                self.wrong_type(key, value, "a whole number", out);
                None
            }
        }
    }

    /// A bare TOML date (no time, no offset).
    pub fn date(&mut self, key: &str, out: &mut Vec<Diagnostic>) -> Option<Located<Date>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    match Date::new(d.year as i16, d.month as i8, d.day as i8) {
                        Ok(date) => Some(self.located(value, date)),
                        Err(_) => {
                            out.push(self.src.error(
                                value.span().start,
                                format!("`{}{key}` is not a valid date", self.prefix),
                            ));
                            None
                        }
                    }
                }
                _ => {
                    out.push(
                        self.src
                            .error(
                                value.span().start,
                                format!(
                                    "`{}{key}` must be a date without a time, found `{dt}`",
                                    self.prefix
                                ),
                            )
                            .with_help("write a bare date such as 2025-03-01"),
                    );
                    None
                }
            },
            DeValue::String(s) if self.yaml => self.yaml_date(key, value, s, out),
            DeValue::String(s) => {
                let mut d = self.src.error(
                    value.span().start,
                    format!("`{}{key}` must be a TOML date, found a string", self.prefix),
                );
                if s.parse::<Date>().is_ok() {
                    d = d.with_help(format!("write the date without quotes: {key} = {s}"));
                    let span = value.span();
                    let original = self
                        .src
                        .source
                        .text
                        .get(self.src.base + span.start..self.src.base + span.end);
                    if let Some(original) = original.filter(|o| !o.contains('\n')) {
                        let start = self.src.position(span.start);
                        d = d.with_fix(Fix::replace(start, original, s.to_string()));
                    }
                }
                out.push(d);
                None
            }
            _ => {
                self.wrong_type(key, value, "a date such as 2025-03-01", out);
                None
            }
        }
    }

    /// A date in YAML: a plain or quoted `YYYY-MM-DD`; an empty value is no date.
    fn yaml_date(
        &self,
        key: &str,
        value: &Spanned<DeValue<'_>>,
        text: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Located<Date>> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<Date>() {
            Ok(date) if text.len() == 10 => Some(self.located(value, date)),
            _ => {
                out.push(
                    self.src
                        .error(
                            value.span().start,
                            format!(
                                "`{}{key}` must be a date such as 2025-03-01, found \"{text}\"",
                                self.prefix
                            ),
                        )
                        .with_help("write a bare date: YYYY-MM-DD"),
                );
                None
            }
        }
    }

    /// An array of strings, each with its position.
    pub fn string_list(
        &mut self,
        key: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Vec<Located<String>>> {
        let value = self.raw(key)?;
        let DeValue::Array(items) = value.get_ref() else {
            let mut d = self.src.error(
                value.span().start,
                format!(
                    "`{}{key}` must be an array of strings, found {}",
                    self.prefix,
                    describe(value.get_ref())
                ),
            );
            if let DeValue::String(s) = value.get_ref() {
                d = d.with_help(if self.yaml {
                    format!("write {key}: [{s}]")
                } else {
                    format!("write {key} = [\"{s}\"]")
                });
            }
            out.push(d);
            return None;
        };
        let mut list = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => list.push(self.located(item, s.to_string())),
                other => out.push(self.src.error(
                    item.span().start,
                    format!(
                        "`{}{key}` must hold only strings, found {}",
                        self.prefix,
                        describe(other)
                    ),
                )),
            }
        }
        Some(list)
    }

    /// A sub-table, or `None` (reporting a wrong type) when the key holds something else.
    pub fn table(&mut self, key: &str, out: &mut Vec<Diagnostic>) -> Option<&'a DeTable<'t>> {
        let value = self.raw(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.wrong_type(key, value, "a table", out);
                None
            }
        }
    }

    /// A sub-table with the position of its key, or `None` (reporting a wrong type).
    pub fn table_at(
        &mut self,
        key: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Option<(&'a DeTable<'t>, Position)> {
        let position = self
            .table
            .get_key_value(key)
            .map(|(k, _)| self.src.position(k.span().start))?;
        self.table(key, out).map(|t| (t, position))
    }

    /// An array of tables (`[[key]]`), each table with its position.
    pub fn tables(
        &mut self,
        key: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Vec<(&'a DeTable<'t>, Position)> {
        let Some(value) = self.raw(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type(key, value, &format!("an array of tables ([[{key}]])"), out);
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => tables.push((t, self.src.position(item.span().start))),
                other => out.push(self.src.error(
                    item.span().start,
                    format!("`{key}` must hold tables, found {}", describe(other)),
                )),
            }
        }
        tables
    }

    /// Every key with its position, for tables whose keys are data (such as control ids).
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Position, &'a Spanned<DeValue<'t>>)> {
        let src = self.src;
        self.table
            .iter()
            .map(move |(k, v)| (k.get_ref().as_ref(), src.position(k.span().start), v))
    }

    fn located<T>(&self, value: &Spanned<DeValue<'_>>, inner: T) -> Located<T> {
        Located {
            value: inner,
            position: self.src.position(value.span().start),
        }
    }

    /// Reports every key not read as `unknown-field`, with a did-you-mean among `known`.
    pub fn finish(self, known: &[&str], out: &mut Vec<Diagnostic>) {
        self.finish_with_hints(known, &[], out);
    }

    /// As [`Fields::finish`], and a key that `hints` names (another tool's name for a known
    /// key) gets that key as its did-you-mean.
    pub fn finish_with_hints(
        self,
        known: &[&str],
        hints: &[(&str, &str)],
        out: &mut Vec<Diagnostic>,
    ) {
        for (key, value) in self.table.iter() {
            let name: &str = key.get_ref().as_ref();
            if self.used.iter().any(|u| u == name) {
                continue;
            }
            let _ = value;
            let hinted = hints.iter().find(|(alias, _)| *alias == name).map(|(_, k)| {
                format!(
                    "did you mean `{}{k}`? (or map it in annexa.toml: `[front_matter] aliases = {{ {name} = \"{k}\" }}`)",
                    self.prefix
                )
            });
            let help = hinted.or_else(|| {
                did_you_mean(name, known.iter().copied())
                    .map(|k| format!("did you mean `{}{k}`?", self.prefix))
            });
            let help = help.or_else(|| {
                Some(format!(
                    "known keys{}: {}",
                    if self.prefix.is_empty() {
                        String::new()
                    } else {
                        format!(" in [{}]", self.prefix.trim_end_matches('.'))
                    },
                    known.join(", ")
                ))
            });
            out.push(
                Diagnostic::new(
                    Lint::UnknownField,
                    format!("unknown key `{}{name}`", self.prefix),
                )
                .in_file(&self.src.source.path)
                .at(self.src.position(key.span().start))
                .with_help_opt(help),
            );
        }
    }
}

/// A YAML 1.2 boolean's value.
fn yaml_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A short phrase naming a TOML value's type, for messages.
pub fn describe(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}
