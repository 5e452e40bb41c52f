//! `check --fix`: every certain fix applied at its exact span, reported, and only the
//! ambiguous cases left; `--dry-run` as a unified diff; files with uncommitted changes left
//! alone unless `--allow-dirty`. Also `legacy-control-id`, whose one-to-one case is a fix.

mod common;

use std::fs;
use std::process::Command;

use common::{Repo, TODAY, annexa};

/// A repository of YAML documents as another tool wrote them: a 2013 id with one 2022 control,
/// one with two, a misspelt id, an unknown id, a link with a typo, an anchor with a typo, a
/// link with two near candidates; and a TOML document with a quoted date.
fn imported() -> Repo {
    Repo::new()
        .file(
            "policies/access.md",
            "---\ntitle: Access Control Policy\nowner: CISO\nlast_reviewed: 2026-06-01\ncontrols: [A.9.2.3, A5.15, A.18.2.3, A.9.9.9]\n---\n\n# Access\n\nBackups: [restore](../procedures/backup.md#restor).\nRules: [here](#acess-rules). Either: [x](plan.md).\n\n## Access rules\n",
        )
        .file(
            "procedures/backups.md",
            "+++\ntitle = \"Backups\"\nowner = \"IT\"\nlast_reviewed = \"2026-06-01\"\ncontrols = [\"A.12.3.1\"]\n+++\n\n# Backups\n\n## Restore\n\nSee [the policy](../policies/acces.md).\n",
        )
        .file("policies/plan-a.md", "---\ntitle: Plan A\nowner: IT\nlast_reviewed: 2026-06-01\n---\n\n# A\n")
        .file("policies/plan-b.md", "---\ntitle: Plan B\nowner: IT\nlast_reviewed: 2026-06-01\n---\n\n# B\n")
}

fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = annexa()
        .arg("check")
        .arg(repo.path())
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn read(repo: &Repo, rel: &str) -> String {
    fs::read_to_string(repo.path().join(rel)).unwrap()
}

#[test]
fn legacy_control_ids_name_the_2022_controls() {
    let report = imported().check(&[]);
    let legacy: Vec<String> = report
        .of("legacy-control-id")
        .iter()
        .map(|d| {
            format!(
                "{} {} | {}",
                d.place(),
                d.message,
                d.help.as_deref().unwrap()
            )
        })
        .collect();
    assert_eq!(
        legacy,
        [
            "legacy-control-id policies/access.md:5:12 `A.9.2.3` is an ISO/IEC 27001:2013 control id (Management of privileged access rights) | in ISO/IEC 27001:2022 it is A.8.2 Privileged access rights",
            "legacy-control-id policies/access.md:5:28 `A.18.2.3` is an ISO/IEC 27001:2013 control id (Technical compliance review) | in ISO/IEC 27001:2022 it became A.5.36 Compliance with policies, rules and standards for information security; A.8.8 Management of technical vulnerabilities: list those this document implements",
            "legacy-control-id procedures/backups.md:5:13 `A.12.3.1` is an ISO/IEC 27001:2013 control id (Information backup) | in ISO/IEC 27001:2022 it is A.8.13 Information backup",
        ]
    );
    // The one-to-one ones carry their fix (inside the quotes in TOML); the other does not.
    let fixes: Vec<_> = report
        .of("legacy-control-id")
        .iter()
        .map(|d| d.fix.clone())
        .collect();
    assert_eq!(
        fixes,
        [
            Some(((5, 12), (5, 19), "A.8.2".to_string())),
            None,
            Some(((5, 14), (5, 22), "A.8.13".to_string())),
        ]
    );
}

#[test]
fn bare_three_level_ids_are_clauses_never_2013_ids() {
    let repo = Repo::new().file(
        "policies/a.md",
        "---\ntitle: A\nowner: O\nlast_reviewed: 2026-06-01\ncontrols: [\"9.2.3\"]\n---\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(
        report.places(),
        ["unknown-control policies/a.md:5:12"],
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn fix_applies_every_certain_fix_until_only_the_ambiguous_remain() {
    let repo = imported();
    let (code, stdout, stderr) = run(&repo, &["--fix"]);
    assert_eq!(
        stderr,
        "\
fixed policies/access.md:5:12 legacy-control-id: `A.9.2.3` → `A.8.2`
fixed policies/access.md:5:21 unknown-control: `A5.15` → `A.5.15`
fixed policies/access.md:10:10 broken-link: `../procedures/backup.md#restor` → `../procedures/backups.md#restor`
fixed policies/access.md:11:8 broken-anchor: `#acess-rules` → `#access-rules`
fixed procedures/backups.md:4:17 invalid-front-matter: `\"2026-06-01\"` → `2026-06-01`
fixed procedures/backups.md:5:13 legacy-control-id: `A.12.3.1` → `A.8.13`
fixed procedures/backups.md:12:5 broken-link: `../policies/acces.md` → `../policies/access.md`
fixed policies/access.md:10:10 broken-anchor: `../procedures/backups.md#restor` → `../procedures/backups.md#restore`
annexa: fixed 8 problems in 2 files; 3 left for a person
"
    );
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        "\
error[legacy-control-id]: `A.18.2.3` is an ISO/IEC 27001:2013 control id (Technical compliance review)
  --> policies/access.md:5:27
   = help: in ISO/IEC 27001:2022 it became A.5.36 Compliance with policies, rules and standards for information security; A.8.8 Management of technical vulnerabilities: list those this document implements

error[unknown-control]: control `A.9.9.9` is not in any framework in use
  --> policies/access.md:5:37

error[broken-link]: `plan.md` does not exist
  --> policies/access.md:11:39
   = help: did you mean `plan-a.md`?

annexa: 3 errors: 1 broken-link, 1 legacy-control-id, 1 unknown-control; 0 warnings; 4 documents
"
    );
    assert_eq!(
        read(&repo, "policies/access.md"),
        "---\ntitle: Access Control Policy\nowner: CISO\nlast_reviewed: 2026-06-01\ncontrols: [A.8.2, A.5.15, A.18.2.3, A.9.9.9]\n---\n\n# Access\n\nBackups: [restore](../procedures/backups.md#restore).\nRules: [here](#access-rules). Either: [x](plan.md).\n\n## Access rules\n"
    );
    assert_eq!(
        read(&repo, "procedures/backups.md"),
        "+++\ntitle = \"Backups\"\nowner = \"IT\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.8.13\"]\n+++\n\n# Backups\n\n## Restore\n\nSee [the policy](../policies/access.md).\n"
    );
    // Nothing is left to fix.
    let (_, _, again) = run(&repo, &["--fix"]);
    assert_eq!(
        again,
        "annexa: fixed 0 problems in 0 files; 3 left for a person\n"
    );
}

#[test]
fn dry_run_prints_a_unified_diff_and_changes_nothing() {
    let repo = imported();
    let before = read(&repo, "procedures/backups.md");
    let (code, stdout, stderr) = run(&repo, &["--fix", "--dry-run"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        "\
--- a/policies/access.md
+++ b/policies/access.md
@@ -2,12 +2,12 @@
 title: Access Control Policy
 owner: CISO
 last_reviewed: 2026-06-01
-controls: [A.9.2.3, A5.15, A.18.2.3, A.9.9.9]
+controls: [A.8.2, A.5.15, A.18.2.3, A.9.9.9]
 ---
 
 # Access
 
-Backups: [restore](../procedures/backup.md#restor).
-Rules: [here](#acess-rules). Either: [x](plan.md).
+Backups: [restore](../procedures/backups.md#restor).
+Rules: [here](#access-rules). Either: [x](plan.md).
 
 ## Access rules
--- a/procedures/backups.md
+++ b/procedures/backups.md
@@ -1,12 +1,12 @@
 +++
 title = \"Backups\"
 owner = \"IT\"
-last_reviewed = \"2026-06-01\"
-controls = [\"A.12.3.1\"]
+last_reviewed = 2026-06-01
+controls = [\"A.8.13\"]
 +++
 
 # Backups
 
 ## Restore
 
-See [the policy](../policies/acces.md).
+See [the policy](../policies/access.md).
"
    );
    assert!(
        stderr.ends_with("annexa: would fix 7 problems in 2 files; 4 left for a person\n"),
        "{stderr}"
    );
    assert_eq!(read(&repo, "procedures/backups.md"), before);
}

fn git(repo: &Repo, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(repo.path())
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
}

#[test]
fn files_with_uncommitted_changes_are_left_unless_allow_dirty() {
    let repo = imported();
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "import"]);
    // An edit nobody committed yet: --fix must not mix its own changes into it.
    let edited = read(&repo, "procedures/backups.md").replace("# Backups", "# Backups (draft)");
    fs::write(repo.path().join("procedures/backups.md"), &edited).unwrap();
    let (_, _, stderr) = run(&repo, &["--fix"]);
    assert!(
        stderr.ends_with(
            "not fixed: `procedures/backups.md` has uncommitted changes (commit them, or pass --allow-dirty)\nannexa: fixed 5 problems in 1 file; 7 left for a person\n"
        ),
        "{stderr}"
    );
    assert_eq!(read(&repo, "procedures/backups.md"), edited);
    let (_, _, stderr) = run(&repo, &["--fix", "--allow-dirty"]);
    assert!(
        stderr.ends_with("annexa: fixed 3 problems in 1 file; 3 left for a person\n"),
        "{stderr}"
    );
    assert!(read(&repo, "procedures/backups.md").contains("last_reviewed = 2026-06-01\n"));
}
