//! content-example: checked with its documented reference date, it reports exactly the intended
//! findings (reviews overdue and due soon, and the controls that rest only on those or on a
//! document in review) and nothing else.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

mod common;

use common::{Report, annexa};

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

/// The applicable controls that rest only on documents overdue for review
/// (`policies/physical-security.md`, `procedures/change-management.md`) or on one in review
/// (`procedures/vulnerability-management.md`): `control-weak-coverage`, so the dashboards do not
/// show full coverage.
const WEAK: [&str; 9] = [
    "A.7.1", "A.7.2", "A.7.3", "A.7.4", "A.7.5", "A.7.8", "A.7.13", "A.8.8", "A.8.32",
];

fn check_example(today: &str) -> Report {
    let output = annexa()
        .arg("check")
        .arg(example())
        .args(["--format", "json", "--today", today])
        .output()
        .unwrap();
    Report::parse(&output)
}

#[test]
fn check_reports_only_the_intended_findings() {
    let today = reference_date();
    assert_eq!(today, "2026-11-01");
    let report = check_example(&today);
    assert_eq!(report.code, 1, "overdue reviews are errors");
    let found: Vec<(String, String, Option<String>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect();
    let due_soon = |place: &str, title: &str, due: &str, days: u32| {
        (
            format!("review-due-soon {place}"),
            format!("review due soon: `{title}` is due for review on {due} (in {days} days)"),
            None,
        )
    };
    let overdue = |place: &str, title: &str, due: &str, days: u32, owner: &str| {
        (
            format!("review-overdue {place}"),
            format!("review overdue: `{title}` was due for review on {due} ({days} days ago)"),
            Some(format!(
                "review the document, then set `last_reviewed` (owner: {owner})"
            )),
        )
    };
    let weak = |id: &str, title: &str, document: &str, why: &str| {
        (
            "control-weak-coverage soa.toml".to_string(),
            format!(
                "control {id} {title} is only weakly covered: no approved document within its review date maps to it"
            ),
            Some(format!(
                "review and approve one of its documents: `{document}` ({why})"
            )),
        )
    };
    let physical = |id: &str, title: &str| {
        weak(
            id,
            title,
            "policies/physical-security.md",
            "overdue for review",
        )
    };
    // The registers: the programme audits only part of the ISMS so far in its cycle, names two
    // reports not yet written up, and has the Security Compliance Manager audit what they own;
    // the Q3 restore test expires before the Q4 one in December.
    let expected = vec![
        (
            "audit-coverage-gap audits.toml:7:9".to_string(),
            "clauses of ISO/IEC 27001:2022 not in the scope of an audit performed in the last 3 years (9): 8.1, 9.1, 9.2.1, 9.2.2, 9.3.1, 9.3.2, 9.3.3, 10.1, 10.2".to_string(),
            Some("the programme must audit the whole ISMS each cycle (ISO/IEC 27001:2022 9.2.2): add them to the `scope` or `clauses` of a planned audit".to_string()),
        ),
        (
            "audit-coverage-gap audits.toml:7:9".to_string(),
            "applicable controls of ISO/IEC 27001:2022 Annex A not in the scope of an audit performed in the last 3 years (66): A.5.1, A.5.2, A.5.3, A.5.4, A.5.5, A.5.6, A.5.7, A.5.8, A.5.9, A.5.10, A.5.11, A.5.12, A.5.13, A.5.14, A.5.24, A.5.25, A.5.26, A.5.27, A.5.28, A.5.29, A.5.30, A.5.31, A.5.32, A.5.33, A.5.34, A.5.35, A.5.36, A.6.1, A.6.2, A.6.3, A.6.4, A.6.5, A.6.6, A.6.7, A.6.8, A.7.1, A.7.2, A.7.3, A.7.4, A.7.5, A.7.7, A.7.8, A.7.9, A.7.10, A.7.13, A.7.14, A.8.1, A.8.6, A.8.7, A.8.8, A.8.10, A.8.11, A.8.12, A.8.13, A.8.14, A.8.15, A.8.16, A.8.17, A.8.18, A.8.19, A.8.20, A.8.21, A.8.22, A.8.23, A.8.24, A.8.34".to_string(),
            Some("the programme must audit the whole ISMS each cycle (ISO/IEC 27001:2022 9.2.2): add them to the `scope` or `clauses` of a planned audit".to_string()),
        ),
        (
            "audit-report-missing audits.toml:17:10".to_string(),
            "the report of audit IA-2026-01: `records/internal-audit-report-ia-2026-01.md` does not exist".to_string(),
            Some("did you mean `records/internal-audit-report-ia-2026-02.md`?".to_string()),
        ),
        (
            "auditor-not-independent audits.toml:25:11".to_string(),
            "auditor Security Compliance Manager of audit IA-2026-02 owns what it audits: plans/risk-treatment-plan.md, policies/supplier-security.md".to_string(),
            Some("auditors must be objective and impartial (ISO/IEC 27001:2022 9.2.2 b): have someone who does not own these audit them".to_string()),
        ),
        (
            "audit-report-missing audits.toml:35:10".to_string(),
            "the report of audit IA-2026-03: `records/internal-audit-report-ia-2026-03.md` does not exist".to_string(),
            Some("did you mean `records/internal-audit-report-ia-2026-02.md`?".to_string()),
        ),
        (
            "auditor-not-independent audits.toml:63:11".to_string(),
            "auditor Security Compliance Manager of audit IA-2027-03 owns what it audits: isms/document-control.md, isms/scope-and-context.md, policies/information-classification.md".to_string(),
            Some("auditors must be objective and impartial (ISO/IEC 27001:2022 9.2.2 b): have someone who does not own these audit them".to_string()),
        ),
        (
            "evidence-expiring evidence.toml:20:13".to_string(),
            "evidence EV-002 (Q3 restore test: analytics warehouse) expires on 2026-11-20, in 19 days".to_string(),
            Some("owner: Head of Platform Engineering; collect it again and update `collected` (or `expires`)".to_string()),
        ),
        due_soon(
            "plans/business-continuity.md:12:15",
            "Business Continuity and Disaster Recovery Plan",
            "2026-11-20",
            19,
        ),
        due_soon(
            "policies/acceptable-use.md:11:17",
            "Acceptable Use Policy",
            "2026-11-18",
            17,
        ),
        due_soon(
            "policies/cryptography.md:11:17",
            "Cryptography Policy",
            "2026-11-25",
            24,
        ),
        overdue(
            "policies/physical-security.md:11:17",
            "Physical Security Policy",
            "2026-10-14",
            18,
            "Office Manager",
        ),
        overdue(
            "procedures/change-management.md:11:17",
            "Change Management Procedure",
            "2026-09-22",
            40,
            "Head of Platform Engineering",
        ),
        physical("A.7.1", "Physical security perimeters"),
        physical("A.7.2", "Physical entry"),
        physical("A.7.3", "Securing offices, rooms and facilities"),
        physical("A.7.4", "Physical security monitoring"),
        physical(
            "A.7.5",
            "Protecting against physical and environmental threats",
        ),
        physical("A.7.8", "Equipment siting and protection"),
        physical("A.7.13", "Equipment maintenance"),
        weak(
            "A.8.8",
            "Management of technical vulnerabilities",
            "procedures/vulnerability-management.md",
            "in review",
        ),
        weak(
            "A.8.32",
            "Change management",
            "procedures/change-management.md",
            "overdue for review",
        ),
        overdue(
            "standards/endpoint-security.md:11:17",
            "Endpoint Security Standard",
            "2026-10-08",
            24,
            "IT Operations Lead",
        ),
        due_soon(
            "standards/logging-and-monitoring.md:11:17",
            "Logging and Monitoring Standard",
            "2026-11-12",
            11,
        ),
    ];
    assert_eq!(found, expected);
    assert_eq!(report.errors, 3);
    assert_eq!(report.warnings, 20);
    assert_eq!(report.documents, 40);
}

#[test]
fn the_example_has_one_draft_one_retired_and_every_control_covered_weak_or_excluded() {
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
    let documents = documents["documents"].as_array().unwrap();
    let status = |d: &Value| d["status"].as_str().unwrap().to_string();
    assert_eq!(documents.iter().filter(|d| status(d) == "draft").count(), 1);
    assert_eq!(
        documents.iter().filter(|d| status(d) == "retired").count(),
        1
    );

    let soa = std::fs::read_to_string(out.join("exports/soa.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(soa.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 93);
    let ids = |keep: &dyn Fn(&csv::StringRecord) -> bool| -> Vec<String> {
        rows.iter()
            .filter(|r| keep(r))
            .map(|r| r[1].to_string())
            .collect()
    };
    let excluded = ids(&|r| &r[4] == "no");
    assert_eq!(excluded, ["A.7.6", "A.7.11", "A.7.12", "A.8.30"]);
    assert!(
        rows.iter()
            .filter(|r| &r[4] == "no")
            .all(|r| !r[5].is_empty()),
        "every exclusion is justified"
    );
    assert_eq!(ids(&|r| &r[6] == "planned"), ["A.8.23"]);
    assert_eq!(
        ids(&|r| &r[6] == "partial"),
        ["A.5.7", "A.5.21", "A.8.11", "A.8.12"]
    );
    let applicable = ids(&|r| &r[4] == "yes");
    assert_eq!(applicable.len(), 89);

    // The three coverage states. No gap: nothing is `unmapped-control`, and no applicable
    // control is a gap in the SoA.
    let report = check_example(&today);
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.lint != "unmapped-control"),
        "no applicable control is a gap"
    );
    assert_eq!(ids(&|r| &r[6] == "gap"), Vec::<String>::new());
    // Weak: exactly the controls that rest only on overdue documents or on one in review.
    let weak: Vec<&str> = report
        .diagnostics
        .iter()
        .filter(|d| d.lint == "control-weak-coverage")
        .map(|d| d.message.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(weak, WEAK);
    // Covered: every other applicable control has an approved document within its review date.
    let current: Vec<&Value> = documents
        .iter()
        .filter(|d| status(d) == "approved" && d["review_state"] != "overdue")
        .collect();
    let covered: Vec<&String> = applicable
        .iter()
        .filter(|id| {
            current.iter().any(|d| {
                d["controls"]
                    .as_array()
                    .is_some_and(|c| c.iter().any(|c| c == id.as_str()))
            })
        })
        .collect();
    let rest: Vec<&String> = applicable
        .iter()
        .filter(|id| !WEAK.contains(&id.as_str()))
        .collect();
    assert_eq!(covered, rest);
    assert_eq!(covered.len(), 80);
}
