//! User text that a spreadsheet would run: CSV cells that start a formula get a leading `'`
//! (README, "Exports").

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
