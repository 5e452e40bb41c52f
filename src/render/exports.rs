//! Exports: the SoA and control matrix as CSV, the document register as JSON, and the review
//! calendar as iCalendar (RFC 5545).

use std::path::Path;

use serde::Serialize;

use crate::error::Fatal;
use crate::model::Project;
use crate::render::view::{ControlView, DocView, SiteView};
use crate::text::{Csv, ics_text};
use crate::write::write_file;

/// Writes every export into `out/exports/`.
pub fn write_all(project: &Project, site: &SiteView, out: &Path) -> Result<(), Fatal> {
    write_file(out, "exports/soa.csv", &soa_csv(site)?)?;
    write_file(out, "exports/control-matrix.csv", &matrix_csv(site)?)?;
    write_file(
        out,
        "exports/documents.json",
        &documents_json(project, site)?,
    )?;
    write_file(
        out,
        "exports/reviews.ics",
        reviews_ics(project, site).as_bytes(),
    )
}

fn controls(site: &SiteView) -> impl Iterator<Item = (&str, &ControlView)> {
    site.frameworks.iter().flat_map(|f| {
        f.groups
            .iter()
            .flat_map(move |g| g.controls.iter().map(move |c| (f.id.as_str(), c)))
    })
}

fn doc_label(doc: &DocView) -> String {
    match &doc.id {
        Some(id) => format!("{id} {}", doc.title),
        None => doc.title.clone(),
    }
}

/// A CSV export, written through [`Csv`] so that every user cell that would start a formula
/// gets its leading `'` (see [`crate::text`]).
fn csv_bytes(rows: impl FnOnce(&mut Csv<Vec<u8>>) -> csv::Result<()>) -> Result<Vec<u8>, Fatal> {
    let mut table = Csv::new(Vec::new());
    rows(&mut table).map_err(|e| Fatal::new(format!("cannot write CSV: {e}")))?;
    table
        .finish()
        .map_err(|e| Fatal::new(format!("cannot write CSV: {e}")))
}

/// One row per control of every framework in use.
fn soa_csv(site: &SiteView) -> Result<Vec<u8>, Fatal> {
    csv_bytes(|w| {
        w.header(&[
            "framework",
            "id",
            "title",
            "theme",
            "applicable",
            "justification",
            "implementation",
            "documents",
        ])?;
        for (framework, c) in controls(site) {
            let documents: Vec<String> = c
                .documents
                .iter()
                .map(|&i| doc_label(&site.documents[i]))
                .collect();
            w.row(&[
                &framework,
                &c.id,
                &c.title,
                &c.group,
                &yes_no(c.applicable),
                &c.justification,
                &c.status.as_str(),
                &documents.join("; "),
            ])?;
        }
        Ok(())
    })
}

/// One row per control: its status, the documents that map to it and the risks it treats.
fn matrix_csv(site: &SiteView) -> Result<Vec<u8>, Fatal> {
    csv_bytes(|w| {
        w.header(&[
            "framework",
            "id",
            "title",
            "group",
            "applicable",
            "status",
            "document_count",
            "document_ids",
            "document_paths",
            "risks",
        ])?;
        for (framework, c) in controls(site) {
            let docs: Vec<&DocView> = c.documents.iter().map(|&i| &site.documents[i]).collect();
            let ids: Vec<&str> = docs.iter().filter_map(|d| d.id.as_deref()).collect();
            let paths: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
            let risks: Vec<&str> = c.risks.iter().map(|&r| site.risks[r].id.as_str()).collect();
            w.row(&[
                &framework,
                &c.id,
                &c.title,
                &c.group,
                &yes_no(c.applicable),
                &c.status.as_str(),
                &c.counting_documents,
                &ids.join("; "),
                &paths.join("; "),
                &risks.join("; "),
            ])?;
        }
        Ok(())
    })
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "no" }
}

/// Every document's front matter, URL and review state.
fn documents_json(project: &Project, site: &SiteView) -> Result<Vec<u8>, Fatal> {
    #[derive(Serialize)]
    struct Entry<'a> {
        path: &'a str,
        url: String,
        title: &'a str,
        id: Option<&'a str>,
        owner: Option<&'a str>,
        kind: &'a str,
        status: &'a str,
        version: Option<&'a str>,
        approver: Option<&'a str>,
        classification: Option<&'a str>,
        effective: Option<&'a str>,
        last_reviewed: Option<&'a str>,
        review_interval: Option<&'a str>,
        next_review: Option<&'a str>,
        review_state: &'a str,
        days_until_review: Option<i64>,
        controls: Vec<&'a str>,
        tags: &'a [String],
        summary: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Output<'a> {
        generated_for: &'a str,
        documents: Vec<Entry<'a>>,
    }
    let base = &project.config.base_url;
    let output = Output {
        generated_for: &site.today,
        documents: site
            .documents
            .iter()
            .map(|d| Entry {
                path: &d.path,
                url: format!("{base}{}", d.url),
                title: &d.title,
                id: d.id.as_deref(),
                owner: d.owner.as_deref(),
                kind: d.kind,
                status: d.status,
                version: d.version.as_deref(),
                approver: d.approver.as_deref(),
                classification: d.classification.as_deref(),
                effective: d.effective.as_deref(),
                last_reviewed: d.last_reviewed.as_deref(),
                review_interval: d.review_interval.as_deref(),
                next_review: d.next_review.as_deref(),
                review_state: d.review_state.as_str(),
                days_until_review: d.days_left,
                controls: d.controls.iter().map(|c| c.id.as_str()).collect(),
                tags: &d.tags,
                summary: d.summary.as_deref(),
            })
            .collect(),
    };
    serde_json::to_vec_pretty(&output).map_err(|e| Fatal::new(format!("cannot write JSON: {e}")))
}

/// An all-day event per tracked document with a next review date.
fn reviews_ics(project: &Project, site: &SiteView) -> String {
    let stamp = format!("{}T000000Z", compact(&site.today));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        format!("PRODID:-//annexa//{}//EN", env!("CARGO_PKG_VERSION")),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        format!(
            "X-WR-CALNAME:{}",
            ics_text(&format!("{} reviews", site.title))
        ),
    ];
    for (doc, source) in site.documents.iter().zip(&project.documents) {
        let Some(next) = source
            .review
            .next
            .filter(|_| source.meta.status.is_tracked())
        else {
            continue;
        };
        let end = next.tomorrow().unwrap_or(next);
        let label = match &doc.id {
            Some(id) => format!("{} ({id})", doc.title),
            None => doc.title.clone(),
        };
        let mut description = format!(
            "Owner: {}\nDocument: {}",
            doc.owner.as_deref().unwrap_or("unassigned"),
            doc.path
        );
        if let Some(last) = &doc.last_reviewed {
            description.push_str(&format!("\nLast reviewed: {last}"));
        }
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@annexa", uid(&doc.path)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", compact(&next.to_string())),
            format!("DTEND;VALUE=DATE:{}", compact(&end.to_string())),
            format!("SUMMARY:{}", ics_text(&format!("Review due: {label}"))),
            format!("DESCRIPTION:{}", ics_text(&description)),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".to_string());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    out
}

fn compact(date: &str) -> String {
    date.replace('-', "")
}

/// A stable UID from a document path (FNV-1a, so it survives renames of nothing else).
fn uid(path: &str) -> String {
    let mut hash: u64 = 0xcbf29ce484222325;
    for b in path.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    format!("review-{hash:016x}")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character, ending with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_long_lines_and_escapes_text() {
        let mut out = String::new();
        fold(&"x".repeat(80), &mut out);
        assert_eq!(out, format!("{}\r\n {}\r\n", "x".repeat(75), "x".repeat(5)));
        assert_eq!(ics_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    /// A replaced control character is three octets (U+FFFD): a fold never splits it, and
    /// every physical line stays within 75 octets.
    #[test]
    fn folds_replaced_controls_whole() {
        let mut out = String::new();
        fold(
            &format!("{}{}", "x".repeat(73), ics_text("\u{1b}\u{1b}")),
            &mut out,
        );
        assert_eq!(out, format!("{}\r\n \u{fffd}\u{fffd}\r\n", "x".repeat(73)));
        assert!(out.split("\r\n").all(|line| line.len() <= 75));
    }
}
