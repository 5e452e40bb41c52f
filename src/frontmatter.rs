//! Document front matter: finding the `+++` (TOML) or `---` (YAML) block and reading its typed
//! fields, one field table for both formats.

use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::review::Interval;
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};
use crate::yamlread;

/// What sort of document it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A policy.
    Policy,
    /// A procedure.
    Procedure,
    /// A standard.
    Standard,
    /// A guideline.
    Guideline,
    /// A plan.
    Plan,
    /// A record.
    Record,
    /// Anything else.
    Other,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 7] = [
        Kind::Policy,
        Kind::Procedure,
        Kind::Standard,
        Kind::Guideline,
        Kind::Plan,
        Kind::Record,
        Kind::Other,
    ];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Procedure => "procedure",
            Kind::Standard => "standard",
            Kind::Guideline => "guideline",
            Kind::Plan => "plan",
            Kind::Record => "record",
            Kind::Other => "other",
        }
    }

    /// The kind a folder name suggests (`policies/` → policy), for documents that set none.
    pub fn from_folder(path: &str) -> Kind {
        let top = path.split('/').next().unwrap_or("").to_ascii_lowercase();
        Kind::ALL
            .into_iter()
            .find(|k| {
                let name = k.as_str();
                top == name || top == format!("{name}s") || (name == "policy" && top == "policies")
            })
            .filter(|_| path.contains('/'))
            .unwrap_or(Kind::Other)
    }
}

/// Where a document is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; not in force, not tracked for review.
    Draft,
    /// In review for approval.
    Review,
    /// In force.
    Approved,
    /// Withdrawn; published as retired, not tracked for review.
    Retired,
}

impl Status {
    /// Every status, in life-cycle order.
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::Review,
        Status::Approved,
        Status::Retired,
    ];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Approved => "approved",
            Status::Retired => "retired",
        }
    }

    /// Whether reviews are tracked for documents with this status.
    pub fn is_tracked(self) -> bool {
        matches!(self, Status::Review | Status::Approved)
    }
}

/// The typed front matter of a document.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// `title` (required).
    pub title: Option<String>,
    /// `owner`: a role or a person (required).
    pub owner: Option<String>,
    /// `id`, unique across the repository.
    pub id: Option<Located<String>>,
    /// `kind`; when absent, guessed from the top folder name.
    pub kind: Kind,
    /// `status`; `approved` when absent.
    pub status: Status,
    /// `version`, as written.
    pub version: Option<String>,
    /// `approver`.
    pub approver: Option<String>,
    /// `approved_on`: the date of the approval of this version, with its place.
    pub approved_on: Option<Located<Date>>,
    /// `classification`, shown as a label.
    pub classification: Option<String>,
    /// `effective` date.
    pub effective: Option<Date>,
    /// `last_reviewed` date, with its place.
    pub last_reviewed: Option<Located<Date>>,
    /// `review_interval`, with its place.
    pub review_interval: Option<Located<Interval>>,
    /// `next_review` date, with its place; wins over `last_reviewed` + interval.
    pub next_review: Option<Located<Date>>,
    /// `controls`, as written, with positions.
    pub controls: Vec<Located<String>>,
    /// Where the text of each of `controls` starts, inside its quotes: what a fix edits.
    pub control_text: Vec<Option<Position>>,
    /// `clauses`: the ISO/IEC 27001:2022 clauses whose documented information this is, as written.
    pub clauses: Vec<Located<String>>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `summary`, one sentence.
    pub summary: Option<String>,
}

impl FrontMatter {
    /// Front matter with nothing set, for documents whose block could not be read.
    pub fn empty(kind: Kind) -> Self {
        FrontMatter {
            title: None,
            owner: None,
            id: None,
            kind,
            status: Status::Approved,
            version: None,
            approver: None,
            approved_on: None,
            classification: None,
            effective: None,
            last_reviewed: None,
            review_interval: None,
            next_review: None,
            controls: Vec::new(),
            control_text: Vec::new(),
            clauses: Vec::new(),
            tags: Vec::new(),
            summary: None,
        }
    }
}

/// The keys front matter may hold.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "owner",
    "id",
    "kind",
    "status",
    "version",
    "approver",
    "approved_on",
    "classification",
    "effective",
    "last_reviewed",
    "review_interval",
    "next_review",
    "controls",
    "clauses",
    "tags",
    "summary",
];

/// Other tools' names for front-matter fields, offered as a did-you-mean even without
/// `[front_matter] aliases` (which maps them for good).
pub const COMMON_ALIASES: &[(&str, &str)] = &[
    ("reviewed", "last_reviewed"),
    ("last_review", "last_reviewed"),
    ("review_date", "last_reviewed"),
    ("reviewed_on", "last_reviewed"),
    ("next_review_date", "next_review"),
    ("approved_by", "approver"),
    ("author", "owner"),
    ("authors", "owner"),
    ("description", "summary"),
    ("type", "kind"),
    ("state", "status"),
    ("effective_date", "effective"),
    ("labels", "tags"),
    ("name", "title"),
    ("acronym", "id"),
];

/// How documents are read, from `annexa.toml`: `[front_matter] aliases`,
/// `[documents] default_status` and `[language] vague_phrases`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Other tools' field names and the annexa field each stands for.
    pub aliases: Vec<(String, String)>,
    /// The status of a document that sets none.
    pub default_status: Status,
    /// How the body's prose is read for the language lints.
    pub scan: crate::markdown::Scan,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            aliases: Vec::new(),
            default_status: Status::Approved,
            scan: Default::default(),
        }
    }
}

impl Reading {
    /// Renames aliased keys of `table` to annexa's names (unless that name is set too).
    fn apply_aliases(&self, table: &mut toml::de::DeTable<'_>) {
        if self.aliases.is_empty() {
            return;
        }
        let entries: Vec<_> = std::mem::take(table).into_iter().collect();
        let has = |name: &str| entries.iter().any(|(k, _)| k.get_ref().as_ref() == name);
        let renamed: Vec<_> = entries
            .iter()
            .map(|(key, _)| {
                let name: &str = key.get_ref().as_ref();
                self.aliases
                    .iter()
                    .find(|(alias, target)| alias == name && !has(target))
                    .map(|(_, target)| target.clone())
            })
            .collect();
        for ((key, value), new) in entries.into_iter().zip(renamed) {
            let key = match new {
                Some(name) => toml::Spanned::new(key.span(), std::borrow::Cow::Owned(name)),
                None => key,
            };
            table.insert(key, value);
        }
    }
}

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML between `+++` lines.
    Toml,
    /// YAML between `---` lines.
    Yaml,
}

impl Format {
    /// The fence line of the format.
    pub fn fence(self) -> &'static str {
        match self {
            Format::Toml => "+++",
            Format::Yaml => "---",
        }
    }
}

/// Where the front matter and the body sit in a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Byte range of the front matter between the fence lines (TOML or YAML, see `format`).
    pub toml: Range<usize>,
    /// Byte offset where the body starts.
    pub body_start: usize,
    /// The front matter's language.
    pub format: Format,
}

/// Finds the `+++` (TOML) or `---` (YAML) block at the top of `text`.
pub fn split(text: &str) -> Result<Split, (Position, String, Option<String>)> {
    let start = Position { line: 1, column: 1 };
    if text.trim().is_empty() {
        return Err((
            start,
            "empty file: a document starts with a `+++` front matter block".into(),
            Some("add front matter with at least `title` and `owner`".into()),
        ));
    }
    let mut lines = line_spans(text);
    let (first_start, first_end, first_next) = lines.next().unwrap_or((0, 0, 0));
    let format = match text[first_start..first_end].trim_end() {
        "+++" => Format::Toml,
        "---" => Format::Yaml,
        _ => {
            return Err((
                start,
                "no front matter: the first line must be `+++` (TOML) or `---` (YAML)".into(),
                Some(
                    "start the file with a `+++` line, TOML front matter, and a closing `+++` line"
                        .into(),
                ),
            ));
        }
    };
    let fence = format.fence();
    for (line_start, line_end, next) in lines {
        let line = text[line_start..line_end].trim_end();
        if line == fence || (format == Format::Yaml && line == "...") {
            return Ok(Split {
                toml: first_next..line_start,
                body_start: next,
                format,
            });
        }
    }
    Err((
        start,
        format!("unterminated front matter: no closing `{fence}` line"),
        Some(format!(
            "end the front matter with a line holding only `{fence}`"
        )),
    ))
}

/// Each line as (start, end without the newline, start of the next line).
fn line_spans(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let (end, next) = match text[start..].find('\n') {
            Some(i) => (start + i, start + i + 1),
            None => (text.len(), text.len()),
        };
        pos = next;
        Some((start, end, next))
    })
}

/// Reads the front matter of `source` that `split` found, reporting problems into `out`.
/// Returns `None` when the TOML or YAML itself cannot be parsed.
pub fn parse(
    source: &SourceText,
    split: &Split,
    reading: &Reading,
    out: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let range = split.toml.clone();
    let src = TomlSource {
        source,
        base: range.start,
        lint: Lint::InvalidFrontMatter,
    };
    let mut table = match split.format {
        Format::Toml => src.parse(&source.text[range], out)?,
        Format::Yaml => match yamlread::parse(&source.text[range]) {
            Ok(table) => table,
            Err((offset, message)) => {
                out.push(src.error(offset, message));
                return None;
            }
        },
    };
    reading.apply_aliases(&mut table);
    let mut f = Fields::new(src, &table, "");
    if split.format == Format::Yaml {
        f = f.yaml();
    }
    let mut fm = FrontMatter::empty(Kind::from_folder(&source.path));
    fm.status = reading.default_status;
    fm.title = required(&mut f, "title", out);
    fm.owner = required(&mut f, "owner", out);
    fm.id = f.string("id", out).filter(|id| !id.value.trim().is_empty());
    if let Some(kind) = f.string("kind", out) {
        fm.kind = src
            .choose(&kind, &Kind::ALL, Kind::as_str, "kind", out)
            .unwrap_or(fm.kind);
    }
    if let Some(status) = f.string("status", out) {
        fm.status = src
            .choose(&status, &Status::ALL, Status::as_str, "status", out)
            .unwrap_or(fm.status);
    }
    fm.version = f.string_or_number("version", out).map(|v| v.value);
    fm.approver = non_empty(f.string("approver", out));
    fm.approved_on = f.date("approved_on", out);
    fm.classification = non_empty(f.string("classification", out));
    fm.effective = f.date("effective", out).map(|d| d.value);
    fm.last_reviewed = f.date("last_reviewed", out);
    fm.next_review = f.date("next_review", out);
    if let Some(text) = f.string("review_interval", out) {
        match text.value.parse::<Interval>() {
            Ok(interval) => {
                fm.review_interval = Some(Located {
                    value: interval,
                    position: text.position,
                })
            }
            Err(e) => out.push(
                Diagnostic::new(Lint::InvalidFrontMatter, format!("`review_interval`: {e}"))
                    .in_file(&source.path)
                    .at(text.position),
            ),
        }
    }
    fm.controls = f.string_list("controls", out).unwrap_or_default();
    fm.control_text = fm.controls.iter().map(|c| text_start(source, c)).collect();
    fm.clauses = f.string_list("clauses", out).unwrap_or_default();
    fm.tags = f
        .string_list("tags", out)
        .unwrap_or_default()
        .into_iter()
        .map(|t| t.value.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    fm.summary = non_empty(f.string("summary", out));
    f.finish_with_hints(KNOWN_KEYS, COMMON_ALIASES, out);
    Some(fm)
}

/// A required string field: `missing-field` when it is absent or blank. A value of the wrong
/// type is reported as such by [`Fields::string`] and not again as missing.
fn required(f: &mut Fields<'_, '_>, key: &str, out: &mut Vec<Diagnostic>) -> Option<String> {
    let present = f.has(key);
    let src = f.source();
    match f.string(key, out) {
        Some(value) if !value.value.trim().is_empty() => Some(value.value.trim().to_string()),
        Some(value) => {
            out.push(
                Diagnostic::new(
                    Lint::MissingField,
                    format!("required field `{key}` is empty"),
                )
                .in_file(&src.source.path)
                .at(value.position)
                .with_help(format!("give `{key}` a value")),
            );
            None
        }
        None if !present => {
            out.push(
                Diagnostic::new(
                    Lint::MissingField,
                    format!("required field `{key}` is missing"),
                )
                .in_file(&src.source.path)
                .at(Position { line: 1, column: 1 })
                .with_help(if f.is_yaml() {
                    format!("add `{key}: …` to the front matter")
                } else {
                    format!("add `{key} = \"…\"` to the front matter")
                }),
            );
            None
        }
        None => None,
    }
}

/// Where the text of a string value starts: after its opening quote, if it has one; `None` for
/// a multi-line string or a value whose text is not written as it reads.
fn text_start(source: &SourceText, value: &Located<String>) -> Option<Position> {
    let at = source.offset(value.position)?;
    let rest = &source.text[at..];
    if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        return None;
    }
    let (start, body) = match rest.strip_prefix(['"', '\'']) {
        Some(body) => (
            Position {
                line: value.position.line,
                column: value.position.column + 1,
            },
            body,
        ),
        None => (value.position, rest),
    };
    body.starts_with(value.value.as_str()).then_some(start)
}

fn non_empty(value: Option<Located<String>>) -> Option<String> {
    value
        .map(|v| v.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf_blocks() {
        let text = "+++\r\ntitle = \"x\"\r\n+++\r\nbody";
        let split = split(text).unwrap();
        assert_eq!(&text[split.toml.clone()], "title = \"x\"\r\n");
        assert_eq!(&text[split.body_start..], "body");
        let text = "+++\ntitle = \"x\"\n+++";
        assert_eq!(&text[split_ok(text).body_start..], "");
    }

    fn split_ok(text: &str) -> Split {
        split(text).unwrap()
    }

    #[test]
    fn rejects_missing_and_unterminated_blocks() {
        assert!(split("").is_err());
        assert!(split("# Title\n").is_err());
        assert_eq!(split("---\ntitle: x\n---\n").unwrap().format, Format::Yaml);
        assert!(split("---\ntitle: x\n+++\n").is_err());
        assert!(split("+++\ntitle = \"x\"\n").is_err());
    }

    #[test]
    fn kind_follows_top_folder() {
        assert_eq!(Kind::from_folder("policies/a.md"), Kind::Policy);
        assert_eq!(Kind::from_folder("procedures/x/a.md"), Kind::Procedure);
        assert_eq!(Kind::from_folder("records/a.md"), Kind::Record);
        assert_eq!(Kind::from_folder("misc/a.md"), Kind::Other);
        assert_eq!(Kind::from_folder("policy.md"), Kind::Other);
    }
}
