//! Review date arithmetic through the binary: month ends clamp, leap days, due today, and the
//! due-soon window boundary (2024-01-31 + 1 month = 2024-02-29).

mod common;

use std::collections::BTreeMap;

use common::site::{assert_built, build, read};
use common::{Repo, Report, TODAY, annexa, string_pairs};
use serde_json::Value;

fn reviewed(last: &str, interval: Option<&str>) -> String {
    let interval = interval
        .map(|i| format!("review_interval = \"{i}\"\n"))
        .unwrap_or_default();
    format!("+++\ntitle = \"T\"\nowner = \"B\"\nlast_reviewed = {last}\n{interval}+++\n\n# T\n")
}

fn check_on(repo: &Repo, today: &str) -> Report {
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--format", "json", "--today", today])
        .output()
        .unwrap();
    Report::parse(&output)
}

/// Every document's next review date, read from `annexa reviews --format json`.
fn next_reviews(repo: &Repo) -> BTreeMap<String, String> {
    let output = annexa()
        .arg("reviews")
        .arg(repo.path())
        .args([
            "--format",
            "json",
            "--today",
            "2000-01-01",
            "--within",
            "36500d",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    string_pairs(&json["reviews"], "path", "next_review")
        .into_iter()
        .collect()
}

#[test]
fn month_and_year_arithmetic_clamps_to_the_month_end() {
    let cases = [
        (
            "jan31-plus-1-month-leap",
            "2024-01-31",
            Some("1 month"),
            "2024-02-29",
        ),
        (
            "jan31-plus-1-month",
            "2023-01-31",
            Some("1 month"),
            "2023-02-28",
        ),
        (
            "jan31-plus-2-months",
            "2024-01-31",
            Some("2 months"),
            "2024-03-31",
        ),
        (
            "aug31-plus-6-months",
            "2024-08-31",
            Some("6 months"),
            "2025-02-28",
        ),
        (
            "feb28-plus-1-year",
            "2023-02-28",
            Some("1 year"),
            "2024-02-28",
        ),
        (
            "leap-day-plus-1-year",
            "2024-02-29",
            Some("1 year"),
            "2025-02-28",
        ),
        (
            "leap-day-plus-4-years",
            "2024-02-29",
            Some("4 years"),
            "2028-02-29",
        ),
        (
            "leap-day-plus-12-months",
            "2024-02-29",
            Some("12 months"),
            "2025-02-28",
        ),
        (
            "leap-day-default-interval",
            "2024-02-29",
            None,
            "2025-02-28",
        ),
        (
            "feb28-plus-1-day",
            "2024-02-28",
            Some("1 day"),
            "2024-02-29",
        ),
        (
            "christmas-plus-2-weeks",
            "2024-12-25",
            Some("2 weeks"),
            "2025-01-08",
        ),
        ("short-forms", "2024-01-31", Some("1m"), "2024-02-29"),
        (
            "mar31-plus-1-month",
            "2025-03-31",
            Some("1 month"),
            "2025-04-30",
        ),
    ];
    let mut repo = Repo::new();
    for (name, last, interval, _) in cases {
        repo = repo.file(&format!("policies/{name}.md"), &reviewed(last, interval));
    }
    let expected: BTreeMap<String, String> = cases
        .iter()
        .map(|(name, _, _, next)| (format!("policies/{name}.md"), next.to_string()))
        .collect();
    assert_eq!(next_reviews(&repo), expected);
}

#[test]
fn next_review_wins_over_last_reviewed_and_interval() {
    let repo = Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"T\"\nowner = \"B\"\nlast_reviewed = 2024-01-31\nreview_interval = \"1 month\"\nnext_review = 2024-06-15\n+++\n\n# T\n",
    );
    assert_eq!(next_reviews(&repo)["policies/a.md"], "2024-06-15");
    // The diagnostic points at next_review, the date that counts.
    let report = check_on(&repo, "2024-06-16");
    assert_eq!(report.places(), ["review-overdue policies/a.md:6:15"]);
}

#[test]
fn jan31_plus_one_month_is_due_on_the_leap_day() {
    let repo = Repo::new().file("policies/a.md", &reviewed("2024-01-31", Some("1 month")));

    let day_before = check_on(&repo, "2024-02-28");
    assert_eq!(day_before.code, 0);
    assert_eq!(
        day_before.one("review-due-soon").message,
        "review due soon: `T` is due for review on 2024-02-29 (in 1 day)"
    );

    let due_today = check_on(&repo, "2024-02-29");
    assert_eq!(due_today.code, 0, "due today is not overdue");
    let d = due_today.one("review-due-soon");
    assert_eq!(d.place(), "review-due-soon policies/a.md:4:17");
    assert_eq!(
        d.message,
        "review due today: `T` is due for review on 2024-02-29"
    );

    let day_after = check_on(&repo, "2024-03-01");
    assert_eq!(day_after.code, 1);
    assert_eq!(
        day_after.one("review-overdue").message,
        "review overdue: `T` was due for review on 2024-02-29 (1 day ago)"
    );
}

#[test]
fn feb28_plus_one_year_is_not_the_leap_day() {
    let repo = Repo::new().file("policies/a.md", &reviewed("2023-02-28", Some("1 year")));
    let report = check_on(&repo, "2024-02-29");
    assert_eq!(report.code, 1);
    assert_eq!(
        report.one("review-overdue").message,
        "review overdue: `T` was due for review on 2024-02-28 (1 day ago)"
    );
}

#[test]
fn overdue_days_count_across_a_leap_day() {
    let repo = Repo::new().file("policies/a.md", &reviewed("2023-02-27", Some("1 year")));
    let report = check_on(&repo, "2024-03-01");
    assert_eq!(
        report.one("review-overdue").message,
        "review overdue: `T` was due for review on 2024-02-27 (3 days ago)"
    );
}

#[test]
fn the_due_soon_window_includes_its_last_day() {
    let repo = Repo::new()
        .file(
            "policies/day-30.md",
            "+++\ntitle = \"Thirty\"\nowner = \"B\"\nnext_review = 2026-12-01\n+++\n\n# T\n",
        )
        .file(
            "policies/day-31.md",
            "+++\ntitle = \"Thirty-one\"\nowner = \"B\"\nnext_review = 2026-12-02\n+++\n\n# T\n",
        );
    let report = check_on(&repo, "2026-11-01");
    assert_eq!(report.code, 0);
    let d = report.one("review-due-soon");
    assert_eq!(d.place(), "review-due-soon policies/day-30.md:4:15");
    assert_eq!(
        d.message,
        "review due soon: `Thirty` is due for review on 2026-12-01 (in 30 days)"
    );
    assert_eq!(report.diagnostics.len(), 1);
}

#[test]
fn a_zero_day_window_flags_only_reviews_due_today() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[reviews]\ndue_soon_days = 0\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(
        "policies/today.md",
        "+++\ntitle = \"Today\"\nowner = \"B\"\nnext_review = 2026-11-01\n+++\n\n# T\n",
    )
    .file(
        "policies/tomorrow.md",
        "+++\ntitle = \"Tomorrow\"\nowner = \"B\"\nnext_review = 2026-11-02\n+++\n\n# T\n",
    );
    let report = check_on(&repo, "2026-11-01");
    assert_eq!(report.places(), ["review-due-soon policies/today.md:4:15"]);
}

#[test]
fn review_due_soon_can_be_made_an_error() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[lints]\nunmapped-control = \"off\"\nreview-due-soon = \"error\"\n",
    )
    .file("policies/a.md", &reviewed("2024-01-31", Some("1 month")));
    let report = check_on(&repo, "2024-02-29");
    assert_eq!(report.code, 1);
    assert_eq!(report.one("review-due-soon").severity, "error");
}

/// Every document's next review date as the built site's `exports/documents.json` has it (this
/// shows dates however far away they are).
fn built_next_reviews(repo: &Repo) -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_built(&build(repo.path(), &out, TODAY, &[]));
    let json: Value = serde_json::from_str(&read(&out, "exports/documents.json")).unwrap();
    string_pairs(&json["documents"], "path", "next_review")
        .into_iter()
        .collect()
}

/// Each diagnostic as its place, message and help.
fn found(report: &Report) -> Vec<(String, String, Option<String>)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect()
}

fn invalid(place: &str, message: &str) -> (String, String, Option<String>) {
    (place.to_string(), message.to_string(), None)
}

#[test]
fn a_review_interval_may_be_100000_units_long() {
    let repo = Repo::new()
        .file(
            "policies/days.md",
            &reviewed("2026-06-01", Some("100000 days")),
        )
        .file(
            "policies/weeks.md",
            &reviewed("2026-06-01", Some("100000w")),
        );
    let report = check_on(&repo, TODAY);
    assert_eq!(found(&report), [], "100000 units are accepted");
    assert_eq!(report.code, 0);
    assert_eq!(
        built_next_reviews(&repo),
        BTreeMap::from([
            ("policies/days.md".to_string(), "2300-03-17".to_string()),
            ("policies/weeks.md".to_string(), "3942-12-14".to_string()),
        ])
    );
}

#[test]
fn a_review_interval_over_100000_units_is_invalid_front_matter() {
    let repo = Repo::new()
        .file(
            "policies/days.md",
            &reviewed("2026-06-01", Some("100001 days")),
        )
        .file(
            "policies/months.md",
            &reviewed("2026-06-01", Some("100001 months")),
        )
        .file(
            "policies/years.md",
            &reviewed("2026-06-01", Some("100001y")),
        )
        .file("policies/zero.md", &reviewed("2026-06-01", Some("0 weeks")));
    let report = check_on(&repo, TODAY);
    assert_eq!(report.code, 1);
    assert_eq!(
        found(&report),
        [
            invalid(
                "invalid-front-matter policies/days.md:5:19",
                "`review_interval`: `100001 days`: an interval must be between 1 and 100000 units"
            ),
            invalid(
                "invalid-front-matter policies/months.md:5:19",
                "`review_interval`: `100001 months`: an interval must be between 1 and 100000 units"
            ),
            invalid(
                "invalid-front-matter policies/years.md:5:19",
                "`review_interval`: `100001y` is longer than annexa's calendar, which ends on 9999-12-31: an interval must be at most 9999 years"
            ),
            invalid(
                "invalid-front-matter policies/zero.md:5:19",
                "`review_interval`: `0 weeks`: an interval must be between 1 and 100000 units"
            ),
        ]
    );
}

#[test]
fn the_default_interval_may_be_100000_units_long_and_no_more() {
    let config = |interval: &str| {
        format!(
            "title = \"T\"\n\n[reviews]\ndefault_interval = \"{interval}\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n"
        )
    };
    let document = reviewed("2026-06-01", None);

    let longest = Repo::with_config(&config("100000 days")).file("policies/a.md", &document);
    let report = check_on(&longest, TODAY);
    assert_eq!(found(&report), []);
    assert_eq!(report.code, 0);
    assert_eq!(
        built_next_reviews(&longest),
        BTreeMap::from([("policies/a.md".to_string(), "2300-03-17".to_string())]),
        "the default interval applies"
    );

    for interval in ["100001 days", "0 days"] {
        let repo = Repo::with_config(&config(interval)).file("policies/a.md", &document);
        let report = check_on(&repo, TODAY);
        assert_eq!(report.code, 1, "{interval}");
        assert_eq!(
            found(&report),
            [invalid(
                "invalid-config annexa.toml:4:20",
                &format!(
                    "`reviews.default_interval`: `{interval}`: an interval must be between 1 and 100000 units"
                )
            )]
        );
    }
}

/// `annexa check` on `repo` as of 2026-11-01, which must end normally (no panic).
fn check_normally(repo: &Repo) -> Report {
    let report = check_on(repo, "2026-11-01");
    assert!(!report.stderr.contains("panicked"), "{}", report.stderr);
    report
}

/// The diagnostics of a report as `lint file:line:col message`.
fn found_lines(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.place(), d.message))
        .collect()
}

#[test]
fn an_interval_longer_than_the_calendar_is_invalid_front_matter() {
    let repo = Repo::new().file(
        "policies/a.md",
        &reviewed("2026-06-01", Some("19999 years")),
    );
    let report = check_normally(&repo);
    assert_eq!(report.code, 1);
    assert_eq!(
        found_lines(&report),
        [
            "invalid-front-matter policies/a.md:5:19 `review_interval`: `19999 years` is longer than annexa's calendar, which ends on 9999-12-31: an interval must be at most 9999 years"
        ]
    );
    // `build` reads the same model: it stops on the error, without a panic.
    let output = annexa()
        .arg("build")
        .arg(repo.path())
        .args(["--today", "2026-11-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("policies/a.md:5:19"),
        "the build names the place: {stderr}"
    );
}

#[test]
fn a_default_interval_longer_than_the_calendar_is_invalid_config() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[reviews]\ndefault_interval = \"19999 years\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("policies/a.md", &reviewed("2025-01-01", None));
    let report = check_normally(&repo);
    assert_eq!(report.code, 1);
    assert_eq!(
        found_lines(&report),
        [
            "invalid-config annexa.toml:4:20 `reviews.default_interval`: `19999 years` is longer than annexa's calendar, which ends on 9999-12-31: an interval must be at most 9999 years",
            // The default of 12 months stands in.
            "review-overdue policies/a.md:4:17 review overdue: `T` was due for review on 2026-01-01 (304 days ago)",
        ]
    );
}

#[test]
fn a_next_review_past_the_calendar_is_reported_not_taken_for_no_date() {
    let repo = Repo::new()
        .file("policies/a.md", &reviewed("9999-12-01", Some("1 year")))
        // An explicit next_review wins: nothing is computed, nothing to report.
        .file(
            "policies/explicit.md",
            "+++\ntitle = \"E\"\nowner = \"B\"\nlast_reviewed = 9999-12-01\nreview_interval = \"1 year\"\nnext_review = 9999-12-31\n+++\n\n# E\n",
        )
        // A date that fits is no problem, to the last day.
        .file("policies/last-day.md", &reviewed("9999-11-30", Some("1 month")));
    let report = check_normally(&repo);
    assert_eq!(report.code, 1);
    assert_eq!(
        found_lines(&report),
        [
            "invalid-front-matter policies/a.md:5:19 the next review, 1 year after 9999-12-01, is past the last date annexa can compute (9999-12-31)"
        ]
    );
}

#[test]
fn a_default_interval_that_leads_past_the_calendar_is_reported_at_last_reviewed() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[reviews]\ndefault_interval = \"9000 years\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("policies/a.md", &reviewed("2025-01-01", None))
    // 0999-01-01 plus 9000 years is 9999-01-01: far off, but a date.
    .file("policies/b.md", &reviewed("0999-01-01", None));
    let report = check_normally(&repo);
    assert_eq!(report.code, 1);
    assert_eq!(
        found_lines(&report),
        [
            "invalid-front-matter policies/a.md:4:17 the next review, 9000 years after 2025-01-01, is past the last date annexa can compute (9999-12-31)",
        ]
    );
    assert_eq!(
        report.in_file("policies/a.md")[0].help.as_deref(),
        Some("the interval is `reviews.default_interval` of annexa.toml (9000 years)")
    );
}
