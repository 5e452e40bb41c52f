//! Document control from Git (README, "Document control from Git"): repositories built in
//! temporary folders with dated commits (fixed names, addresses and dates, so hashes repeat),
//! and the exact history rows, `changes` reports, `changed-after-approval` findings and `--at`
//! builds they give.

mod common;

use std::fs;
use std::path::Path;

use common::git::{commit, git_at, init, write};
use common::{QUIET_CONFIG, Report, TODAY, annexa};

const CONFIG_TAIL: &str = "repo_url = \"https://git.example.com/acme/isms/src/branch/main\"\n";

fn config() -> String {
    format!("{CONFIG_TAIL}{QUIET_CONFIG}")
}

fn policy(title: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"CISO\"\nstatus = \"approved\"\n{extra}+++\n# {title}\n\n{body}"
    )
}

const ACCESS_BODY: &str =
    "## Scope\n\nAll staff.\n\n## Authentication\n\nPasswords of 12 characters.\n";

const SOA: &str = "[controls.\"A.5.15\"]\napplicable = true\nimplementation = \"planned\"\njustification = \"Customer contracts.\"\n\n[controls.\"A.7.1\"]\napplicable = false\njustification = \"No premises.\"\n";

const RISKS: &str = "[[risks]]\nid = \"R-1\"\ntitle = \"Phishing\"\nowner = \"CISO\"\nlikelihood = 3\nimpact = 5\ntreatment = \"mitigate\"\ncontrols = [\"A.5.15\"]\n\n[[risks]]\nid = \"R-2\"\ntitle = \"Laptop theft\"\nowner = \"IT\"\nlikelihood = 2\nimpact = 2\ntreatment = \"mitigate\"\n";

const FINDING: &str = "[[findings]]\nid = \"OB-1\"\nraised = 2026-01-02\nkind = \"observation\"\ndescription = \"Leavers disabled late\"\n";

/// The repository of most tests, with its commits' hashes, oldest first:
/// 1. 2026-01-05 Ann: import (access policy approved 2026-01-10, HR policy, SoA, risks);
/// 2. 2026-02-01 Bob: edit the access policy's Authentication section and the HR policy;
/// 3. 2026-02-10 Ann: approve the HR policy again;
/// 4. 2026-03-01 Ann: rename the access policy;
/// 5. 2026-04-01 Bob: implement A.5.15, exclude A.7.1 no more, re-score R-1, close R-2,
///    add R-3 and a supplier policy (covering A.5.19), close finding OB-1, raise OB-2.
struct Isms {
    dir: tempfile::TempDir,
    commits: Vec<String>,
}

impl Isms {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn short(&self, n: usize) -> String {
        self.commits[n - 1][..7].to_string()
    }
}

fn isms() -> Isms {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    write(root, "annexa.toml", &config());
    let approved =
        "approved_on = 2026-01-10\nlast_reviewed = 2026-01-10\ncontrols = [\"A.5.15\"]\n";
    write(
        root,
        "policies/access.md",
        &policy("Access Control Policy", approved, ACCESS_BODY),
    );
    write(
        root,
        "policies/hr.md",
        &policy(
            "HR Security Policy",
            "approved_on = 2026-01-10\n",
            "Screening.\n",
        ),
    );
    write(root, "soa.toml", SOA);
    write(root, "risks.toml", RISKS);
    write(root, "findings.toml", FINDING);
    let mut commits = vec![commit(root, "2026-01-05", "Ann Author", "Import the ISMS")];
    write(
        root,
        "policies/access.md",
        &policy(
            "Access Control Policy",
            approved,
            &ACCESS_BODY.replace("Passwords of 12 characters.", "Phishing-resistant MFA."),
        ),
    );
    write(
        root,
        "policies/hr.md",
        &policy(
            "HR Security Policy",
            "approved_on = 2026-01-10\n",
            "Screening before hire.\n",
        ),
    );
    commits.push(commit(root, "2026-02-01", "Bob Builder", "Tighten MFA"));
    write(
        root,
        "policies/hr.md",
        &policy(
            "HR Security Policy",
            "approved_on = 2026-02-10\n",
            "Screening before hire.\n",
        ),
    );
    commits.push(commit(
        root,
        "2026-02-10",
        "Ann Author",
        "Approve the HR policy",
    ));
    git_at(
        root,
        "2026-03-01",
        &["mv", "policies/access.md", "policies/access-control.md"],
    );
    commits.push(commit(
        root,
        "2026-03-01",
        "Ann Author",
        "Rename the access policy",
    ));
    write(
        root,
        "soa.toml",
        &SOA.replace("\"planned\"", "\"implemented\"").replace(
            "applicable = false\njustification = \"No premises.\"",
            "applicable = true\njustification = \"A new office.\"",
        ),
    );
    write(
        root,
        "risks.toml",
        &format!(
            "{}\nstatus = \"closed\"\n\n[[risks]]\nid = \"R-3\"\ntitle = \"Supplier breach\"\nowner = \"CISO\"\nlikelihood = 2\nimpact = 4\ntreatment = \"mitigate\"\n",
            RISKS.replace("likelihood = 3", "likelihood = 2")
        ),
    );
    write(
        root,
        "findings.toml",
        &format!(
            "{}closed = 2026-03-30\n\n[[findings]]\nid = \"OB-2\"\nraised = 2026-03-31\nkind = \"observation\"\ndescription = \"Supplier list out of date\"\n",
            FINDING
        ),
    );
    write(
        root,
        "policies/supplier.md",
        &policy(
            "Supplier Policy",
            "controls = [\"A.5.19\"]\n",
            "Suppliers are assessed.\n",
        ),
    );
    commits.push(commit(
        root,
        "2026-04-01",
        "Bob Builder",
        "Implement access control",
    ));
    Isms { dir, commits }
}

fn check_json(dir: &Path) -> Report {
    let output = annexa()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    Report::parse(&output)
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = annexa().args(args).arg(dir).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The rows of the history table(s) of a built page, one line each.
fn history_rows(html: &str) -> Vec<String> {
    let Some(start) = html.find("<section class=\"doc-history\"") else {
        return Vec::new();
    };
    let end = start + html[start..].find("</section>").unwrap();
    html[start..end]
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<tr><td"))
        .map(str::to_string)
        .collect()
}

fn row(date: &str, author: &str, subject: &str, hash: &str, path: Option<&str>) -> String {
    let path = path
        .map(|p| {
            format!(" <span class=\"muted small\">(as <span class=\"mono\">{p}</span>)</span>")
        })
        .unwrap_or_default();
    format!(
        "<tr><td class=\"nowrap\"><time datetime=\"{date}\">{date}</time></td><td>{author}</td><td>{subject}{path}</td><td class=\"mono\"><a href=\"https://git.example.com/acme/isms/commit/{hash}\" rel=\"noopener\">{}</a></td></tr>",
        &hash[..7]
    )
}

#[test]
fn a_document_page_lists_its_commits_newest_first_through_its_rename() {
    let isms = isms();
    let out = tempfile::tempdir().unwrap();
    common::site::assert_built(&common::site::build(isms.path(), out.path(), TODAY, &[]));
    let html = fs::read_to_string(out.path().join("policies/access-control/index.html")).unwrap();
    let c = &isms.commits;
    assert_eq!(
        history_rows(&html),
        [
            row(
                "2026-03-01",
                "Ann Author",
                "Rename the access policy",
                &c[3],
                None
            ),
            row(
                "2026-02-01",
                "Bob Builder",
                "Tighten MFA",
                &c[1],
                Some("policies/access.md")
            ),
            row(
                "2026-01-05",
                "Ann Author",
                "Import the ISMS",
                &c[0],
                Some("policies/access.md")
            ),
        ]
    );
    assert!(html.contains(
        "<div><dt>Approved on</dt><dd><time datetime=\"2026-01-10\">2026-01-10</time></dd></div>"
    ));
    assert!(!html.contains("<details class=\"history-older\">"));
    // The dashboard lists the latest change of each document.
    let dashboard = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(dashboard.contains("<span class=\"recent-meta\"><time datetime=\"2026-04-01\">2026-04-01</time> · Implement access control</span>"));
}

#[test]
fn the_first_ten_commits_show_and_the_rest_are_folded() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    write(root, "annexa.toml", QUIET_CONFIG);
    let mut hashes = Vec::new();
    for n in 1..=12 {
        write(
            root,
            "policies/a.md",
            &policy("A", "", &format!("Edit {n}.\n")),
        );
        hashes.push(commit(
            root,
            &format!("2026-01-{n:02}"),
            "Ann Author",
            &format!("Edit {n}"),
        ));
    }
    let out = tempfile::tempdir().unwrap();
    common::site::assert_built(&common::site::build(root, out.path(), TODAY, &[]));
    let html = fs::read_to_string(out.path().join("policies/a/index.html")).unwrap();
    let rows = history_rows(&html);
    assert_eq!(rows.len(), 12);
    // No repo_url: the short hash is plain text.
    assert_eq!(
        rows[0],
        format!(
            "<tr><td class=\"nowrap\"><time datetime=\"2026-01-12\">2026-01-12</time></td><td>Ann Author</td><td>Edit 12</td><td class=\"mono\">{}</td></tr>",
            &hashes[11][..7]
        )
    );
    let folded = &html[html.find("<details class=\"history-older\">").unwrap()..];
    assert!(
        folded.starts_with(
            "<details class=\"history-older\">\n    <summary>2 older changes</summary>"
        )
    );
    assert_eq!(
        history_rows(&format!("<section class=\"doc-history\"{folded}")).len(),
        2
    );
    assert!(folded.contains("<td>Edit 2</td>") && folded.contains("<td>Edit 1</td>"));
    assert!(!folded.contains("<td>Edit 3</td>"));
}

#[test]
fn changed_after_approval_names_the_commit_and_re_approval_clears_it() {
    let isms = isms();
    let output = annexa()
        .arg("check")
        .arg(isms.path())
        .args(["--today", TODAY, "--format", "json"])
        .output()
        .unwrap();
    let report = Report::parse(&output);
    let found: Vec<(String, String, String)> = report
        .of("changed-after-approval")
        .iter()
        .map(|d| {
            (
                d.place(),
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect();
    // The HR policy changed on 2026-02-01 too, and was approved again on 2026-02-10.
    assert_eq!(
        found,
        [(
            "changed-after-approval policies/access-control.md:5:15".to_string(),
            "changed after its approval on 2026-01-10 (`approved_on`) and not approved again"
                .to_string(),
            format!(
                "commit {} (2026-02-01, Bob Builder: Tighten MFA) changed it; have the change approved and set `approved_on` to that date",
                isms.short(2)
            ),
        )]
    );
}

#[test]
fn review_fields_and_an_import_after_approval_do_not_count_as_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    init(root);
    write(root, "annexa.toml", QUIET_CONFIG);
    // Approved long before the repository existed: its first committed version is the approved one.
    write(
        root,
        "policies/old.md",
        &policy("Old", "last_reviewed = 2025-01-01\n", "Text.\n"),
    );
    write(
        root,
        "policies/dates.md",
        &policy(
            "Dates",
            "approved_on = 2026-01-10\nlast_reviewed = 2026-01-10\n",
            "Text.\n",
        ),
    );
    write(
        root,
        "policies/owner.md",
        &policy("Owner", "approved_on = 2026-01-10\n", "Text.\n"),
    );
    commit(root, "2026-01-05", "Ann Author", "Import");
    write(
        root,
        "policies/dates.md",
        &policy(
            "Dates",
            "approved_on = 2026-01-10\nlast_reviewed = 2026-06-01\nnext_review = 2027-06-01\n",
            "Text.\n",
        ),
    );
    write(
        root,
        "policies/owner.md",
        &policy("Owner", "approved_on = 2026-01-10\n", "Text.\n").replace("CISO", "CTO"),
    );
    let edit = commit(
        root,
        "2026-06-01",
        "Bob Builder",
        "Review dates and a new owner",
    );
    let report = check_json(root);
    let found: Vec<(String, String)> = report
        .of("changed-after-approval")
        .iter()
        .map(|d| (d.place(), d.help.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        found,
        [(
            "changed-after-approval policies/owner.md:5:15".to_string(),
            format!(
                "commit {} (2026-06-01, Bob Builder: Review dates and a new owner) changed it; have the change approved and set `approved_on` to that date",
                &edit[..7]
            )
        )]
    );
}

fn changes(isms: &Isms, format: &str) -> String {
    let (code, out, err) = run(
        isms.path(),
        &[
            "changes",
            "--since",
            "2026-01-31",
            "--until",
            "2026-04-01",
            "--format",
            format,
        ],
    );
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    out
}

#[test]
fn changes_in_human_form() {
    let isms = isms();
    let (s1, s5) = (isms.short(1), isms.short(5));
    assert_eq!(
        changes(&isms, "human"),
        format!(
            "Changes from 2026-01-31 ({s1}, 2026-01-05) to 2026-04-01 ({s5}, 2026-04-01)

Documents
  Added: Supplier Policy (policies/supplier.md)
  Renamed: policies/access.md → policies/access-control.md (Access Control Policy)
  Changed: Access Control Policy (policies/access-control.md): +1 −1 lines in Authentication
  Changed: HR Security Policy (policies/hr.md): +1 −1 lines in HR Security Policy; approved_on: 2026-01-10 → 2026-02-10

Statement of Applicability
  A.5.15 Access control: implementation: planned → implemented
  A.7.1 Physical security perimeters: applicable: no → yes; justification: No premises. → A new office.

Risks
  Added: R-3 Supplier breach
  Closed: R-2 Laptop theft
  Re-scored: R-1 Phishing: inherent: 3×5=15 → 2×5=10

Control coverage
  Gained: A.5.19 Information security in supplier relationships: gap → covered

Registers
  findings added: OB-2 Supplier list out of date
  findings closed: OB-1 Leavers disabled late
"
        )
    );
}

#[test]
fn changes_in_markdown_form() {
    let isms = isms();
    let (s1, s5) = (isms.short(1), isms.short(5));
    assert_eq!(
        changes(&isms, "markdown"),
        format!(
            "## Changes from `2026-01-31` ({s1}, 2026-01-05) to `2026-04-01` ({s5}, 2026-04-01)

### Documents

- Added: **Supplier Policy** (`policies/supplier.md`)
- Renamed: `policies/access.md` → `policies/access-control.md` (**Access Control Policy**)
- Changed: **Access Control Policy** (`policies/access-control.md`): +1 −1 lines in Authentication
- Changed: **HR Security Policy** (`policies/hr.md`): +1 −1 lines in HR Security Policy; approved_on: 2026-01-10 → 2026-02-10

### Statement of Applicability

- `A.5.15` Access control: implementation: planned → implemented
- `A.7.1` Physical security perimeters: applicable: no → yes; justification: No premises. → A new office.

### Risks

- Added: `R-3` Supplier breach
- Closed: `R-2` Laptop theft
- Re-scored: `R-1` Phishing: inherent: 3×5=15 → 2×5=10

### Control coverage

- Gained: `A.5.19` Information security in supplier relationships: gap → covered

### Registers

- findings added: `OB-2` Supplier list out of date
- findings closed: `OB-1` Leavers disabled late
"
        )
    );
}

#[test]
fn changes_in_json_form() {
    let isms = isms();
    let json: serde_json::Value = serde_json::from_str(&changes(&isms, "json")).unwrap();
    let c = &isms.commits;
    let expected = serde_json::json!({
        "since": { "point": "2026-01-31", "commit": c[0], "short": isms.short(1), "date": "2026-01-05" },
        "until": { "point": "2026-04-01", "commit": c[4], "short": isms.short(5), "date": "2026-04-01" },
        "documents": {
            "added": [ { "path": "policies/supplier.md", "title": "Supplier Policy", "id": null } ],
            "removed": [],
            "renamed": [ { "from": "policies/access.md", "to": "policies/access-control.md", "title": "Access Control Policy" } ],
            "changed": [
                {
                    "path": "policies/access-control.md", "title": "Access Control Policy", "id": null,
                    "renamed_from": "policies/access.md", "sections": ["Authentication"],
                    "lines_added": 1, "lines_removed": 1, "metadata": []
                },
                {
                    "path": "policies/hr.md", "title": "HR Security Policy", "id": null,
                    "renamed_from": null, "sections": ["HR Security Policy"],
                    "lines_added": 1, "lines_removed": 1,
                    "metadata": [ { "field": "approved_on", "old": "2026-01-10", "new": "2026-02-10" } ]
                }
            ]
        },
        "soa": [
            { "control": "A.5.15", "title": "Access control",
              "changes": [ { "field": "implementation", "old": "planned", "new": "implemented" } ] },
            { "control": "A.7.1", "title": "Physical security perimeters",
              "changes": [
                  { "field": "applicable", "old": "no", "new": "yes" },
                  { "field": "justification", "old": "No premises.", "new": "A new office." }
              ] }
        ],
        "risks": {
            "added": [ { "id": "R-3", "title": "Supplier breach" } ],
            "closed": [ { "id": "R-2", "title": "Laptop theft" } ],
            "removed": [],
            "rescored": [ { "id": "R-1", "title": "Phishing",
                            "changes": [ { "field": "inherent", "old": "3×5=15", "new": "2×5=10" } ] } ]
        },
        "coverage": {
            "gained": [ { "control": "A.5.19", "title": "Information security in supplier relationships", "old": "gap", "new": "covered" } ],
            "lost": []
        },
        "registers": [ {
            "register": "findings",
            "added": [ { "id": "OB-2", "title": "Supplier list out of date" } ],
            "closed": [ { "id": "OB-1", "title": "Leavers disabled late" } ],
            "removed": []
        } ]
    });
    assert_eq!(json, expected);
}

#[test]
fn build_at_a_date_shows_the_old_text_with_a_banner() {
    let isms = isms();
    let out = tempfile::tempdir().unwrap();
    let output = annexa()
        .arg("build")
        .arg(isms.path())
        .args(["--at", "2026-01-20", "-o"])
        .arg(out.path())
        .output()
        .unwrap();
    common::site::assert_built(&output);
    let html = fs::read_to_string(out.path().join("policies/access/index.html")).unwrap();
    assert!(html.contains("<p>Passwords of 12 characters.</p>"));
    assert!(!html.contains("Phishing-resistant"));
    let c0 = &isms.commits[0];
    let banner = format!(
        "<div class=\"as-of\" role=\"note\"><strong>The ISMS as of commit <a href=\"https://git.example.com/acme/isms/commit/{c0}\" rel=\"noopener\"><span class=\"mono\">{}</span></a>, <time datetime=\"2026-01-05\">2026-01-05</time>.</strong> This is how it stood then, not as it is now.</div>",
        &c0[..7]
    );
    for page in ["index.html", "soa/index.html", "policies/access/index.html"] {
        let html = fs::read_to_string(out.path().join(page)).unwrap();
        assert!(html.contains(&banner), "{page}");
    }
    // --today defaults to the commit's date; the renamed file is not there yet.
    assert!(html.contains("reviews computed for <time datetime=\"2026-01-05\">2026-01-05</time>"));
    assert!(
        !out.path()
            .join("policies/access-control/index.html")
            .exists()
    );
    // The working tree is untouched.
    assert!(isms.path().join("policies/access-control.md").is_file());
    assert!(!isms.path().join("policies/access.md").exists());
    let status = git_at(isms.path(), "2026-01-01", &["status", "--porcelain"]);
    assert_eq!(status, "");
}

#[test]
fn build_at_needs_an_output_folder() {
    let isms = isms();
    let (code, _, err) = run(isms.path(), &["build", "--at", "2026-01-20"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: `build --at` needs `-o OUT`: the ISMS as it stood then never replaces the live site\n"
    );
}

#[test]
fn check_and_reviews_at_a_ref() {
    let isms = isms();
    let first = isms.commits[0].clone();
    let (code, out, _) = run(isms.path(), &["check", "--at", &first, "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["summary"]["documents"], 2);
    let (code, out, _) = run(
        isms.path(),
        &["reviews", "--at", &first, "--format", "json"],
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn bad_refs_and_dates_exit_2_naming_them() {
    let isms = isms();
    let (code, _, err) = run(isms.path(), &["changes", "--since", "v9"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: `v9` is not a commit, branch or tag of this repository: expected a ref or a date as YYYY-MM-DD\n"
    );
    let (code, _, err) = run(isms.path(), &["changes", "--since", "2025-12-31"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: no commit on or before 2025-12-31 on the current branch: its first commit is later; expected a date within its history\n"
    );
    let (code, _, err) = run(isms.path(), &["changes", "--since=--output=x"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: invalid value '--output=x' for '--since <REF|DATE>': `--output=x` begins with `-`: a ref cannot begin with `-`; expected a ref (branch, tag, commit) or a date as YYYY-MM-DD\n"),
        "{err}"
    );
    let (code, _, err) = run(isms.path(), &["build", "--at", "2026-02-30", "-o", "x"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: invalid value '2026-02-30' for '--at <REF|DATE>': `2026-02-30` is not a date:"
        ),
        "{err}"
    );
}

#[test]
fn without_a_repository_there_is_no_history_and_changes_exit_2() {
    let repo = common::Repo::new().file(
        "policies/a.md",
        &policy("A", "approved_on = 2026-01-10\n", "Text.\n"),
    );
    let (code, _, err) = run(repo.path(), &["changes", "--since", "2026-01-01"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: annexa changes reads the Git history, and `{}` is not in a Git repository\n",
            repo.path().display()
        )
    );
    let (code, _, err) = run(repo.path(), &["check", "--at", "HEAD"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: check --at reads the Git history"),
        "{err}"
    );
    let out = tempfile::tempdir().unwrap();
    common::site::assert_built(&common::site::build(repo.path(), out.path(), TODAY, &[]));
    let html = fs::read_to_string(out.path().join("policies/a/index.html")).unwrap();
    assert!(!html.contains("doc-history"));
}

#[test]
fn history_can_be_turned_off() {
    let isms = isms();
    let config = fs::read_to_string(isms.path().join("annexa.toml")).unwrap();
    fs::write(
        isms.path().join("annexa.toml"),
        format!("{config}\n[history]\nenabled = false\n"),
    )
    .unwrap();
    let report = check_json(isms.path());
    assert!(report.of("changed-after-approval").is_empty());
    let out = tempfile::tempdir().unwrap();
    common::site::assert_built(&common::site::build(isms.path(), out.path(), TODAY, &[]));
    let html = fs::read_to_string(out.path().join("policies/access-control/index.html")).unwrap();
    assert!(!html.contains("doc-history"));
}

#[test]
fn a_shallow_clone_is_named_with_its_fix() {
    let isms = isms();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", isms.path().display());
    git_at(
        clone.path(),
        "2026-01-01",
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow = clone.path().join("shallow");
    let (code, _, err) = run(&shallow, &["changes", "--since", "2026-01-31"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: no commit on or before 2026-01-31 on the current branch: its first commit is later; expected a date within its history; this is a shallow clone: its Git history is cut off, so changes and approvals cannot be traced; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)\n"
    );
    let (_, _, err) = run(&shallow, &["check", "--today", TODAY]);
    assert_eq!(
        err,
        "annexa: note: this is a shallow clone: its Git history is cut off, so changes and approvals cannot be traced; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)\n"
    );
}

#[test]
fn the_site_change_report_starts_at_changes_since() {
    let isms = isms();
    let config = fs::read_to_string(isms.path().join("annexa.toml")).unwrap();
    fs::write(
        isms.path().join("annexa.toml"),
        format!("{config}\n[changes]\nsince = 2026-03-15\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    common::site::assert_built(&common::site::build(isms.path(), out.path(), TODAY, &[]));
    let html = fs::read_to_string(out.path().join("changes/index.html")).unwrap();
    let s4 = isms.short(4);
    assert!(html.contains(&format!("<p class=\"lead\">What changed in the ISMS from 2026-03-15 (commit {s4}, 2026-03-01) to the working tree ({TODAY}), from its Git history.</p>")), "{html}");
    assert!(html.contains("<li><strong>Added:</strong> <a href=\"../policies/supplier/\">Supplier Policy</a> <span class=\"muted\">(policies/supplier.md)</span></li>"));
    assert!(
        html.contains(
            "<li><strong>Closed:</strong> <a href=\"../risks/\">R-2 Laptop theft</a></li>"
        )
    );
    let dashboard = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        dashboard
            .contains("<a class=\"card-link\" href=\"changes/\">All changes since 2026-03-15</a>")
    );
}
