//! `annexa init`: scaffolds a repository that `annexa check` can load, and refuses a folder
//! that is not empty, leaving it untouched.

mod common;

use std::fs;

use common::{Repo, annexa};
use predicates::prelude::*;

#[test]
fn init_minimal_creates_a_repository_that_check_loads() {
    let parent = Repo::empty();
    let dir = parent.path().join("isms");
    annexa()
        .arg("init")
        .arg(&dir)
        .arg("--minimal")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("created an ISMS repository"));
    assert!(dir.join("annexa.toml").is_file());
    let output = annexa()
        .arg("check")
        .arg(&dir)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let report = common::Report::parse(&output);
    assert!(
        report.code == 0 || report.code == 1,
        "exit {}: {}",
        report.code,
        report.stderr
    );
    assert_eq!(report.documents, 1);
    assert!(
        report
            .diagnostics
            .iter()
            .all(|d| d.lint != "invalid-config" && d.lint != "invalid-front-matter"),
        "{:#?}",
        report.diagnostics
    );
    // The scaffold's own files are clean: only what a new ISMS has yet to do remains (its
    // unmapped controls, an SoA without justifications and approval, and the mandatory
    // documented information it has yet to write).
    assert!(
        report.diagnostics.iter().all(|d| matches!(
            d.lint.as_str(),
            "unmapped-control"
                | "soa-inclusion-unjustified"
                | "soa-unapproved"
                | "mandatory-document-missing"
        )),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn init_in_an_existing_empty_folder_and_in_the_current_folder() {
    let dir = Repo::empty();
    annexa().arg("init").arg(dir.path()).assert().code(0);
    assert!(dir.path().join("annexa.toml").is_file());

    let cwd = Repo::empty();
    annexa()
        .arg("init")
        .current_dir(cwd.path())
        .assert()
        .code(0);
    assert!(cwd.path().join("annexa.toml").is_file());
    annexa()
        .arg("check")
        .current_dir(cwd.path())
        .assert()
        .code(predicate::in_iter([0, 1]));
}

#[test]
fn init_refuses_a_non_empty_folder_and_leaves_it_untouched() {
    let repo = Repo::empty().file("notes.txt", "keep me\n");
    annexa()
        .arg("init")
        .arg(repo.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("is not empty"));
    let entries: Vec<String> = fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["notes.txt"]);
    assert_eq!(
        fs::read_to_string(repo.path().join("notes.txt")).unwrap(),
        "keep me\n"
    );
}

#[test]
fn init_refuses_a_folder_holding_a_hidden_file_a_new_repository_does_not_have() {
    let repo = Repo::empty()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(".env", "SECRET=1\n");
    annexa()
        .arg("init")
        .arg(repo.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: `{}` is not empty: annexa init only scaffolds into an empty or new folder, or a new Git repository holding only .git, README, LICENSE, .gitignore and .github/ (it also holds: .env)\n",
            repo.path().display()
        ));
    assert!(!repo.path().join("annexa.toml").exists());
}

/// What a new repository from a Git host holds (`.git`, a README, a LICENSE, `.gitignore`,
/// `.github/`) is no reason to refuse: the user's README is kept, `.gitignore` gains annexa's
/// lines, and `check` then loads the repository.
#[test]
fn init_scaffolds_beside_what_a_new_git_repository_holds() {
    let repo = Repo::empty()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file("README.md", "# Our ISMS\n")
        .file("LICENSE", "MIT\n")
        .file(".gitignore", "target/")
        .file(".github/CODEOWNERS", "* @security\n");
    let dir = repo.path().display().to_string();
    annexa()
        .arg("init")
        .arg(repo.path())
        .assert()
        .code(0)
        .stdout(format!(
            "annexa: created an ISMS repository in `{dir}` (20 files)\n\nnext:\n  annexa check {dir}\n  annexa serve {dir}\n"
        ));
    assert_eq!(
        fs::read_to_string(repo.path().join("README.md")).unwrap(),
        "# Our ISMS\n"
    );
    assert_eq!(
        fs::read_to_string(repo.path().join(".gitignore")).unwrap(),
        "target/\n/public/\n/.public.annexa-*\n"
    );
    assert!(
        repo.path()
            .join("policies/information-security-policy.md")
            .is_file()
    );
    assert!(repo.path().join(".github/workflows/annexa.yml").is_file());
    assert!(repo.path().join(".github/CODEOWNERS").is_file());
    let output = annexa().arg("check").arg(repo.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("annexa: 0 errors; "), "{stdout}");
}

#[test]
fn init_refuses_an_existing_repository() {
    let repo = Repo::new();
    let before = fs::read_to_string(repo.path().join("annexa.toml")).unwrap();
    annexa().arg("init").arg(repo.path()).assert().code(2);
    assert_eq!(
        fs::read_to_string(repo.path().join("annexa.toml")).unwrap(),
        before
    );
}

/// The first run of a new ISMS: `git init`, `annexa init`, `annexa check`. No errors, exit 0;
/// the drafts' to-do list (each mandatory item rests on a draft), and the controls still to
/// decide and cover, ten of each shown and the rest counted.
#[test]
fn init_then_check_in_a_fresh_git_repository_exits_0_with_no_errors() {
    let repo = Repo::empty();
    common::git::init(repo.path());
    annexa()
        .arg("init")
        .arg(repo.path())
        .args(["--today", "2026-12-01"])
        .assert()
        .code(0)
        .stdout(format!(
            "annexa: created an ISMS repository in `{dir}` (21 files)\n\nnext:\n  annexa check {dir}\n  annexa serve {dir}\n",
            dir = repo.path().display()
        ));
    let expected = fs::read_to_string(common::fixture("init-check.txt")).unwrap();
    annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", "2026-12-01"])
        .assert()
        .code(0)
        .stderr("")
        .stdout(expected);
    // A year on, nothing is overdue: drafts have no review dates, and the registers are empty.
    let later = check_on(&repo, "2027-12-01");
    assert_eq!((later.code, later.errors), (0, 0));
    let verbose = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", "2026-12-01", "--verbose"])
        .output()
        .unwrap();
    let text = String::from_utf8(verbose.stdout).unwrap();
    assert_eq!(text.matches("warning[").count(), 199);
    assert!(!text.contains("more `"), "{text}");
}

/// The scaffold's files as annexa reads them: every document a draft naming its clauses, the
/// registers read by their loaders with nothing to report, every Annex A control in soa.toml.
#[test]
fn the_scaffold_is_read_by_the_real_loaders() {
    let repo = scaffolded();
    let report = check_on(&repo, "2026-12-01");
    assert_eq!(report.documents, 12);
    let mut lints: Vec<(String, usize)> = Vec::new();
    for d in &report.diagnostics {
        match lints.iter_mut().find(|(l, _)| *l == d.lint) {
            Some((_, n)) => *n += 1,
            None => lints.push((d.lint.clone(), 1)),
        }
    }
    lints.sort();
    assert_eq!(
        lints,
        [
            ("mandatory-document-stale", 12),
            ("soa-inclusion-unjustified", 93),
            ("soa-unapproved", 1),
            ("unmapped-control", 93),
        ]
        .map(|(l, n)| (l.to_string(), n))
    );
    let soa = fs::read_to_string(repo.path().join("soa.toml")).unwrap();
    assert_eq!(soa.matches("# [controls.\"A.").count(), 93);
    assert!(soa.contains("# approved_on = 2026-12-01 "), "{soa}");
    let config = fs::read_to_string(repo.path().join("annexa.toml")).unwrap();
    assert!(
        config.contains("\n[documents]\ndefault_status = \"draft\""),
        "{config}"
    );
}

/// Each register's commented example, uncommented, is a valid entry: no bad value, no unknown
/// key, no missing field, no unknown control.
#[test]
fn the_registers_examples_uncommented_are_valid_entries() {
    let repo = scaffolded();
    for register in [
        "risks.toml",
        "audits.toml",
        "findings.toml",
        "management-reviews.toml",
    ] {
        let path = repo.path().join(register);
        let text = fs::read_to_string(&path).unwrap();
        let start = text
            .find("\n# [[")
            .unwrap_or_else(|| panic!("{register}: no example"));
        let example: String = text[start..]
            .lines()
            .map(|l| format!("{}\n", l.strip_prefix("# ").unwrap_or(l)))
            .collect();
        fs::write(&path, format!("{}{example}", &text[..start])).unwrap();
    }
    let report = check_on(&repo, "2026-12-01");
    let bad: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| {
            d.file
                .as_deref()
                .is_some_and(|f| f.ends_with(".toml") && f != "soa.toml")
                && !matches!(d.lint.as_str(), "audit-coverage-gap")
        })
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(report.errors, 0, "{:#?}", report.diagnostics);
    // With a risk and its action, an audit planned and a finding logged, their items are met.
    assert_eq!(report.of("mandatory-document-stale").len(), 8);
}

/// A workflow the repository already has is kept.
#[test]
fn init_keeps_an_existing_workflow() {
    let repo = Repo::empty()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(".github/workflows/annexa.yml", "name: ours\n");
    annexa().arg("init").arg(repo.path()).assert().code(0);
    assert_eq!(
        fs::read_to_string(repo.path().join(".github/workflows/annexa.yml")).unwrap(),
        "name: ours\n"
    );
}

/// `check --format json` on `today`.
fn check_on(repo: &Repo, today: &str) -> common::Report {
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--format", "json", "--today", today])
        .output()
        .unwrap();
    common::Report::parse(&output)
}

/// A new repository scaffolded by `annexa init --today 2026-12-01`.
fn scaffolded() -> Repo {
    let repo = Repo::empty();
    annexa()
        .arg("init")
        .arg(repo.path())
        .args(["--today", "2026-12-01"])
        .assert()
        .code(0);
    repo
}
