//! The reviews report (`annexa reviews`): overdue, due and undated reviews as a table, JSON or CSV.

use std::io::{self, Write};

use jiff::civil::Date;
use serde::Serialize;

use crate::model::Document;
use crate::model::Project;
use crate::text::{Csv, terminal};

/// An output format of `annexa reviews`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// Aligned columns for people; control characters in user text shown as escapes.
    Table,
    /// A JSON object with `today`, `within_days` and `reviews`.
    Json,
    /// CSV with a header row; a cell of user text that starts a formula gets a leading `'`.
    Csv,
}

/// Which list of the reviews report a row is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowState {
    /// The review date has passed.
    Overdue,
    /// Due within the report's window.
    DueSoon,
    /// Tracked, but with no review date.
    Missing,
}

impl RowState {
    /// The kebab-case name, as in the JSON and CSV outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Overdue => "overdue",
            RowState::DueSoon => "due-soon",
            RowState::Missing => "missing",
        }
    }
}

/// One row of the reviews report.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    /// Which list it is in.
    pub state: RowState,
    /// The next review date, if known.
    pub next_review: Option<String>,
    /// Days until the next review; negative when overdue.
    pub days: Option<i64>,
    /// Document id.
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: Option<String>,
    /// Source path.
    pub path: String,
    /// Last review date.
    pub last_reviewed: Option<String>,
}

/// Which reviews to list.
#[derive(Debug, Clone)]
pub struct ReviewFilter {
    /// List reviews due within this many days (overdue ones always).
    pub within_days: i64,
    /// Only documents whose owner matches this (case-insensitive substring).
    pub owner: Option<String>,
}

/// The overdue reviews (most overdue first), those due within the window (soonest first),
/// then tracked documents without a review date: the model's review groups, filtered.
pub fn rows(project: &Project, filter: &ReviewFilter) -> Vec<ReviewRow> {
    let owner_matches = |doc: &Document| match &filter.owner {
        None => true,
        Some(wanted) => doc
            .meta
            .owner
            .as_deref()
            .is_some_and(|o| o.to_lowercase().contains(&wanted.to_lowercase())),
    };
    let groups = &project.summary.reviews;
    let docs = &project.documents;
    let within = |&i: &usize| {
        docs[i]
            .review
            .days_left
            .is_some_and(|d| d <= filter.within_days)
    };
    let due = groups
        .due_soon
        .iter()
        .chain(&groups.current)
        .filter(|i| within(i));
    let listed = groups
        .overdue
        .iter()
        .map(|&i| (RowState::Overdue, i))
        .chain(due.map(|&i| (RowState::DueSoon, i)))
        .chain(groups.missing.iter().map(|&i| (RowState::Missing, i)));
    listed
        .filter(|&(_, i)| owner_matches(&docs[i]))
        .map(|(state, i)| row(state, &docs[i]))
        .collect()
}

fn row(state: RowState, doc: &Document) -> ReviewRow {
    ReviewRow {
        state,
        next_review: doc.review.next.map(|d| d.to_string()),
        days: (state != RowState::Missing)
            .then_some(doc.review.days_left)
            .flatten(),
        id: doc.meta.id.as_ref().map(|i| i.value.clone()),
        title: doc.title.clone(),
        owner: doc.meta.owner.clone(),
        path: doc.path().to_string(),
        last_reviewed: doc.meta.last_reviewed.as_ref().map(|d| d.value.to_string()),
    }
}

/// Writes the rows in `format`.
pub fn write(
    rows: &[ReviewRow],
    format: ReviewFormat,
    today: Date,
    within_days: i64,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        ReviewFormat::Table => table(rows, within_days, out),
        ReviewFormat::Json => {
            #[derive(Serialize)]
            struct Output<'a> {
                today: String,
                within_days: i64,
                reviews: &'a [ReviewRow],
            }
            let output = Output {
                today: today.to_string(),
                within_days,
                reviews: rows,
            };
            serde_json::to_writer_pretty(&mut *out, &output)?;
            writeln!(out)
        }
        ReviewFormat::Csv => {
            let mut table = Csv::new(out);
            table.header(&[
                "state",
                "next_review",
                "days",
                "id",
                "title",
                "owner",
                "path",
                "last_reviewed",
            ])?;
            for r in rows {
                table.row(&[
                    &r.state.as_str(),
                    &r.next_review,
                    &r.days,
                    &r.id,
                    &r.title,
                    &r.owner,
                    &r.path,
                    &r.last_reviewed,
                ])?;
            }
            table.finish()?.flush()
        }
    }
}

/// Aligned columns. Ids, owners, titles and paths are user text, shown through [`terminal`]:
/// a control character is written as a visible escape (`\x1b`), so it can neither act on the
/// terminal nor break the alignment.
fn table(rows: &[ReviewRow], within_days: i64, out: &mut dyn Write) -> io::Result<()> {
    let shown = |text: &str| terminal(text).into_owned();
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.state.as_str().to_string(),
                r.next_review.clone().unwrap_or_else(|| "-".into()),
                match r.days {
                    Some(d) if d < 0 => format!("{} overdue", -d),
                    Some(0) => "today".to_string(),
                    Some(d) => format!("in {d}"),
                    None => "-".to_string(),
                },
                r.id.as_deref().map_or("-".into(), shown),
                r.owner.as_deref().map_or("-".into(), shown),
                format!("{} ({})", terminal(&r.title), terminal(&r.path)),
            ]
        })
        .collect();
    let header = ["STATE", "NEXT REVIEW", "DAYS", "ID", "OWNER", "DOCUMENT"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    if !cells.is_empty() {
        write_row(out, &header.map(String::from), &widths)?;
        for row in &cells {
            write_row(out, row, &widths)?;
        }
        writeln!(out)?;
    }
    let count = |state: RowState| rows.iter().filter(|r| r.state == state).count();
    writeln!(
        out,
        "annexa: {} overdue, {} due within {within_days} days, {} without a review date",
        count(RowState::Overdue),
        count(RowState::DueSoon),
        count(RowState::Missing)
    )
}

fn write_row(out: &mut dyn Write, row: &[String; 6], widths: &[usize; 6]) -> io::Result<()> {
    let mut line = String::new();
    for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
        if i + 1 == row.len() {
            line.push_str(cell);
        } else {
            line.push_str(cell);
            line.push_str(&" ".repeat(width - cell.chars().count() + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}
