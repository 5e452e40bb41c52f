//! A document's search result entry (what a result shows: its fields, and the text of its body
//! that snippets are cut from), and the files that hold it: `search/docs/N.js`, one a
//! document, with the fields and the text's lead (its first `LEAD_UNITS` UTF-16 units), and
//! `search/text/N.js` with the rest of the text, for documents whose text is longer. A result
//! loads the rest only when its snippet is not inside the lead. A first one-word query loads
//! neither text: its result list comes with its snippets' text windows (see `heads`).

use super::SEARCH_DIR;
use super::fields::SearchFields;
use super::scan::{BYTE_CLASS, LANE_HIGHS, LANE_ONES, SPACE, find_byte};
use super::script::{push_script_string, push_script_string_content, write_script};
use crate::error::Fatal;
use crate::write::Tree;

/// Characters of body text kept per document for snippets.
const SNIPPET_TEXT_CHARS: usize = 4000;

/// UTF-16 units of a document's text in its result file (`search/docs/N.js`): a snippet whose
/// first match starts 170 units (`AFTER` in `heads`) before the lead ends is cut from the lead
/// alone (`enough()` in `search.js`).
const LEAD_UNITS: usize = 1000;

/// A document's search result entry: the script of its fields, and the text snippets are cut
/// from, written as `search/docs/N.js` (the fields, then the lead of the text and the length
/// of the whole in UTF-16 units) and, when the text is longer than its lead,
/// `search/text/N.js` (the rest).
#[derive(Debug, Clone)]
pub struct ResultEntry {
    index: usize,
    /// `annexaSearch.doc(index,{"u":url,"t":title,"i":id,"o":owner,"k":kind,"s":status,
    /// "m":summary,"c":"controls"});` and a newline.
    fields: String,
    /// The first [`SNIPPET_TEXT_CHARS`] characters of the body, whitespace collapsed.
    text: String,
    /// Where the lead of `text` ends (a byte offset).
    lead: usize,
    /// The length of `text` in UTF-16 units.
    units: usize,
    has_summary: bool,
}

impl ResultEntry {
    /// The entry of document `index`, from its searchable fields and its body as plain text.
    pub fn new(index: usize, fields: &SearchFields<'_>, body: &str) -> Self {
        Self::with_text(index, fields, collapse_whitespace(body, SNIPPET_TEXT_CHARS))
    }

    /// The entry of document `index`, from its searchable fields and the text an earlier entry
    /// of the same body had ([`ResultEntry::text`], kept in the search cache).
    pub fn with_text(index: usize, fields: &SearchFields<'_>, text: String) -> Self {
        let (lead, units) = split_lead(&text);
        let summary = fields.summary.unwrap_or_default();
        let mut line = String::with_capacity(summary.len() + 256);
        line.push_str("annexaSearch.doc(");
        line.push_str(itoa::Buffer::new().format(index));
        let values: [(&str, &str); 7] = [
            ("{\"u\":", fields.url),
            (",\"t\":", fields.title),
            (",\"i\":", fields.id.unwrap_or_default()),
            (",\"o\":", fields.owner.unwrap_or_default()),
            (",\"k\":", fields.kind),
            (",\"s\":", fields.status),
            (",\"m\":", summary),
        ];
        line.push(',');
        for (key, value) in values {
            line.push_str(key);
            push_script_string(&mut line, value);
        }
        line.push_str(",\"c\":\"");
        for (i, control) in fields.controls.iter().enumerate() {
            if i > 0 {
                line.push(' ');
            }
            push_script_string_content(&mut line, control);
        }
        line.push_str("\"});\n");
        ResultEntry {
            index,
            fields: line,
            text,
            lead,
            units,
            has_summary: !summary.is_empty(),
        }
    }

    /// The text snippets are cut from.
    pub(super) fn text(&self) -> &str {
        &self.text
    }

    /// Whether the document has a summary (shown when nothing in the text matches).
    pub(super) fn has_summary(&self) -> bool {
        self.has_summary
    }

    /// `search/docs/N.js`: the fields, then `annexaSearch.lead(index,length,"lead");`.
    fn docs_file(&self) -> String {
        let mut file = String::with_capacity(self.fields.len() + self.lead + 64);
        file.push_str(&self.fields);
        let mut number = itoa::Buffer::new();
        file.push_str("annexaSearch.lead(");
        file.push_str(number.format(self.index));
        file.push(',');
        file.push_str(number.format(self.units));
        file.push(',');
        push_script_string(&mut file, &self.text[..self.lead]);
        file.push_str(");\n");
        file
    }

    /// `search/text/N.js`, `annexaSearch.text(index,"rest");`, for a text longer than its lead.
    fn rest_file(&self) -> Option<String> {
        let rest = &self.text[self.lead..];
        if rest.is_empty() {
            return None;
        }
        let mut file = String::with_capacity(rest.len() + 32);
        file.push_str("annexaSearch.text(");
        file.push_str(itoa::Buffer::new().format(self.index));
        file.push(',');
        push_script_string(&mut file, rest);
        file.push_str(");\n");
        Some(file)
    }

    /// Writes `search/docs/N.js`, and `search/text/N.js` for a text longer than its lead.
    pub fn write(&self, out: &Tree) -> Result<(), Fatal> {
        let index = self.index;
        write_script(
            out,
            &format!("{SEARCH_DIR}/docs/{index}.js"),
            &self.docs_file(),
        )?;
        let rest_path = format!("{SEARCH_DIR}/text/{index}.js");
        match self.rest_file() {
            Some(rest) => write_script(out, &rest_path, &rest)?,
            // `serve`'s preview may hold the rest of a longer text from before.
            None => out.remove_stale(&rest_path),
        }
        Ok(())
    }
}

/// Where the lead of `text` ends: after its first [`LEAD_UNITS`] UTF-16 units (never inside a
/// character); and the length of `text` in UTF-16 units.
fn split_lead(text: &str) -> (usize, usize) {
    if text.is_ascii() {
        return (text.len().min(LEAD_UNITS), text.len());
    }
    let mut units = 0;
    let mut split = text.len();
    for (at, c) in text.char_indices() {
        if units + c.len_utf16() > LEAD_UNITS && split == text.len() {
            split = at;
        }
        units += c.len_utf16();
    }
    (split, units)
}

/// The first words of `text`, up to about `limit` characters, with runs of whitespace made one
/// space.
fn collapse_whitespace(text: &str, limit: usize) -> String {
    if !text.is_ascii() {
        return collapse_any_whitespace(text, limit);
    }
    let mut out = String::with_capacity(text.len().min(limit + 64));
    collapse_ascii_whitespace(text, limit, &mut out);
    out
}

/// [`collapse_whitespace`] of any text, a character at a time.
fn collapse_any_whitespace(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count >= limit {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        count += word.chars().count() + 1;
    }
    out
}

/// [`collapse_whitespace`] of ASCII text. A word is added while the words before it and their
/// spaces are fewer than `limit` characters. Words that follow each other after one space are
/// copied together, as the span of text they already are.
fn collapse_ascii_whitespace(text: &str, limit: usize, out: &mut String) {
    let bytes = text.as_bytes();
    let is_space = |i: usize| BYTE_CLASS[bytes[i] as usize] & SPACE != 0;
    // The span of text not yet copied, and the length of the result with it.
    let mut span: Option<(usize, usize)> = None;
    let mut length = 0;
    let mut i = 0;
    loop {
        let gap = i;
        while i < bytes.len() && is_space(i) {
            i += 1;
        }
        if i == bytes.len() {
            break;
        }
        let used = if length == 0 { 0 } else { length + 1 };
        if used >= limit {
            break;
        }
        let start = i;
        i = next_space(bytes, i);
        span = match span {
            Some((from, _)) if start == gap + 1 && bytes[gap] == b' ' => Some((from, i)),
            Some((from, to)) => {
                out.push_str(&text[from..to]);
                out.push(' ');
                Some((start, i))
            }
            None => Some((start, i)),
        };
        length = used + (i - start);
    }
    if let Some((from, to)) = span {
        out.push_str(&text[from..to]);
    }
}

/// The offset of the first whitespace byte (as [`BYTE_CLASS`] has it) at or after `from`, or
/// the length of `bytes`. Eight bytes are tested at a time for a byte up to 0x20, the lowest
/// of which is then checked against the table.
fn next_space(bytes: &[u8], from: usize) -> usize {
    find_byte(
        bytes,
        from,
        |lanes| lanes.wrapping_sub(LANE_ONES * 0x21) & !lanes & LANE_HIGHS,
        |byte| BYTE_CLASS[byte as usize] & SPACE != 0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two files of `entry`: `search/docs/N.js`, and `search/text/N.js` (empty when none).
    fn files(entry: &ResultEntry) -> (String, String) {
        (entry.docs_file(), entry.rest_file().unwrap_or_default())
    }

    #[test]
    fn entries_hold_fields_escaped_and_missing_ones_empty() {
        let fields = SearchFields {
            url: "a/",
            title: "A \"quoted\" <title>",
            id: None,
            owner: None,
            kind: "other",
            status: "draft",
            summary: None,
            tags: &[],
            controls: vec!["A.5.15".to_string(), "nist-csf-2.0:PR.AA-01".to_string()],
        };
        assert_eq!(
            {
                let (docs, rest) = files(&ResultEntry::new(3, &fields, "  some\n body "));
                docs + &rest
            },
            concat!(
                r#"annexaSearch.doc(3,{"u":"a/","t":"A \"quoted\" \u003ctitle>","i":"","o":"","#,
                r#""k":"other","s":"draft","m":"","c":"A.5.15 nist-csf-2.0:PR.AA-01""#,
                "});\n",
                r#"annexaSearch.lead(3,9,"some body");"#,
                "\n"
            )
        );
    }

    #[test]
    fn a_long_text_is_split_after_its_lead_and_joined_again() {
        let fields = SearchFields {
            url: "a/",
            title: "A",
            id: None,
            owner: None,
            kind: "other",
            status: "draft",
            summary: Some("Sum"),
            tags: &[],
            controls: Vec::new(),
        };
        // 999 units, then a character of two UTF-16 units: the lead stops before it.
        let body = format!("{}\u{1F512}ab \"c\"", "x".repeat(999));
        let entry = ResultEntry::new(7, &fields, &body);
        let (docs, rest) = files(&entry);
        assert_eq!(
            docs,
            format!(
                "annexaSearch.doc(7,{{\"u\":\"a/\",\"t\":\"A\",\"i\":\"\",\"o\":\"\",\"k\":\"other\",\
                 \"s\":\"draft\",\"m\":\"Sum\",\"c\":\"\"}});\nannexaSearch.lead(7,1007,\"{}\");\n",
                "x".repeat(999)
            )
        );
        assert_eq!(rest, "annexaSearch.text(7,\"\u{1F512}ab \\\"c\\\"\");\n");
        assert_eq!(entry.text(), body);
        assert!(entry.has_summary());
        // One unit more fits the lead exactly: nothing is left for the rest.
        let short = ResultEntry::new(7, &fields, &"y".repeat(1000));
        assert_eq!(files(&short).1, "");
        assert_eq!(short.text(), "y".repeat(1000));
        assert_eq!(
            files(&ResultEntry::new(7, &fields, &"y".repeat(1001))).1,
            "annexaSearch.text(7,\"y\");\n"
        );
    }

    #[test]
    fn snippets_collapse_ascii_whitespace_like_any_whitespace() {
        let long = "A policy sets out\nthe rules.  Each\tstaff member reads it,\x01and signs.\n\n\
                    Reviews happen yearly; the owner approves changes\r\nbefore publication. ";
        let samples = [
            "  one\ttwo\n\nthree\x0Bfour\x0Cfive\r\nsix  ",
            "é\u{00A0}nbsp  and\u{2028}line über",
            "",
            " \n ",
            "word",
            "one two three four five six seven eight nine ten",
            "a\x01b\x1fc d\x7fe averyveryverylongwordthatspansmanylanes x",
            long,
        ];
        for sample in samples {
            for limit in (0..sample.len() + 3).chain([100, 4000]) {
                assert_eq!(
                    collapse_whitespace(sample, limit),
                    collapse_any_whitespace(sample, limit),
                    "{sample:?} {limit}"
                );
            }
        }
        assert_eq!(
            collapse_whitespace(" one\ttwo\n\nthree\x0Bfour ", 100),
            "one two three four"
        );
        // A word is added while fewer than `limit` characters come before it.
        assert_eq!(collapse_whitespace("aa bb cc", 4), "aa bb");
        assert_eq!(collapse_whitespace("é aa bb cc", 5), "é aa");
    }

    /// The eight-byte scans stop at exactly the bytes of their tables, whatever the lane.
    #[test]
    fn spaces_are_found_where_the_table_says() {
        let bytes: Vec<u8> = (0..=255u8).chain(0..=255u8).collect();
        for from in 0..bytes.len() {
            let expected = (from..bytes.len())
                .find(|&i| BYTE_CLASS[bytes[i] as usize] & SPACE != 0)
                .unwrap_or(bytes.len());
            assert_eq!(next_space(&bytes, from), expected, "from {from}");
        }
    }
}
