//! Review scheduling: intervals, next review dates with calendar arithmetic, and review states.

use std::fmt;
use std::str::FromStr;

use jiff::Span;
use jiff::civil::Date;

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

/// The last date annexa can compute with (jiff's calendar ends there, as TOML dates do).
pub const LAST_DATE: Date = Date::MAX;

/// The longest interval in years: from the first TOML date, 0000-01-01, to 9999-01-01. A longer
/// one could not give a date annexa can compute from any date.
pub const MAX_YEARS: u32 = 9999;

impl Interval {
    /// The date this interval after `anchor`, clamping to month ends; `None` past [`LAST_DATE`].
    pub fn after(self, anchor: Date) -> Option<Date> {
        anchor.checked_add(self.span()?).ok()
    }

    /// The interval as a jiff span; `None` when jiff has no span that long.
    fn span(self) -> Option<Span> {
        let n = i64::from(self.count);
        let span = Span::new();
        match self.unit {
            Unit::Day => span.try_days(n),
            Unit::Week => span.try_weeks(n),
            Unit::Month => span.try_months(n),
            Unit::Year => span.try_years(n),
        }
        .ok()
    }

    /// The number of days from `today` to this interval after it, for comparisons such as
    /// `--within`; `None` when that is past [`LAST_DATE`].
    pub fn days_from(self, today: Date) -> Option<i64> {
        self.after(today).map(|d| days_between(today, d))
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
        if unit == Unit::Year && count > MAX_YEARS {
            return Err(IntervalError(format!(
                "`{text}` is longer than annexa's calendar, which ends on {LAST_DATE}: an interval must be at most {MAX_YEARS} years"
            )));
        }
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

/// Where a document stands with its review on a given day (serialised as [`ReviewState::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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
    /// Set when `last_reviewed` plus the interval falls past [`LAST_DATE`]: a bad value, to be
    /// reported. There is then no next date, and the review counts as not due (`Ok`): it is
    /// due after every date annexa can compute, not missing.
    pub past_calendar: Option<PastCalendar>,
}

/// A next review that would fall past [`LAST_DATE`]: `interval` after `anchor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastCalendar {
    /// `last_reviewed`.
    pub anchor: Date,
    /// The interval that leads past the calendar.
    pub interval: Interval,
}

impl fmt::Display for PastCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the next review, {} after {}, is past the last date annexa can compute ({LAST_DATE})",
            self.interval, self.anchor
        )
    }
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
    let mut past_calendar = None;
    let next = inputs.next_review.or_else(|| {
        let anchor = inputs.last_reviewed?;
        let next = inputs.interval.after(anchor);
        if next.is_none() {
            past_calendar = Some(PastCalendar {
                anchor,
                interval: inputs.interval,
            });
        }
        next
    });
    let (state, days_left) = match next {
        _ if !inputs.tracked => (ReviewState::NotTracked, None),
        None if past_calendar.is_some() => (ReviewState::Ok, None),
        None => (ReviewState::Missing, None),
        Some(next) => {
            let days_left = days_between(today, next);
            let state = if days_left < 0 {
                ReviewState::Overdue
            } else if days_left <= i64::from(due_soon_days) {
                ReviewState::DueSoon
            } else {
                ReviewState::Ok
            };
            (state, Some(days_left))
        }
    };
    Review {
        next,
        state,
        days_left,
        past_calendar,
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

#[cfg(test)]
mod serialised {
    use super::ReviewState::*;

    #[test]
    fn review_states_serialise_as_their_names() {
        for state in [Overdue, DueSoon, Ok, Missing, NotTracked] {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
    }
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
            "10000 years",
            "19999y",
            "100001 days",
        ] {
            assert!(bad.parse::<Interval>().is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_past_the_calendar_is_none_never_a_panic() {
        let parse = |text: &str| text.parse::<Interval>().unwrap();
        // The longest intervals of every unit, from the first and the last TOML dates.
        for text in ["9999 years", "100000 months", "100000 weeks", "100000 days"] {
            assert!(parse(text).after(date(0, 1, 1)).is_some(), "{text}");
            assert_eq!(parse(text).after(LAST_DATE), None, "{text}");
            assert_eq!(parse(text).days_from(LAST_DATE), None, "{text}");
        }
        assert_eq!(add(date(0, 1, 1), "9999 years"), date(9999, 1, 1));
        assert_eq!(add(date(9999, 11, 30), "1 month"), date(9999, 12, 30));
        assert_eq!(add(date(9999, 12, 30), "1 day"), LAST_DATE);
        assert_eq!(parse("1 year").after(date(9999, 12, 1)), None);
        assert_eq!(parse("1 day").days_from(date(9999, 12, 30)), Some(1));
        // Beyond what jiff can hold in a span at all.
        let huge = Interval {
            count: u32::MAX,
            unit: Unit::Year,
        };
        assert_eq!(huge.after(date(2026, 1, 1)), None);
        assert_eq!(
            "19999 years".parse::<Interval>().unwrap_err().to_string(),
            "`19999 years` is longer than annexa's calendar, which ends on 9999-12-31: an interval must be at most 9999 years"
        );
    }

    #[test]
    fn a_next_review_past_the_calendar_is_not_due_and_says_why() {
        let inputs = |tracked| ReviewInputs {
            tracked,
            next_review: None,
            last_reviewed: Some(date(9999, 12, 1)),
            interval: Interval {
                count: 1,
                unit: Unit::Year,
            },
        };
        let past = PastCalendar {
            anchor: date(9999, 12, 1),
            interval: inputs(true).interval,
        };
        assert_eq!(
            review(inputs(true), date(2026, 11, 1), 30),
            Review {
                next: None,
                state: ReviewState::Ok,
                days_left: None,
                past_calendar: Some(past),
            }
        );
        assert_eq!(
            review(inputs(false), date(2026, 11, 1), 30).past_calendar,
            Some(past)
        );
        assert_eq!(
            past.to_string(),
            "the next review, 1 year after 9999-12-01, is past the last date annexa can compute (9999-12-31)"
        );
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
