//! The change report's formats: `human` for the terminal, `markdown` for pasting into minutes,
//! `json` for tools (its schema is in README).

use std::io::{self, Write};

use crate::past::compare::{ChangeReport, End, FieldChange};
use crate::text::terminal;

/// How `annexa changes` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChangesFormat {
    /// Plain text for people.
    Human,
    /// Markdown, for management review minutes.
    Markdown,
    /// JSON (schema in README).
    Json,
}

/// Writes `report` in `format`.
pub fn write(report: &ChangeReport, format: ChangesFormat, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ChangesFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        ChangesFormat::Human => out.write_all(lines(report, &Style::HUMAN).as_bytes()),
        ChangesFormat::Markdown => out.write_all(lines(report, &Style::MARKDOWN).as_bytes()),
    }
}

/// How the two text formats differ.
struct Style {
    heading: &'static str,
    item: &'static str,
    code: fn(&str) -> String,
    text: fn(&str) -> String,
    title: fn(&str) -> String,
}

impl Style {
    const HUMAN: Style = Style {
        heading: "",
        item: "  ",
        code: |s| terminal(s).into_owned(),
        text: |s| terminal(s).into_owned(),
        title: |s| terminal(s).into_owned(),
    };
    const MARKDOWN: Style = Style {
        heading: "### ",
        item: "- ",
        code: |s| format!("`{}`", s.replace('`', "'")),
        text: markdown_text,
        title: |s| format!("**{}**", markdown_text(s)),
    };
}

/// `text` with the characters Markdown would read as markup escaped.
fn markdown_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(if c.is_control() { ' ' } else { c });
    }
    escaped
}

fn end_text(end: &End, s: &Style) -> String {
    match &end.short {
        Some(short) => format!("{} ({short}, {})", (s.code)(&end.point), end.date),
        None => format!("the {} ({})", end.point, end.date),
    }
}

fn field(change: &FieldChange, s: &Style) -> String {
    let value = |v: &Option<String>| v.as_deref().map(|v| (s.text)(v)).unwrap_or("—".into());
    format!(
        "{}: {} → {}",
        change.field,
        value(&change.old),
        value(&change.new)
    )
}

/// The report as text in style `s`.
fn lines(report: &ChangeReport, s: &Style) -> String {
    let mut text = String::new();
    let heading = if s.heading.is_empty() { "" } else { "## " };
    text.push_str(&format!(
        "{heading}Changes from {} to {}\n",
        end_text(&report.since, s),
        end_text(&report.until, s)
    ));
    if report.is_empty() {
        text.push_str("\nNo changes.\n");
        return text;
    }
    let mut section = |name: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        text.push_str(&format!("\n{}{name}\n", s.heading));
        if !s.heading.is_empty() {
            text.push('\n');
        }
        for item in items {
            text.push_str(&format!("{}{item}\n", s.item));
        }
    };
    section("Documents", documents(report, s));
    section(
        "Statement of Applicability",
        report
            .soa
            .iter()
            .map(|c| {
                let changes: Vec<String> = c.changes.iter().map(|f| field(f, s)).collect();
                format!(
                    "{} {}: {}",
                    (s.code)(&c.control),
                    (s.text)(&c.title),
                    changes.join("; ")
                )
            })
            .collect(),
    );
    section("Risks", risks(report, s));
    let coverage = |label: &str, list: &[crate::past::compare::CoverageChange]| {
        list.iter()
            .map(|c| {
                format!(
                    "{label}: {} {}: {} → {}",
                    (s.code)(&c.control),
                    (s.text)(&c.title),
                    c.old,
                    c.new
                )
            })
            .collect::<Vec<_>>()
    };
    let mut items = coverage("Gained", &report.coverage.gained);
    items.extend(coverage("Lost", &report.coverage.lost));
    section("Control coverage", items);
    section("Registers", registers(report, s));
    text
}

fn registers(report: &ChangeReport, s: &Style) -> Vec<String> {
    let mut items = Vec::new();
    for r in &report.registers {
        let named = |e: &crate::past::registers::EntryRef| {
            format!("{} {}", (s.code)(&e.id), (s.text)(&e.title))
        };
        for (label, list) in [
            ("added", &r.added),
            ("closed", &r.closed),
            ("removed", &r.removed),
        ] {
            items.extend(
                list.iter()
                    .map(|e| format!("{} {label}: {}", r.register, named(e))),
            );
        }
    }
    items
}

fn documents(report: &ChangeReport, s: &Style) -> Vec<String> {
    let d = &report.documents;
    let named = |r: &crate::past::compare::DocRef| {
        format!("{} ({})", (s.title)(&r.title), (s.code)(&r.path))
    };
    let mut items: Vec<String> = Vec::new();
    items.extend(d.added.iter().map(|r| format!("Added: {}", named(r))));
    items.extend(d.removed.iter().map(|r| format!("Removed: {}", named(r))));
    items.extend(d.renamed.iter().map(|r| {
        format!(
            "Renamed: {} → {} ({})",
            (s.code)(&r.from),
            (s.code)(&r.to),
            (s.title)(&r.title)
        )
    }));
    for c in &d.changed {
        let mut parts = Vec::new();
        if c.lines_added + c.lines_removed > 0 {
            let sections: Vec<String> = c.sections.iter().map(|h| (s.text)(h)).collect();
            parts.push(format!(
                "+{} −{} lines in {}",
                c.lines_added,
                c.lines_removed,
                sections.join(", ")
            ));
        }
        parts.extend(c.metadata.iter().map(|f| field(f, s)));
        items.push(format!(
            "Changed: {}: {}",
            named(&c.document),
            parts.join("; ")
        ));
    }
    items
}

fn risks(report: &ChangeReport, s: &Style) -> Vec<String> {
    let r = &report.risks;
    let named = |risk: &crate::past::compare::RiskRef| {
        format!("{} {}", (s.code)(&risk.id), (s.text)(&risk.title))
    };
    let mut items: Vec<String> = Vec::new();
    items.extend(r.added.iter().map(|x| format!("Added: {}", named(x))));
    items.extend(r.closed.iter().map(|x| format!("Closed: {}", named(x))));
    items.extend(r.removed.iter().map(|x| format!("Removed: {}", named(x))));
    items.extend(r.rescored.iter().map(|x| {
        let changes: Vec<String> = x.changes.iter().map(|f| field(f, s)).collect();
        format!("Re-scored: {}: {}", named(&x.risk), changes.join("; "))
    }));
    items
}
