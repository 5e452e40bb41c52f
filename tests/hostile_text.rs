//! User text that a spreadsheet or a calendar reader would misread: CSV cells that start a
//! formula get a leading `'`, and control characters in titles and owners never reach the
//! review calendar raw (README, "Exports").

mod common;

use std::fs;
use std::process::Output;

use common::site::{assert_built, build};
use common::{Repo, TODAY, annexa};

/// A custom catalog whose control title and group start a formula, a justification that is a
/// formula, and documents whose id, title, owner and path start one.
fn formula_repo() -> Repo {
    Repo::with_config(
        "title = \"Test ISMS\"\nframeworks = [\"acme\"]\n\n[lints]\nunmapped-control = \"off\"\n",
    )
    .file(
        "frameworks/acme.toml",
        "id = \"acme\"\nname = \"Acme\"\n\n[[controls]]\nid = \"C-1\"\ntitle = \"=1+1\"\ngroup = \"@ops\"\n\n[[controls]]\nid = \"C-2\"\ntitle = \"Plain\"\ngroup = \"Ops\"\n",
    )
    .file(
        "soa.toml",
        "[controls.\"C-2\"]\napplicable = true\njustification = \"-2+3\"\n",
    )
    .file(
        "policies/x.md",
        "+++\ntitle = \"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\"\nowner = \"+cmd\"\nid = \"@SUM(1)\"\nnext_review = 2026-10-01\ncontrols = [\"C-1\"]\n+++\n\n# X\n",
    )
    .file(
        "-z.md",
        "+++\ntitle = \"-Z\"\nowner = \"@owner\"\nnext_review = 2026-11-20\ncontrols = [\"C-2\"]\n+++\n\n# Z\n",
    )
}

fn built(repo: &Repo) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let output = build(repo.path(), &tmp.path().join("site"), TODAY, &[]);
    assert_built(&output);
    tmp
}

fn export(site: &tempfile::TempDir, name: &str) -> String {
    fs::read_to_string(site.path().join("site/exports").join(name)).unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn soa_csv_cells_that_start_a_formula_get_a_leading_quote() {
    let site = built(&formula_repo());
    assert_eq!(
        export(&site, "soa.csv"),
        "\
framework,id,title,theme,applicable,justification,implementation,documents
acme,C-1,'=1+1,'@ops,yes,,documented,\"'@SUM(1) =HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"
acme,C-2,Plain,Ops,yes,'-2+3,documented,'-Z
"
    );
}

#[test]
fn control_matrix_csv_cells_that_start_a_formula_get_a_leading_quote_but_counts_do_not() {
    let site = built(&formula_repo());
    assert_eq!(
        export(&site, "control-matrix.csv"),
        "\
framework,id,title,group,applicable,status,document_count,document_ids,document_paths,risks
acme,C-1,'=1+1,'@ops,yes,documented,1,'@SUM(1),policies/x.md,
acme,C-2,Plain,Ops,yes,documented,1,,'-z.md,
"
    );
}

#[test]
fn reviews_csv_quotes_user_text_that_starts_a_formula_and_leaves_its_own_days_alone() {
    let output = annexa()
        .arg("reviews")
        .arg(formula_repo().path())
        .args(["--today", TODAY, "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "\
state,next_review,days,id,title,owner,path,last_reviewed
overdue,2026-10-01,-31,'@SUM(1),\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+cmd,policies/x.md,
due-soon,2026-11-20,19,,'-Z,'@owner,'-z.md,
"
    );
}

/// A title with a lone CR that tries to open a second calendar event, a window-title change
/// (OSC 0, ended by BEL), a vertical tab, a form feed and C1 CSI; an owner that is an OSC 8
/// hyperlink.
const TITLE: &str =
    "Plan\\rBEGIN:VEVENT\\rSUMMARY:fake\\u001b]0;pwned\\u0007\\u000bB\\u000cC\\u009b2J";
const OWNER: &str = "\\u001b]8;;http://evil\\u001b\\\\link\\u001b]8;;\\u001b\\\\";

fn control_repo() -> Repo {
    Repo::new().file(
        "policies/y.md",
        &format!(
            "+++\ntitle = \"{TITLE}\"\nowner = \"{OWNER}\"\nnext_review = 2026-10-01\n+++\n\n# Y\n"
        ),
    )
}

/// The lines of a text split at CR and at LF alike, as a lenient reader splits them.
fn lenient_lines(text: &str) -> Vec<&str> {
    text.split(['\r', '\n']).filter(|l| !l.is_empty()).collect()
}

#[test]
fn reviews_ics_has_no_control_character_but_its_crlf_line_ends() {
    let site = built(&control_repo());
    let ics = export(&site, "reviews.ics");
    let event: Vec<&str> = ics
        .split("\r\n")
        .skip_while(|l| *l != "BEGIN:VEVENT")
        .collect();
    assert_eq!(
        event,
        [
            "BEGIN:VEVENT",
            "UID:review-d18d906352b9365e@annexa",
            "DTSTAMP:20261101T000000Z",
            "DTSTART;VALUE=DATE:20261001",
            "DTEND;VALUE=DATE:20261002",
            // 75 octets: the next U+FFFD (3 octets) goes whole onto the continuation line.
            "SUMMARY:Review due: Plan\\nBEGIN:VEVENT\\nSUMMARY:fake\u{fffd}]0\\;pwned\u{fffd}\u{fffd}B\u{fffd}C",
            " \u{fffd}2J",
            "DESCRIPTION:Owner: \u{fffd}]8\\;\\;http://evil\u{fffd}\\\\link\u{fffd}]8\\;\\;\u{fffd}\\\\\\nDocument: p",
            " olicies/y.md",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    );
    assert!(
        ics.split("\r\n").all(|line| line.len() <= 75),
        "a line over 75 octets in {ics:?}"
    );
    assert!(
        !ics.replace("\r\n", "").chars().any(char::is_control),
        "a control character in {ics:?}"
    );
    let events = lenient_lines(&ics)
        .iter()
        .filter(|l| **l == "BEGIN:VEVENT")
        .count();
    assert_eq!(events, 1, "one event, split at CR or LF: {ics:?}");
}
