//! Each lint on a small repository of its own, with the exact place and message it reports.

mod common;

use common::{Repo, doc, gap_repo, iso_annex_a_ids};

#[test]
fn invalid_front_matter_toml_syntax_error_points_at_the_error() {
    let repo = Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\ntags = [\"x\", \n+++\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    assert_eq!(report.places(), ["invalid-front-matter policies/a.md:4:13"]);
    assert_eq!(
        report.diagnostics[0].message,
        "TOML syntax error: unclosed array, expected `]`"
    );
}

#[test]
fn missing_field_title_and_owner() {
    let repo = Repo::new()
        .file("policies/a.md", "+++\nid = \"POL-1\"\n+++\n\n# A\n")
        .file(
            "policies/b.md",
            "+++\ntitle = \"  \"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n# B\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let found: Vec<(String, &str, Option<&str>)> = report
        .of("missing-field")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            // Same place: in the order the front matter lists the fields.
            (
                "missing-field policies/a.md:1:1".to_string(),
                "required field `title` is missing",
                Some("add `title = \"…\"` to the front matter")
            ),
            (
                "missing-field policies/a.md:1:1".to_string(),
                "required field `owner` is missing",
                Some("add `owner = \"…\"` to the front matter")
            ),
            (
                "missing-field policies/b.md:2:9".to_string(),
                "required field `title` is empty",
                Some("give `title` a value")
            ),
        ]
    );
}

#[test]
fn unknown_field_in_front_matter_has_a_did_you_mean() {
    let repo = Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\nclasification = \"internal\"\n+++\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "unknown-field is a warning");
    let d = report.one("unknown-field");
    assert_eq!(d.place(), "unknown-field policies/a.md:5:1");
    assert_eq!(d.severity, "warning");
    assert_eq!(d.message, "unknown key `clasification`");
    assert_eq!(d.help.as_deref(), Some("did you mean `classification`?"));
}

#[test]
fn unknown_field_in_annexa_toml_and_its_tables() {
    let repo = Repo::with_config(
        "title = \"T\"\norganization = \"Acme\"\n\n[reviews]\ndue_soon = 14\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("policies/a.md", &doc("A", "# A\n"));
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    let found: Vec<(String, &str, Option<&str>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "unknown-field annexa.toml:2:1".to_string(),
                "unknown key `organization`",
                Some("did you mean `organisation`?")
            ),
            (
                "unknown-field annexa.toml:5:1".to_string(),
                "unknown key `reviews.due_soon`",
                Some("did you mean `reviews.due_soon_days`?")
            ),
        ]
    );
}

#[test]
fn duplicate_id_ignores_case_and_names_the_first_document() {
    let repo = Repo::new()
        .file(
            "policies/a.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nid = \"POL-001\"\nlast_reviewed = 2026-06-01\n+++\n\n# A\n",
        )
        .file(
            "policies/b.md",
            "+++\ntitle = \"B\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\nid = \"pol-001\"\n+++\n\n# B\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let d = report.one("duplicate-id");
    assert_eq!(d.place(), "duplicate-id policies/b.md:5:6");
    assert_eq!(d.message, "id `pol-001` is already used");
    assert_eq!(d.help.as_deref(), Some("`policies/a.md` has the same id"));
    assert_eq!(report.diagnostics.len(), 1);
}

#[test]
fn unknown_control_points_at_the_id_with_a_did_you_mean() {
    let repo = Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.15\", \"A.5.155\"]\n+++\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let d = report.one("unknown-control");
    assert_eq!(d.place(), "unknown-control policies/a.md:5:23");
    assert_eq!(
        d.message,
        "control `A.5.155` is not in any framework in use"
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `A.5.15`?"));
}

#[test]
fn unknown_clause_points_at_the_entry_with_a_did_you_mean() {
    let repo = Repo::new().file(
        "isms/scope.md",
        "+++\ntitle = \"Scope\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\nclauses = [\"4.3\", \"6.1.3 (d)\", \"9.2.3\", \"A.5.1\"]\n+++\n\n# Scope\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let found: Vec<(String, &str, Option<&str>)> = report
        .of("unknown-control")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "unknown-control isms/scope.md:5:32".to_string(),
                "clause `9.2.3` is not a clause of ISO/IEC 27001:2022",
                Some("did you mean `9.2.1`?")
            ),
            (
                "unknown-control isms/scope.md:5:41".to_string(),
                "clause `A.5.1` is not a clause of ISO/IEC 27001:2022",
                Some(
                    "Annex A controls go in `controls`; `clauses` names clauses of ISO/IEC 27001:2022"
                )
            ),
        ]
    );
}

#[test]
fn broken_link_with_a_did_you_mean() {
    let repo = Repo::new()
        .file(
            "policies/access-control.md",
            &doc(
                "A",
                "# A\n\nText first, then [the backup procedure](../procedures/backup.md).\n",
            ),
        )
        .file("procedures/backups.md", &doc("Backups", "# Backups\n"));
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let d = report.one("broken-link");
    assert_eq!(d.place(), "broken-link policies/access-control.md:9:18");
    assert_eq!(d.message, "`../procedures/backup.md` does not exist");
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `../procedures/backups.md`?")
    );
}

#[test]
fn broken_link_suggests_nothing_when_no_file_name_is_close() {
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", "# A\n\n[gone](missing.md)\n"))
        .file("policies/types.md", &doc("Types", "# Types\n"));
    let report = repo.check(&[]);
    let d = report.one("broken-link");
    assert_eq!(d.place(), "broken-link policies/a.md:9:1");
    assert_eq!(d.message, "`missing.md` does not exist");
    assert_eq!(d.help, None);
}

#[test]
fn broken_link_to_images_and_other_files() {
    let repo = Repo::new()
        .file(
            "policies/a.md",
            &doc(
                "A",
                "# A\n\n![Diagram](img/network.svg) and the [form](forms/request.pdf).\n\n![Missing](img/nope.png)\n",
            ),
        )
        .file("policies/img/network.svg", "<svg/>")
        .file("policies/forms/request.pdf", "%PDF-1.4");
    let report = repo.check(&[]);
    assert_eq!(report.places(), ["broken-link policies/a.md:11:1"]);
    assert_eq!(
        report.diagnostics[0].message,
        "`img/nope.png` does not exist"
    );
}

#[test]
fn broken_link_out_of_the_repository() {
    let repo = Repo::new().file("a.md", &doc("A", "# A\n\n[up](../elsewhere.md)\n"));
    let report = repo.check(&[]);
    assert_eq!(report.places(), ["broken-link a.md:9:1"]);
    assert_eq!(
        report.diagnostics[0].message,
        "`../elsewhere.md` cannot be linked: it points outside the repository"
    );
}

#[test]
fn broken_anchor_in_another_document_and_in_the_same_one() {
    let repo = Repo::new()
        .file(
            "policies/a.md",
            &doc(
                "A",
                "# Access Control\n\n## Roles & Responsibilities\n\n\
                 [ok](#roles--responsibilities) [ok](b.md#scope-1) [ok](b.md)\n\
                 [bad](b.md#scope-2) [bad](#roles)\n",
            ),
        )
        .file("policies/b.md", &doc("B", "# Scope\n\n## Scope\n"));
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let found: Vec<(String, &str, Option<&str>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-anchor policies/a.md:12:1".to_string(),
                "`b.md#scope-2`: no heading with id `scope-2` in `policies/b.md`",
                Some("did you mean `#scope`?")
            ),
            (
                "broken-anchor policies/a.md:12:21".to_string(),
                "`#roles`: no heading with id `roles` in `policies/a.md`",
                Some("did you mean `#roles--responsibilities`?")
            ),
        ]
    );
}

#[test]
fn broken_anchor_in_a_document_without_headings() {
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", "# A\n\n[x](b.md#top)\n"))
        .file("policies/b.md", &doc("B", "Just text.\n"));
    let report = repo.check(&[]);
    let d = report.one("broken-anchor");
    assert_eq!(d.place(), "broken-anchor policies/a.md:9:1");
    assert_eq!(d.help.as_deref(), Some("`policies/b.md` has no headings"));
}

#[test]
fn review_overdue_due_soon_and_missing() {
    let repo = Repo::new()
        .file(
            "policies/overdue.md",
            "+++\ntitle = \"Overdue\"\nowner = \"B\"\nlast_reviewed = 2025-10-31\n+++\n\n# A\n",
        )
        .file(
            "policies/soon.md",
            "+++\ntitle = \"Soon\"\nowner = \"B\"\nnext_review = 2026-11-02\n+++\n\n# A\n",
        )
        .file(
            "policies/undated.md",
            "+++\ntitle = \"Undated\"\nowner = \"B\"\n+++\n\n# A\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let found: Vec<(String, &str, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.severity.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "review-overdue policies/overdue.md:4:17".to_string(),
                "error",
                "review overdue: `Overdue` was due for review on 2026-10-31 (1 day ago)"
            ),
            (
                "review-due-soon policies/soon.md:4:15".to_string(),
                "warning",
                "review due soon: `Soon` is due for review on 2026-11-02 (in 1 day)"
            ),
            (
                "review-date-missing policies/undated.md:1:1".to_string(),
                "warning",
                "`Undated` has no review date"
            ),
        ]
    );
    assert_eq!(
        report.diagnostics[0].help.as_deref(),
        Some("review the document, then set `last_reviewed` (owner: B)")
    );
}

#[test]
fn drafts_and_retired_documents_have_no_review_tracking() {
    let repo = Repo::new()
        .file(
            "policies/draft.md",
            "+++\ntitle = \"D\"\nowner = \"B\"\nstatus = \"draft\"\n+++\n\n# A\n",
        )
        .file(
            "policies/retired.md",
            "+++\ntitle = \"R\"\nowner = \"B\"\nstatus = \"retired\"\nlast_reviewed = 2020-01-01\n+++\n\n# A\n",
        )
        .file(
            "policies/in-review.md",
            "+++\ntitle = \"V\"\nowner = \"B\"\nstatus = \"review\"\n+++\n\n# A\n",
        );
    let report = repo.check(&[]);
    assert_eq!(
        report.places(),
        ["review-date-missing policies/in-review.md:1:1"]
    );
}

#[test]
fn unmapped_control_for_applicable_controls_no_approved_document_maps() {
    let repo = Repo::with_config(&format!(
        "title = \"T\"\nframeworks = [\"acme\"]\n\n{}",
        common::SOA_LINTS_OFF
    ))
        .file(
            "frameworks/acme.toml",
            "id = \"acme\"\nname = \"Acme\"\n\n[[controls]]\nid = \"C-1\"\ntitle = \"One\"\n\n[[controls]]\nid = \"C-2\"\ntitle = \"Two\"\n\n[[controls]]\nid = \"C-3\"\ntitle = \"Three\"\n\n[[controls]]\nid = \"C-4\"\ntitle = \"Four\"\n",
        )
        .file(
            "soa.toml",
            "[controls.\"C-3\"]\napplicable = false\njustification = \"Not relevant.\"\n",
        )
        .file(
            "policies/a.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-1\"]\n+++\n\n# A\n",
        )
        .file(
            "policies/draft.md",
            "+++\ntitle = \"D\"\nowner = \"B\"\nstatus = \"draft\"\ncontrols = [\"C-2\"]\n+++\n\n# D\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    let found: Vec<(String, &str, Option<&str>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "unmapped-control soa.toml".to_string(),
                "control C-2 Two is applicable but no approved document maps to it",
                Some(
                    "only drafts or retired documents map to it; approve one, or mark it `applicable = false` in soa.toml with a justification"
                )
            ),
            (
                "unmapped-control soa.toml".to_string(),
                "control C-4 Four is applicable but no approved document maps to it",
                Some(
                    "list it in the `controls` of the document that implements it, or mark it `applicable = false` in soa.toml with a justification"
                )
            ),
        ]
    );
}

#[test]
fn unmapped_control_without_soa_is_reported_against_annexa_toml() {
    let repo = Repo::with_config("title = \"T\"\n\n[lints]\nmandatory-document-missing = \"off\"\n").file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.1\"]\n+++\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    // ISO/IEC 27001:2022 Annex A has 93 controls; one is mapped.
    assert_eq!(report.of("unmapped-control").len(), 92);
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.place() == "unmapped-control annexa.toml")
    );
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.message.starts_with("control A.5.1 "))
    );
}

#[test]
fn unmapped_control_for_every_applicable_control_without_a_counting_document() {
    let report = gap_repo().check(&[]);
    assert_eq!(report.code, 0, "unmapped-control is a warning");
    assert_eq!(report.errors, 0);
    // 93 Annex A controls, less A.7.1 (excluded) and A.5.15 and A.5.19 (mapped by an approved
    // document and by one in review); the draft's A.5.16 and the retired policy's A.5.17 stay.
    let expected: Vec<String> = iso_annex_a_ids()
        .into_iter()
        .filter(|id| !["A.5.15", "A.5.19", "A.7.1"].contains(&id.as_str()))
        .collect();
    assert_eq!(expected.len(), 90);
    // A.5.19 rests only on a document in review: covered weakly, not a gap.
    let weak: Vec<(String, &str, Option<&str>)> = report
        .of("control-weak-coverage")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        weak,
        [(
            "control-weak-coverage soa.toml".to_string(),
            "control A.5.19 Information security in supplier relationships is only weakly covered: no approved document within its review date maps to it",
            Some("review and approve one of its documents: `policies/suppliers.md` (in review)")
        )]
    );
    let unmapped = report.of("unmapped-control");
    assert_eq!(report.diagnostics.len(), 91, "{:#?}", report.diagnostics);
    let ids: Vec<&str> = unmapped
        .iter()
        .map(|d| d.message.split(' ').nth(1).unwrap_or_default())
        .collect();
    assert_eq!(ids, expected, "one warning per gap, in catalog order");
    const DRAFTS_ONLY: &str = "only drafts or retired documents map to it; approve one, or mark it `applicable = false` in soa.toml with a justification";
    const NOTHING: &str = "list it in the `controls` of the document that implements it, or mark it `applicable = false` in soa.toml with a justification";
    for d in &unmapped {
        let id = d.message.split(' ').nth(1).unwrap();
        assert_eq!(
            (d.place(), d.severity.as_str()),
            ("unmapped-control soa.toml".to_string(), "warning"),
            "{id}"
        );
        assert!(
            d.message.starts_with(&format!("control {id} "))
                && d.message
                    .ends_with(" is applicable but no approved document maps to it"),
            "{}",
            d.message
        );
        let help = if matches!(id, "A.5.16" | "A.5.17") {
            DRAFTS_ONLY
        } else {
            NOTHING
        };
        assert_eq!(d.help.as_deref(), Some(help), "{id}");
    }
    let message = |id: &str| {
        report
            .diagnostics
            .iter()
            .find(|d| d.message.split(' ').nth(1) == Some(id))
            .map(|d| d.message.as_str())
    };
    assert_eq!(
        message("A.5.1"),
        Some(
            "control A.5.1 Policies for information security is applicable but no approved document maps to it"
        )
    );
    assert_eq!(
        message("A.5.16"),
        Some(
            "control A.5.16 Identity management is applicable but no approved document maps to it"
        )
    );
    assert_eq!(
        message("A.5.17"),
        Some(
            "control A.5.17 Authentication information is applicable but no approved document maps to it"
        )
    );
}

#[test]
fn soa_conflict_for_approved_documents_only() {
    let repo = Repo::new()
        .file(
            "soa.toml",
            "[controls.\"A.7.1\"]\napplicable = false\njustification = \"No premises.\"\n",
        )
        .file(
            "policies/approved.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.1\", \"A.7.1\"]\n+++\n\n# A\n",
        )
        .file(
            "policies/draft.md",
            "+++\ntitle = \"D\"\nowner = \"B\"\nstatus = \"draft\"\ncontrols = [\"A.7.1\"]\n+++\n\n# D\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    let d = report.one("soa-conflict");
    assert_eq!(d.place(), "soa-conflict policies/approved.md:5:22");
    assert_eq!(
        d.message,
        "control A.7.1 Physical security perimeters is not applicable in the SoA, but this approved document maps to it"
    );
    assert_eq!(report.diagnostics.len(), 1);
}

#[test]
fn empty_document_when_front_matter_is_all_there_is() {
    let repo = Repo::new()
        .file(
            "records/log.md",
            "+++\ntitle = \"Log\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n",
        )
        .file(
            "records/blank.md",
            "+++\ntitle = \"Blank\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n   \n\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "empty-document is a warning");
    assert_eq!(
        report.places(),
        [
            "empty-document records/blank.md:5:1",
            "empty-document records/log.md:5:1"
        ]
    );
    assert_eq!(
        report.diagnostics[0].message,
        "the document has front matter but no content"
    );
}

#[test]
fn url_conflict_for_documents_at_generated_pages() {
    let repo = Repo::new()
        .file("soa.md", &doc("Our SoA notes", "Body."))
        .file("search/help.md", &doc("Search help", "Body."))
        .file(
            "controls/iso27001-2022/a-5-1.md",
            &doc("Control notes", "Body."),
        )
        .file("controls/card-access.md", &doc("Card access", "Body."))
        .file("policies/a.md", &doc("A", "Body."));
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    assert_eq!(
        report
            .of("url-conflict")
            .iter()
            .map(|d| d.place())
            .collect::<Vec<_>>(),
        [
            "url-conflict controls/iso27001-2022/a-5-1.md:1:1",
            "url-conflict search/help.md:1:1",
            "url-conflict soa.md:1:1",
        ]
    );
    assert!(report.of("url-conflict")[2].message.contains("/soa/"));
}
