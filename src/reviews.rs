//! The reviews report (`annexa reviews`): overdue, due and undated reviews as a table, JSON or CSV.

use std::io::{self, Write};

use jiff::civil::Date;
use serde::Serialize;

use crate::model::Document;
use crate::model::Project;
use crate::review::ReviewState;

/// An output format of `annexa reviews`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    /// Aligned columns for people.
    Table,
    /// A JSON object with `today`, `within_days` and `reviews`.
    Json,
    /// CSV with a header row.
    Csv,
}

/// One row of the reviews report.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewRow {
    /// `overdue`, `due-soon` (due within the window) or `missing`.
    pub state: &'static str,
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
/// then tracked documents without a review date.
pub fn rows(project: &Project, filter: &ReviewFilter) -> Vec<ReviewRow> {
    let owner_matches = |doc: &Document| match &filter.owner {
        None => true,
        Some(wanted) => doc
            .meta
            .owner
            .as_deref()
            .is_some_and(|o| o.to_lowercase().contains(&wanted.to_lowercase())),
    };
    let mut rows: Vec<(u8, i64, &Document)> = project
        .documents
        .iter()
        .filter(|d| owner_matches(d))
        .filter_map(|doc| {
            let r = &doc.review;
            match (r.state, r.days_left) {
                (ReviewState::Overdue, Some(days)) => Some((0, days, doc)),
                (ReviewState::DueSoon | ReviewState::Ok, Some(days))
                    if days <= filter.within_days =>
                {
                    Some((1, days, doc))
                }
                (ReviewState::Missing, _) => Some((2, 0, doc)),
                _ => None,
            }
        })
        .collect();
    rows.sort_by(|a, b| (a.0, a.1, a.2.path()).cmp(&(b.0, b.1, b.2.path())));
    rows.into_iter()
        .map(|(group, days, doc)| ReviewRow {
            state: match group {
                0 => "overdue",
                1 => "due-soon",
                _ => "missing",
            },
            next_review: doc.review.next.map(|d| d.to_string()),
            days: (group < 2).then_some(days),
            id: doc.meta.id.as_ref().map(|i| i.value.clone()),
            title: doc.title.clone(),
            owner: doc.meta.owner.clone(),
            path: doc.path().to_string(),
            last_reviewed: doc.meta.last_reviewed.as_ref().map(|d| d.value.to_string()),
        })
        .collect()
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
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record([
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
                writer.write_record([
                    r.state.to_string(),
                    r.next_review.clone().unwrap_or_default(),
                    r.days.map(|d| d.to_string()).unwrap_or_default(),
                    r.id.clone().unwrap_or_default(),
                    r.title.clone(),
                    r.owner.clone().unwrap_or_default(),
                    r.path.clone(),
                    r.last_reviewed.clone().unwrap_or_default(),
                ])?;
            }
            writer.flush()
        }
    }
}

fn table(rows: &[ReviewRow], within_days: i64, out: &mut dyn Write) -> io::Result<()> {
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.state.to_string(),
                r.next_review.clone().unwrap_or_else(|| "-".into()),
                match r.days {
                    Some(d) if d < 0 => format!("{} overdue", -d),
                    Some(0) => "today".to_string(),
                    Some(d) => format!("in {d}"),
                    None => "-".to_string(),
                },
                r.id.clone().unwrap_or_else(|| "-".into()),
                r.owner.clone().unwrap_or_else(|| "-".into()),
                format!("{} ({})", r.title, r.path),
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
    let count = |state: &str| rows.iter().filter(|r| r.state == state).count();
    writeln!(
        out,
        "annexa: {} overdue, {} due within {within_days} days, {} without a review date",
        count("overdue"),
        count("due-soon"),
        count("missing")
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
