//! content-example: checked with its documented reference date, it reports exactly the intended
//! review findings and nothing else.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

mod common;

use common::{owned_pairs, string_pairs};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content-example")
}

/// The `Reference date: YYYY-MM-DD` line of content-example/README.md.
fn reference_date() -> String {
    let readme = std::fs::read_to_string(example().join("README.md")).unwrap();
    readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("Reference date: "))
        .expect("README.md states the reference date")
        .trim()
        .to_string()
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_annexa"))
        .args(args)
        .env_remove("ANNEXA_TODAY")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn check_reports_only_the_intended_review_findings() {
    let today = reference_date();
    assert_eq!(today, "2026-11-01");
    let dir = example();
    let (code, stdout) = run(&[
        "check",
        dir.to_str().unwrap(),
        "--format",
        "json",
        "--today",
        &today,
    ]);
    assert_eq!(code, Some(1), "overdue reviews are errors");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let found = string_pairs(&report["diagnostics"], "lint", "file");
    let expected = owned_pairs(&[
        ("review-due-soon", "plans/business-continuity.md"),
        ("review-due-soon", "policies/acceptable-use.md"),
        ("review-due-soon", "policies/cryptography.md"),
        ("review-overdue", "policies/physical-security.md"),
        ("review-overdue", "procedures/change-management.md"),
        ("review-overdue", "standards/endpoint-security.md"),
        ("review-due-soon", "standards/logging-and-monitoring.md"),
    ]);
    assert_eq!(found, expected);
    assert_eq!(report["summary"]["errors"], 3);
    assert_eq!(report["summary"]["warnings"], 4);
    let documents = report["summary"]["documents"].as_u64().unwrap();
    assert!((30..=45).contains(&documents), "{documents} documents");
}

#[test]
fn the_example_has_one_draft_one_retired_and_no_gaps() {
    let today = reference_date();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let (code, _) = run(&[
        "build",
        example().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--today",
        &today,
    ]);
    assert_eq!(code, Some(0));
    let documents: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("exports/documents.json")).unwrap())
            .unwrap();
    let statuses: Vec<&str> = documents["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == "draft").count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == "retired").count(), 1);
    let soa = std::fs::read_to_string(out.join("exports/soa.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(soa.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 93);
    let implementation = |r: &csv::StringRecord| r[6].to_string();
    assert!(
        rows.iter().all(|r| implementation(r) != "gap"),
        "no applicable control is a gap"
    );
    let excluded = rows.iter().filter(|r| &r[4] == "no").count();
    assert!((3..=5).contains(&excluded), "{excluded} exclusions");
    assert!(
        rows.iter()
            .filter(|r| &r[4] == "no")
            .all(|r| !r[5].is_empty()),
        "every exclusion is justified"
    );
    assert_eq!(
        rows.iter()
            .filter(|r| implementation(r) == "planned")
            .count(),
        1
    );
    assert!(rows.iter().any(|r| implementation(r) == "partial"));
}
