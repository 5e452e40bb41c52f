//! Escaping user text for CSV, iCalendar and terminals.
//!
//! User text is whatever comes from the repository rather than from annexa: titles, owners,
//! ids, paths, summaries, SoA justifications, catalog ids, titles and group names, risk ids.
//! Each output that a program other than a browser reads gets one rule here:
//!
//! - **CSV** ([`Csv`], the only way annexa writes CSV): a user-supplied cell that starts with
//!   `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`, so that a spreadsheet shows it as text
//!   instead of running it as a formula (OWASP, "CSV Injection"). annexa's own numbers (days
//!   until a review, document counts) are written as they are: `-3` in a `days` column is data.
//!   Control characters inside a cell are kept; the CSV writer quotes a cell holding CR or LF.
//!   The XLSX exports (the render stage's XLSX writer) need no `'`: they write every cell of text as
//!   a string, never as a formula.
//! - **iCalendar TEXT** ([`ics_text`], RFC 5545 §3.3.11): `\`, `;` and `,` are escaped; LF, CRLF
//!   and a lone CR become `\n`; TAB is kept; every other control character (C0, DEL, C1) becomes
//!   U+FFFD `�`, which TEXT allows and which shows that something was there.
//! - **Terminals** ([`terminal`]): every control character (C0 including TAB and LF, DEL, C1)
//!   is shown as a visible escape (`\t`, `\n`, `\r`, `\x1b`, `\u{9b}`), so user text can neither
//!   move the cursor, change the window title nor make a hyperlink (OSC 8), nor start a line
//!   that looks like annexa's own. Machine formats (JSON, SARIF, GitHub, JUnit) keep the exact
//!   text instead, escaped by their own rules.

use std::borrow::Cow;
use std::io;

/// The characters that make a spreadsheet read a cell starting with them as a formula.
pub const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A user-supplied CSV cell: with a leading `'` when it starts with one of
/// [`FORMULA_STARTS`], otherwise as it is.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A value that can be a cell of a CSV row. Text is user text and goes through [`csv_text`];
/// numbers are annexa's own and are written as they are.
pub trait CsvCell {
    /// The cell as written.
    fn cell(&self) -> Cow<'_, str>;
}

impl CsvCell for str {
    fn cell(&self) -> Cow<'_, str> {
        csv_text(self)
    }
}

impl CsvCell for String {
    fn cell(&self) -> Cow<'_, str> {
        csv_text(self)
    }
}

impl<T: CsvCell + ?Sized> CsvCell for &T {
    fn cell(&self) -> Cow<'_, str> {
        (**self).cell()
    }
}

/// An absent value is an empty cell.
impl<T: CsvCell> CsvCell for Option<T> {
    fn cell(&self) -> Cow<'_, str> {
        match self {
            Some(value) => value.cell(),
            None => Cow::Borrowed(""),
        }
    }
}

impl CsvCell for i64 {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl CsvCell for usize {
    fn cell(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

/// A CSV table: a header of annexa's column names, then rows of [`CsvCell`]s. Every CSV annexa
/// writes goes through it, so that no user cell escapes [`csv_text`] (a unit test holds the rest
/// of `src/` to that).
pub struct Csv<W: io::Write> {
    writer: csv::Writer<W>,
}

impl<W: io::Write> Csv<W> {
    /// A table written to `out`.
    pub fn new(out: W) -> Self {
        Csv {
            writer: csv::Writer::from_writer(out),
        }
    }

    /// Writes the header row: annexa's own column names, as they are.
    pub fn header(&mut self, names: &[&'static str]) -> csv::Result<()> {
        self.writer.write_record(names)
    }

    /// Writes one row.
    pub fn row(&mut self, cells: &[&dyn CsvCell]) -> csv::Result<()> {
        for cell in cells {
            self.writer.write_field(cell.cell().as_bytes())?;
        }
        self.writer.write_record(None::<&[u8]>)
    }

    /// Flushes the table and hands back its writer.
    pub fn finish(self) -> io::Result<W> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// Escapes a TEXT value of iCalendar (RFC 5545 §3.3.11): `\`, `;`, `,` with a backslash, each
/// line break (LF, CRLF, a lone CR) as `\n`; TAB is kept, and every other control character
/// (C0, DEL, C1), which TEXT cannot hold, becomes U+FFFD.
pub fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
    }
    out
}

/// User text for a terminal: each control character (C0, DEL, C1) shown as an escape that
/// reads as what it is: `\t`, `\n`, `\r`, `\x1b` for the other C0 controls and DEL, `\u{9b}`
/// for C1 (not `\x9b`, which reads as a byte). Other text is unchanged.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_quotes_only_cells_that_start_a_formula() {
        for (text, cell) in [
            ("=1+1", "'=1+1"),
            ("+cmd", "'+cmd"),
            ("-2+3", "'-2+3"),
            ("-3", "'-3"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("'=1", "'=1"),
            ("", ""),
            ("\nx", "\nx"),
        ] {
            assert_eq!(csv_text(text), cell, "{text:?}");
        }
    }

    #[test]
    fn csv_rows_quote_user_text_and_write_numbers_as_they_are() {
        let mut table = Csv::new(Vec::new());
        table.header(&["a", "b", "c", "d", "e"]).unwrap();
        let owner: Option<String> = Some("+x".into());
        table
            .row(&[&"-t", &-3i64, &owner, &None::<String>, &2usize])
            .unwrap();
        let bytes = table.finish().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,b,c,d,e\n'-t,-3,'+x,,2\n"
        );
    }

    #[test]
    fn ics_text_escapes_breaks_and_replaces_controls() {
        assert_eq!(ics_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(ics_text("a\r\nb\rc\nd"), "a\\nb\\nc\\nd");
        assert_eq!(
            ics_text("t\tx\u{0}\u{1b}\u{7f}\u{85}\u{9f}é"),
            "t\tx\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}é"
        );
    }

    #[test]
    fn terminal_shows_every_control_character_as_an_escape() {
        assert!(matches!(terminal("plain é"), Cow::Borrowed("plain é")));
        assert_eq!(
            terminal("a\tb\nc\rd\u{0}\u{1b}]0;x\u{7}\u{7f}\u{85}\u{9b}"),
            "a\\tb\\nc\\rd\\x00\\x1b]0;x\\x07\\x7f\\u{85}\\u{9b}"
        );
    }

    /// Every CSV goes through [`Csv`]: no other file of `src/` makes a `csv::Writer`.
    #[test]
    fn no_csv_writer_outside_this_module() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let this = src.join("text.rs");
        for entry in walkdir::WalkDir::new(&src) {
            let path = entry.unwrap().into_path();
            if path == this || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            for needle in ["csv::Writer", "csv::WriterBuilder", "write_record"] {
                assert!(
                    !code.contains(needle),
                    "{} uses {needle}: write CSV with text::Csv",
                    path.display()
                );
            }
        }
    }
}
