//! YAML front matter read into the table shape TOML front matter has (keys and values with
//! byte spans), so that one field reading, [`crate::tomlread::Fields`], serves both formats.
//!
//! Every YAML scalar becomes a string holding what the field reader needs: a quoted scalar its
//! value, a plain scalar its source text (`version: 1.10` is "1.10", `reviewed: 2025-03-01` is
//! "2025-03-01"; NOTES 21), `null` and an empty value the empty string. The field reader, in its
//! YAML mode, turns such strings into dates, numbers and booleans where those are expected.

use std::borrow::Cow;
use std::ops::Range;

use saphyr::{LoadableYamlNode, MarkedYaml, Marker, Scalar, YamlData};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

/// A YAML problem: byte offset in the YAML text and a message.
pub type YamlError = (usize, String);

/// Parses the YAML `text` into a table whose spans are byte offsets of `text`. The text must
/// hold a mapping (or nothing).
pub fn parse(text: &str) -> Result<DeTable<'static>, YamlError> {
    let offsets = CharOffsets::new(text);
    let docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let info = e.info().trim_end_matches('.').to_string();
        (
            offsets.byte(e.marker()),
            format!("YAML syntax error: {info}"),
        )
    })?;
    let Some(doc) = docs.into_iter().next() else {
        return Ok(DeTable::new());
    };
    let reader = Reader { text, offsets };
    match reader.value(&doc).into_inner() {
        DeValue::Table(table) => Ok(table),
        DeValue::String(s) if s.is_empty() => Ok(DeTable::new()),
        _ => Err((
            reader.offsets.byte(&doc.span.start),
            "YAML front matter must be a mapping of `key: value` lines".into(),
        )),
    }
}

/// Char index → byte offset, since saphyr's markers count characters.
struct CharOffsets {
    starts: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        CharOffsets {
            starts: text.char_indices().map(|(i, _)| i).collect(),
            len: text.len(),
        }
    }

    fn byte(&self, marker: &Marker) -> usize {
        self.starts.get(marker.index()).copied().unwrap_or(self.len)
    }
}

struct Reader<'a> {
    text: &'a str,
    offsets: CharOffsets,
}

impl Reader<'_> {
    fn span(&self, node: &MarkedYaml<'_>) -> Range<usize> {
        let start = self.offsets.byte(&node.span.start);
        let end = self.offsets.byte(&node.span.end).max(start);
        start..end
    }

    /// The source text of a node (a plain scalar as written).
    fn source(&self, node: &MarkedYaml<'_>) -> String {
        let span = self.span(node);
        self.text.get(span).unwrap_or("").trim().to_string()
    }

    fn value(&self, node: &MarkedYaml<'_>) -> Spanned<DeValue<'static>> {
        let span = self.span(node);
        let value = match &node.data {
            YamlData::Value(Scalar::String(s)) => DeValue::String(Cow::Owned(s.to_string())),
            YamlData::Value(Scalar::Null) => DeValue::String(Cow::Borrowed("")),
            YamlData::Value(_) => DeValue::String(Cow::Owned(self.source(node))),
            YamlData::Representation(s, _, _) => DeValue::String(Cow::Owned(s.to_string())),
            YamlData::Sequence(items) => {
                let mut array = DeArray::new();
                for item in items {
                    array.push(self.value(item));
                }
                DeValue::Array(array)
            }
            YamlData::Mapping(map) => {
                let mut table = DeTable::new();
                for (key, value) in map {
                    let name = match &key.data {
                        YamlData::Value(Scalar::String(s)) => s.to_string(),
                        _ => self.source(key),
                    };
                    table.insert(
                        Spanned::new(self.span(key), Cow::Owned(name)),
                        self.value(value),
                    );
                }
                DeValue::Table(table)
            }
            YamlData::Tagged(_, inner) => return self.value(inner),
            YamlData::Alias(_) | YamlData::BadValue => {
                DeValue::String(Cow::Owned(self.source(node)))
            }
        };
        Spanned::new(span, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(table: &DeTable<'_>) -> Vec<(String, String, usize)> {
        table
            .iter()
            .map(|(k, v)| {
                let text = match v.get_ref() {
                    DeValue::String(s) => s.to_string(),
                    DeValue::Array(a) => format!("[{}]", a.len()),
                    _ => "?".into(),
                };
                (k.get_ref().to_string(), text, v.span().start)
            })
            .collect()
    }

    #[test]
    fn scalars_keep_their_text_and_byte_offsets() {
        let text = "title: Café policy\nversion: 1.10\nreviewed: 2025-03-01\nowner:\nq: \"x y\"\nc: [A.5.1, A.5.2]\n";
        let table = parse(text).unwrap();
        assert_eq!(
            strings(&table),
            // Keys in name order; offsets in bytes (é is two).
            [
                ("c".into(), "[2]".into(), 74),
                ("owner".into(), "".into(), 60),
                ("q".into(), "x y".into(), 65),
                ("reviewed".into(), "2025-03-01".into(), 44),
                ("title".into(), "Café policy".into(), 7),
                ("version".into(), "1.10".into(), 29),
            ]
        );
    }

    #[test]
    fn syntax_errors_and_non_mappings_are_errors() {
        assert!(parse("title: [unclosed\n").is_err());
        assert_eq!(parse("- a\n- b\n").unwrap_err().0, 0);
        assert!(parse("").unwrap().is_empty());
        assert!(parse("a: 1\na: 2\n").is_err());
    }
}
