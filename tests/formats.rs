//! `annexa check` output formats (README, "Output formats"), on the `every-lint` fixture where every lint
//! fires, and on a small repository whose output is spelled out in full.

#![recursion_limit = "256"]

mod common;

use std::collections::BTreeSet;

use common::{Repo, Report, TODAY, annexa, doc};
use serde_json::{Value, json};

fn every_lint(format: &str) -> (i32, String) {
    common::check_quietly(common::git::every_lint(), &["--format", format])
}

fn every_lint_json() -> Report {
    let output = annexa()
        .arg("check")
        .arg(common::git::every_lint())
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    Report::parse(&output)
}

/// Every lint annexa has, from the SARIF rules (one rule per lint).
fn all_lint_names() -> BTreeSet<String> {
    let (_, text) = every_lint("sarif");
    let sarif: Value = serde_json::from_str(&text).unwrap();
    sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn json_on_every_lint_is_exactly_the_documented_report() {
    let report = every_lint_json();
    assert_eq!(report.code, 1);
    // The commit that edited the approved policy (its hash follows the fixture's content).
    let edit = common::git::git_at(
        common::git::every_lint(),
        "2026-01-01",
        &["rev-parse", "--short=7", "HEAD"],
    );
    let edit = edit.trim();
    let expected = json!({
        "diagnostics": [
            {
                "lint": "mandatory-document-missing",
                "severity": "warning",
                "file": "annexa.toml",
                "line": null,
                "column": null,
                "message": "no documented information for 6.2 Information security objectives: ISO/IEC 27001:2022 requires it",
                "help": "add `clauses = [\"6.2\"]` to the front matter of the document that holds it",
            },
            {
                "lint": "unknown-field",
                "severity": "warning",
                "file": "annexa.toml",
                "line": 4,
                "column": 1,
                "message": "unknown key `colour`",
                "help": "known keys: title, organisation, base_url, frameworks, output_dir, repo_url, repo_commit_url, reviews, history, changes, lints, front_matter, documents, language",
            },
            {
                "lint": "audit-coverage-gap",
                "severity": "warning",
                "file": "audits.toml",
                "line": 1,
                "column": 1,
                "message": "clauses of ISO/IEC 27001:2022 not in the scope of an audit performed in the last 3 years (30): 4.1, 4.2, 4.3, 4.4, 5.1, 5.2, 5.3, 6.1.1, 6.1.2, 6.1.3, 6.2, 6.3, 7.1, 7.2, 7.3, 7.4, 7.5.1, 7.5.2, 7.5.3, 8.1, 8.2, 8.3, 9.1, 9.2.1, 9.2.2, 9.3.1, 9.3.2, 9.3.3, 10.1, 10.2",
                "help": "the programme must audit the whole ISMS each cycle (ISO/IEC 27001:2022 9.2.2): add them to the `scope` or `clauses` of a planned audit",
            },
            {
                "lint": "audit-coverage-gap",
                "severity": "warning",
                "file": "audits.toml",
                "line": 1,
                "column": 1,
                "message": "applicable controls of Acme control set not in the scope of an audit performed in the last 3 years (4): AC-2, BK-1, LG-1, RQ-1",
                "help": "the programme must audit the whole ISMS each cycle (ISO/IEC 27001:2022 9.2.2): add them to the `scope` or `clauses` of a planned audit",
            },
            {
                "lint": "auditor-not-independent",
                "severity": "warning",
                "file": "audits.toml",
                "line": 9,
                "column": 11,
                "message": "auditor Head of IT of audit IA-1 owns what it audits: policies/access-control.md, search.md",
                "help": "auditors must be objective and impartial (ISO/IEC 27001:2022 9.2.2 b): have someone who does not own these audit them",
            },
            {
                "lint": "audit-report-missing",
                "severity": "error",
                "file": "audits.toml",
                "line": 10,
                "column": 10,
                "message": "the report of audit IA-1: `records/audit-ia-1.md` does not exist",
                "help": null,
            },
            {
                "lint": "audit-overdue",
                "severity": "error",
                "file": "audits.toml",
                "line": 16,
                "column": 11,
                "message": "audit IA-2 was planned for 2026-10-01 (31 days ago) and has not been performed",
                "help": "record `performed = <date>` once it is done, or plan it again with a new `planned` date",
            },
            {
                "lint": "evidence-expired",
                "severity": "error",
                "file": "evidence.toml",
                "line": 6,
                "column": 11,
                "message": "evidence EV-1 (Access review) expired on 2026-10-01 (31 days ago)",
                "help": "owner: unassigned; collect it again and update `collected` (or `expires`)",
            },
            {
                "lint": "evidence-expiring",
                "severity": "warning",
                "file": "evidence.toml",
                "line": 12,
                "column": 11,
                "message": "evidence EV-2 (Restore test) expires on 2026-11-20, in 19 days",
                "help": "owner: unassigned; collect it again and update `collected` (or `expires`)",
            },
            {
                "lint": "finding-open-major",
                "severity": "warning",
                "file": "findings.toml",
                "line": 6,
                "column": 8,
                "message": "major nonconformity NC-1 is still open",
                "help": "a certification body will not certify with a major nonconformity open: correct it, then record `closed` and `verified_by`",
            },
            {
                "lint": "finding-action-overdue",
                "severity": "error",
                "file": "findings.toml",
                "line": 7,
                "column": 12,
                "message": "corrective action CA-1 of finding NC-1 was due on 2026-10-01 (31 days ago): Review access quarterly",
                "help": "owner: unassigned; set `done` to the date it was done, or agree a new `due` date",
            },
            {
                "lint": "finding-unverified",
                "severity": "warning",
                "file": "findings.toml",
                "line": 12,
                "column": 10,
                "message": "nonconformity NC-2 was closed on 2026-06-01 without `verified_by`",
                "help": "record who checked that the corrective actions worked (ISO/IEC 27001:2022 10.2 d)",
            },
            {
                "lint": "management-review-overdue",
                "severity": "error",
                "file": "management-reviews.toml",
                "line": 3,
                "column": 8,
                "message": "no management review since 2025-06-01: the next was due by 2026-06-01 (153 days ago)",
                "help": "top management reviews the ISMS at planned intervals (ISO/IEC 27001:2022 9.3.1; `management.interval` is 12 months)",
            },
            {
                "lint": "management-review-incomplete",
                "severity": "warning",
                "file": "management-reviews.toml",
                "line": 3,
                "column": 8,
                "message": "the management review of 2025-06-01 did not cover 9.3.2 c (Changes in interested parties' needs and expectations affecting the ISMS), d.1 (Trends: nonconformities and corrective actions), d.2 (Trends: monitoring and measurement results), d.3 (Trends: audit results), d.4 (Trends: achievement of information security objectives), e (Feedback received from interested parties), f (Risk assessment outcomes and progress of the risk treatment plan), g (Opportunities to continually improve)",
                "help": "consider every input of ISO/IEC 27001:2022 9.3.2 and list it in `inputs` (d counts when d.1 to d.4 are all listed)",
            },
            {
                "lint": "review-overdue",
                "severity": "error",
                "file": "policies/access-control.md",
                "line": 7,
                "column": 17,
                "message": "review overdue: `Access Control Policy` was due for review on 2026-09-30 (32 days ago)",
                "help": "review the document, then set `last_reviewed` (owner: Head of IT)",
            },
            {
                "lint": "changed-after-approval",
                "severity": "warning",
                "file": "policies/access-control.md",
                "line": 7,
                "column": 17,
                "message": "changed after its approval on 2025-09-30 (`last_reviewed`) and not approved again",
                "help": format!("commit {edit} (2025-11-15, Bob Builder: Review access quarterly) changed it; have the change approved and set `approved_on` to that date"),
            },
            {
                "lint": "unknown-control",
                "severity": "error",
                "file": "policies/access-control.md",
                "line": 8,
                "column": 21,
                "message": "control `AC-9` is not in any framework in use",
                "help": "did you mean `AC-1`?",
            },
            {
                "lint": "soa-conflict",
                "severity": "warning",
                "file": "policies/access-control.md",
                "line": 8,
                "column": 29,
                "message": "control PH-1 Physical entry is not applicable in the SoA, but this approved document maps to it",
                "help": "remove it from `controls`, or make it applicable in soa.toml (line 1)",
            },
            {
                // ISO/IEC 27001:2022 is not in use here: the 2022 id has no title, no fix.
                "lint": "legacy-control-id",
                "severity": "error",
                "file": "policies/access-control.md",
                "line": 8,
                "column": 37,
                "message": "`A.9.2.3` is an ISO/IEC 27001:2013 control id (Management of privileged access rights)",
                "help": "in ISO/IEC 27001:2022 it is A.8.2",
            },
            {
                "lint": "broken-link",
                "severity": "error",
                "file": "policies/access-control.md",
                "line": 15,
                "column": 30,
                "message": "`../procedures/backup.md` does not exist",
                "help": "did you mean `../procedures/backups.md`?",
                "fix": {
                    "start": { "line": 15, "column": 49 },
                    "end": { "line": 15, "column": 72 },
                    "replacement": "../procedures/backups.md",
                },
            },
            {
                "lint": "broken-anchor",
                "severity": "error",
                "file": "policies/access-control.md",
                "line": 16,
                "column": 17,
                "message": "`../procedures/backups.md#restor`: no heading with id `restor` in `procedures/backups.md`",
                "help": "did you mean `#restore`?",
                "fix": {
                    "start": { "line": 16, "column": 37 },
                    "end": { "line": 16, "column": 68 },
                    "replacement": "../procedures/backups.md#restore",
                },
            },
            {
                "lint": "broken-anchor",
                "severity": "error",
                "file": "policies/access-control.md",
                "line": 17,
                "column": 30,
                "message": "`#nowhere`: no heading with id `nowhere` in `policies/access-control.md`",
                "help": null,
            },
            {
                "lint": "duplicate-id",
                "severity": "error",
                "file": "policies/duplicate.md",
                "line": 4,
                "column": 6,
                "message": "id `pol-001` is already used",
                "help": "`policies/access-control.md` has the same id",
            },
            {
                "lint": "unknown-field",
                "severity": "warning",
                "file": "policies/duplicate.md",
                "line": 5,
                "column": 1,
                "message": "unknown key `reviewer`",
                "help": "did you mean `review_interval`?",
            },
            {
                "lint": "review-due-soon",
                "severity": "warning",
                "file": "policies/duplicate.md",
                "line": 6,
                "column": 15,
                "message": "review due soon: `Account Management Policy` is due for review on 2026-11-20 (in 19 days)",
                "help": null,
            },
            {
                "lint": "vague-language",
                "severity": "warning",
                "file": "policies/duplicate.md",
                "line": 14,
                "column": 20,
                "message": "`should` in a requirement of a policy",
                "help": "write `must` for a requirement, or `may` for a choice",
            },
            {
                "lint": "foreign-syntax",
                "severity": "warning",
                "file": "policies/duplicate.md",
                "line": 16,
                "column": 1,
                "message": "pandoc page break `\\pagebreak` is printed on the site as it is",
                "help": "remove it: a page of the site has no page breaks",
            },
            {
                "lint": "raw-html-removed",
                "severity": "warning",
                "file": "policies/duplicate.md",
                "line": 18,
                "column": 1,
                "message": "attribute `onclick` of `<div onclick=\"steal()\">` removed from the page",
                "help": "the site keeps only safe attributes: no event handlers, styles other than `text-align`, or `javascript:` links",
            },
            {
                "lint": "external-resource",
                "severity": "warning",
                "file": "policies/duplicate.md",
                "line": 20,
                "column": 1,
                "message": "image `https://cdn.example.com/logo.png` is on another host",
                "help": "the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it",
            },
            {
                "lint": "review-date-missing",
                "severity": "warning",
                "file": "procedures/backups.md",
                "line": 1,
                "column": 1,
                "message": "`Backup Procedure` has no review date",
                "help": "set `last_reviewed` (the next review follows the interval) or `next_review`",
            },
            {
                "lint": "ignored-file",
                "severity": "warning",
                "file": "procedures/shared-backup.md",
                "line": null,
                "column": null,
                "message": "`procedures/shared-backup.md` is a symbolic link to a place outside the repository, so annexa does not follow it",
                "help": null,
            },
            {
                "lint": "invalid-front-matter",
                "severity": "error",
                "file": "records/bad-toml.md",
                "line": 4,
                "column": 19,
                "message": "TOML syntax error: unclosed array, expected `]`",
                "help": null,
            },
            {
                "lint": "mandatory-document-stale",
                "severity": "warning",
                "file": "records/draft.md",
                "line": 6,
                "column": 12,
                "message": "documented information for 9.1 Evidence of monitoring and measurement results is not current: `Logging Standard` is a draft",
                "help": "approve `records/draft.md` (`status = \"approved\"`, with `last_reviewed`)",
            },
            {
                "lint": "placeholder-text",
                "severity": "warning",
                "file": "records/draft.md",
                "line": 9,
                "column": 20,
                "message": "placeholder `TBD` left in the text",
                "help": "replace it with what it stands for before the document is approved",
            },
            {
                "lint": "empty-document",
                "severity": "warning",
                "file": "records/incident-log.md",
                "line": 6,
                "column": 1,
                "message": "the document has front matter but no content",
                "help": null,
            },
            {
                "lint": "missing-field",
                "severity": "error",
                "file": "records/no-owner.md",
                "line": 1,
                "column": 1,
                "message": "required field `owner` is missing",
                "help": "add `owner = \"…\"` to the front matter",
            },
            {
                "lint": "unreadable-file",
                "severity": "error",
                "file": "records/suppliers.md",
                "line": 12,
                "column": 4,
                "message": "file is not valid UTF-8; invalid bytes were replaced with U+FFFD",
                "help": "save the file as UTF-8",
            },
            {
                "lint": "risk-above-appetite",
                "severity": "warning",
                "file": "risks.toml",
                "line": 2,
                "column": 6,
                "message": "risk R-1 is accepted at score 16 (high), above the risk appetite of 6",
                "help": "treat it further, or record why it is accepted above the appetite",
            },
            {
                "lint": "risk-acceptance-missing",
                "severity": "error",
                "file": "risks.toml",
                "line": 7,
                "column": 13,
                "message": "risk R-1 is accepted, but `accepted_by` and `accepted_on` are missing",
                "help": "risk owners accept residual risks (ISO/IEC 27001:2022 6.1.3 f): record who accepted it and when",
            },
            {
                "lint": "risk-excluded-control",
                "severity": "error",
                "file": "risks.toml",
                "line": 8,
                "column": 13,
                "message": "risk R-1 is treated by control PH-1 Physical entry, which the SoA excludes",
                "help": "make the control applicable in soa.toml (line 1), or treat the risk with another control",
            },
            {
                "lint": "risk-acceptance-expired",
                "severity": "error",
                "file": "risks.toml",
                "line": 11,
                "column": 22,
                "message": "the acceptance of risk R-1 expired on 2026-02-01 (273 days ago)",
                "help": "review the risk with its owner (Office Manager), then renew the acceptance or change the treatment",
            },
            {
                "lint": "risk-action-overdue",
                "severity": "error",
                "file": "risks.toml",
                "line": 12,
                "column": 12,
                "message": "treatment action RT-1 of risk R-1 was due on 2026-09-30 (32 days ago): Fit badge readers",
                "help": "owner: Facilities; set `done` to the date it was done, or agree a new `due` date",
            },
            {
                "lint": "url-conflict",
                "severity": "error",
                "file": "search.md",
                "line": 1,
                "column": 1,
                "message": "this document would be published at /search/, where annexa puts a page of its own",
                "help": "rename the file or move it to another folder",
            },
            {
                "lint": "unmapped-control",
                "severity": "warning",
                "file": "soa.toml",
                "line": null,
                "column": null,
                "message": "control RQ-1 Rule register is applicable but no approved document maps to it",
                "help": "list it in the `controls` of the document that implements it, or mark it `applicable = false` in soa.toml with a justification",
            },
            {
                "lint": "unmapped-control",
                "severity": "warning",
                "file": "soa.toml",
                "line": null,
                "column": null,
                "message": "control acme-rules:RQ-1 Policy approval is applicable but no approved document maps to it",
                "help": "list it in the `controls` of the document that implements it, or mark it `applicable = false` in soa.toml with a justification",
            },
            {
                "lint": "control-weak-coverage",
                "severity": "warning",
                "file": "soa.toml",
                "line": null,
                "column": null,
                "message": "control LG-1 Logging is only weakly covered: no approved document within its review date maps to it",
                "help": "review and approve one of its documents: `procedures/logging.md` (in review)",
            },
            {
                "lint": "soa-inclusion-unjustified",
                "severity": "warning",
                "file": "soa.toml",
                "line": null,
                "column": null,
                "message": "control AC-1 Access control policy is applicable with no justification, no reason and no risk treating it",
                "help": "give it `reasons = [\"legal\" | \"regulatory\" | \"contract\" | \"business\"]` or a `justification` in soa.toml, or list it in the `controls` of a risk it treats",
            },
            {
                "lint": "soa-inclusion-unjustified",
                "severity": "warning",
                "file": "soa.toml",
                "line": null,
                "column": null,
                "message": "control LG-1 Logging is applicable with no justification, no reason and no risk treating it",
                "help": "give it `reasons = [\"legal\" | \"regulatory\" | \"contract\" | \"business\"]` or a `justification` in soa.toml, or list it in the `controls` of a risk it treats",
            },
            {
                "lint": "soa-inclusion-unjustified",
                "severity": "warning",
                "file": "soa.toml",
                "line": null,
                "column": null,
                "message": "control RQ-1 Rule register is applicable with no justification, no reason and no risk treating it",
                "help": "give it `reasons = [\"legal\" | \"regulatory\" | \"contract\" | \"business\"]` or a `justification` in soa.toml, or list it in the `controls` of a risk it treats",
            },
            {
                "lint": "soa-unapproved",
                "severity": "warning",
                "file": "soa.toml",
                "line": 1,
                "column": 1,
                "message": "the SoA has no version and no record of its approval",
                "help": "add [statement] with version = \"…\", approved_by = \"…\" and approved_on = YYYY-MM-DD",
            },
            {
                "lint": "unknown-control",
                "severity": "error",
                "file": "soa.toml",
                "line": 5,
                "column": 11,
                "message": "control `ZZ-9` is not in any framework in use",
                "help": null,
            },
            {
                "lint": "unknown-field",
                "severity": "warning",
                "file": "soa.toml",
                "line": 13,
                "column": 1,
                "message": "unknown key `controls.\"BK-1\".notes`",
                "help": "known keys in [controls.\"BK-1\"]: applicable, implementation, reasons, justification",
            },
            {
                "lint": "invalid-config",
                "severity": "error",
                "file": "soa.toml",
                "line": 17,
                "column": 18,
                "message": "`controls.\"AC-2\".implementation` \"in progress\" is not one of implemented, partial, planned, not-implemented",
                "help": "use one of: implemented, partial, planned, not-implemented",
            },
            {
                "lint": "soa-exclusion-unjustified",
                "severity": "error",
                "file": "soa.toml",
                "line": 20,
                "column": 11,
                "message": "control HR-1 Screening is excluded without a justification",
                "help": "the SoA must justify every exclusion (ISO/IEC 27001:2022 6.1.3 d): add `justification = \"…\"`",
            },
            {
                "lint": "soa-excluded-implemented",
                "severity": "error",
                "file": "soa.toml",
                "line": 22,
                "column": 18,
                "message": "control HR-1 Screening is excluded, yet its implementation is stated as \"implemented\"",
                "help": "remove `implementation`, or make the control applicable",
            },
            {
                "lint": "clause-excluded",
                "severity": "error",
                "file": "soa.toml",
                "line": 24,
                "column": 11,
                "message": "acme-rules:RQ-2 Management review is marked not applicable, but the requirements of Acme management rules are mandatory",
                "help": "remove `applicable = false`: only controls can be excluded",
            },
            {
                "lint": "ambiguous-control",
                "severity": "error",
                "file": "soa.toml",
                "line": 28,
                "column": 11,
                "message": "control `RQ-1` is in 2 frameworks in use",
                "help": "write the full id: `acme-controls:RQ-1` or `acme-rules:RQ-1`",
            },
        ],
        "summary": { "errors": 26, "warnings": 31, "documents": 10 }
    });
    assert_eq!(report.json, expected);
}

#[test]
fn every_lint_fires_on_the_every_lint_fixture() {
    let fired: BTreeSet<String> = every_lint_json()
        .diagnostics
        .iter()
        .map(|d| d.lint.clone())
        .collect();
    let documented: BTreeSet<String> = [
        "invalid-front-matter",
        "missing-field",
        "unknown-field",
        "duplicate-id",
        "unknown-control",
        "legacy-control-id",
        "broken-link",
        "broken-anchor",
        "review-overdue",
        "review-due-soon",
        "review-date-missing",
        "unmapped-control",
        "soa-conflict",
        // Problems of reading rather than of content, but lints all the same (bad config, bad
        // bytes, a file not read, no body). `ignored-file` fires on the fixture's symbolic link
        // to a file outside it (git keeps symbolic links; FIFOs are tested in bad_input.rs).
        "invalid-config",
        "unreadable-file",
        "ignored-file",
        "empty-document",
        "url-conflict",
        // The SoA and the risk register (ISO/IEC 27001:2022 6.1.2, 6.1.3).
        "ambiguous-control",
        "control-weak-coverage",
        "soa-exclusion-unjustified",
        "soa-inclusion-unjustified",
        "soa-excluded-implemented",
        "soa-unapproved",
        "clause-excluded",
        "risk-excluded-control",
        "risk-acceptance-missing",
        "risk-above-appetite",
        "risk-acceptance-expired",
        "risk-action-overdue",
        // Mandatory documented information (ISO/IEC 27001:2022 clauses 4 to 10).
        "mandatory-document-missing",
        "mandatory-document-stale",
        // The ISMS registers (ISO/IEC 27001:2022 9.2, 9.3, 10.2).
        "audit-overdue",
        "audit-report-missing",
        "auditor-not-independent",
        "audit-coverage-gap",
        "finding-action-overdue",
        "finding-open-major",
        "finding-unverified",
        "evidence-expired",
        "evidence-expiring",
        "management-review-overdue",
        "management-review-incomplete",
        // Document control from Git: the fixture's repository edits an approved policy.
        "changed-after-approval",
        // The language of documents: a draft's placeholder, a policy's `should`, pandoc, raw
        // HTML the sanitiser removes, an image from another host.
        "placeholder-text",
        "vague-language",
        "foreign-syntax",
        "raw-html-removed",
        "external-resource",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(all_lint_names(), documented);
    assert_eq!(fired, documented);
}

#[test]
fn json_severities_follow_the_documented_defaults() {
    let report = every_lint_json();
    for d in &report.diagnostics {
        let expected = match d.lint.as_str() {
            "unknown-field"
            | "review-due-soon"
            | "review-date-missing"
            | "unmapped-control"
            | "soa-conflict"
            | "ignored-file"
            | "empty-document"
            | "control-weak-coverage"
            | "soa-inclusion-unjustified"
            | "soa-unapproved"
            | "risk-above-appetite"
            | "mandatory-document-missing"
            | "mandatory-document-stale"
            | "auditor-not-independent"
            | "audit-coverage-gap"
            | "finding-open-major"
            | "finding-unverified"
            | "evidence-expiring"
            | "management-review-incomplete"
            | "changed-after-approval"
            | "placeholder-text"
            | "vague-language"
            | "foreign-syntax"
            | "raw-html-removed"
            | "external-resource" => "warning",
            _ => "error",
        };
        assert_eq!(d.severity, expected, "{d:?}");
    }
}

#[test]
fn human_format_is_blocks_then_a_summary_line() {
    let repo = Repo::new()
        .file(
            "policies/access-control.md",
            &doc(
                "Access Control",
                "# Access Control\n\nSee the [backup procedure](../procedures/backup.md).\n",
            ),
        )
        .file(
            "procedures/backups.md",
            "+++\ntitle = \"Backups\"\nowner = \"Ops\"\ncolor = \"red\"\n+++\n\n# Backups\n",
        );
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let expected = "\
error[broken-link]: `../procedures/backup.md` does not exist
  --> policies/access-control.md:9:9
   = help: did you mean `../procedures/backups.md`?

warning[review-date-missing]: `Backups` has no review date
  --> procedures/backups.md:1:1
   = help: set `last_reviewed` (the next review follows the interval) or `next_review`

warning[unknown-field]: unknown key `color`
  --> procedures/backups.md:4:1
   = help: known keys: title, owner, id, kind, status, version, approver, approved_on, classification, effective, last_reviewed, review_interval, next_review, controls, clauses, tags, summary

annexa: 1 error: 1 broken-link; 2 warnings: 1 review-date-missing, 1 unknown-field; 2 documents
";
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn human_summary_counts_singular_and_plural() {
    let repo = Repo::new().file("policies/a.md", &doc("A", "# A\n"));
    annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .assert()
        .code(0)
        .stdout("annexa: 0 errors; 0 warnings; 1 document\n");
}

#[test]
fn github_lines_are_workflow_commands() {
    let repo = Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A, B: C\"\nowner = \"x\"\nnext_review = 2026-11-10\ncontrols = [\"A.5.99\"]\n+++\n\n# A\n\n[b](b.md)\n",
    );
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let expected = "\
::warning file=policies/a.md,line=4,col=15,title=review-due-soon::review due soon: `A, B: C` is due for review on 2026-11-10 (in 9 days)
::error file=policies/a.md,line=5,col=13,title=unknown-control::control `A.5.99` is not in any framework in use
::error file=policies/a.md,line=10,col=1,endLine=10,endColumn=9,title=broken-link::`b.md` does not exist (fix: replace with `a.md`)
annexa: 2 errors, 1 warning in 1 document
";
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);
}

#[test]
fn github_lines_match_the_json_diagnostics_on_every_lint() {
    let report = every_lint_json();
    let (code, text) = every_lint("github");
    assert_eq!(code, 1);
    let mut lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.pop(),
        Some("annexa: 26 errors, 31 warnings in 10 documents")
    );
    let expected: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut props = format!("file={}", d.file.as_deref().unwrap());
            if let (Some(line), Some(col)) = (d.line, d.column) {
                props.push_str(&format!(",line={line},col={col}"));
            }
            let mut message = d.message.clone();
            // A fix gives the span's end and, in the message, its replacement (NOTES 19).
            if let Some((_, (end_line, end_column), replacement)) = &d.fix {
                props.push_str(&format!(",endLine={end_line},endColumn={end_column}"));
                message = format!("{message} (fix: replace with `{replacement}`)");
            }
            format!("::{} {props},title={}::{message}", d.severity, d.lint)
        })
        .collect();
    assert_eq!(lines, expected);
    assert!(lines.contains(
        &"::error file=policies/access-control.md,line=15,col=30,endLine=15,endColumn=72,title=broken-link::`../procedures/backup.md` does not exist (fix: replace with `../procedures/backups.md`)"
    ));
}

#[test]
fn github_escapes_property_and_message_special_characters() {
    let repo = Repo::new().file(
        "policies/50%, final: v2.md",
        "+++\ntitle = \"100% done\"\nowner = \"x\"\n+++\n\n# A\n",
    );
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "github"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "::warning file=policies/50%25%2C final%3A v2.md,line=1,col=1,title=review-date-missing::`100%25 done` has no review date"
    );
}

#[test]
fn sarif_is_version_2_1_0_with_rules_and_located_results() {
    let report = every_lint_json();
    let (code, text) = every_lint("sarif");
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(
        sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"),
        "{}",
        sarif["$schema"]
    );
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "annexa");
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(rule_ids.len(), 49);
    assert_eq!(
        rule_ids.iter().collect::<BTreeSet<_>>().len(),
        rule_ids.len(),
        "rule ids are unique"
    );
    for rule in rules {
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(level == "error" || level == "warning", "{rule}");
    }
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), report.diagnostics.len());
    for (result, d) in results.iter().zip(&report.diagnostics) {
        assert_eq!(result["ruleId"], d.lint.as_str());
        assert_eq!(result["level"], d.severity.as_str());
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rule_ids[index], d.lint, "ruleIndex points at the rule");
        let text = result["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(&d.message), "{text}");
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        assert_eq!(
            physical["artifactLocation"]["uri"],
            d.file.as_deref().unwrap()
        );
        match (d.line, d.column) {
            (Some(line), Some(column)) => {
                assert_eq!(physical["region"]["startLine"], line);
                assert_eq!(physical["region"]["startColumn"], column);
            }
            _ => assert!(physical.get("region").is_none(), "{physical}"),
        }
    }
    let broken = results
        .iter()
        .find(|r| r["ruleId"] == "broken-link")
        .unwrap();
    assert_eq!(
        broken["locations"][0]["physicalLocation"]["region"],
        json!({ "startLine": 15, "startColumn": 30 })
    );
    assert_eq!(
        broken["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "policies/access-control.md"
    );
    assert_eq!(
        broken["fixes"],
        json!([{
            "description": { "text": "Replace with `../procedures/backups.md`" },
            "artifactChanges": [{
                "artifactLocation": { "uri": "policies/access-control.md", "uriBaseId": "%SRCROOT%" },
                "replacements": [{
                    "deletedRegion": { "startLine": 15, "startColumn": 49, "endLine": 15, "endColumn": 72 },
                    "insertedContent": { "text": "../procedures/backups.md" },
                }],
            }],
        }])
    );
    let fixes = results.iter().filter(|r| r.get("fixes").is_some()).count();
    assert_eq!(
        fixes,
        report
            .diagnostics
            .iter()
            .filter(|d| d.fix.is_some())
            .count()
    );
}

#[test]
fn sarif_of_a_clean_repository_has_rules_and_no_results() {
    let repo = Repo::new().file("policies/a.md", &doc("A", "# A\n"));
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"], json!([]));
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        49
    );
}

#[test]
fn junit_parses_and_has_one_failure_per_error() {
    let report = every_lint_json();
    let (code, text) = every_lint("junit");
    assert_eq!(code, 1);
    let xml = roxmltree::Document::parse(&text).expect("JUnit output is well-formed XML");
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("failures"), Some("26"));
    let failures: Vec<roxmltree::Node> = xml
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), report.errors as usize);
    let errors: Vec<&common::Diag> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .collect();
    for (failure, d) in failures.iter().zip(&errors) {
        assert_eq!(failure.attribute("type"), Some(d.lint.as_str()));
        assert_eq!(failure.attribute("message"), Some(d.message.as_str()));
        let case = failure.parent_element().unwrap();
        assert_eq!(case.tag_name().name(), "testcase");
        assert_eq!(case.attribute("classname"), d.file.as_deref());
        let suite = case.parent_element().unwrap();
        assert_eq!(suite.tag_name().name(), "testsuite");
        assert_eq!(suite.attribute("name"), d.file.as_deref());
    }
    // One suite per file checked, passing files included; failures add up per suite.
    let suites: Vec<roxmltree::Node> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "annexa.toml",
            "audits.toml",
            "evidence.toml",
            "findings.toml",
            "management-reviews.toml",
            "policies/access-control.md",
            "policies/duplicate.md",
            "procedures/backups.md",
            "procedures/logging.md",
            "procedures/shared-backup.md",
            "records/bad-toml.md",
            "records/draft.md",
            "records/incident-log.md",
            "records/no-owner.md",
            "records/suppliers.md",
            "risks.toml",
            "search.md",
            "soa.toml",
        ]
    );
    for suite in &suites {
        let in_suite = suite
            .descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count();
        assert_eq!(
            suite.attribute("failures"),
            Some(in_suite.to_string().as_str())
        );
        let cases = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .count();
        assert_eq!(suite.attribute("tests"), Some(cases.to_string().as_str()));
    }
    let draft = suites
        .iter()
        .find(|s| s.attribute("name") == Some("records/draft.md"))
        .unwrap();
    assert_eq!(draft.attribute("failures"), Some("0"));
}

#[test]
fn junit_of_a_clean_repository_has_no_failures() {
    let repo = Repo::new().file("policies/a & b.md", &doc("A <&> B", "# A\n"));
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let xml = roxmltree::Document::parse(&text).unwrap();
    assert_eq!(xml.root_element().attribute("failures"), Some("0"));
    assert_eq!(
        xml.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
    let suites: Vec<&str> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    assert_eq!(suites, ["annexa.toml", "policies/a & b.md"]);
}

#[test]
fn json_report_of_a_clean_repository() {
    let repo = Repo::new().file("policies/a.md", &doc("A", "# A\n"));
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    assert_eq!(
        report.json,
        json!({ "diagnostics": [], "summary": { "errors": 0, "warnings": 0, "documents": 1 } })
    );
}
