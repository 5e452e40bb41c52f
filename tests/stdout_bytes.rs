//! Machine formats are written byte for byte, whatever stdout is: `anstream` (kept for text
//! for people) strips escape sequences on a pipe and passes them raw to a terminal, which
//! would change a file name holding `ESC[31m`. `CLICOLOR_FORCE=1` makes `anstream` treat the
//! pipe as a terminal, `NO_COLOR=1` as a pipe. And the fatal error line shows the control
//! characters of the user text it quotes as escapes.

#![cfg(unix)]

mod common;

use common::{Repo, TODAY, annexa};

fn red_repo() -> Repo {
    Repo::new().file(
        "policies/\x1b[31mred.md",
        "+++\ntitle = \"Red\"\nowner = \"Ops\"\nnext_review = 2026-10-01\n+++\n\n# Red\n",
    )
}

/// stdout of `annexa ARGS…` with colours off (as on a pipe), and as on a terminal.
fn both_ways(repo: &Repo, args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let run = |terminal: bool| {
        let mut cmd = annexa();
        cmd.args(args).arg(repo.path()).args(["--today", TODAY]);
        if terminal {
            cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
        }
        cmd.output().unwrap().stdout
    };
    (run(false), run(true))
}

#[test]
fn github_output_keeps_the_file_name_byte_for_byte() {
    let (piped, terminal) = both_ways(&red_repo(), &["check", "--format", "github"]);
    let expected = b"::error file=policies/\x1b[31mred.md,line=4,col=15,title=review-overdue::review overdue: `Red` was due for review on 2026-10-01 (31 days ago)\nannexa: 1 error, 0 warnings in 1 document\n";
    assert_eq!(
        String::from_utf8_lossy(&piped),
        String::from_utf8_lossy(expected)
    );
    assert_eq!(terminal, piped);
}

#[test]
fn every_machine_format_is_the_same_on_a_pipe_and_a_terminal() {
    let repo = red_repo();
    for format in ["json", "github", "junit", "sarif"] {
        let (piped, terminal) = both_ways(&repo, &["check", "--format", format]);
        assert!(!piped.is_empty(), "{format}");
        assert_eq!(
            String::from_utf8_lossy(&terminal),
            String::from_utf8_lossy(&piped),
            "{format}"
        );
    }
    for format in ["json", "csv"] {
        let (piped, terminal) = both_ways(&repo, &["reviews", "--format", format]);
        assert_eq!(
            String::from_utf8_lossy(&terminal),
            String::from_utf8_lossy(&piped),
            "{format}"
        );
    }
}

#[test]
fn reviews_csv_keeps_the_path_byte_for_byte() {
    let (piped, terminal) = both_ways(&red_repo(), &["reviews", "--format", "csv"]);
    assert_eq!(
        String::from_utf8_lossy(&piped),
        "state,next_review,days,id,title,owner,path,last_reviewed\noverdue,2026-10-01,-31,,Red,Ops,policies/\x1b[31mred.md,\n"
    );
    assert_eq!(terminal, piped);
}

#[test]
fn the_fatal_error_line_shows_control_characters_as_escapes() {
    let path = "/nonexistent/a\x1b[31mb\rc";
    let output = annexa().args(["check", path]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: cannot open folder `/nonexistent/a\\x1b[31mb\\rc`: No such file or directory (os error 2)\n"
    );
    // In colour, the only escape sequences are annexa's own.
    let output = annexa()
        .args(["check", path])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "\x1b[1m\x1b[31merror\x1b[0m: cannot open folder `/nonexistent/a\\x1b[31mb\\rc`: No such file or directory (os error 2)\n"
    );
}
