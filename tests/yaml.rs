//! YAML front matter (`---`): the same fields and diagnostics as TOML, mixed with TOML in one
//! repository, and `[front_matter] aliases` for other tools' field names.

mod common;

use common::{QUIET_CONFIG, Repo};

/// Each diagnostic as `lint file:line:col message | help`.
fn lines(repo: &Repo) -> Vec<String> {
    repo.check(&[])
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} | {}",
                d.place(),
                d.message,
                d.help.as_deref().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn yaml_and_toml_documents_mix_and_read_the_same_fields() {
    let repo = Repo::new()
        .file(
            "policies/access.md",
            "---\ntitle: Access Control Policy\nowner: CISO\nid: POL-1\nversion: 1.10\nlast_reviewed: 2026-06-01\nreview_interval: 12 months\ncontrols:\n  - A.5.15\n  - A.8.2\ntags: [access, iam]\n---\n\n# Access\n\nSee [backups](backups.md).\n",
        )
        .file(
            "policies/backups.md",
            "+++\ntitle = \"Backup Policy\"\nowner = \"CISO\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.8.13\"]\n+++\n\n# Backups\n\nSee [access](access.md).\n",
        )
        .file(
            "policies/quoted.md",
            "---\ntitle: \"Quoted: dates\"\nowner: 'IT'\nlast_reviewed: \"2026-06-01\"\n---\n\n# Q\n",
        );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
    assert_eq!(report.diagnostics, []);
    assert_eq!(report.documents, 3);
    let site = tempfile::tempdir().unwrap();
    common::annexa()
        .arg("build")
        .arg(repo.path())
        .args(["--today", common::TODAY, "-o"])
        .arg(site.path())
        .assert()
        .success();
    let page = std::fs::read_to_string(site.path().join("policies/access/index.html")).unwrap();
    // `version: 1.10` is shown as written, not as the number 1.1.
    assert!(page.contains(">1.10<"), "{page}");
}

#[test]
fn yaml_problems_get_the_toml_diagnostics_at_their_place() {
    let repo = Repo::new()
        .file(
            "policies/a.md",
            "---\ntitle: [A, B]\nowner:\nlast_reviewed: 2026-13-01\nnext_review: soon\ncontrols: A.5.15\nstatus: aproved\ntitel: x\nreviewed: 2026-06-01\napproved_by: Bob\n---\n\n# A\n",
        )
        .file("policies/b.md", "---\ntitle: [unclosed\n---\n\n# B\n")
        .file("policies/c.md", "---\n- a list\n---\n\n# C\n");
    assert_eq!(
        lines(&repo),
        [
            // The title is unreadable, so the document is named by its file.
            "review-date-missing policies/a.md:1:1 `A` has no review date | set `last_reviewed` (the next review follows the interval) or `next_review`",
            "invalid-front-matter policies/a.md:2:8 `title` must be a string, found an array | ",
            "missing-field policies/a.md:3:6 required field `owner` is empty | give `owner` a value",
            "invalid-front-matter policies/a.md:4:16 `last_reviewed` must be a date such as 2025-03-01, found \"2026-13-01\" | write a bare date: YYYY-MM-DD",
            "invalid-front-matter policies/a.md:5:14 `next_review` must be a date such as 2025-03-01, found \"soon\" | write a bare date: YYYY-MM-DD",
            "invalid-front-matter policies/a.md:6:11 `controls` must be an array of strings, found a string | write controls: [A.5.15]",
            "invalid-front-matter policies/a.md:7:9 `status` \"aproved\" is not one of draft, review, approved, retired | did you mean \"approved\"?",
            "unknown-field policies/a.md:8:1 unknown key `titel` | did you mean `title`?",
            "unknown-field policies/a.md:9:1 unknown key `reviewed` | did you mean `last_reviewed`? (or map it in annexa.toml: `[front_matter] aliases = { reviewed = \"last_reviewed\" }`)",
            "unknown-field policies/a.md:10:1 unknown key `approved_by` | did you mean `approver`? (or map it in annexa.toml: `[front_matter] aliases = { approved_by = \"approver\" }`)",
            "invalid-front-matter policies/b.md:3:1 YAML syntax error: while parsing a flow sequence, expected ',' or ']' | ",
            "invalid-front-matter policies/c.md:2:1 YAML front matter must be a mapping of `key: value` lines | ",
        ]
    );
}

#[test]
fn aliases_map_other_tools_field_names() {
    let config = format!(
        "{QUIET_CONFIG}\n[front_matter]\naliases = {{ reviewed = \"last_reviewed\", approved_by = \"approver\", name = \"titel\" }}\n"
    );
    let repo = Repo::with_config(&config).file(
        "policies/a.md",
        "---\ntitle: A\nowner: O\nreviewed: 2026-06-01\napproved_by: Board\n---\n\n# A\n",
    );
    assert_eq!(
        lines(&repo),
        [
            "invalid-config annexa.toml:10:74 `front_matter.aliases.name` must name a front-matter field, found \"titel\" | did you mean \"title\"?",
        ]
    );
}

#[test]
fn default_status_applies_to_documents_that_set_none() {
    let config = format!("{QUIET_CONFIG}\n[documents]\ndefault_status = \"draft\"\n");
    // A draft is not tracked for review: no `review-date-missing`.
    let repo =
        Repo::with_config(&config).file("policies/a.md", "---\ntitle: A\nowner: O\n---\n\n# A\n");
    assert_eq!(lines(&repo), Vec::<String>::new());
    let config = format!("{QUIET_CONFIG}\n[documents]\ndefault_status = \"drafts\"\n");
    let repo =
        Repo::with_config(&config).file("policies/a.md", "---\ntitle: A\nowner: O\n---\n\n# A\n");
    assert_eq!(
        lines(&repo),
        [
            "invalid-config annexa.toml:10:18 `documents.default_status` \"drafts\" is not one of draft, review, approved, retired | did you mean \"draft\"?",
            "review-date-missing policies/a.md:1:1 `A` has no review date | set `last_reviewed` (the next review follows the interval) or `next_review`",
        ]
    );
}
