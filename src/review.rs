//! Review scheduling: intervals, next review dates with calendar arithmetic, and review states.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::{Span, ToSpan};

/// A calendar unit of a review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks of seven days.
    Week,
    /// Calendar months; month ends clamp (01-31 + 1 month = 02-28 or 02-29).
    Month,
    /// Calendar years; 29 February clamps to 28 February.
    Year,
}

/// A review interval such as `12 months`, `2 weeks` or `30d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: Unit,
}

impl Interval {
    /// The date this interval after `anchor`, clamping to month ends; `None` past year 9999.
    pub fn after(self, anchor: Date) -> Option<Date> {
        anchor.checked_add(self.span()).ok()
    }

    /// The interval as a jiff span.
    fn span(self) -> Span {
        let n = i64::from(self.count);
        match self.unit {
            Unit::Day => n.days(),
            Unit::Week => n.weeks(),
            Unit::Month => n.months(),
            Unit::Year => n.years(),
        }
    }

    /// An approximate length in days, for comparisons such as `--within`.
    pub fn days_from(self, today: Date) -> i64 {
        self.after(today)
            .and_then(|d| today.until(d).ok())
            .map(|s| i64::from(s.get_days()))
            .unwrap_or(i64::MAX)
    }
}

/// Why an interval could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntervalError(pub String);

impl fmt::Display for IntervalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IntervalError {}

impl FromStr for Interval {
    type Err = IntervalError;

    /// Reads `N day(s)|week(s)|month(s)|year(s)`, also `Nd`, `Nw`, `Nm`, `Ny`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let digits = text.chars().take_while(char::is_ascii_digit).count();
        let (number, unit) = text.split_at(digits);
        let count: u32 = number.parse().map_err(|_| {
            IntervalError(format!(
                "`{text}` is not an interval: expected a number then a unit, such as `12 months`"
            ))
        })?;
        let unit = match unit.trim().to_ascii_lowercase().as_str() {
            "d" | "day" | "days" => Unit::Day,
            "w" | "wk" | "wks" | "week" | "weeks" => Unit::Week,
            "m" | "mo" | "mos" | "month" | "months" => Unit::Month,
            "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
            other => {
                return Err(IntervalError(format!(
                    "`{other}` is not an interval unit: use day(s), week(s), month(s) or year(s)"
                )));
            }
        };
        if count == 0 || count > 100_000 {
            return Err(IntervalError(format!(
                "`{text}`: an interval must be between 1 and 100000 units"
            )));
        }
        Ok(Interval { count, unit })
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        };
        let plural = if self.count == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.count)
    }
}

/// Where a document stands with its review on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReviewState {
    /// Today is after the next review date.
    Overdue,
    /// The next review falls within the due-soon window (today included).
    DueSoon,
    /// The next review is further away.
    Ok,
    /// Tracked, but with neither `last_reviewed` nor `next_review`.
    Missing,
    /// Drafts and retired documents are not tracked.
    NotTracked,
}

impl serde::Serialize for ReviewState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl ReviewState {
    /// The kebab-case name used in exports and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::Overdue => "overdue",
            ReviewState::DueSoon => "due-soon",
            ReviewState::Ok => "ok",
            ReviewState::Missing => "missing",
            ReviewState::NotTracked => "not-tracked",
        }
    }
}

/// A document's review schedule as of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Review {
    /// The next review date, when known.
    pub next: Option<Date>,
    /// The state on the day it was computed for.
    pub state: ReviewState,
    /// Days from today to `next`: negative when overdue.
    pub days_left: Option<i64>,
}

/// What a review is computed from.
#[derive(Debug, Clone, Copy)]
pub struct ReviewInputs {
    /// Whether the document's status is tracked (not draft, not retired).
    pub tracked: bool,
    /// An explicit `next_review`; wins over the interval.
    pub next_review: Option<Date>,
    /// `last_reviewed`.
    pub last_reviewed: Option<Date>,
    /// The interval: the document's, else the project default.
    pub interval: Interval,
}

/// Computes the review state on `today`, with `due_soon_days` as the warning window.
pub fn review(inputs: ReviewInputs, today: Date, due_soon_days: u32) -> Review {
    let next = inputs
        .next_review
        .or_else(|| inputs.last_reviewed.and_then(|d| inputs.interval.after(d)));
    if !inputs.tracked {
        return Review {
            next,
            state: ReviewState::NotTracked,
            days_left: None,
        };
    }
    let Some(next) = next else {
        return Review {
            next: None,
            state: ReviewState::Missing,
            days_left: None,
        };
    };
    let days_left = days_between(today, next);
    let state = if days_left < 0 {
        ReviewState::Overdue
    } else if days_left <= i64::from(due_soon_days) {
        ReviewState::DueSoon
    } else {
        ReviewState::Ok
    };
    Review {
        next: Some(next),
        state,
        days_left: Some(days_left),
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn add(anchor: Date, interval: &str) -> Date {
        interval.parse::<Interval>().unwrap().after(anchor).unwrap()
    }

    #[test]
    fn month_and_year_arithmetic_clamps_to_month_end() {
        assert_eq!(add(date(2024, 1, 31), "1 month"), date(2024, 2, 29));
        assert_eq!(add(date(2023, 1, 31), "1 month"), date(2023, 2, 28));
        assert_eq!(add(date(2024, 2, 29), "1 year"), date(2025, 2, 28));
        assert_eq!(add(date(2023, 2, 28), "1 year"), date(2024, 2, 28));
        assert_eq!(add(date(2024, 2, 29), "4 years"), date(2028, 2, 29));
        assert_eq!(add(date(2024, 1, 31), "2 months"), date(2024, 3, 31));
        assert_eq!(add(date(2024, 8, 31), "6 months"), date(2025, 2, 28));
        assert_eq!(add(date(2024, 12, 25), "2 weeks"), date(2025, 1, 8));
        assert_eq!(add(date(2024, 2, 28), "1 day"), date(2024, 2, 29));
    }

    #[test]
    fn intervals_parse_long_and_short_forms() {
        for (text, count, unit) in [
            ("12 months", 12, Unit::Month),
            ("1 month", 1, Unit::Month),
            ("30d", 30, Unit::Day),
            ("2 Weeks", 2, Unit::Week),
            ("1 year", 1, Unit::Year),
            (" 3y ", 3, Unit::Year),
            ("2 yrs", 2, Unit::Year),
            ("6mo", 6, Unit::Month),
        ] {
            assert_eq!(
                text.parse::<Interval>(),
                Ok(Interval { count, unit }),
                "{text}"
            );
        }
        for bad in [
            "",
            "months",
            "12 fortnights",
            "0 days",
            "-1 days",
            "1.5 years",
        ] {
            assert!(bad.parse::<Interval>().is_err(), "{bad}");
        }
    }

    #[test]
    fn states_follow_the_next_review_date() {
        let inputs = |next| ReviewInputs {
            tracked: true,
            next_review: Some(next),
            last_reviewed: None,
            interval: Interval {
                count: 12,
                unit: Unit::Month,
            },
        };
        let today = date(2026, 11, 1);
        assert_eq!(
            review(inputs(date(2026, 10, 31)), today, 30).state,
            ReviewState::Overdue
        );
        assert_eq!(review(inputs(today), today, 30).state, ReviewState::DueSoon);
        assert_eq!(
            review(inputs(date(2026, 12, 1)), today, 30).state,
            ReviewState::DueSoon
        );
        assert_eq!(
            review(inputs(date(2026, 12, 2)), today, 30).state,
            ReviewState::Ok
        );
        assert_eq!(
            review(inputs(date(2026, 10, 31)), today, 30).days_left,
            Some(-1)
        );
    }
}
