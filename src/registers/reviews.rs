//! `management-reviews.toml`: the management reviews held (ISO/IEC 27001:2022 9.3), each with
//! its minutes and the 9.3.2 inputs it covered, and how often reviews are due.

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Position, did_you_mean};
use crate::links::Target;
use crate::review::{Interval, Unit};
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

use super::inputs::{self, ReviewInput};
use super::{after, interval, open, require, text};

/// The file name of the management review record.
pub use crate::publish::MANAGEMENT_REVIEWS_FILE;

/// The interval between reviews when `[management]` does not set one.
pub const DEFAULT_INTERVAL: Interval = Interval {
    count: 12,
    unit: Unit::Month,
};

/// The management review record: `[management]` and every `[[reviews]]`.
#[derive(Debug, Clone)]
pub struct ReviewRecord {
    /// `management-reviews.toml` when the project has one.
    pub file: Option<String>,
    /// `management.interval`: the longest time between two reviews.
    pub interval: Interval,
    /// Where `management.interval` is written, when it is.
    pub interval_position: Option<Position>,
    /// The reviews in file order.
    pub reviews: Vec<ManagementReview>,
}

impl Default for ReviewRecord {
    fn default() -> Self {
        ReviewRecord {
            file: None,
            interval: DEFAULT_INTERVAL,
            interval_position: None,
            reviews: Vec::new(),
        }
    }
}

impl ReviewRecord {
    /// The latest review held on or before `today`.
    pub fn last(&self, today: Date) -> Option<&ManagementReview> {
        self.reviews
            .iter()
            .filter(|r| r.date.value <= today)
            .max_by_key(|r| r.date.value)
    }

    /// When the next review is due: `interval` after the last one held by `today`.
    pub fn next_due(&self, today: Date) -> Option<Date> {
        self.last(today).map(|r| after(self.interval, r.date.value))
    }
}

/// One management review.
#[derive(Debug, Clone)]
pub struct ManagementReview {
    /// When it was held.
    pub date: Located<Date>,
    /// The minutes, a path in the repository (or a URL).
    pub minutes: Option<Located<String>>,
    /// What `minutes` reaches, once the model resolved it.
    pub minutes_target: Option<Target>,
    /// The 9.3.2 inputs it covered (`a`, `d.3`), as the catalog spells them.
    pub inputs: Vec<Located<&'static str>>,
    /// Where the entry starts in the file.
    pub position: Position,
}

impl ManagementReview {
    /// The 9.3.2 inputs it did not cover, in the standard's order (`d` unless `d.1` to `d.4`).
    pub fn missing_inputs(&self) -> Vec<&'static ReviewInput> {
        inputs::missing(|item| self.inputs.iter().any(|i| i.value == item))
    }
}

/// Reads `management-reviews.toml`; problems become diagnostics.
pub fn parse(source: &SourceText, out: &mut Vec<Diagnostic>) -> ReviewRecord {
    let mut record = ReviewRecord {
        file: Some(source.path.clone()),
        ..ReviewRecord::default()
    };
    let Some((src, table)) = open(source, out) else {
        return record;
    };
    let mut top = Fields::new(src, &table, "");
    if let Some(t) = top.table("management", out) {
        let mut f = Fields::new(src, t, "management.");
        if let Some(i) = interval(&mut f, "interval", "management.", out) {
            record.interval = i.value;
            record.interval_position = Some(i.position);
        }
        f.finish(&["interval"], out);
    }
    let tables = top.tables("reviews", out);
    top.finish(&["management", "reviews"], out);
    for (table, position) in tables {
        if let Some(review) = read_review(src, table, position, out) {
            if let Some(other) = record
                .reviews
                .iter()
                .find(|r| r.date.value == review.date.value)
            {
                out.push(
                    crate::diagnostic::Diagnostic::new(
                        crate::diagnostic::Lint::DuplicateId,
                        format!(
                            "a management review on {} is recorded twice",
                            review.date.value
                        ),
                    )
                    .in_file(&source.path)
                    .at(review.date.position)
                    .with_help(format!("the other is at line {}", other.date.position.line)),
                );
                continue;
            }
            record.reviews.push(review);
        }
    }
    record
}

fn read_review(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    out: &mut Vec<Diagnostic>,
) -> Option<ManagementReview> {
    let mut f = Fields::new(src, table, "reviews.");
    let date = f.date("date", out);
    let date_given = f.has("date");
    let minutes = text(&mut f, "minutes", out);
    let written = f.string_list("inputs", out).unwrap_or_default();
    let mut covered: Vec<Located<&'static str>> = Vec::with_capacity(written.len());
    for w in &written {
        match inputs::find(&w.value) {
            Some(input) if !covered.iter().any(|c| c.value == input.item) => {
                covered.push(Located {
                    value: input.item.as_str(),
                    position: w.position,
                })
            }
            Some(_) => {}
            None => {
                let items = inputs::all().iter().map(|i| i.item.as_str());
                let help = did_you_mean(&w.value, items.clone())
                    .map(|i| format!("did you mean \"{i}\"?"))
                    .unwrap_or_else(|| {
                        format!(
                            "the inputs of 9.3.2 are {}",
                            items.collect::<Vec<_>>().join(", ")
                        )
                    });
                out.push(
                    src.error_at(
                        w.position,
                        format!(
                            "`reviews.inputs` \"{}\" is not an input of ISO/IEC 27001:2022 9.3.2",
                            w.value
                        ),
                    )
                    .with_help(help),
                );
            }
        }
    }
    f.finish(&["date", "minutes", "inputs"], out);
    if !require(
        src,
        position,
        "a management review",
        &[("date", date_given)],
        out,
    ) {
        return None;
    }
    Some(ManagementReview {
        date: date?,
        minutes,
        minutes_target: None,
        inputs: covered,
        position,
    })
}
