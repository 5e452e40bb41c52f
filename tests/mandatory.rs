//! Mandatory documented information (ISO/IEC 27001:2022 clauses 4 to 10): what satisfies each
//! item, and the exact `mandatory-document-missing` and `mandatory-document-stale` findings.

mod common;

use common::{Repo, TODAY, annexa};

/// `[lints]` that leave only the mandatory documents lints to speak of a small repository.
const CONFIG: &str = "title = \"T\"\n\n[lints]\nunmapped-control = \"off\"\nsoa-inclusion-unjustified = \"off\"\nsoa-unapproved = \"off\"\n";

/// A document with these `clauses` and extra front matter.
fn page(title: &str, clauses: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"ISMS Manager\"\nlast_reviewed = 2026-06-01\n{extra}clauses = {clauses}\n+++\n\n# {title}\n"
    )
}

fn found(repo: &Repo, lint: &str) -> Vec<(String, String, Option<String>)> {
    repo.check(&[])
        .of(lint)
        .iter()
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect()
}

fn missing(clause: &str, item: &str, help: &str) -> (String, String, Option<String>) {
    (
        "mandatory-document-missing annexa.toml".to_string(),
        format!("no documented information for {clause} {item}: ISO/IEC 27001:2022 requires it"),
        Some(help.to_string()),
    )
}

fn name_it(clause: &str) -> String {
    format!("add `clauses = [\"{clause}\"]` to the front matter of the document that holds it")
}

#[test]
fn every_item_but_7_5_1_b_is_missing_in_an_empty_repository() {
    let repo = Repo::with_config(CONFIG);
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "a warning");
    let found: Vec<(String, String, Option<String>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect();
    let plain = |clause: &str, item: &str| missing(clause, item, &name_it(clause));
    assert_eq!(
        found,
        [
            plain("4.3", "Scope of the ISMS"),
            plain("5.2", "Information security policy"),
            plain("6.1.2", "Information security risk assessment process"),
            plain("6.1.3", "Information security risk treatment process"),
            missing(
                "6.1.3 d",
                "Statement of Applicability",
                &format!(
                    "keep the Statement of Applicability in soa.toml, or {}",
                    name_it("6.1.3 d")
                )
            ),
            plain("6.2", "Information security objectives"),
            plain("7.2 d", "Evidence of competence"),
            plain(
                "8.1",
                "Operational planning and control (to have confidence processes carried out as planned)"
            ),
            missing(
                "8.2",
                "Results of information security risk assessments",
                &format!(
                    "keep the risk register in risks.toml, or {}",
                    name_it("8.2")
                )
            ),
            missing(
                "8.3",
                "Results of information security risk treatment",
                &format!(
                    "record treatment `actions` on the risks in risks.toml, or {}",
                    name_it("8.3")
                )
            ),
            plain("9.1", "Evidence of monitoring and measurement results"),
            missing(
                "9.2.2",
                "Audit programme(s) and audit results",
                &format!(
                    "keep the audit programme in audits.toml, or {}",
                    name_it("9.2.2")
                )
            ),
            missing(
                "9.3.3",
                "Results of management reviews",
                &format!(
                    "record the reviews held in management-reviews.toml, or {}",
                    name_it("9.3.3")
                )
            ),
            missing(
                "10.2",
                "Nature of nonconformities and actions taken; results of corrective action",
                &format!(
                    "keep the nonconformities in findings.toml, or {}",
                    name_it("10.2")
                )
            ),
        ]
    );
}

/// Everything but 9.1 and 10.2, named by approved documents within their review dates.
const MOST: &str = "[\"4.3\", \"5.2\", \"6.1.2\", \"6.1.3\", \"6.1.3 d\", \"6.2\", \"7.2 d\", \"8.1\", \"8.2\", \"8.3\", \"9.2.2\", \"9.3.3\"]";

#[test]
fn documents_naming_the_clause_satisfy_it_and_retired_ones_do_not() {
    let repo = Repo::with_config(CONFIG)
        .file("isms/manual.md", &page("ISMS Manual", MOST, ""))
        .file(
            "records/metrics.md",
            &page("Old Metrics", "[\"9.1\"]", "status = \"retired\"\n"),
        )
        .file(
            "records/nonconformities.md",
            &page("NC Log", "[\"10.2\"]", ""),
        );
    assert_eq!(
        found(&repo, "mandatory-document-missing"),
        [missing(
            "9.1",
            "Evidence of monitoring and measurement results",
            &name_it("9.1")
        )]
    );
    assert_eq!(found(&repo, "mandatory-document-stale"), []);
}

#[test]
fn soa_and_risks_toml_are_the_soa_and_the_risk_results() {
    let most = "[\"4.3\", \"5.2\", \"6.1.2\", \"6.1.3\", \"6.2\", \"7.2 d\", \"8.1\", \"9.1\", \"9.2.2\", \"9.3.3\", \"10.2\"]";
    let risk = "[[risks]]\nid = \"R-1\"\ntitle = \"Laptop theft\"\nowner = \"IT\"\nlikelihood = 2\nimpact = 2\n";
    let repo = Repo::with_config(CONFIG)
        .file("isms/manual.md", &page("ISMS Manual", most, ""))
        .file(
            "soa.toml",
            "[controls.\"A.7.1\"]\napplicable = false\njustification = \"No premises.\"\n",
        )
        .file("risks.toml", risk);
    // A register without treatment actions is the assessment (8.2), not yet the treatment (8.3).
    assert_eq!(
        found(&repo, "mandatory-document-missing"),
        [missing(
            "8.3",
            "Results of information security risk treatment",
            &format!(
                "record treatment `actions` on the risks in risks.toml, or {}",
                name_it("8.3")
            )
        )]
    );
    let repo = repo.file(
        "risks.toml",
        &format!(
            "{risk}actions = [{{ id = \"RT-1\", action = \"Encrypt disks\", due = 2026-12-01 }}]\n"
        ),
    );
    assert_eq!(found(&repo, "mandatory-document-missing"), []);
}

#[test]
fn an_item_only_drafts_reviews_or_overdue_documents_satisfy_is_stale() {
    let repo = Repo::with_config(CONFIG)
        .file("isms/manual.md", &page("ISMS Manual", MOST, ""))
        .file(
            "records/metrics.md",
            &page("Metrics Q3", "[\"9.1\"]", "status = \"review\"\n"),
        )
        .file(
            "records/metrics-draft.md",
            &page("Metrics Q4", "[\"9.1\"]", "status = \"draft\"\n"),
        )
        .file(
            "records/nonconformities.md",
            "+++\ntitle = \"NC Log\"\nowner = \"Quality Lead\"\nlast_reviewed = 2025-01-10\nclauses = [\"4.3\", \"10.2\"]\n+++\n\n# NC Log\n",
        );
    assert_eq!(found(&repo, "mandatory-document-missing"), []);
    assert_eq!(
        found(&repo, "mandatory-document-stale"),
        [
            (
                "mandatory-document-stale records/metrics-draft.md:6:12".to_string(),
                "documented information for 9.1 Evidence of monitoring and measurement results is not current: `Metrics Q4` is a draft; `Metrics Q3` is in review".to_string(),
                Some("approve `records/metrics-draft.md` (`status = \"approved\"`, with `last_reviewed`)".to_string())
            ),
            (
                "mandatory-document-stale records/nonconformities.md:5:19".to_string(),
                "documented information for 10.2 Nature of nonconformities and actions taken; results of corrective action is not current: `NC Log` is overdue for review".to_string(),
                Some("review `records/nonconformities.md`, then set `last_reviewed` (owner: Quality Lead)".to_string())
            ),
        ]
    );
}

#[test]
fn seven_five_one_b_is_judged_only_when_named() {
    let repo = Repo::with_config(CONFIG)
        .file("isms/manual.md", &page("ISMS Manual", MOST, ""))
        .file(
            "records/metrics.md",
            &page("Metrics", "[\"9.1\", \"10.2\"]", ""),
        )
        .file(
            "isms/register.md",
            &page(
                "Register of documents",
                "[\"7.5.1 b\"]",
                "status = \"draft\"\n",
            ),
        );
    assert_eq!(found(&repo, "mandatory-document-missing"), []);
    assert_eq!(
        found(&repo, "mandatory-document-stale"),
        [(
            "mandatory-document-stale isms/register.md:6:12".to_string(),
            "documented information for 7.5.1 b Documented information determined necessary for the effectiveness of the ISMS is not current: `Register of documents` is a draft".to_string(),
            Some("approve `isms/register.md` (`status = \"approved\"`, with `last_reviewed`)".to_string())
        )]
    );
}

#[test]
fn a_stale_item_never_stops_build_even_as_an_error() {
    let repo = Repo::with_config(&format!(
        "{CONFIG}mandatory-document-stale = \"error\"\nmandatory-document-missing = \"off\"\n"
    ))
    .file(
        "records/nonconformities.md",
        "+++\ntitle = \"NC Log\"\nowner = \"Quality Lead\"\nlast_reviewed = 2025-01-10\nclauses = [\"10.2\"]\n+++\n\n# NC Log\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1, "check fails on it as an error");
    assert_eq!(
        report.places(),
        [
            "review-overdue records/nonconformities.md:4:17",
            "mandatory-document-stale records/nonconformities.md:5:12",
        ]
    );
    let out = repo.path().join("public");
    let output = annexa()
        .arg("build")
        .arg(repo.path())
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert!(out.join("index.html").is_file());
}

#[test]
fn the_isms_registers_are_the_audit_programme_reviews_and_nonconformities() {
    let most = "[\"4.3\", \"5.2\", \"6.1.2\", \"6.1.3\", \"6.1.3 d\", \"6.2\", \"7.2 d\", \"8.1\", \"8.2\", \"8.3\", \"9.1\"]";
    let repo = Repo::with_config(CONFIG)
        .file("isms/manual.md", &page("ISMS Manual", most, ""))
        .file(
            "audits.toml",
            "[[audits]]\nid = \"IA-1\"\ntitle = \"Everything\"\nplanned = 2026-12-01\n",
        )
        .file("findings.toml", "")
        // A review planned after today is not yet a result.
        .file(
            "management-reviews.toml",
            "[[reviews]]\ndate = 2026-12-10\n",
        );
    assert_eq!(
        found(&repo, "mandatory-document-missing"),
        [missing(
            "9.3.3",
            "Results of management reviews",
            &format!(
                "record the reviews held in management-reviews.toml, or {}",
                name_it("9.3.3")
            )
        )]
    );
    let repo = repo.file(
        "management-reviews.toml",
        "[[reviews]]\ndate = 2026-06-10\n",
    );
    assert_eq!(found(&repo, "mandatory-document-missing"), []);
}
