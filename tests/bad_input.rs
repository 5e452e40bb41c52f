//! Bad input: each problem gets a named diagnostic with its file and line, never a panic, and
//! the run goes on — a witness document with a broken link is still checked in the same run.

mod common;

use common::{Repo, Report, TODAY, annexa, doc, owned_pairs};

/// A document with one known problem, to show the other documents were still checked.
const WITNESS: &str = "policies/witness.md";
const WITNESS_PLACE: &str = "broken-link policies/witness.md:9:1";

fn repo() -> Repo {
    Repo::new().file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"))
}

/// Checks `repo` and asserts the run ended normally with errors and reached the witness.
fn check(repo: &Repo) -> Report {
    let report = repo.check(&[]);
    assert_eq!(
        report.code, 1,
        "{:#?}\n{}",
        report.diagnostics, report.stderr
    );
    assert!(!report.stderr.contains("panicked"), "{}", report.stderr);
    assert!(
        report.places().contains(&WITNESS_PLACE.to_string()),
        "the witness was not checked: {:#?}",
        report.places()
    );
    report
}

/// The diagnostics of `file` as `lint file:line:col message`.
fn found(report: &Report, file: &str) -> Vec<String> {
    report
        .in_file(file)
        .iter()
        .map(|d| format!("{} {}", d.place(), d.message))
        .collect()
}

#[test]
fn no_front_matter() {
    let repo = repo().file("policies/a.md", "# Access Control\n\nNo front matter.\n");
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "invalid-front-matter policies/a.md:1:1 no front matter: the first line must be `+++` (TOML) or `---` (YAML)"
        ]
    );
    assert_eq!(
        report.in_file("policies/a.md")[0].help.as_deref(),
        Some("start the file with a `+++` line, TOML front matter, and a closing `+++` line")
    );
}

#[test]
fn yaml_front_matter_is_read_and_an_unterminated_block_named() {
    let repo = repo()
        .file("policies/a.md", "---\ntitle: A\nowner: B\n---\n\n# A\n")
        .file("policies/b.md", "---\ntitle: B\nowner: B\n\n# B\n");
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        ["review-date-missing policies/a.md:1:1 `A` has no review date"]
    );
    assert_eq!(
        found(&report, "policies/b.md"),
        ["invalid-front-matter policies/b.md:1:1 unterminated front matter: no closing `---` line"]
    );
}

#[test]
fn unterminated_front_matter() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\n\n# A\n\nBody.\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        ["invalid-front-matter policies/a.md:1:1 unterminated front matter: no closing `+++` line"]
    );
}

#[test]
fn toml_syntax_error() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\nlast_reviewed = 2026-06-01\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "invalid-front-matter policies/a.md:3:11 TOML syntax error: invalid basic string, expected `\"`"
        ]
    );
}

#[test]
fn wrong_value_types() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = 3\ncontrols = \"A.5.1\"\ntags = \"access\"\nstatus = true\nlast_reviewed = 2026-06-01\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "invalid-front-matter policies/a.md:3:9 `owner` must be a string, found an integer",
            "invalid-front-matter policies/a.md:4:12 `controls` must be an array of strings, found a string",
            "invalid-front-matter policies/a.md:5:8 `tags` must be an array of strings, found a string",
            "invalid-front-matter policies/a.md:6:10 `status` must be a string, found a boolean",
        ],
        "a wrongly typed `owner` is not also reported missing"
    );
    assert_eq!(
        report.in_file("policies/a.md")[1].help.as_deref(),
        Some("write controls = [\"A.5.1\"]")
    );
}

#[test]
fn wrong_values_in_lists_and_enumerations() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nstatus = \"aproved\"\nkind = \"polcy\"\ncontrols = [\"A.5.1\", 5]\nlast_reviewed = 2026-06-01\n+++\n\n# A\n",
    );
    let report = check(&repo);
    let found: Vec<(String, &str, Option<&str>)> = report
        .in_file("policies/a.md")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "invalid-front-matter policies/a.md:4:10".to_string(),
                "`status` \"aproved\" is not one of draft, review, approved, retired",
                Some("did you mean \"approved\"?")
            ),
            (
                "invalid-front-matter policies/a.md:5:8".to_string(),
                "`kind` \"polcy\" is not one of policy, procedure, standard, guideline, plan, record, other",
                Some("did you mean \"policy\"?")
            ),
            (
                "invalid-front-matter policies/a.md:6:22".to_string(),
                "`controls` must hold only strings, found an integer",
                None
            ),
        ]
    );
}

#[test]
fn impossible_date() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2025-02-30\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "invalid-front-matter policies/a.md:4:17 TOML syntax error: invalid date, expected day between 01 and 28"
        ]
    );
}

#[test]
fn dates_written_as_strings_or_with_times() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = \"2025-03-01\"\nnext_review = 2026-03-01T09:00:00\neffective = 20250301\n+++\n\n# A\n",
    );
    let report = check(&repo);
    let found: Vec<(String, &str, Option<&str>)> = report
        .in_file("policies/a.md")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "review-date-missing policies/a.md:1:1".to_string(),
                "`A` has no review date",
                Some("set `last_reviewed` (the next review follows the interval) or `next_review`")
            ),
            (
                "invalid-front-matter policies/a.md:4:17".to_string(),
                "`last_reviewed` must be a TOML date, found a string",
                Some("write the date without quotes: last_reviewed = 2025-03-01")
            ),
            (
                "invalid-front-matter policies/a.md:5:15".to_string(),
                "`next_review` must be a date without a time, found `2026-03-01T09:00:00`",
                Some("write a bare date such as 2025-03-01")
            ),
            (
                "invalid-front-matter policies/a.md:6:13".to_string(),
                "`effective` must be a date such as 2025-03-01, found an integer",
                None
            ),
        ]
    );
}

#[test]
fn unknown_interval_unit() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\nreview_interval = \"2 fortnights\"\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "invalid-front-matter policies/a.md:5:19 `review_interval`: `fortnights` is not an interval unit: use day(s), week(s), month(s) or year(s)"
        ]
    );
}

#[test]
fn interval_without_a_number() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\nreview_interval = \"yearly\"\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "invalid-front-matter policies/a.md:5:19 `review_interval`: `yearly` is not an interval: expected a number then a unit, such as `12 months`"
        ]
    );
}

#[test]
fn empty_file() {
    let repo = repo()
        .file("policies/empty.md", "")
        .file("policies/blank.md", "\n  \n\t\n");
    let report = check(&repo);
    for file in ["policies/blank.md", "policies/empty.md"] {
        assert_eq!(
            found(&report, file),
            [format!(
                "invalid-front-matter {file}:1:1 empty file: a document starts with a `+++` front matter block"
            )]
        );
    }
}

#[test]
fn front_matter_only() {
    let repo = repo().file(
        "records/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "records/a.md"),
        ["empty-document records/a.md:5:1 the document has front matter but no content"]
    );
    assert_eq!(report.one("empty-document").severity, "warning");
}

#[test]
fn non_utf8_bytes() {
    let repo = repo();
    repo.write(
        "policies/a.md",
        b"+++\ntitle = \"Suppliers\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n# Suppliers\n\nM\xfcller GmbH, caf\xe9\n",
    );
    let report = check(&repo);
    let d = report.in_file("policies/a.md");
    assert_eq!(
        found(&report, "policies/a.md"),
        [
            "unreadable-file policies/a.md:9:2 file is not valid UTF-8; invalid bytes were replaced with U+FFFD"
        ]
    );
    assert_eq!(d[0].severity, "error");
    assert_eq!(d[0].help.as_deref(), Some("save the file as UTF-8"));
}

#[test]
fn non_utf8_bytes_in_front_matter_still_read_the_rest() {
    let repo = repo();
    repo.write(
        "policies/a.md",
        b"+++\ntitle = \"Caf\xe9\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.99\"]\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        report
            .in_file("policies/a.md")
            .iter()
            .map(|d| d.place())
            .collect::<Vec<_>>(),
        [
            "unreadable-file policies/a.md:2:13",
            "unknown-control policies/a.md:5:13"
        ]
    );
}

#[test]
fn fifty_megabyte_document() {
    let repo = repo();
    let paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod \
                     tempor incididunt ut labore et dolore magna aliqua, see [scope](#scope).\n\n";
    let repeats = 50 * 1024 * 1024 / paragraph.len() + 1;
    let mut text = String::with_capacity(repeats * paragraph.len() + 1024);
    text.push_str(
        "+++\ntitle = \"Big\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n# Scope\n\n",
    );
    for _ in 0..repeats {
        text.push_str(paragraph);
    }
    text.push_str("The end: [missing](missing-appendix.md).\n");
    assert!(text.len() >= 50 * 1024 * 1024);
    repo.write("policies/big.md", text.as_bytes());
    let report = check(&repo);
    // The front matter is 8 lines, then two lines per paragraph.
    let last_line = 8 + 2 * repeats as u64 + 1;
    assert_eq!(
        found(&report, "policies/big.md"),
        [format!(
            "broken-link policies/big.md:{last_line}:10 `missing-appendix.md` does not exist"
        )]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo().file("policies/secret.md", &doc("Secret", "# Secret\n"));
    let path = repo.path().join("policies/secret.md");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = common::permissions_are_enforced(&path);
    let report = check(&repo);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    // Running as root, chmod 000 does not stop reading: the document is read like any other,
    // and only the unreadable-file assertion is skipped (the run must still not fail).
    if !enforced {
        eprintln!("skipped: this process can read a chmod 000 file (running as root?)");
        assert!(report.in_file("policies/secret.md").is_empty());
        return;
    }
    let d = report.in_file("policies/secret.md");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].place(), "unreadable-file policies/secret.md:1:1");
    assert!(
        d[0].message.starts_with("cannot read document: "),
        "{}",
        d[0].message
    );
}

#[cfg(unix)]
#[test]
fn unreadable_folder() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo().file("private/a.md", &doc("A", "# A\n"));
    let path = repo.path().join("private");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = std::fs::read_dir(&path).is_err();
    let report = check(&repo);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !enforced {
        // Root reads it anyway: skip only the unreadable-file assertion.
        eprintln!("skipped: this process can read a chmod 000 folder (running as root?)");
        return;
    }
    let d = report.one("unreadable-file");
    assert_eq!(d.place(), "unreadable-file private");
    assert!(
        d.message.starts_with("cannot read `private`: "),
        "{}",
        d.message
    );
}

#[cfg(unix)]
#[test]
fn dangling_symlink() {
    let repo = repo();
    std::os::unix::fs::symlink("nowhere.md", repo.path().join("policies/link.md")).unwrap();
    let report = check(&repo);
    let d = report.one("unreadable-file");
    // A file, named at its first line as an unreadable document is.
    assert_eq!(d.place(), "unreadable-file policies/link.md:1:1");
    assert_eq!(
        d.message,
        "cannot read `policies/link.md`: No such file or directory (os error 2)"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("it is a symbolic link to something that does not exist")
    );
}

#[test]
fn duplicate_keys() {
    let repo = repo().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\ntitle = \"Again\"\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "policies/a.md"),
        ["invalid-front-matter policies/a.md:4:1 TOML syntax error: duplicate key"]
    );
}

#[test]
fn utf8_byte_order_mark() {
    let repo = repo();
    repo.write(
        "policies/a.md",
        "\u{feff}+++\ntitile = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n# A\n\n[x](nowhere.md)\n"
            .as_bytes(),
    );
    repo.write(
        "soa.toml",
        "\u{feff}[controls.\"A.7.1\"]\napplicable = maybe\n".as_bytes(),
    );
    let report = check(&repo);
    assert_eq!(
        report
            .in_file("policies/a.md")
            .iter()
            .map(|d| d.place())
            .collect::<Vec<_>>(),
        [
            "missing-field policies/a.md:1:1",
            "unknown-field policies/a.md:2:1",
            "broken-link policies/a.md:9:1"
        ],
        "the BOM neither hides the front matter nor shifts columns"
    );
    assert_eq!(
        report
            .in_file("soa.toml")
            .iter()
            .map(|d| (d.place(), d.lint.as_str()))
            .collect::<Vec<_>>(),
        [("invalid-config soa.toml:2:14".to_string(), "invalid-config")]
    );
}

#[test]
fn crlf_line_endings() {
    let repo = repo()
        .file(
            "policies/a.md",
            "+++\r\ntitle = \"A\"\r\nowner = \"B\"\r\nlast_reviewed = 2026-06-01\r\nreviewer = \"C\"\r\ncontrols = [\"A.5.1\", \"A.5.99\"]\r\n+++\r\n\r\n# A\r\n\r\n## Scope\r\n\r\nSee [scope](#scope), then [nothing](#none) and [gone](gone.md).\r\n",
        )
        .file(
            "policies/b.md",
            "+++\r\ntitle = \"B\"\r\nowner = \"B\"\r\nlast_reviewed = 2026-06-01,\r\n+++\r\n\r\n# B\r\n",
        );
    let report = check(&repo);
    assert_eq!(
        report
            .in_file("policies/a.md")
            .iter()
            .map(|d| d.place())
            .collect::<Vec<_>>(),
        [
            "unknown-field policies/a.md:5:1",
            "unknown-control policies/a.md:6:22",
            "broken-anchor policies/a.md:13:27",
            "broken-link policies/a.md:13:48",
        ]
    );
    assert_eq!(
        found(&report, "policies/b.md"),
        [
            "invalid-front-matter policies/b.md:4:27 TOML syntax error: unexpected key or value, expected newline, `#`"
        ]
    );
}

#[test]
fn crlf_in_annexa_toml() {
    let repo = Repo::with_config(
        "title = \"T\"\r\nfrobnicate = 1\r\n\r\n[lints]\r\nunmapped-control = \"off\"\r\nmandatory-document-missing = \"off\"\r\n",
    )
    .file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"));
    let report = check(&repo);
    assert_eq!(
        report.places(),
        ["unknown-field annexa.toml:2:1", WITNESS_PLACE]
    );
}

#[test]
fn annexa_toml_syntax_error_is_invalid_config_and_documents_are_still_checked() {
    let repo = Repo::with_config("title = \"T\"\nframeworks = [\"iso27001-2022\"\n")
        .file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"));
    let report = check(&repo);
    let config = report.of("invalid-config");
    assert_eq!(config.len(), 1, "{config:#?}");
    assert_eq!(config[0].place(), "invalid-config annexa.toml:2:30");
    assert_eq!(
        config[0].message,
        "TOML syntax error: unclosed array, expected `]`"
    );
    assert_eq!(config[0].severity, "error");
    // The defaults stand in: the ISO catalog is in use, every control unmapped.
    assert_eq!(report.of("unmapped-control").len(), 93);
}

#[test]
fn annexa_toml_wrong_values_are_invalid_config() {
    let repo = Repo::with_config(
        "title = 5\nframeworks = [\"iso27001-2020\"]\noutput_dir = \"\"\n\n[reviews]\ndue_soon_days = \"30\"\ndefault_interval = \"1 fortnight\"\n\n[lints]\nunmapped-control = \"off\"\nbroken-link = \"fatal\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"));
    let report = check(&repo);
    let found: Vec<(String, &str, Option<&str>)> = report
        .in_file("annexa.toml")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "invalid-config annexa.toml:1:9".to_string(),
                "`title` must be a string, found an integer",
                None
            ),
            (
                "invalid-config annexa.toml:2:15".to_string(),
                "unknown framework \"iso27001-2020\"",
                Some("did you mean \"iso27001-2022\"?")
            ),
            (
                "invalid-config annexa.toml:3:14".to_string(),
                "`output_dir` must not be empty",
                None
            ),
            (
                "invalid-config annexa.toml:6:17".to_string(),
                "`reviews.due_soon_days` must be a whole number, found a string",
                None
            ),
            (
                "invalid-config annexa.toml:7:20".to_string(),
                "`reviews.default_interval`: `fortnight` is not an interval unit: use day(s), week(s), month(s) or year(s)",
                None
            ),
            (
                "invalid-config annexa.toml:11:15".to_string(),
                "`lints.broken-link` must be \"error\", \"warning\" or \"off\"",
                None
            ),
        ]
    );
    // The bad `broken-link` level is ignored: broken links stay errors.
    assert_eq!(
        report
            .diagnostics
            .iter()
            .find(|d| d.place() == WITNESS_PLACE)
            .unwrap()
            .severity,
        "error"
    );
}

#[test]
fn annexa_toml_wrong_type_for_frameworks() {
    let repo = Repo::with_config(
        "title = \"T\"\nframeworks = \"iso27001-2022\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"));
    let report = check(&repo);
    let d = report.in_file("annexa.toml");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].place(), "invalid-config annexa.toml:2:14");
    assert_eq!(
        d[0].message,
        "`frameworks` must be an array of strings, found a string"
    );
    assert_eq!(
        d[0].help.as_deref(),
        Some("write frameworks = [\"iso27001-2022\"]")
    );
}

#[test]
fn soa_toml_syntax_error_is_invalid_config_and_documents_are_still_checked() {
    let repo = repo().file("soa.toml", "[controls.\"A.7.1\"\napplicable = false\n");
    let report = check(&repo);
    assert_eq!(
        found(&report, "soa.toml"),
        ["invalid-config soa.toml:1:18 TOML syntax error: unclosed table, expected `]`"]
    );
}

#[test]
fn soa_toml_wrong_values() {
    let repo = repo().file(
        "soa.toml",
        "[controls.\"A.7.1\"]\napplicable = \"no\"\nimplementation = \"partly\"\njustification = \"x\"\n\n[controls.\"A.99.1\"]\napplicable = false\n\n[controls.\"A.5.1\"]\napplicable = true\n\n[controls.\"5.1\"]\napplicable = true\n",
    );
    let report = check(&repo);
    let found: Vec<(String, &str, Option<&str>)> = report
        .in_file("soa.toml")
        .iter()
        .map(|d| (d.place(), d.message.as_str(), d.help.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "invalid-config soa.toml:2:14".to_string(),
                "`controls.\"A.7.1\".applicable` must be true or false, found a string",
                None
            ),
            (
                "invalid-config soa.toml:3:18".to_string(),
                "`controls.\"A.7.1\".implementation` \"partly\" is not one of implemented, partial, planned, not-implemented",
                Some("did you mean \"partial\"?")
            ),
            (
                "unknown-control soa.toml:6:11".to_string(),
                "control `A.99.1` is not in any framework in use",
                Some("did you mean `A.5.1`?")
            ),
            (
                "invalid-config soa.toml:12:11".to_string(),
                "control `5.1` is listed twice in the SoA",
                None
            ),
        ]
    );
}

#[test]
fn every_bad_input_in_one_run() {
    let repo = repo()
        .file("a/no-front-matter.md", "# A\n")
        .file("a/unterminated.md", "+++\ntitle = \"A\"\n")
        .file("a/syntax.md", "+++\ntitle = \"A\nowner = \"B\"\n+++\n# A\n")
        .file(
            "a/types.md",
            "+++\ntitle = \"A\"\nowner = 3\nlast_reviewed = 2026-06-01\n+++\n# A\n",
        )
        .file(
            "a/date.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nnext_review = 2025-02-30\n+++\n# A\n",
        )
        .file(
            "a/interval.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\nreview_interval = \"3 moons\"\n+++\n# A\n",
        )
        .file("a/empty.md", "")
        .file(
            "a/only.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n",
        )
        .file(
            "a/dup.md",
            "+++\ntitle = \"A\"\nowner = \"B\"\nowner = \"C\"\n+++\n# A\n",
        )
        .file("soa.toml", "[controls\n")
        .file(
            "a/good.md",
            "+++\ntitle = \"Good\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n# Good\n",
        );
    repo.write(
        "a/latin1.md",
        b"+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\xe9\n",
    );
    let report = check(&repo);
    assert_eq!(report.documents, 12);
    let lines: Vec<(String, String)> = report
        .diagnostics
        .iter()
        .map(|d| (d.file.clone().unwrap(), format!("{} {:?}", d.lint, d.line)))
        .collect();
    let expected = owned_pairs(&[
        ("a/date.md", "invalid-front-matter Some(4)"),
        ("a/dup.md", "invalid-front-matter Some(4)"),
        ("a/empty.md", "invalid-front-matter Some(1)"),
        ("a/interval.md", "invalid-front-matter Some(5)"),
        ("a/latin1.md", "unreadable-file Some(6)"),
        ("a/no-front-matter.md", "invalid-front-matter Some(1)"),
        ("a/only.md", "empty-document Some(5)"),
        ("a/syntax.md", "invalid-front-matter Some(2)"),
        ("a/types.md", "invalid-front-matter Some(3)"),
        ("a/unterminated.md", "invalid-front-matter Some(1)"),
        ("policies/witness.md", "broken-link Some(9)"),
        ("soa.toml", "invalid-config Some(1)"),
    ]);
    assert_eq!(lines, expected);
}

#[test]
fn a_file_where_a_folder_is_expected_is_not_a_crash() {
    // `annexa check FILE`: exit 2 with a message, not a panic.
    let repo = repo();
    annexa()
        .arg("check")
        .arg(repo.path().join("annexa.toml"))
        .args(["--today", TODAY])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a folder"));
}

#[test]
fn non_utf8_bytes_after_a_byte_order_mark() {
    let repo = repo();
    repo.write(
        "policies/a.md",
        b"\xef\xbb\xbf+++\ntitle = \"Caf\xe9\"\nowner = \"B\"\nlast_reviewed = 2026-06-01\n+++\n\n# A\n",
    );
    let report = check(&repo);
    assert_eq!(
        report
            .in_file("policies/a.md")
            .iter()
            .map(|d| d.place())
            .collect::<Vec<_>>(),
        ["unreadable-file policies/a.md:2:13"]
    );
}

#[test]
fn non_utf8_annexa_toml_is_reported_and_the_run_goes_on() {
    let repo = repo();
    repo.write(
        "annexa.toml",
        b"title = \"Caf\xe9 ISMS\"\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    );
    let report = check(&repo);
    assert_eq!(
        found(&report, "annexa.toml"),
        [
            "unreadable-file annexa.toml:1:13 file is not valid UTF-8; invalid bytes were replaced with U+FFFD"
        ]
    );
}

#[test]
fn risk_status_and_treatment_must_be_known_values() {
    let risks = "[[risks]]\nid = \"R-1\"\ntitle = \"A\"\nstatus = \"clsoed\"\n\n\
                 [[risks]]\nid = \"R-2\"\ntitle = \"B\"\nstatus = \"wat\"\ntreatment = \"Accept\"\n\n\
                 [[risks]]\nid = \"R-3\"\ntitle = \"C\"\nstatus = \"Accepted\"\ntreatment = \"ignore\"\n";
    let report = check(&repo().file("risks.toml", risks));
    let found: Vec<(String, String, Option<String>)> = report
        .in_file("risks.toml")
        .iter()
        .filter(|d| d.lint == "invalid-config")
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect();
    let one_of = "open, treating, accepted, closed";
    assert_eq!(
        found,
        [
            (
                "invalid-config risks.toml:4:10".to_string(),
                format!("`status` \"clsoed\" is not one of {one_of}"),
                Some("did you mean \"closed\"?".to_string())
            ),
            (
                "invalid-config risks.toml:9:10".to_string(),
                format!("`status` \"wat\" is not one of {one_of}"),
                Some(format!("use one of: {one_of}"))
            ),
            (
                "invalid-config risks.toml:16:13".to_string(),
                "`treatment` \"ignore\" is not one of mitigate, accept, transfer, avoid"
                    .to_string(),
                Some("use one of: mitigate, accept, transfer, avoid".to_string())
            ),
        ]
    );
}

/// Makes a FIFO at `path`.
#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `name` is a NUL-terminated path that outlives the call.
    let status = unsafe { libc::mkfifo(name.as_ptr(), 0o644) };
    assert_eq!(status, 0, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn fifos_and_sockets_are_ignored_files_not_a_hang() {
    let repo = repo().file("static/logo.png", "png");
    for fifo in [
        "policies/x.md",
        "soa.toml",
        "static/pipe.png",
        "policies/form.pdf",
    ] {
        mkfifo(&repo.path().join(fifo));
    }
    let _socket = std::os::unix::net::UnixListener::bind(repo.path().join("policies/s.md"))
        .expect("a Unix socket");
    let limit = std::time::Duration::from_secs(60);
    let output = common::run_within(
        [
            "check".as_ref(),
            repo.path().as_os_str(),
            "--today".as_ref(),
            TODAY.as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
        limit,
    );
    let report = Report::parse(&output);
    assert_eq!(report.code, 1, "{:#?}", report.diagnostics);
    let ignored: Vec<(String, &str, &str, Option<&str>)> = report
        .diagnostics
        .iter()
        .filter(|d| d.place() != WITNESS_PLACE)
        .map(|d| {
            (
                d.place(),
                d.severity.as_str(),
                d.message.as_str(),
                d.help.as_deref(),
            )
        })
        .collect();
    let fifo = |path: &str| {
        (
            format!("ignored-file {path}"),
            "warning",
            format!("`{path}` is not a regular file (a FIFO), so annexa does not read it"),
        )
    };
    let expected = [
        fifo("policies/form.pdf"),
        (
            "ignored-file policies/s.md".to_string(),
            "warning",
            "`policies/s.md` is not a regular file (a socket), so annexa does not read it"
                .to_string(),
        ),
        fifo("policies/x.md"),
        fifo("soa.toml"),
        fifo("static/pipe.png"),
    ];
    assert_eq!(
        ignored,
        expected
            .iter()
            .map(|(p, s, m)| (p.clone(), *s, m.as_str(), None))
            .collect::<Vec<_>>()
    );
    assert_eq!(report.documents, 1, "only the witness is a document");
    // `build` does not hang either: with the witness's link mended, the warnings do not stop
    // it, and none of the special files is published.
    let repo = repo.file("policies/gone.md", &doc("Gone", "# Gone\n"));
    let out = repo.path().join("site");
    let output = common::run_within(
        [
            "build".as_ref(),
            repo.path().as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--today".as_ref(),
            TODAY.as_ref(),
        ],
        limit,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // `build` counts the warnings by lint, and leaves them to `check`.
    assert!(
        stderr.starts_with(
            "annexa: 0 errors; 5 warnings: 5 ignored-file; 2 documents\nannexa: `annexa check` shows the warnings\nannexa: built "
        ),
        "{stderr}"
    );
    assert!(out.join("logo.png").is_file());
    for unpublished in ["pipe.png", "policies/x/index.html", "policies/form.pdf"] {
        assert!(!out.join(unpublished).exists(), "{unpublished}");
    }
}

#[cfg(unix)]
#[test]
fn symbolic_links_leading_outside_are_ignored_files() {
    let outside = Repo::empty()
        .file("secret.md", &doc("Secret", "# Secret\n"))
        .file("shared.toml", "id = \"x\"\n");
    let repo = repo();
    let link = |target: &str, at: &str| {
        std::os::unix::fs::symlink(outside.path().join(target), repo.path().join(at)).unwrap()
    };
    link("", "policies/ext");
    link("secret.md", "policies/linked.md");
    std::fs::create_dir(repo.path().join("frameworks")).unwrap();
    link("shared.toml", "frameworks/shared.toml");
    // annexa.toml, soa.toml and risks.toml are read by name, wherever they lead: no warning.
    let soa = Repo::empty().file("soa.toml", "[controls.\"A.7.1\"]\napplicable = maybe\n");
    std::os::unix::fs::symlink(soa.path().join("soa.toml"), repo.path().join("soa.toml")).unwrap();
    let report = check(&repo);
    let outside = |path: &str| {
        format!(
            "ignored-file {path} `{path}` is a symbolic link to a place outside the repository, so annexa does not follow it"
        )
    };
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.place(), d.message))
        .filter(|d| !d.starts_with(WITNESS_PLACE))
        .collect();
    assert_eq!(
        found,
        [
            outside("frameworks/shared.toml"),
            outside("policies/ext"),
            outside("policies/linked.md"),
            "invalid-config soa.toml:2:14 TOML syntax error: string values must be quoted, expected literal string"
                .to_string(),
        ]
    );
    assert!(
        report
            .of("ignored-file")
            .iter()
            .all(|d| d.severity == "warning")
    );
    assert_eq!(report.documents, 1);
}

#[test]
fn registers_that_are_folders_are_invalid_config() {
    let repo = repo()
        .file("risks.toml/README.txt", "not a register")
        .file("soa.toml/x", "")
        .file("frameworks/acme.toml/x", "");
    let report = check(&repo);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.place() != WITNESS_PLACE)
        .map(|d| format!("{} {} {}", d.place(), d.severity, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "invalid-config frameworks/acme.toml error `frameworks/acme.toml` is a folder, not a file",
            "invalid-config risks.toml error `risks.toml` is a folder, not a file",
            "invalid-config soa.toml error `soa.toml` is a folder, not a file",
        ]
    );
}

#[test]
fn an_annexa_toml_that_is_a_folder_is_exit_2_saying_so() {
    let repo = Repo::empty().file("annexa.toml/x", "");
    let path = repo.path().join("annexa.toml");
    annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: `{}` is a folder, not a file\n",
            path.display()
        ));
    // Found from a folder below it, the same.
    std::fs::create_dir(repo.path().join("policies")).unwrap();
    annexa()
        .arg("check")
        .current_dir(repo.path().join("policies"))
        .args(["--today", TODAY])
        .assert()
        .code(2)
        .stderr(format!(
            "error: `{}` is a folder, not a file\n",
            path.display()
        ));
}

#[cfg(unix)]
#[test]
fn an_annexa_toml_that_is_a_fifo_is_exit_2_not_a_hang() {
    let repo = Repo::empty();
    let path = repo.path().join("annexa.toml");
    mkfifo(&path);
    let output = common::run_within(
        [
            "check".as_ref(),
            repo.path().as_os_str(),
            "--today".as_ref(),
            TODAY.as_ref(),
        ],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "error: `{}` is not a regular file (a FIFO)\n",
            path.display()
        )
    );
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_named_with_the_real_problem() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let repo = repo();
    let policies = repo.path().join("policies");
    std::fs::write(
        policies.join(OsStr::from_bytes(b"polic\xe9.md")),
        doc("P", "# P\n"),
    )
    .unwrap();
    let folder = repo.path().join(OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside.md"), doc("I", "# I\n[gone](gone.md)\n")).unwrap();
    let report = check(&repo);
    let found: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.place() != WITNESS_PLACE)
        .map(|d| format!("{} {} {}", d.place(), d.severity, d.message))
        .collect();
    assert_eq!(
        found,
        [
            "unreadable-file caf\u{fffd} error the folder name `caf\u{fffd}` is not valid UTF-8; rename the folder (annexa does not read what is in it)",
            "unreadable-file policies/polic\u{fffd}.md error the file name `policies/polic\u{fffd}.md` is not valid UTF-8; rename the file",
        ]
    );
    assert_eq!(report.documents, 1, "only the witness is read");
}

#[cfg(unix)]
#[test]
fn walk_errors_name_their_file_at_line_1_and_their_folder() {
    use std::os::unix::fs::PermissionsExt;
    let repo = repo();
    std::os::unix::fs::symlink("nowhere.toml", repo.path().join("soa.toml")).unwrap();
    let report = check(&repo);
    assert_eq!(
        found(&report, "soa.toml"),
        [
            "unreadable-file soa.toml:1:1 cannot read `soa.toml`: No such file or directory (os error 2)"
        ]
    );
    // A folder has no line: its path alone.
    let repo = Repo::new().file("private/a.md", &doc("A", "# A\n"));
    let path = repo.path().join("private");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let enforced = std::fs::read_dir(&path).is_err();
    let report = repo.check(&[]);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    if enforced {
        assert_eq!(
            found(&report, "private"),
            ["unreadable-file private cannot read `private`: Permission denied (os error 13)"]
        );
    }
}

#[test]
fn repo_url_must_be_http_or_https_and_a_bad_one_is_not_used() {
    let config = |url: &str, level: &str| {
        format!(
            "title = \"T\"\nrepo_url = \"{url}\"\n\n[lints]\nunmapped-control = \"off\"\ninvalid-config = \"{level}\"\nmandatory-document-missing = \"off\"\n"
        )
    };
    let bad = "javascript:alert(document.domain)//x";
    let repo = Repo::with_config(&config(bad, "error"))
        .file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"));
    let report = check(&repo);
    assert_eq!(
        found(&report, "annexa.toml"),
        [format!(
            "invalid-config annexa.toml:2:12 `repo_url` must be an http: or https: URL, found \"{bad}\""
        )]
    );
    // Other schemes and scheme-less values are refused alike; http and https in any case pass.
    for (url, ok) in [
        ("data:text/html,x", false),
        (" JavaScript:alert(1)", false),
        ("//evil.example/x", false),
        ("git.example.com/acme/isms", false),
        ("https://", false),
        ("HTTPS://git.example.com/acme/isms/src/branch/main/", true),
        ("http://git.example.com/isms", true),
    ] {
        let repo = Repo::with_config(&config(url, "error"))
            .file(WITNESS, &doc("Witness", "# Witness\n\n[gone](gone.md)\n"));
        let report = check(&repo);
        assert_eq!(report.in_file("annexa.toml").is_empty(), ok, "{url}");
    }
    // Built anyway (the lint lowered to a warning), no page links to the bad value.
    let repo = Repo::with_config(&config(bad, "warning")).file("policies/a.md", &doc("A", "# A\n"));
    let out = repo.path().join("site");
    let output = annexa()
        .arg("build")
        .arg(repo.path())
        .arg("-o")
        .arg(&out)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let page = std::fs::read_to_string(out.join("policies/a/index.html")).unwrap();
    assert!(!page.contains("javascript:"), "{page}");
    assert!(!page.contains("View source"), "{page}");
}
