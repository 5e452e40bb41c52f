//! `annexa init`: scaffolds a repository that `annexa check` can load, and refuses a folder
//! that is not empty, leaving it untouched.

mod common;

use std::fs;

use common::{Repo, annexa};
use predicates::prelude::*;

#[test]
fn init_creates_a_repository_that_check_loads() {
    let parent = Repo::empty();
    let dir = parent.path().join("isms");
    annexa()
        .arg("init")
        .arg(&dir)
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
            "annexa: created an ISMS repository in `{dir}` (4 files)\n\nnext:\n  annexa check {dir}\n  annexa serve {dir}\n"
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
    let output = annexa().arg("check").arg(repo.path()).output().unwrap();
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{output:?}"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("invalid-"), "{stderr}");
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
