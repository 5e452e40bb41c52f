//! User text that a spreadsheet, a calendar reader, a terminal or an XML parser would misread:
//! CSV cells that start a formula get a leading `'`, and control characters in titles, owners
//! and paths never reach the review calendar (README, "Exports"), the terminal or the JUnit
//! report (README, "Output formats") raw.

mod common;

use std::fs;
use std::process::Output;

use common::site::{assert_built, build};
use common::{Repo, TODAY, annexa};

/// A custom catalog whose control title and group start a formula, a justification that is a
/// formula, documents whose id, title, owner and path start one, and a risk whose id, title,
/// owner and action do.
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
        "risks.toml",
        "[[risks]]\nid = \"-R1\"\ntitle = \"=cmd()\"\nowner = \"@x\"\nlikelihood = 2\nimpact = 3\ncontrols = [\"C-1\"]\nactions = [{ id = \"+A1\", action = \"-run\", due = 2026-12-01 }]\n",
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
framework,id,title,theme,applicable,justification,implementation,coverage,reasons,risks,documents
acme,C-1,'=1+1,'@ops,yes,,,weak,risk,'-R1,\"'@SUM(1) =HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"
acme,C-2,Plain,Ops,yes,'-2+3,,covered,,,'-Z
"
    );
}

#[test]
fn control_matrix_csv_cells_that_start_a_formula_get_a_leading_quote_but_counts_do_not() {
    let site = built(&formula_repo());
    assert_eq!(
        export(&site, "control-matrix.csv"),
        "\
framework,id,title,group,applicable,status,document_count,document_ids,document_paths,risks,coverage
acme,C-1,'=1+1,'@ops,yes,documented,1,'@SUM(1),policies/x.md,'-R1,weak
acme,C-2,Plain,Ops,yes,documented,1,,'-z.md,,covered
"
    );
}

#[test]
fn risks_csv_cells_that_start_a_formula_get_a_leading_quote_but_scores_do_not() {
    let site = built(&formula_repo());
    assert_eq!(
        export(&site, "risks.csv"),
        "\
id,title,description,owner,likelihood,impact,score,level,treatment,residual_likelihood,residual_impact,residual_score,residual_level,status,controls,accepted_by,accepted_on,acceptance_expires,actions
'-R1,'=cmd(),,'@x,2,3,6,medium,,,,,,open,C-1,,,,\"'+A1 -run (due 2026-12-01, open)\"
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

/// Asserts that `text` holds no control character but LF, showing the first one.
fn assert_only_line_feeds(text: &str) {
    let bad = text.chars().find(|&c| c.is_control() && c != '\n');
    assert_eq!(bad, None, "a control character in {text:?}");
}

const SHOWN_TITLE: &str =
    "Plan\\rBEGIN:VEVENT\\rSUMMARY:fake\\x1b]0;pwned\\x07\\x0bB\\x0cC\\u{9b}2J";
const SHOWN_OWNER: &str = "\\x1b]8;;http://evil\\x1b\\link\\x1b]8;;\\x1b\\";

#[test]
fn human_check_output_shows_control_characters_as_escapes() {
    let repo = control_repo();
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(!text.contains('\x1b'), "an ESC in {text:?}");
    assert_only_line_feeds(&text);
    assert_eq!(
        text,
        format!(
            "\
error[review-overdue]: review overdue: `{SHOWN_TITLE}` was due for review on 2026-10-01 (31 days ago)
  --> policies/y.md:4:15
   = help: review the document, then set `last_reviewed` (owner: {SHOWN_OWNER})

annexa: 1 error: 1 review-overdue; 0 warnings; 1 document
"
        )
    );
    assert_eq!(stderr(&output), "");
}

/// On a terminal (here forced with `CLICOLOR_FORCE`), nothing strips escapes on the way out:
/// the only escape sequences are annexa's own colours (SGR, `ESC [ … m`).
#[test]
fn human_output_on_a_colour_terminal_has_no_escape_but_its_colours() {
    let repo = control_repo();
    for command in ["check", "build"] {
        let mut cmd = annexa();
        cmd.arg(command)
            .arg(repo.path())
            .args(["--today", TODAY])
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1");
        if command == "build" {
            cmd.arg("-o").arg(repo.path().join("public"));
        }
        let output = cmd.output().unwrap();
        let text = stdout(&output) + &stderr(&output);
        assert!(text.contains("\x1b[1m"), "colours are on: {text:?}");
        let plain = without_sgr(&text);
        assert!(!plain.contains('\x1b'), "an ESC in {plain:?}");
        assert_only_line_feeds(&plain);
        assert!(plain.contains(SHOWN_TITLE), "{plain}");
        assert!(plain.contains(SHOWN_OWNER), "{plain}");
    }
}

/// `text` without SGR sequences (`ESC [ digits and semicolons m`).
fn without_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("\x1b[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let len = after
            .find(|c: char| !c.is_ascii_digit() && c != ';')
            .unwrap_or(after.len());
        if after[len..].starts_with('m') {
            rest = &after[len + 1..];
        } else {
            out.push_str("\x1b[");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn reviews_table_shows_control_characters_as_escapes() {
    let repo = control_repo();
    for env in [&[("NO_COLOR", "1")][..], &[("CLICOLOR_FORCE", "1")][..]] {
        let output = annexa()
            .arg("reviews")
            .arg(repo.path())
            .args(["--today", TODAY])
            .env_remove("NO_COLOR")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let text = stdout(&output);
        assert!(!text.contains('\x1b'), "an ESC in {text:?}");
        assert_only_line_feeds(&text);
        let padding = " ".repeat(SHOWN_OWNER.len() - "OWNER".len() + 2);
        assert_eq!(
            text,
            format!(
                "\
STATE    NEXT REVIEW  DAYS        ID  OWNER{padding}DOCUMENT
overdue  2026-10-01   31 overdue  -   {SHOWN_OWNER}  {SHOWN_TITLE} (policies/y.md)

annexa: 1 overdue, 0 due within 30 days, 0 without a review date
"
            )
        );
        assert_eq!(stderr(&output), "");
    }
}

/// A file name is user text too.
#[cfg(unix)]
#[test]
fn a_path_with_an_escape_is_shown_escaped() {
    let repo = Repo::new().file(
        "policies/\x1b[31mred.md",
        "+++\ntitle = \"Red\"\nowner = \"Ops\"\nnext_review = 2026-10-01\n+++\n\n# Red\n",
    );
    let check = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let text = without_sgr(&stdout(&check));
    assert!(!text.contains('\x1b'), "an ESC in {text:?}");
    assert!(
        text.contains("  --> policies/\\x1b[31mred.md:4:15\n"),
        "{text}"
    );
    let reviews = annexa()
        .arg("reviews")
        .arg(repo.path())
        .args(["--today", TODAY])
        .output()
        .unwrap();
    let text = stdout(&reviews);
    assert!(!text.contains('\x1b'), "an ESC in {text:?}");
    assert!(
        text.contains("  Red (policies/\\x1b[31mred.md)\n"),
        "{text}"
    );
}

/// `reviews` names on stderr the documents whose review it cannot assess: the path is user text.
#[cfg(unix)]
#[test]
fn reviews_names_an_unreadable_document_with_its_path_escaped() {
    let repo = Repo::new().file("policies/\x1b[31mbad.md", "+++\ntitle = 1\n+++\n");
    let output = annexa()
        .arg("reviews")
        .arg(repo.path())
        .args(["--today", TODAY])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert_eq!(
        stderr(&output),
        "annexa: policies/\\x1b[31mbad.md:2:9: `title` must be a string, found an integer (its review cannot be assessed)\n"
    );
}

/// JUnit keeps the text exactly where XML can hold it (CR and TAB as character references)
/// and drops what XML 1.0 cannot hold at all (the other C0 controls, U+FFFE, U+FFFF).
#[test]
fn junit_is_well_formed_with_control_characters_in_a_title() {
    let repo = Repo::new().file(
        "policies/y.md",
        "+++\ntitle = \"A\\rB\\tC\\u001b[31mD\\u0007\\uFFFEE\\uFFFF\\u0085F\"\nowner = \"Ops\"\nnext_review = 2026-10-01\n+++\n\n# Y\n",
    );
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "junit"])
        .output()
        .unwrap();
    let text = stdout(&output);
    let xml = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("JUnit output is not well-formed XML ({e}):\n{text:?}"));
    let failure = xml
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(
        failure.attribute("message"),
        Some(
            "review overdue: `A\rB\tC[31mDE\u{85}F` was due for review on 2026-10-01 (31 days ago)"
        )
    );
}

/// GitHub workflow commands escape `%`, CR and LF in the message, and `:` and `,` too in
/// properties, as the Actions toolkit does.
#[test]
fn github_escapes_a_lone_cr_in_a_title() {
    let repo = Repo::new().file(
        "policies/y.md",
        "+++\ntitle = \"A\\rB\\nC%\"\nowner = \"Ops\"\nnext_review = 2026-10-01\n+++\n\n# Y\n",
    );
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&output),
        "\
::error file=policies/y.md,line=4,col=15,title=review-overdue::review overdue: `A%0DB%0AC%25` was due for review on 2026-10-01 (31 days ago)
annexa: 1 error, 0 warnings in 1 document
"
    );
}
