//! `annexa check`: exit codes, flags, `[lints]`, finding the repository, which files are
//! documents, symbolic links, which links are checked, and how control ids resolve.

mod common;

use common::{QUIET_CONFIG, Repo, TODAY, annexa, doc};
use predicates::prelude::*;

fn clean_repo() -> Repo {
    Repo::new().file("policies/a.md", &doc("A", "# A\n"))
}

fn warning_only_repo() -> Repo {
    Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\n+++\n\n# A\n",
    )
}

// --- exit codes -------------------------------------------------------------------------

#[test]
fn exit_0_when_clean() {
    let report = clean_repo().check(&[]);
    assert_eq!(report.code, 0);
    assert!(report.diagnostics.is_empty());
}

#[test]
fn exit_0_with_warnings_only() {
    let report = warning_only_repo().check(&[]);
    assert_eq!(report.code, 0);
    assert_eq!(report.places(), ["review-date-missing policies/a.md:1:1"]);
}

#[test]
fn exit_1_with_errors() {
    let report = Repo::new()
        .file("policies/a.md", &doc("A", "# A\n\n[x](y.md)\n"))
        .check(&[]);
    assert_eq!(report.code, 1);
    assert_eq!(report.errors, 1);
}

#[test]
fn exit_1_on_every_lint() {
    annexa()
        .arg("check")
        .arg(common::git::every_lint())
        .args(["--today", TODAY])
        .assert()
        .code(1)
        // The summary counts by lint, most first, then by name.
        .stdout(predicate::str::ends_with(concat!(
            "annexa: 26 errors: 2 broken-anchor, 2 unknown-control, 1 ambiguous-control, 1 audit-overdue, 1 audit-report-missing, 1 broken-link, 1 clause-excluded, 1 duplicate-id, 1 evidence-expired, 1 finding-action-overdue, ",
            "1 invalid-config, 1 invalid-front-matter, 1 legacy-control-id, 1 management-review-overdue, 1 missing-field, 1 review-overdue, ",
            "1 risk-acceptance-expired, 1 risk-acceptance-missing, 1 risk-action-overdue, 1 risk-excluded-control, 1 soa-excluded-implemented, 1 soa-exclusion-unjustified, 1 unreadable-file, 1 url-conflict; ",
            "26 warnings: 3 soa-inclusion-unjustified, 3 unknown-field, 2 audit-coverage-gap, 2 unmapped-control, ",
            "1 auditor-not-independent, 1 changed-after-approval, 1 control-weak-coverage, 1 empty-document, 1 evidence-expiring, ",
            "1 finding-open-major, 1 finding-unverified, 1 ignored-file, 1 management-review-incomplete, 1 mandatory-document-missing, 1 mandatory-document-stale, ",
            "1 review-date-missing, 1 review-due-soon, 1 risk-above-appetite, 1 soa-conflict, 1 soa-unapproved; 10 documents\n"
        )));
}

#[test]
fn deny_warnings_turns_warnings_into_exit_1() {
    let repo = warning_only_repo();
    let report = repo.check(&["--deny-warnings"]);
    assert_eq!(report.code, 1);
    // Still reported as warnings.
    assert_eq!(report.warnings, 1);
    assert_eq!(report.errors, 0);
    assert_eq!(clean_repo().check(&["--deny-warnings"]).code, 0);
}

#[test]
fn no_annexa_toml_is_exit_2_with_a_clear_message() {
    let repo = Repo::empty().file("policies/a.md", &doc("A", "# A\n"));
    annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("no annexa.toml in"))
        .stderr(predicate::str::contains("annexa init"));
}

#[test]
fn no_annexa_toml_in_the_current_folder_or_its_parents_is_exit_2() {
    let repo = Repo::empty();
    annexa()
        .arg("check")
        .current_dir(repo.path())
        .args(["--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no annexa.toml in"));
}

#[test]
fn missing_folder_is_exit_2() {
    let repo = Repo::empty();
    annexa()
        .arg("check")
        .arg(repo.path().join("nope"))
        .args(["--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot open folder"));
}

#[test]
fn bad_today_is_a_clap_error_with_exit_2() {
    annexa()
        .arg("check")
        .arg(clean_repo().path())
        .args(["--today", "2025-13-01"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: invalid value '2025-13-01' for '--today <DATE>'",
        ))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn bad_format_and_unknown_flags_are_exit_2() {
    let repo = clean_repo();
    annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--format", "xml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'xml'"));
    annexa()
        .arg("check")
        .arg(repo.path())
        .arg("--frobnicate")
        .assert()
        .code(2);
}

// --- the day ------------------------------------------------------------------------------

fn dated_repo() -> Repo {
    Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nnext_review = 2026-11-01\n+++\n\n# A\n",
    )
}

#[test]
fn annexa_today_env_works_like_today() {
    let repo = dated_repo();
    let run = |env: &str| {
        let output = annexa()
            .arg("check")
            .arg(repo.path())
            .args(["--format", "json"])
            .env("ANNEXA_TODAY", env)
            .output()
            .unwrap();
        common::Report::parse(&output)
    };
    let before = run("2026-10-31");
    assert_eq!(before.code, 0);
    assert_eq!(
        before.one("review-due-soon").message,
        "review due soon: `A` is due for review on 2026-11-01 (in 1 day)"
    );
    let after = run("2026-11-02");
    assert_eq!(after.code, 1);
    assert_eq!(
        after.one("review-overdue").message,
        "review overdue: `A` was due for review on 2026-11-01 (1 day ago)"
    );
}

#[test]
fn today_flag_wins_over_the_env() {
    let repo = dated_repo();
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--format", "json", "--today", "2026-11-02"])
        .env("ANNEXA_TODAY", "2026-10-01")
        .output()
        .unwrap();
    assert_eq!(common::Report::parse(&output).code, 1);
}

#[test]
fn bad_annexa_today_is_exit_2() {
    annexa()
        .arg("check")
        .arg(dated_repo().path())
        .env("ANNEXA_TODAY", "2025-13-01")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value '2025-13-01'"));
}

// --- [lints] --------------------------------------------------------------------------------

#[test]
fn lints_levels_override_defaults() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[lints]\nunmapped-control = \"off\"\nreview-date-missing = \"error\"\nbroken-link = \"warning\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\n+++\n\n# A\n\n[x](gone.md)\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let found: Vec<(String, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.severity.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("review-date-missing policies/a.md:1:1".to_string(), "error"),
            ("broken-link policies/a.md:8:1".to_string(), "warning"),
        ]
    );
}

#[test]
fn lints_off_silences_and_warning_does_not_fail() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[lints]\nunmapped-control = \"off\"\nreview-date-missing = \"off\"\nbroken-link = \"warning\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\n+++\n\n# A\n\n[x](gone.md)\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    assert_eq!(report.places(), ["broken-link policies/a.md:8:1"]);
    assert_eq!(repo.check(&["--deny-warnings"]).code, 1);
}

#[test]
fn unknown_lint_name_is_an_unknown_field_warning_with_did_you_mean() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[lints]\nunmapped-control = \"off\"\nreview-due-son = \"error\"\nno-such-check = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("policies/a.md", &doc("A", "# A\n"));
    let report = repo.check(&[]);
    assert_eq!(report.code, 0);
    let found: Vec<(String, &str, &str, Option<&str>)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.place(),
                d.severity.as_str(),
                d.message.as_str(),
                d.help.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "unknown-field annexa.toml:5:1".to_string(),
                "warning",
                "unknown lint `review-due-son` in [lints]",
                Some("did you mean `review-due-soon`?")
            ),
            (
                "unknown-field annexa.toml:6:1".to_string(),
                "warning",
                "unknown lint `no-such-check` in [lints]",
                None
            ),
        ]
    );
}

#[test]
fn due_soon_days_sets_the_window() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[reviews]\ndue_soon_days = 7\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(
        "policies/in.md",
        "+++\ntitle = \"In\"\nowner = \"B\"\nnext_review = 2026-11-08\n+++\n\n# A\n",
    )
    .file(
        "policies/out.md",
        "+++\ntitle = \"Out\"\nowner = \"B\"\nnext_review = 2026-11-09\n+++\n\n# A\n",
    );
    assert_eq!(
        repo.check(&[]).places(),
        ["review-due-soon policies/in.md:4:15"]
    );
}

#[test]
fn default_interval_applies_when_a_document_sets_none() {
    let repo = Repo::with_config(
        "title = \"T\"\n\n[reviews]\ndefault_interval = \"6 months\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(
        "policies/default.md",
        "+++\ntitle = \"D\"\nowner = \"B\"\nlast_reviewed = 2026-04-30\n+++\n\n# A\n",
    )
    .file(
        "policies/own.md",
        "+++\ntitle = \"O\"\nowner = \"B\"\nlast_reviewed = 2026-04-30\nreview_interval = \"1 year\"\n+++\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.places(), ["review-overdue policies/default.md:4:17"]);
    assert_eq!(
        report.diagnostics[0].message,
        "review overdue: `D` was due for review on 2026-10-30 (2 days ago)"
    );
}

// --- finding the repository -------------------------------------------------------------

#[test]
fn without_dir_the_current_folder_or_a_parent_is_the_root() {
    let repo = Repo::new().file("policies/a.md", &doc("A", "# A\n\n[x](gone.md)\n"));
    for dir in [repo.path().to_path_buf(), repo.path().join("policies")] {
        annexa()
            .arg("check")
            .current_dir(&dir)
            .args(["--today", TODAY, "--format", "github"])
            .assert()
            .code(1)
            .stdout(predicate::str::starts_with(
                "::error file=policies/a.md,line=9,col=1,title=broken-link::`gone.md` does not exist\n",
            ));
    }
}

// --- which files are documents ------------------------------------------------------------

#[test]
fn hidden_templates_static_frameworks_output_and_readme_are_not_documents() {
    let junk = "this is not a document: no front matter, [broken](nowhere.md)\n";
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", "# A\n"))
        .file("README.md", junk)
        .file("policies/README.md", junk)
        .file("policies/readme.md", junk)
        .file(".github/pull_request_template.md", junk)
        .file("policies/.drafts/idea.md", junk)
        .file(".hidden.md", junk)
        .file("templates/page.md", junk)
        .file("static/notes.md", junk)
        .file("frameworks/notes.md", junk)
        .file("public/policies/a.md", junk);
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
    assert_eq!(report.documents, 1);
}

#[test]
fn a_custom_output_folder_is_not_read_but_public_then_is() {
    let junk = "no front matter\n";
    let repo = Repo::with_config(
        "title = \"T\"\noutput_dir = \"site/out\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("policies/a.md", &doc("A", "# A\n"))
    .file("site/out/policies/a.md", junk)
    .file("public/b.md", junk);
    let report = repo.check(&[]);
    assert_eq!(report.documents, 2);
    assert_eq!(
        report.places(),
        ["invalid-front-matter public/b.md:1:1"],
        "public/ is an ordinary folder when output_dir is elsewhere"
    );
}

#[test]
fn templates_and_static_deeper_down_are_ordinary_folders() {
    let repo = Repo::new()
        .file("policies/templates/a.md", &doc("A", "# A\n"))
        .file("policies/static/b.md", &doc("B", "# B\n"));
    assert_eq!(repo.check(&[]).documents, 2);
}

#[test]
fn markdown_extension_case_and_other_files() {
    let repo = Repo::new()
        .file(
            "policies/a.MD",
            &doc("A", "# A\n\n[b](b.markdown) [c](notes.txt)\n"),
        )
        .file("policies/b.markdown", "not a document")
        .file("policies/notes.txt", "not a document");
    let report = repo.check(&[]);
    assert_eq!(report.documents, 1);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
}

// --- symbolic links --------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang_or_crash() {
    let repo = Repo::new().file("policies/a.md", &doc("A", "# A\n\n[loop](inner/up/a.md)\n"));
    std::fs::create_dir_all(repo.path().join("policies/inner")).unwrap();
    std::os::unix::fs::symlink("..", repo.path().join("policies/inner/up")).unwrap();
    std::os::unix::fs::symlink(".", repo.path().join("policies/inner/self")).unwrap();
    std::os::unix::fs::symlink(repo.path(), repo.path().join("root")).unwrap();
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
    assert_eq!(report.documents, 1);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_folder_outside_the_root_is_not_followed() {
    let outside = Repo::empty().file("secret.md", "no front matter\n");
    let repo = Repo::new().file("policies/a.md", &doc("A", "# A\n\n[x](ext/secret.md)\n"));
    std::os::unix::fs::symlink(outside.path(), repo.path().join("policies/ext")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        repo.path().join("policies/linked.md"),
    )
    .unwrap();
    let report = repo.check(&[]);
    assert_eq!(report.documents, 1);
    let d = report.one("broken-link");
    assert_eq!(d.place(), "broken-link policies/a.md:9:1");
    assert_eq!(
        d.message,
        "`ext/secret.md` cannot be linked: it is outside the repository (a symbolic link leads out of it)"
    );
    // Each link not followed is a warning that names it.
    assert_eq!(
        report
            .of("ignored-file")
            .iter()
            .map(|d| (d.place(), d.severity.as_str()))
            .collect::<Vec<_>>(),
        [
            ("ignored-file policies/ext".to_string(), "warning"),
            ("ignored-file policies/linked.md".to_string(), "warning")
        ]
    );
    assert_eq!(report.diagnostics.len(), 3, "{:#?}", report.diagnostics);
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_root_is_followed() {
    let repo = Repo::new().file("shared/a.md", &doc("A", "# A\n\n[x](gone.md)\n"));
    std::os::unix::fs::symlink("shared", repo.path().join("policies")).unwrap();
    let report = repo.check(&[]);
    assert_eq!(report.documents, 2);
    assert_eq!(
        report.places(),
        [
            "broken-link policies/a.md:9:1",
            "broken-link shared/a.md:9:1"
        ]
    );
}

// --- which links are checked -------------------------------------------------------------

#[test]
fn links_in_fenced_code_indented_code_and_code_spans_are_not_checked() {
    let body = "# A\n\n```markdown\n[no](fenced.md)\n```\n\n~~~\n[no](tilde.md)\n~~~\n\n    [no](indented.md)\n\nInline `[no](span.md)` and ``[no](double.md)``.\n";
    let report = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
}

#[test]
fn reference_style_links_are_checked() {
    let body = "# A\n\nSee [the procedure][proc], [collapsed][] and [shortcut].\n\n[proc]: ../procedures/gone.md\n[collapsed]: ./also-gone.md#x\n[shortcut]: b.md#nowhere\n";
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .file("policies/b.md", &doc("B", "# B\n"));
    let report = repo.check(&[]);
    let found: Vec<(String, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-link policies/a.md:9:5".to_string(),
                "`../procedures/gone.md` does not exist"
            ),
            (
                "broken-link policies/a.md:9:28".to_string(),
                "`./also-gone.md` does not exist"
            ),
            (
                "broken-anchor policies/a.md:9:46".to_string(),
                "`b.md#nowhere`: no heading with id `nowhere` in `policies/b.md`"
            ),
        ]
    );
}

#[test]
fn external_urls_are_not_checked() {
    let body = "# A\n\n[web](https://example.invalid/x.md) [mail](mailto:a@example.invalid) \
                [tel](tel:+441234) [proto](//cdn.example.invalid/x.js) <https://example.invalid/auto>\n\
                ![img](http://example.invalid/a.png)\n";
    let report = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
}

#[test]
fn links_to_documents_assets_folders_and_anchors_resolve() {
    let body = "# Access Control\n\n## Roles & Responsibilities\n\n\
                [b](../procedures/b.md) [b](/procedures/b.md#backup-steps) [self](#roles--responsibilities)\n\
                [top](#access-control) [pdf](forms/my%20form.pdf) [dir](../procedures/) [q](b.md?x=1)\n\
                <a href=\"../procedures/b.md#backup-steps\">html</a>\n";
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .file("policies/b.md", &doc("B", "# B\n"))
        .file("policies/forms/my form.pdf", "%PDF")
        .file("procedures/b.md", &doc("B", "# Backup steps\n"));
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
}

#[test]
fn raw_html_links_are_checked() {
    let body = "# A\n\n<p>See <a href=\"gone.md\">this</a> and <img src=\"pic.png\"></p>\n";
    let report = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .check(&[]);
    assert_eq!(
        report.places(),
        [
            "broken-link policies/a.md:9:16",
            "broken-link policies/a.md:9:48"
        ]
    );
}

#[test]
fn raw_html_in_comments_and_other_attributes_holds_no_links() {
    // Line 7 of the file is the body's first line.
    let body = "# A\n\n\
                <abbr title=\"see href=old.md\">x</abbr> and <!-- <a href=\"removed.md\">old</a> --> text\n\n\
                <!-- An old list:\n\
                <a href=\"old-one.md\">one</a>\n\
                <img src=\"old.png\">\n\
                -->\n\n\
                Text <!-- over\ntwo lines <a href=\"old-two.md\"> --> text\n\n\
                A <a href=\"gone.md\">real link</a>.\n";
    let report = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .check(&[]);
    assert_eq!(report.places(), ["broken-link policies/a.md:19:11"]);
}

#[test]
fn a_link_to_a_readme_or_an_unpublished_markdown_file_is_broken() {
    let repo = Repo::new()
        .file(
            "policies/a.md",
            &doc("A", "# A\n\n[r](README.md) [t](../templates/x.md)\n"),
        )
        .file("policies/README.md", "# Readme\n")
        .file("templates/x.md", "x\n");
    let report = repo.check(&[]);
    let found: Vec<(String, String, Option<String>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "broken-link policies/a.md:9:1".to_string(),
                "`README.md` is not published on the site".to_string(),
                Some("README files are not published".to_string())
            ),
            (
                "broken-link policies/a.md:9:16".to_string(),
                "`../templates/x.md` is not published on the site".to_string(),
                Some(
                    "files under templates/ are theme templates and are not published".to_string()
                )
            ),
        ]
    );
}

#[test]
fn links_resolve_against_what_the_site_publishes() {
    let body = "# A\n\n\
        [config](../annexa.toml)\n\
        [soa](../soa.toml)\n\
        [template](../templates/base.html)\n\
        [logo](../static/logo.png)\n\
        [folder](../policies/)\n\
        [sub](hr)\n\
        [home](../)\n\
        [images](../images/)\n\
        [hidden](../.github/ci.yml)\n";
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .file("policies/hr/b.md", &doc("B", "# B\n"))
        .file("soa.toml", "")
        .file(
            "templates/base.html",
            "{% block content %}{% endblock content %}",
        )
        .file("static/logo.png", "png")
        .file("images/diagram.svg", "<svg/>")
        .file(".github/ci.yml", "on: push\n");
    let report = repo.check(&[]);
    let found: Vec<(String, String, Option<String>)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect();
    let broken = |line: u32, dest: &str, help: &str| {
        (
            format!("broken-link policies/a.md:{line}:1"),
            format!("`{dest}` is not published on the site"),
            Some(help.to_string()),
        )
    };
    assert_eq!(
        found,
        [
            broken(
                9,
                "../annexa.toml",
                "annexa.toml is configuration and is not published"
            ),
            broken(
                10,
                "../soa.toml",
                "soa.toml is an input file of annexa (top-level .toml files are read, not published)"
            ),
            broken(
                11,
                "../templates/base.html",
                "files under templates/ are theme templates and are not published"
            ),
            broken(
                16,
                "../images/",
                "no page is published for the folder images/, as it holds no documents"
            ),
            broken(
                17,
                "../.github/ci.yml",
                "hidden files and folders are not published"
            ),
        ]
    );
}

// --- control ids ------------------------------------------------------------------------------

fn controls_repo(config: &str, controls: &str) -> Repo {
    Repo::with_config(config).file(
        "policies/a.md",
        &format!(
            "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\ncontrols = [{controls}]\n+++\n\n# A\n"
        ),
    )
}

#[test]
fn iso_ids_resolve_in_every_spelling_with_the_default_config() {
    let repo = controls_repo(
        QUIET_CONFIG,
        "\"A.5.15\", \"5.15\", \"iso27001-2022:A.5.15\", \"a.5.15\", \"ISO27001-2022:a.5.15\", \" A.8.2 \", \"8.2\"",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
}

#[test]
fn nist_ids_resolve_only_when_the_framework_is_in_use() {
    let without = controls_repo(QUIET_CONFIG, "\"nist-csf-2.0:PR.AA-01\"").check(&[]);
    assert_eq!(without.code, 1);
    let d = without.one("unknown-control");
    assert_eq!(d.place(), "unknown-control policies/a.md:5:13");
    assert_eq!(
        d.message,
        "`nist-csf-2.0:PR.AA-01`: framework `nist-csf-2.0` is not in use"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("frameworks in use: iso27001-2022; add one to `frameworks` in annexa.toml")
    );

    let with = controls_repo(
        "title = \"T\"\nframeworks = [\"iso27001-2022\", \"nist-csf-2.0\"]\n\n[lints]\nunmapped-control = \"off\"\n",
        "\"nist-csf-2.0:PR.AA-01\", \"nist-csf-2.0:pr.aa-01\", \"A.5.15\"",
    )
    .check(&[]);
    assert_eq!(with.code, 0, "{:#?}", with.diagnostics);
}

#[test]
fn unknown_ids_in_a_framework_in_use() {
    let report = controls_repo(
        "title = \"T\"\nframeworks = [\"iso27001-2022\", \"nist-csf-2.0\"]\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
        "\"iso27001-2022:A.5.99\", \"A.9.1.1\"",
    )
    .check(&[]);
    let found: Vec<(String, &str)> = report
        .diagnostics
        .iter()
        .map(|d| (d.place(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "unknown-control policies/a.md:5:13".to_string(),
                "control `iso27001-2022:A.5.99` is not in framework `iso27001-2022`"
            ),
            // An ISO/IEC 27001:2013 id is `legacy-control-id`, in place of `unknown-control`.
            (
                "legacy-control-id policies/a.md:5:37".to_string(),
                "`A.9.1.1` is an ISO/IEC 27001:2013 control id (Access control policy)"
            ),
        ]
    );
}

#[test]
fn custom_framework_files_add_controls() {
    let repo = controls_repo(
        "title = \"T\"\nframeworks = [\"iso27001-2022\", \"acme\"]\n\n[lints]\nunmapped-control = \"off\"\n",
        "\"acme:AC-1\", \"ac-1\", \"A.5.1\"",
    )
    .file(
        "frameworks/acme.toml",
        "id = \"acme\"\nname = \"Acme\"\n\n[[controls]]\nid = \"AC-1\"\ntitle = \"Access\"\n",
    );
    let report = repo.check(&[]);
    assert_eq!(report.code, 0, "{:#?}", report.diagnostics);
}
