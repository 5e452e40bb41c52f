//! The "On this page" list of a document page, from its headings.

use serde::Serialize;

/// A heading for a document's table of contents (fields read by the templates).
#[derive(Debug, Serialize)]
pub(super) struct TocEntry<'a> {
    level: u8,
    text: &'a str,
    id: &'a str,
}

/// The "On this page" entries of a document: its top two levels of section headings, shown as
/// levels 2 and 3 (`##` and `###` usually; `#` and `##` in a document whose sections are `#`
/// headings). `title_shown` says the first heading became the page's title, so it is no entry;
/// a lone `#` heading that opens the body is taken as a title too.
pub(super) fn toc(
    headings: &[crate::document::HeadingSite],
    title_shown: bool,
) -> Vec<TocEntry<'_>> {
    let mut sections = &headings[usize::from(title_shown).min(headings.len())..];
    if let [first, rest @ ..] = sections
        && first.level == 1
        && !rest.is_empty()
        && rest.iter().all(|h| h.level > 1)
    {
        sections = rest;
    }
    let top = sections.iter().map(|h| h.level).min().unwrap_or(2).max(1);
    sections
        .iter()
        .filter(|h| h.level <= top + 1)
        .map(|h| TocEntry {
            level: h.level - top + 2,
            text: &h.text,
            id: &h.id,
        })
        .collect()
}
