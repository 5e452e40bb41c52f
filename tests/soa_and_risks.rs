//! Coverage, the Statement of Applicability and the risk register on the built site and in
//! their exports (README, "The site" and "Exports"): the three coverage states on the dashboard
//! and the matrix, the SoA page with its statement, reasons and documents, `soa.csv` and
//! `soa.xlsx`, the risk register page with its levels, acceptance and actions, `risks.csv` and
//! `risks.xlsx`, and the treatment actions in `reviews.ics`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::site::{Page, Tag, assert_built, build, only_element, outer_html, read};
use common::xlsx::Workbook;
use common::{Repo, TODAY};
use tempfile::TempDir;

/// A repository built into a fresh temporary folder.
struct Built {
    _tmp: TempDir,
    out: PathBuf,
}

fn build_ok(dir: &Path) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_built(&build(dir, &out, TODAY, &[]));
    Built { _tmp: tmp, out }
}

fn has_class(tag: &Tag, class: &str) -> bool {
    tag.attr("class")
        .is_some_and(|c| c.split_whitespace().any(|name| name == class))
}

/// The texts of a fragment, run by run.
fn texts(html: &str) -> Vec<String> {
    Page::parse(html)
        .texts()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// A table row's cells, each as the text it shows (its runs of text joined by a space).
fn cells(row: &str) -> Vec<String> {
    outer_html(row, |t| matches!(t.name.as_str(), "td" | "th"))
        .iter()
        .map(|cell| Page::parse(cell).texts().join(" "))
        .collect()
}

/// Each link of a fragment: its `href` and its text.
fn links(html: &str) -> Vec<(String, String)> {
    outer_html(html, |t| t.name == "a")
        .iter()
        .map(|a| {
            let href = Page::parse(a).tags[0].attr("href").unwrap().to_string();
            (href, texts(a).join(" "))
        })
        .collect()
}

fn class_of(fragment: &str) -> String {
    Page::parse(fragment).tags[0]
        .attr("class")
        .unwrap_or_default()
        .to_string()
}

fn doc(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nowner = \"Head of IT\"\n{extra}\n+++\n\n# {title}\n")
}

// ---------------------------------------------------------------------------------------------
// Coverage: covered, weak, gap

/// A catalog of three controls: C-1 covered (an approved document within its review date), C-2
/// weak (its only document is approved but overdue for review), C-3 a gap although the SoA
/// states it implemented (no document maps to it).
fn coverage_repo() -> Repo {
    Repo::with_config(
        "title = \"Test ISMS\"\nframeworks = [\"acme\"]\n\n[lints]\nsoa-inclusion-unjustified = \"off\"\nsoa-unapproved = \"off\"\n",
    )
    .file(
        "frameworks/acme.toml",
        "id = \"acme\"\nname = \"Acme controls\"\n\n[[controls]]\nid = \"C-1\"\ntitle = \"Covered control\"\ngroup = \"Ops\"\n\n[[controls]]\nid = \"C-2\"\ntitle = \"Weak control\"\ngroup = \"Ops\"\n\n[[controls]]\nid = \"C-3\"\ntitle = \"Gap control\"\ngroup = \"Ops\"\n",
    )
    .file(
        "soa.toml",
        "[controls.\"C-3\"]\napplicable = true\nimplementation = \"implemented\"\njustification = \"Said to be done.\"\n",
    )
    .file(
        "policies/current.md",
        &doc(
            "Current Policy",
            "id = \"POL-1\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-1\"]",
        ),
    )
    .file(
        "policies/stale.md",
        &doc(
            "Stale Policy",
            "id = \"POL-2\"\nnext_review = 2026-10-01\ncontrols = [\"C-2\"]",
        ),
    )
}

#[test]
fn the_dashboard_counts_covered_weak_and_gap_controls_and_lists_the_weak_ones() {
    let built = build_ok(coverage_repo().path());
    let dashboard = read(&built.out, "index.html");
    let kpi = only_element(&dashboard, "the coverage figure", |t| {
        has_class(t, "kpi") && t.attr("href") == Some("controls/#acme")
    });
    assert_eq!(class_of(kpi), "kpi kpi-warn");
    assert_eq!(
        texts(kpi),
        [
            "Control coverage",
            "33%",
            "1 of 3 applicable controls covered · 1 weak · 1 gap"
        ]
    );
    let card = only_element(&dashboard, "the coverage card", |t| {
        t.attr("class") == Some("coverage")
    });
    let counts = only_element(card, "the counts", |t| {
        t.attr("class") == Some("coverage-counts")
    });
    assert_eq!(
        texts(counts),
        [
            "Applicable",
            "3",
            "Covered",
            "1",
            "Weak",
            "1",
            "Gaps",
            "1",
            "Not applicable",
            "0",
            "Implemented",
            "1",
            "Partial",
            "0",
            "Planned",
            "0"
        ]
    );
    // Weak is amber, gaps red.
    let count_class = |label: &str| {
        outer_html(counts, |t| t.name == "div")
            .into_iter()
            .filter(|d| texts(d).first().map(String::as_str) == Some(label))
            .map(class_of)
            .collect::<Vec<_>>()
    };
    assert_eq!(count_class("Weak"), ["count-warn"]);
    assert_eq!(count_class("Gaps"), ["count-bad"]);
    assert_eq!(count_class("Covered"), [""]);
    // The weak controls, by id and title, linked to their pages.
    let weak = only_element(card, "the weak list", |t| {
        t.attr("class") == Some("weak-list")
    });
    assert_eq!(
        links(weak),
        [("controls/acme/c-2/".to_string(), "C-2".to_string())]
    );
    assert_eq!(texts(weak), ["C-2", "Weak control"]);

    // The matrix: the same figures, and one row per state; the gap row is the gap counted,
    // whatever implementation the SoA states.
    let matrix = read(&built.out, "controls/index.html");
    let summary = only_element(&matrix, "the summary", |t| {
        t.attr("class") == Some("summary-counts")
    });
    assert_eq!(
        texts(summary)[..10],
        [
            "Controls",
            "3",
            "Applicable",
            "3",
            "Covered",
            "1",
            "Weak",
            "1",
            "Gaps",
            "1"
        ]
    );
    let rows: Vec<(String, Vec<String>)> = outer_html(&matrix, |t| {
        t.name == "tr" && t.attr("id").is_some_and(|id| id.starts_with("acme-c-"))
    })
    .into_iter()
    .map(|row| (class_of(row), cells(row)))
    .collect();
    let row = |class: &str, cells: &[&str]| {
        (
            class.to_string(),
            cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        rows,
        [
            row(
                "ctl ctl-documented cov-covered",
                &[
                    "C-1",
                    "Covered control",
                    "Yes",
                    "Not stated",
                    "Covered",
                    "POL-1"
                ]
            ),
            row(
                "ctl ctl-documented cov-weak row-weak",
                &["C-2", "Weak control", "Yes", "Not stated", "Weak", "POL-2"]
            ),
            row(
                "ctl ctl-implemented cov-gap row-gap",
                &[
                    "C-3",
                    "Gap control",
                    "Yes",
                    "Implemented",
                    "Gap",
                    "No document"
                ]
            ),
        ]
    );
    let gap_rows = rows.iter().filter(|(c, _)| c.contains("row-gap")).count();
    assert_eq!(gap_rows, 1, "as many gap rows as gaps counted");

    // The SoA shows the same states.
    let soa = read(&built.out, "soa/index.html");
    let states: Vec<String> = outer_html(&soa, |t| has_class(t, "badge-coverage"))
        .into_iter()
        .map(|b| texts(b).join(" "))
        .collect();
    assert_eq!(states, ["Covered", "Weak", "Gap"]);
}

// ---------------------------------------------------------------------------------------------
// The Statement of Applicability

const SOA: &str = r#"[statement]
version = "2026.2"
approved_by = "CISO"
approved_on = 2026-03-01

[controls."A.5.15"]
applicable = true
implementation = "implemented"
reasons = ["legal", "contract"]
justification = "Access is granted by role; see the policy."

[controls."A.5.16"]
applicable = true
implementation = "partial"
justification = "=SUM(1) is not a formula here"

[controls."A.7.1"]
applicable = false
justification = "No premises; all staff remote."
"#;

const SOA_RISKS: &str = r#"[[risks]]
id = "R-1"
title = "Stolen credentials"
likelihood = 3
impact = 4
controls = ["A.5.15"]

[[risks]]
id = "R-2"
title = "Leaver keeps access"
likelihood = 2
impact = 2
controls = ["A.5.15"]
"#;

/// The default ISO catalog and the clause catalog; an SoA with its statement; two risks
/// treated by A.5.15; A.5.15 mapped by an approved policy, a procedure in review and a draft.
fn soa_repo() -> Repo {
    Repo::with_config(
        "title = \"Test ISMS\"\norganisation = \"Acme Ltd\"\nframeworks = [\"iso27001-2022\", \"iso27001-2022-clauses\"]\n\n[lints]\nunmapped-control = \"off\"\nsoa-inclusion-unjustified = \"off\"\n",
    )
    .file("soa.toml", SOA)
    .file("risks.toml", SOA_RISKS)
    .file(
        "policies/access-control.md",
        &doc(
            "Access Control Policy",
            "id = \"POL-005\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.15\"]",
        ),
    )
    .file(
        "procedures/access-review.md",
        &doc(
            "Access Review Procedure",
            "status = \"review\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.15\"]",
        ),
    )
    .file(
        "procedures/draft.md",
        &doc(
            "Draft Procedure",
            "id = \"PRO-9\"\nstatus = \"draft\"\ncontrols = [\"A.5.15\"]",
        ),
    )
}

#[test]
fn the_soa_page_states_its_approval_and_each_control_in_full() {
    let built = build_ok(soa_repo().path());
    let html = read(&built.out, "soa/index.html");
    let statement = only_element(&html, "the statement", |t| has_class(t, "soa-statement"));
    assert_eq!(class_of(statement), "soa-statement");
    assert_eq!(
        texts(statement),
        ["Version 2026.2 · approved by CISO on 2026-03-01"]
    );

    // Only the control catalog: the clauses are requirements, not SoA entries.
    let sections: Vec<String> = outer_html(&html, |t| has_class(t, "soa-framework"))
        .into_iter()
        .map(|s| Page::parse(s).tags[0].attr("id").unwrap().to_string())
        .collect();
    assert_eq!(sections, ["iso27001-2022"]);

    let headings: Vec<String> =
        outer_html(&html, |t| t.name == "th" && t.attr("scope") == Some("col"))
            .into_iter()
            .take(8)
            .map(|th| texts(th).join(" "))
            .collect();
    assert_eq!(
        headings,
        [
            "Control",
            "Title",
            "Applicable",
            "Reasons",
            "Justification",
            "Implementation",
            "Coverage",
            "Documents"
        ]
    );
    let row = only_element(&html, "A.5.15's row", |t| {
        t.name == "tr" && t.attr("id") == Some("iso27001-2022-a-5-15")
    });
    assert_eq!(class_of(row), "ctl ctl-implemented cov-covered");
    assert_eq!(
        cells(row),
        [
            "A.5.15",
            "Access control",
            "Yes",
            "Risk ( R-1 , R-2 ) ; Legal ; Contract",
            "Access is granted by role; see the policy.",
            "Implemented",
            "Covered",
            "POL-005 Access Control Policy ; Access Review Procedure (in review)"
        ]
    );
    assert_eq!(
        links(row),
        [
            (
                "../controls/iso27001-2022/a-5-15/".to_string(),
                "A.5.15".to_string()
            ),
            ("../risks/#r-1".to_string(), "R-1".to_string()),
            ("../risks/#r-2".to_string(), "R-2".to_string()),
            (
                "../policies/access-control/".to_string(),
                "POL-005 Access Control Policy".to_string()
            ),
            (
                "../procedures/access-review/".to_string(),
                "Access Review Procedure".to_string()
            ),
        ],
        "risk ids link to their rows on the risk register, documents to their pages; the draft is not listed"
    );
    let risks = read(&built.out, "risks/index.html");
    let ids = Page::parse(&risks).ids();
    assert!(
        ids.contains("r-1") && ids.contains("r-2"),
        "the risks' rows"
    );

    // An excluded control.
    let a71 = only_element(&html, "A.7.1's row", |t| {
        t.name == "tr" && t.attr("id") == Some("iso27001-2022-a-7-1")
    });
    assert_eq!(class_of(a71), "ctl ctl-not-applicable row-na");
    assert_eq!(
        cells(a71),
        [
            "A.7.1",
            "Physical security perimeters",
            "No",
            "",
            "No premises; all staff remote.",
            "Not applicable",
            "—",
            ""
        ]
    );
}

#[test]
fn an_soa_without_its_statement_says_it_is_not_approved() {
    let repo = Repo::new().file(
        "soa.toml",
        "[controls.\"A.7.1\"]\napplicable = false\njustification = \"No premises.\"\n",
    );
    let built = build_ok(repo.path());
    let html = read(&built.out, "soa/index.html");
    let statement = only_element(&html, "the statement", |t| has_class(t, "soa-statement"));
    assert_eq!(class_of(statement), "soa-statement soa-unapproved");
    assert_eq!(texts(statement), ["No version stated · not approved"]);
}

#[test]
fn soa_csv_has_the_columns_of_the_page() {
    let built = build_ok(soa_repo().path());
    let csv = read(&built.out, "exports/soa.csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "framework,id,title,theme,applicable,justification,implementation,coverage,reasons,risks,documents"
    );
    assert_eq!(lines.len(), 1 + 93, "the 93 Annex A controls, no clause");
    let line = |id: &str| {
        let prefix = format!("iso27001-2022,{id},");
        *lines
            .iter()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("{id} in soa.csv"))
    };
    assert_eq!(
        line("A.5.15"),
        "iso27001-2022,A.5.15,Access control,Organizational,yes,Access is granted by role; see the policy.,implemented,covered,risk; legal; contract,R-1; R-2,POL-005 Access Control Policy; Access Review Procedure"
    );
    assert_eq!(
        line("A.5.16"),
        "iso27001-2022,A.5.16,Identity management,Organizational,yes,'=SUM(1) is not a formula here,partial,gap,,,"
    );
    assert_eq!(
        line("A.7.1"),
        "iso27001-2022,A.7.1,Physical security perimeters,Physical,no,No premises; all staff remote.,,not-applicable,,,"
    );
    assert_eq!(
        line("A.5.1"),
        "iso27001-2022,A.5.1,Policies for information security,Organizational,yes,,,gap,,,"
    );
}

#[test]
fn soa_xlsx_holds_the_statement_and_every_control_as_text_and_is_reproducible() {
    let repo = soa_repo();
    let built = build_ok(repo.path());
    let path = built.out.join("exports/soa.xlsx");
    let book = Workbook::read(&path);
    // The header block.
    let block: Vec<Vec<String>> = (0..6).map(|r| book.row(r)).collect();
    assert_eq!(
        block,
        [
            vec!["Organisation", "Acme Ltd"],
            vec!["SoA version", "2026.2"],
            vec!["Approved by", "CISO"],
            vec!["Approved on", "2026-03-01"],
            vec!["Generated on", TODAY],
            vec![],
        ]
    );
    // The table: its header row, then the 93 Annex A controls in order.
    assert_eq!(
        book.row(6),
        [
            "Framework",
            "Control",
            "Title",
            "Theme",
            "Applicable",
            "Justification",
            "Implementation",
            "Coverage",
            "Reasons",
            "Risks",
            "Documents"
        ]
    );
    assert_eq!(book.rows(), 7 + 93);
    let ids: Vec<String> = (7..7 + 93).map(|r| book.row(r)[1].clone()).collect();
    assert_eq!(ids, common::iso_annex_a_ids());
    let a515 = (7..100)
        .map(|r| book.row(r))
        .find(|r| r[1] == "A.5.15")
        .unwrap();
    assert_eq!(
        a515,
        [
            "iso27001-2022",
            "A.5.15",
            "Access control",
            "Organizational",
            "yes",
            "Access is granted by role; see the policy.",
            "implemented",
            "covered",
            "risk; legal; contract",
            "R-1; R-2",
            "POL-005 Access Control Policy; Access Review Procedure"
        ]
    );
    // A justification that looks like a formula is a string, as written, without a `'`.
    let a516 = (7..100)
        .map(|r| book.row(r))
        .find(|r| r[1] == "A.5.16")
        .unwrap();
    assert_eq!(a516[5], "=SUM(1) is not a formula here");
    // Every cell is a string, none a formula.
    assert!(
        book.cells.values().all(|c| c.kind == "s" && !c.formula),
        "{:?}",
        book.cells.values().find(|c| c.kind != "s" || c.formula)
    );
    // The header row is frozen and filtered; the columns are sized; the creation date is today.
    assert!(
        book.sheet_xml.contains(
            r#"<pane ySplit="7" topLeftCell="A8" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{}",
        book.sheet_xml
    );
    assert!(book.sheet_xml.contains(r#"<autoFilter ref="A7:K100"/>"#));
    assert!(book.sheet_xml.contains(r#"customWidth="1""#));
    assert!(
        book.core_xml.contains(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-01T00:00:00Z</dcterms:created>"#
        ),
        "{}",
        book.core_xml
    );

    // The same input gives the same bytes.
    let again = build_ok(repo.path());
    for name in ["soa.xlsx", "risks.xlsx"] {
        assert_eq!(
            fs::read(built.out.join("exports").join(name)).unwrap(),
            fs::read(again.out.join("exports").join(name)).unwrap(),
            "{name} is reproducible"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The risk register

/// Criteria of a 4-point scale; a risk being treated with an overdue action, an open one, one
/// without a due date and a done one; an accepted risk with its record; an accepted risk whose
/// acceptance has lapsed.
const RISKS: &str = r#"[criteria]
scale = 4
bands = { medium = 4, high = 8, critical = 12 }
appetite = 6

[[risks]]
id = "R-1"
title = "Tailgating into the office"
owner = "Facilities"
likelihood = 3
impact = 4
treatment = "mitigate"
controls = ["A.7.2", "A.5.15"]
residual_likelihood = 2
residual_impact = 2
status = "treating"
actions = [
  { id = "RT-1", action = "Fit badge readers", owner = "Facilities", due = 2026-09-30 },
  { id = "RT-2", action = "Train reception", due = 2026-12-15 },
  { id = "RT-3", action = "Write visitor rules", due = 2026-05-01, done = 2026-04-20 },
  { id = "RT-4", action = "Review the rota" },
]

[[risks]]
id = "R-2"
title = "Supplier outage"
owner = "COO"
likelihood = 2
impact = 3
treatment = "accept"
status = "accepted"
accepted_by = "COO"
accepted_on = 2026-02-01
acceptance_expires = 2027-02-01

[[risks]]
id = "R-3"
title = "Old laptops"
owner = "Head of IT"
likelihood = 1
impact = 2
treatment = "accept"
status = "accepted"
accepted_by = "CISO"
accepted_on = 2025-01-15
acceptance_expires = 2026-01-15
"#;

fn risk_repo() -> Repo {
    Repo::new().file("risks.toml", RISKS)
}

#[test]
fn the_risk_register_follows_the_criteria_and_shows_levels_acceptance_and_actions() {
    let built = build_ok(risk_repo().path());
    let html = read(&built.out, "risks/index.html");
    let lead = only_element(&html, "the lead", |t| t.attr("class") == Some("lead"));
    assert_eq!(
        texts(lead),
        [
            "3 information security risks. Scores are likelihood × impact, each from 1 to 4: low 1–3, medium 4–6, high 8–9, critical 12–16."
        ]
    );
    let appetite = only_element(&html, "the appetite", |t| {
        t.attr("class") == Some("risk-appetite")
    });
    assert_eq!(
        texts(appetite),
        ["Risk appetite: a residual score up to 6 may be accepted."]
    );
    let bands = only_element(&html, "the bands", |t| has_class(t, "risk-bands"));
    let legend: Vec<(String, Vec<String>)> = outer_html(bands, |t| t.name == "li")
        .into_iter()
        .map(|li| {
            let swatch = Page::parse(li).tags[1].attr("class").unwrap().to_string();
            (swatch, texts(li))
        })
        .collect();
    let band = |class: &str, range: &str, name: &str| {
        (
            format!("risk-score risk-{class}"),
            vec![range.to_string(), name.to_string()],
        )
    };
    assert_eq!(
        legend,
        [
            band("low", "1–3", "Low"),
            band("medium", "4–6", "Medium"),
            band("high", "8–9", "High"),
            band("critical", "12–16", "Critical"),
        ]
    );
    // The heat maps have the scale's 4 × 4 cells, coloured by the criteria's bands.
    let figure = &outer_html(&html, |t| t.name == "figure")[0];
    let heat: Vec<String> = outer_html(figure, |t| t.name == "td")
        .into_iter()
        .map(class_of)
        .collect();
    assert_eq!(heat.len(), 16);
    assert_eq!(heat[3], "heat heat-critical", "4 × 4 = 16");
    assert_eq!(heat[4], "heat heat-low", "3 × 1 = 3");
    assert_eq!(heat[7], "heat heat-critical heat-hit", "3 × 4 = 12: R-1");
    assert_eq!(heat[10], "heat heat-medium heat-hit", "2 × 3 = 6: R-2");
    assert_eq!(heat[13], "heat heat-low heat-hit", "1 × 2 = 2: R-3");

    let row = |id: &str| {
        only_element(&html, id, |t| t.name == "tr" && t.attr("id") == Some(id)).to_string()
    };
    // R-1: its level as text beside the score, and its actions, the overdue one marked.
    let r1 = row("r-1");
    assert_eq!(
        cells(&r1),
        [
            "R-1",
            "Tailgating into the office RT-1 Fit badge readers · Facilities · due 2026-09-30 Overdue RT-2 Train reception · due 2026-12-15 RT-3 Write visitor rules · done 2026-04-20 Done RT-4 Review the rota · no due date",
            "Facilities",
            "3×4 = 12 Critical",
            "Mitigate",
            "2×2 = 4 Medium",
            "A.7.2 A.5.15",
            "Treating"
        ]
    );
    let actions: Vec<(String, Vec<String>)> = outer_html(&r1, |t| t.name == "li")
        .into_iter()
        .map(|li| (class_of(li), texts(li)))
        .collect();
    let action = |class: &str, texts: &[&str]| {
        (
            class.to_string(),
            texts.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        actions,
        [
            action(
                "action action-overdue",
                &[
                    "RT-1",
                    "Fit badge readers · Facilities · due",
                    "2026-09-30",
                    "Overdue"
                ]
            ),
            action(
                "action action-open",
                &["RT-2", "Train reception · due", "2026-12-15"]
            ),
            action(
                "action action-done",
                &["RT-3", "Write visitor rules · done", "2026-04-20", "Done"]
            ),
            action(
                "action action-open",
                &["RT-4", "Review the rota · no due date"]
            ),
        ]
    );
    let overdue = only_element(&r1, "the overdue badge", |t| {
        has_class(t, "badge-action-overdue")
    });
    assert_eq!(texts(overdue), ["Overdue"]);
    let levels: Vec<(String, String)> = outer_html(&r1, |t| has_class(t, "risk-level"))
        .into_iter()
        .map(|l| (class_of(l), texts(l).join(" ")))
        .collect();
    assert_eq!(
        levels,
        [
            (
                "risk-level risk-level-critical".to_string(),
                "Critical".to_string()
            ),
            (
                "risk-level risk-level-medium".to_string(),
                "Medium".to_string()
            ),
        ]
    );

    // Accepted risks: who accepted them, when, and until when; a lapsed acceptance stands out.
    let acceptance = |id: &str| {
        let r = row(id);
        let p = only_element(&r, "the acceptance", |t| has_class(t, "risk-acceptance")).to_string();
        (class_of(&p), texts(&p))
    };
    assert_eq!(
        acceptance("r-2"),
        (
            "risk-acceptance".to_string(),
            vec!["Accepted by COO on 2026-02-01, until 2027-02-01".to_string()]
        )
    );
    assert_eq!(
        acceptance("r-3"),
        (
            "risk-acceptance acceptance-expired".to_string(),
            vec![
                "Accepted by CISO on 2025-01-15, expired on 2026-01-15".to_string(),
                "Expired".to_string()
            ]
        )
    );
    assert_eq!(
        outer_html(&r1, |t| has_class(t, "risk-acceptance")).len(),
        0,
        "R-1 is not accepted"
    );
}

#[test]
fn risks_csv_is_the_register_with_scores_levels_acceptance_and_actions() {
    let built = build_ok(risk_repo().path());
    assert_eq!(
        read(&built.out, "exports/risks.csv"),
        "\
id,title,description,owner,likelihood,impact,score,level,treatment,residual_likelihood,residual_impact,residual_score,residual_level,status,controls,accepted_by,accepted_on,acceptance_expires,actions
R-1,Tailgating into the office,,Facilities,3,4,12,critical,mitigate,2,2,4,medium,treating,A.7.2; A.5.15,,,,\"RT-1 Fit badge readers (due 2026-09-30, overdue); RT-2 Train reception (due 2026-12-15, open); RT-3 Write visitor rules (due 2026-05-01, done 2026-04-20); RT-4 Review the rota (open)\"
R-2,Supplier outage,,COO,2,3,6,medium,accept,,,,,accepted,,COO,2026-02-01,2027-02-01,
R-3,Old laptops,,Head of IT,1,2,2,low,accept,,,,,accepted,,CISO,2025-01-15,2026-01-15,
"
    );
}

#[test]
fn risks_xlsx_holds_the_criteria_and_the_register() {
    let built = build_ok(risk_repo().path());
    let book = Workbook::read(&built.out.join("exports/risks.xlsx"));
    let block: Vec<Vec<String>> = (0..5).map(|r| book.row(r)).collect();
    assert_eq!(
        block,
        [
            vec!["Organisation", "not stated"],
            vec!["Scale", "likelihood and impact 1 to 4"],
            vec!["Levels", "Low 1–3, Medium 4–6, High 8–9, Critical 12–16"],
            vec!["Risk appetite", "residual score up to 6"],
            vec!["Generated on", TODAY],
        ]
    );
    assert_eq!(
        book.row(6)[..8],
        [
            "ID",
            "Risk",
            "Description",
            "Owner",
            "Likelihood",
            "Impact",
            "Score",
            "Level"
        ]
    );
    assert_eq!(book.rows(), 7 + 3);
    let r2 = book.row(8);
    assert_eq!(
        r2,
        [
            "R-2",
            "Supplier outage",
            "",
            "COO",
            "2",
            "3",
            "6",
            "medium",
            "accept",
            "",
            "",
            "",
            "",
            "accepted",
            "",
            "COO",
            "2026-02-01",
            "2027-02-01"
        ]
    );
    // Text is written as strings, the ratings and scores as numbers; nothing is a formula.
    let kinds: Vec<&str> = (0..18)
        .filter_map(|c| book.cells.get(&(8, c)))
        .map(|c| c.kind.as_str())
        .collect();
    assert_eq!(
        kinds,
        ["s", "s", "s", "n", "n", "n", "s", "s", "s", "s", "s", "s"]
    );
    assert!(book.cells.values().all(|c| !c.formula));
}

#[test]
fn reviews_ics_has_an_event_for_each_open_treatment_action_with_a_due_date() {
    let built = build_ok(risk_repo().path());
    let ics = read(&built.out, "exports/reviews.ics");
    let events: Vec<Vec<&str>> = ics
        .split("BEGIN:VEVENT\r\n")
        .skip(1)
        .map(|e| e.split("\r\n").take_while(|l| *l != "END:VEVENT").collect())
        .collect();
    assert_eq!(
        events,
        [
            vec![
                "UID:action-RT-1@annexa",
                "DTSTAMP:20261101T000000Z",
                "DTSTART;VALUE=DATE:20260930",
                "DTEND;VALUE=DATE:20261001",
                "SUMMARY:Risk treatment due: RT-1 Fit badge readers (R-1)",
                "DESCRIPTION:Owner: Facilities\\nRisk: R-1 Tailgating into the office",
                "TRANSP:TRANSPARENT",
            ],
            vec![
                "UID:action-RT-2@annexa",
                "DTSTAMP:20261101T000000Z",
                "DTSTART;VALUE=DATE:20261215",
                "DTEND;VALUE=DATE:20261216",
                "SUMMARY:Risk treatment due: RT-2 Train reception (R-1)",
                "DESCRIPTION:Owner: Facilities\\nRisk: R-1 Tailgating into the office",
                "TRANSP:TRANSPARENT",
            ],
        ],
        "RT-3 is done and RT-4 has no due date: no event for them"
    );
}
