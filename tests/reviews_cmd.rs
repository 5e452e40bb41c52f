//! `annexa reviews`: the table, JSON and CSV reports, `--within`, `--owner`, ordering (most
//! overdue first), and the exit code (1 when an overdue review is listed).

mod common;

use common::{Repo, TODAY, annexa, owned_pairs, string_pairs};
use predicates::prelude::*;
use serde_json::{Value, json};

fn document(title: &str, owner: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nowner = \"{owner}\"\n{extra}\n+++\n\n# {title}\n")
}

/// As of 2026-11-01: two overdue, two due within 30 days, one due in 75 days, one undated,
/// one draft (not tracked).
fn repo() -> Repo {
    Repo::new()
        .file(
            "policies/very-late.md",
            &document(
                "Very Late",
                "Head of IT",
                "id = \"POL-001\"\nnext_review = 2026-01-15",
            ),
        )
        .file(
            "policies/late.md",
            &document("Late", "CISO", "last_reviewed = 2025-10-25"),
        )
        .file(
            "procedures/soon.md",
            &document(
                "Soon, really",
                "Operations Lead",
                "next_review = 2026-11-10",
            ),
        )
        .file(
            "procedures/sooner.md",
            &document(
                "Sooner",
                "Head of IT",
                "id = \"PRC-002\"\nnext_review = 2026-11-03",
            ),
        )
        .file(
            "policies/later.md",
            &document("Later", "CISO", "next_review = 2027-01-15"),
        )
        .file(
            "records/undated.md",
            &document("Undated", "CISO", "kind = \"record\""),
        )
        .file(
            "policies/draft.md",
            &document("Draft", "CISO", "status = \"draft\""),
        )
}

fn reviews(repo: &Repo, args: &[&str]) -> assert_cmd::assert::Assert {
    annexa()
        .arg("reviews")
        .arg(repo.path())
        .args(["--today", TODAY])
        .args(args)
        .assert()
}

fn stdout(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn table_lists_overdue_first_then_due_then_undated() {
    let run = reviews(&repo(), &[]).code(1).stderr("");
    assert_eq!(
        stdout(&run),
        "\
STATE     NEXT REVIEW  DAYS         ID       OWNER            DOCUMENT
overdue   2026-01-15   290 overdue  POL-001  Head of IT       Very Late (policies/very-late.md)
overdue   2026-10-25   7 overdue    -        CISO             Late (policies/late.md)
due-soon  2026-11-03   in 2         PRC-002  Head of IT       Sooner (procedures/sooner.md)
due-soon  2026-11-10   in 9         -        Operations Lead  Soon, really (procedures/soon.md)
missing   -            -            -        CISO             Undated (records/undated.md)

annexa: 2 overdue, 2 due within 30 days, 1 without a review date
"
    );
}

#[test]
fn csv_has_a_header_and_quotes_commas() {
    let run = reviews(&repo(), &["--format", "csv"]).code(1);
    assert_eq!(
        stdout(&run),
        "\
state,next_review,days,id,title,owner,path,last_reviewed
overdue,2026-01-15,-290,POL-001,Very Late,Head of IT,policies/very-late.md,
overdue,2026-10-25,-7,,Late,CISO,policies/late.md,2025-10-25
due-soon,2026-11-03,2,PRC-002,Sooner,Head of IT,procedures/sooner.md,
due-soon,2026-11-10,9,,\"Soon, really\",Operations Lead,procedures/soon.md,
missing,,,,Undated,CISO,records/undated.md,
"
    );
}

#[test]
fn json_with_within_and_owner() {
    let run = reviews(
        &repo(),
        &["--format", "json", "--within", "3m", "--owner", "ciso"],
    )
    .code(1);
    let value: Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(
        value,
        json!({
            "today": "2026-11-01",
            "within_days": 92,
            "reviews": [
                {
                    "state": "overdue",
                    "next_review": "2026-10-25",
                    "days": -7,
                    "id": null,
                    "title": "Late",
                    "owner": "CISO",
                    "path": "policies/late.md",
                    "last_reviewed": "2025-10-25"
                },
                {
                    "state": "due-soon",
                    "next_review": "2027-01-15",
                    "days": 75,
                    "id": null,
                    "title": "Later",
                    "owner": "CISO",
                    "path": "policies/later.md",
                    "last_reviewed": null
                },
                {
                    "state": "missing",
                    "next_review": null,
                    "days": null,
                    "id": null,
                    "title": "Undated",
                    "owner": "CISO",
                    "path": "records/undated.md",
                    "last_reviewed": null
                }
            ]
        })
    );
}

fn listed(repo: &Repo, args: &[&str]) -> (i32, Vec<(String, String)>) {
    let output = annexa()
        .arg("reviews")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rows = string_pairs(&value["reviews"], "state", "path");
    (output.status.code().unwrap(), rows)
}

#[test]
fn within_sets_the_window_overdue_and_undated_always_listed() {
    let repo = repo();
    let (_, days_5) = listed(&repo, &["--within", "5d"]);
    assert_eq!(
        days_5,
        owned_pairs(&[
            ("overdue", "policies/very-late.md"),
            ("overdue", "policies/late.md"),
            ("due-soon", "procedures/sooner.md"),
            ("missing", "records/undated.md"),
        ])
    );
    // 2026-11-01 + 2 weeks = 2026-11-15: "in 9 days" is in, "in 75 days" is not.
    let (_, weeks) = listed(&repo, &["--within", "2 weeks"]);
    assert_eq!(weeks.len(), 5);
    let (_, months) = listed(&repo, &["--within", "3 months"]);
    assert_eq!(
        months,
        owned_pairs(&[
            ("overdue", "policies/very-late.md"),
            ("overdue", "policies/late.md"),
            ("due-soon", "procedures/sooner.md"),
            ("due-soon", "procedures/soon.md"),
            ("due-soon", "policies/later.md"),
            ("missing", "records/undated.md"),
        ])
    );
}

#[test]
fn within_boundary_is_inclusive() {
    let repo = repo();
    let (_, exact) = listed(&repo, &["--within", "9d", "--owner", "operations"]);
    assert_eq!(exact, owned_pairs(&[("due-soon", "procedures/soon.md")]));
    let (_, short) = listed(&repo, &["--within", "8d", "--owner", "operations"]);
    assert_eq!(short, owned_pairs(&[]));
}

#[test]
fn owner_filter_is_a_case_insensitive_substring() {
    let repo = repo();
    let (code, head) = listed(&repo, &["--owner", "HEAD OF"]);
    assert_eq!(
        head,
        owned_pairs(&[
            ("overdue", "policies/very-late.md"),
            ("due-soon", "procedures/sooner.md"),
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn exit_0_when_no_overdue_review_is_listed() {
    let repo = repo();
    let (code, ops) = listed(&repo, &["--owner", "operations"]);
    assert_eq!(code, 0);
    assert_eq!(ops, owned_pairs(&[("due-soon", "procedures/soon.md")]));
    reviews(&repo, &["--owner", "nobody"])
        .code(0)
        .stdout("annexa: 0 overdue, 0 due within 30 days, 0 without a review date\n");
}

#[test]
fn exit_0_when_review_overdue_is_not_an_error() {
    let repo = repo();
    repo.write(
        "annexa.toml",
        b"title = \"T\"\n\n[lints]\nunmapped-control = \"off\"\nreview-overdue = \"warning\"\n",
    );
    let (code, listed) = listed(&repo, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        listed[0],
        ("overdue".to_string(), "policies/very-late.md".to_string())
    );
}

#[test]
fn documents_whose_front_matter_cannot_be_read_are_reported_not_listed() {
    let repo = Repo::new()
        .file(
            "policies/ok.md",
            &document("Ok", "CISO", "next_review = 2026-11-05"),
        )
        .file(
            "policies/broken.md",
            "+++\ntitle = \"Broken\nowner = \"x\"\n+++\n\n# B\n",
        );
    let run = reviews(&repo, &["--format", "csv"])
        .code(1)
        .stderr(predicate::str::starts_with("annexa: policies/broken.md:2:"))
        .stderr(predicate::str::contains("(its review cannot be assessed)"));
    assert_eq!(
        stdout(&run),
        "state,next_review,days,id,title,owner,path,last_reviewed\n\
         due-soon,2026-11-05,4,,Ok,CISO,policies/ok.md,\n"
    );
}

#[test]
fn reviews_without_annexa_toml_or_with_a_bad_within_is_exit_2() {
    let empty = Repo::empty();
    annexa()
        .arg("reviews")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no annexa.toml"));
    reviews(&repo(), &["--within", "soon"]).code(2);
    reviews(&repo(), &["--format", "xml"]).code(2);
}

#[test]
fn within_may_be_100000_units_and_no_more() {
    // As of 2026-11-01 the next review, 2300-03-17, is 99847 days away.
    let repo = Repo::new().file(
        "policies/far.md",
        &document(
            "Far",
            "CISO",
            "last_reviewed = 2026-06-01\nreview_interval = \"100000 days\"",
        ),
    );
    let far = json!([{
        "state": "due-soon",
        "next_review": "2300-03-17",
        "days": 99847,
        "id": null,
        "title": "Far",
        "owner": "CISO",
        "path": "policies/far.md",
        "last_reviewed": "2026-06-01",
    }]);
    for (within, days, listed) in [
        ("100000d", 100000, far.clone()),
        ("100000 days", 100000, far.clone()),
        ("99847d", 99847, far.clone()),
        ("99846d", 99846, json!([])),
    ] {
        let assert = reviews(&repo, &["--format", "json", "--within", within]).code(0);
        let value: Value = serde_json::from_str(&stdout(&assert)).unwrap();
        assert_eq!(value["within_days"], json!(days), "--within {within}");
        assert_eq!(value["reviews"], listed, "--within {within}");
    }
    for within in ["100001d", "100001 days", "0d"] {
        let assert = reviews(&repo, &["--within", within]).code(2);
        let output = assert.get_output();
        assert_eq!(stdout(&assert), "", "--within {within}");
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            format!(
                "error: invalid value '{within}' for '--within <PERIOD>': `{within}`: an interval must be between 1 and 100000 units\n\nFor more information, try '--help'.\n"
            )
        );
    }
}

#[test]
fn reviews_honours_annexa_today() {
    let repo = repo();
    let output = annexa()
        .arg("reviews")
        .arg(repo.path())
        .args(["--format", "json", "--owner", "operations"])
        .env("ANNEXA_TODAY", "2026-11-11")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let value: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["today"], "2026-11-11");
    assert_eq!(value["reviews"][0]["state"], "overdue");
    assert_eq!(value["reviews"][0]["days"], -1);
}

#[test]
fn a_within_longer_than_the_calendar_is_exit_2_not_a_panic() {
    let run = reviews(&repo(), &["--within", "19999y"]).code(2);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.starts_with(
            "error: invalid value '19999y' for '--within <PERIOD>': `19999y` is longer than annexa's calendar, which ends on 9999-12-31: an interval must be at most 9999 years\n"
        ),
        "{stderr}"
    );
    // A window that fits the calendar's span but not from today is exit 2 as well.
    let run = reviews(&repo(), &["--within", "9000 years"]).code(2);
    assert_eq!(
        String::from_utf8_lossy(&run.get_output().stderr),
        "error: `--within 9000 years` from 2026-11-01 reaches past 9999-12-31, the last date annexa can compute\n"
    );
    // Up to the calendar's last day is fine.
    let (_, all) = listed(&repo(), &["--within", "7000y"]);
    assert_eq!(all.len(), 6, "{all:?}");
}
