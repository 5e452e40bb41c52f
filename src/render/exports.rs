//! Exports: the SoA as CSV and XLSX, the control matrix as CSV, the risk register as CSV and
//! XLSX, the registers as CSV, the document register as JSON, and the review calendar (reviews,
//! risk treatment and corrective actions, audits, evidence expiries) as iCalendar (RFC 5545).

mod registers;

use std::borrow::Cow;

use serde::Serialize;

use crate::error::Fatal;
use crate::model::Project;
use crate::render::view::{ControlView, DocView, SiteView, action_summary, level_label};
use crate::render::xlsx::{self, Cell, Sheet};
use crate::text::{Csv, CsvCell, csv_text, ics_text};
use crate::write::Tree;
use crate::write::write_file;

/// Writes every export into `out/exports/`.
pub fn write_all(project: &Project, site: &SiteView, out: &Tree) -> Result<(), Fatal> {
    let soa = soa_table(site);
    write_file(out, "exports/soa.csv", &table_csv(&soa)?)?;
    write_file(out, "exports/soa.xlsx", &soa_xlsx(project, site, &soa)?)?;
    write_file(out, "exports/control-matrix.csv", &matrix_csv(site)?)?;
    let risks = risks_table(project);
    write_file(out, "exports/risks.csv", &table_csv(&risks)?)?;
    write_file(
        out,
        "exports/risks.xlsx",
        &risks_xlsx(project, site, &risks)?,
    )?;
    write_file(
        out,
        "exports/audits.csv",
        &table_csv(&registers::audits_table(project))?,
    )?;
    write_file(
        out,
        "exports/findings.csv",
        &table_csv(&registers::findings_table(project))?,
    )?;
    write_file(
        out,
        "exports/evidence.csv",
        &table_csv(&registers::evidence_table(project))?,
    )?;
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

/// Text cells go through [`csv_text`]; numbers are annexa's own and are written as they are.
impl CsvCell for Cell {
    fn cell(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(text) => csv_text(text),
            Cell::Number(n) => Cow::Owned(n.to_string()),
        }
    }
}

/// An export's table, written as CSV and as XLSX alike.
struct Table {
    /// Column names of the CSV header, and headings of the spreadsheet.
    columns: &'static [(&'static str, &'static str)],
    /// One row per entry, as wide as `columns`.
    rows: Vec<Vec<Cell>>,
}

impl Table {
    fn headings(&self) -> Vec<&'static str> {
        self.columns.iter().map(|(_, heading)| *heading).collect()
    }
}

fn table_csv(table: &Table) -> Result<Vec<u8>, Fatal> {
    let names: Vec<&'static str> = table.columns.iter().map(|(name, _)| *name).collect();
    csv_bytes(|w| {
        w.header(&names)?;
        for row in &table.rows {
            let cells: Vec<&dyn CsvCell> = row.iter().map(|c| c as &dyn CsvCell).collect();
            w.row(&cells)?;
        }
        Ok(())
    })
}

/// The SoA's columns. The first seven keep the places they had before reasons and coverage
/// were added, so that a spreadsheet reading them by position still finds them.
const SOA_COLUMNS: &[(&str, &str)] = &[
    ("framework", "Framework"),
    ("id", "Control"),
    ("title", "Title"),
    ("theme", "Theme"),
    ("applicable", "Applicable"),
    ("justification", "Justification"),
    ("implementation", "Implementation"),
    ("coverage", "Coverage"),
    ("reasons", "Reasons"),
    ("risks", "Risks"),
    ("documents", "Documents"),
];

/// One row per control of every control catalog in use (a catalog of requirements, the clauses,
/// is not part of the SoA): the same columns as the SoA page.
fn soa_table(site: &SiteView) -> Table {
    let rows = site
        .frameworks
        .iter()
        .filter(|f| f.soa)
        .flat_map(|f| {
            f.groups
                .iter()
                .flat_map(move |g| g.controls.iter().map(move |c| (f.id.as_str(), c)))
        })
        .map(|(framework, c)| {
            let reasons: Vec<&str> = c.reasons.iter().map(|r| r.name).collect();
            let risks: Vec<&str> = c.risks.iter().map(|&r| site.risks[r].id.as_str()).collect();
            let documents: Vec<String> = c
                .soa_documents
                .iter()
                .map(|&i| doc_label(&site.documents[i]))
                .collect();
            vec![
                Cell::from(framework),
                Cell::from(c.id.as_str()),
                Cell::from(c.title.as_str()),
                Cell::from(c.group.as_str()),
                Cell::from(yes_no(c.applicable)),
                Cell::text(c.justification.as_deref()),
                Cell::text(c.implementation.map(|i| i.as_str())),
                Cell::from(c.coverage.map_or("not-applicable", |s| s.as_str())),
                Cell::from(reasons.join("; ")),
                Cell::from(risks.join("; ")),
                Cell::from(documents.join("; ")),
            ]
        })
        .collect();
    Table {
        columns: SOA_COLUMNS,
        rows,
    }
}

/// The SoA as a workbook: its record (organisation, version, approval, date) above the table.
fn soa_xlsx(project: &Project, site: &SiteView, table: &Table) -> Result<Vec<u8>, Fatal> {
    let statement = &site.statement;
    let approved_on = match (&statement.approved_on, &statement.approved_by) {
        (Some(on), _) => on.clone(),
        (None, Some(_)) => "not stated".to_string(),
        (None, None) => "not approved".to_string(),
    };
    let facts = [
        ("Organisation", organisation(site)),
        (
            "SoA version",
            statement
                .version
                .clone()
                .unwrap_or_else(|| "not stated".into()),
        ),
        (
            "Approved by",
            statement
                .approved_by
                .clone()
                .unwrap_or_else(|| "not approved".into()),
        ),
        ("Approved on", approved_on),
        ("Generated on", site.today.clone()),
    ];
    let headings = table.headings();
    xlsx::workbook(
        &Sheet {
            name: "Statement of Applicability",
            title: "Statement of Applicability",
            facts: &facts,
            columns: &headings,
            rows: &table.rows,
        },
        project.today,
    )
}

fn organisation(site: &SiteView) -> String {
    site.organisation
        .clone()
        .unwrap_or_else(|| "not stated".to_string())
}

/// The risk register's columns.
const RISK_COLUMNS: &[(&str, &str)] = &[
    ("id", "ID"),
    ("title", "Risk"),
    ("description", "Description"),
    ("owner", "Owner"),
    ("likelihood", "Likelihood"),
    ("impact", "Impact"),
    ("score", "Score"),
    ("level", "Level"),
    ("treatment", "Treatment"),
    ("residual_likelihood", "Residual likelihood"),
    ("residual_impact", "Residual impact"),
    ("residual_score", "Residual score"),
    ("residual_level", "Residual level"),
    ("status", "Status"),
    ("controls", "Controls"),
    ("accepted_by", "Accepted by"),
    ("accepted_on", "Accepted on"),
    ("acceptance_expires", "Acceptance expires"),
    ("actions", "Treatment actions"),
];

/// One row per risk, in file order: its ratings, scores and bands (from `[criteria]`),
/// treatment, status, controls, acceptance and actions.
fn risks_table(project: &Project) -> Table {
    let criteria = &project.risk_criteria;
    let level = |score: Option<u16>| Cell::text(score.map(|s| criteria.level(s).as_str()));
    let rows = project
        .risks
        .iter()
        .map(|risk| {
            let controls: Vec<String> = risk
                .control_keys()
                .map(|k| project.frameworks.display_id(k))
                .collect();
            let actions: Vec<String> = risk
                .actions
                .iter()
                .map(|a| action_summary(a, project.today))
                .collect();
            vec![
                Cell::from(risk.id.as_str()),
                Cell::from(risk.title.as_str()),
                Cell::text(risk.description.as_deref()),
                Cell::text(risk.owner.as_deref()),
                Cell::number(risk.likelihood),
                Cell::number(risk.impact),
                Cell::number(risk.score()),
                level(risk.score()),
                Cell::text(risk.treatment.as_ref().map(|t| t.value.as_str())),
                Cell::number(risk.residual_likelihood),
                Cell::number(risk.residual_impact),
                Cell::number(risk.residual_score()),
                level(risk.residual_score()),
                Cell::from(risk.status.value.as_str()),
                Cell::from(controls.join("; ")),
                Cell::text(risk.accepted_by.as_deref()),
                Cell::text(risk.accepted_on.map(|d| d.to_string())),
                Cell::text(
                    risk.acceptance_expires
                        .as_ref()
                        .map(|d| d.value.to_string()),
                ),
                Cell::from(actions.join("; ")),
            ]
        })
        .collect();
    Table {
        columns: RISK_COLUMNS,
        rows,
    }
}

/// The risk register as a workbook: the criteria above the table.
fn risks_xlsx(project: &Project, site: &SiteView, table: &Table) -> Result<Vec<u8>, Fatal> {
    let criteria = &site.risk_criteria;
    let bands: Vec<String> = criteria
        .bands
        .iter()
        .map(|b| {
            let range = if b.to == b.from {
                b.from.to_string()
            } else {
                format!("{}–{}", b.from, b.to)
            };
            format!("{} {range}", level_label(b.level))
        })
        .collect();
    let facts = [
        ("Organisation", organisation(site)),
        (
            "Scale",
            format!("likelihood and impact 1 to {}", criteria.scale),
        ),
        ("Levels", bands.join(", ")),
        (
            "Risk appetite",
            format!("residual score up to {}", criteria.appetite),
        ),
        ("Generated on", site.today.clone()),
    ];
    let headings = table.headings();
    xlsx::workbook(
        &Sheet {
            name: "Risk register",
            title: "Risk register",
            facts: &facts,
            columns: &headings,
            rows: &table.rows,
        },
        project.today,
    )
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
            "coverage",
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
                &c.coverage.map_or("not-applicable", |s| s.as_str()),
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

/// An all-day event per tracked document with a next review date, per open risk treatment
/// action with a due date, and the registers' events (see [`registers::ics_events`]).
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
    for risk in &project.risks {
        for action in risk.actions.iter().filter(|a| a.done.is_none()) {
            let Some(due) = action.due else {
                continue;
            };
            let end = due.tomorrow().unwrap_or(due);
            let owner = action
                .owner
                .as_deref()
                .or(risk.owner.as_deref())
                .unwrap_or("unassigned");
            let description = format!("Owner: {owner}\nRisk: {} {}", risk.id, risk.title);
            lines.extend([
                "BEGIN:VEVENT".to_string(),
                format!("UID:action-{}@annexa", ics_text(&action.id)),
                format!("DTSTAMP:{stamp}"),
                format!("DTSTART;VALUE=DATE:{}", compact(&due.to_string())),
                format!("DTEND;VALUE=DATE:{}", compact(&end.to_string())),
                format!(
                    "SUMMARY:{}",
                    ics_text(&format!(
                        "Risk treatment due: {} {} ({})",
                        action.id, action.action, risk.id
                    ))
                ),
                format!("DESCRIPTION:{}", ics_text(&description)),
                "TRANSP:TRANSPARENT".to_string(),
                "END:VEVENT".to_string(),
            ]);
        }
    }
    registers::ics_events(project, &stamp, &mut lines);
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
