//! The ISMS registers (`audits.toml`, `findings.toml`, `evidence.toml`,
//! `management-reviews.toml`): reading them, and each of their lints with its exact diagnostic.

mod common;

use common::{Repo, Report, TODAY, annexa};

type Found = Vec<(String, String, Option<String>)>;

fn found(report: &Report, lints: &[&str]) -> Found {
    report
        .diagnostics
        .iter()
        .filter(|d| lints.is_empty() || lints.contains(&d.lint.as_str()))
        .map(|d| (d.place(), d.message.clone(), d.help.clone()))
        .collect()
}

fn one(place: &str, message: &str, help: &str) -> (String, String, Option<String>) {
    (
        place.to_string(),
        message.to_string(),
        Some(help.to_string()),
    )
}

fn plain(place: &str, message: &str) -> (String, String, Option<String>) {
    (place.to_string(), message.to_string(), None)
}

#[test]
fn bad_register_entries_are_reported_where_they_are_written() {
    let audits = "[programme]\ncycle = \"3 yaers\"\n\n\
        [[audits]]\nid = \"IA-1\"\ntitle = \"Access\"\nscope = [\"A.5.15\", \"A.5.99\", \"iso27001-2022-clauses:9.2\"]\nclauses = [\"9.2.3\"]\nplaned = 2026-01-01\n\n\
        [[audits]]\nid = \"ia-1\"\ntitle = \"Twice\"\n\n\
        [[audits]]\ntitle = \"No id\"\n";
    let findings = "[[findings]]\nid = \"NC-1\"\nkind = \"mayor\"\nsource = \"IA-2\"\n\n\
        [[findings]]\nid = \"NC-2\"\nkind = \"minor\"\nsource = \"incident INC-42\"\nclauses = [\"10.2\"]\n\
        actions = [{ id = \"CA-1\", action = \"Fix\", due = 2027-01-01, done = true }]\n";
    let evidence = "[[evidence]]\nid = \"EV-1\"\ntitle = \"Review\"\nvalid_for = \"3 months\"\n\n\
        [[evidence]]\nid = \"EV-2\"\ntitle = \"Both\"\ncollected = 2026-01-01\nvalid_for = \"1 year\"\nexpires = 2027-01-01\n";
    let reviews = "[management]\ninterval = \"12 months\"\n\n[[reviews]]\ndate = 2026-06-22\ninputs = [\"a\", \"d.5\", \"h\"]\n\n[[reviews]]\nminutes = \"m.md\"\n";
    let report = Repo::new()
        .file("audits.toml", audits)
        .file("findings.toml", findings)
        .file("evidence.toml", evidence)
        .file("management-reviews.toml", reviews)
        .check(&[]);
    assert_eq!(report.code, 1);
    let reading = [
        "invalid-config",
        "unknown-control",
        "unknown-field",
        "duplicate-id",
        "missing-field",
    ];
    assert_eq!(
        found(&report, &reading),
        [
            plain(
                "invalid-config audits.toml:2:9",
                "`programme.cycle`: `yaers` is not an interval unit: use day(s), week(s), month(s) or year(s)"
            ),
            one(
                "unknown-control audits.toml:7:20",
                "control `A.5.99` is not in any framework in use",
                "did you mean `A.5.9`?"
            ),
            one(
                "unknown-control audits.toml:8:12",
                "clause `9.2.3` is not a clause of ISO/IEC 27001:2022",
                "did you mean `9.2.1`?"
            ),
            one(
                "unknown-field audits.toml:9:1",
                "unknown key `audits.planed`",
                "did you mean `audits.planned`?"
            ),
            one(
                "duplicate-id audits.toml:12:6",
                "audit id `ia-1` is used twice",
                "`IA-1` is at line 5"
            ),
            plain("missing-field audits.toml:15:1", "an audit needs `id`"),
            one(
                "invalid-config evidence.toml:4:13",
                "`evidence.valid_for` counts from `collected`, which is missing",
                "add `collected = <date>`, or give `expires = <date>` instead"
            ),
            plain(
                "invalid-config evidence.toml:11:11",
                "give `evidence.valid_for` or `evidence.expires`, not both"
            ),
            one(
                "invalid-config findings.toml:3:8",
                "`findings.kind` \"mayor\" is not one of major, minor, observation, opportunity",
                "did you mean \"major\"?"
            ),
            one(
                "invalid-config findings.toml:4:10",
                "`findings.source` \"IA-2\" is not an audit of the programme",
                "did you mean \"IA-1\"?"
            ),
            one(
                "invalid-config findings.toml:11:68",
                "`findings.actions.done` must be the date the action was done, or false",
                "write the completion date, e.g. done = 2026-04-20"
            ),
            one(
                "invalid-config management-reviews.toml:6:16",
                "`reviews.inputs` \"d.5\" is not an input of ISO/IEC 27001:2022 9.3.2",
                "did you mean \"d.1\"?"
            ),
            one(
                "invalid-config management-reviews.toml:6:23",
                "`reviews.inputs` \"h\" is not an input of ISO/IEC 27001:2022 9.3.2",
                "the inputs of 9.3.2 are a, b, c, d, d.1, d.2, d.3, d.4, e, f, g"
            ),
            plain(
                "missing-field management-reviews.toml:8:1",
                "a management review needs `date`"
            ),
        ]
    );
}

const ACME: &str = "id = \"acme\"\nname = \"Acme controls\"\n\n\
    [[controls]]\nid = \"C-1\"\ntitle = \"One\"\n\n\
    [[controls]]\nid = \"C-2\"\ntitle = \"Two\"\n\n\
    [[controls]]\nid = \"C-3\"\ntitle = \"Three\"\n";

const AUDITS: &str = "[programme]\ncycle = \"1 year\"\n\n\
    [[audits]]\nid = \"IA-1\"\ntitle = \"Suppliers\"\nscope = [\"C-1\", \"C-2\"]\nclauses = [\"8.1\"]\n\
    planned = 2026-02-10\nperformed = 2026-02-12\nauditor = \"security compliance manager\"\nreport = \"records/report-1.md\"\n\n\
    [[audits]]\nid = \"IA-2\"\ntitle = \"Access\"\nscope = [\"C-1\"]\nplanned = 2026-10-01\n\n\
    [[audits]]\nid = \"IA-3\"\ntitle = \"Clauses\"\n\
    clauses = [\"4.1\", \"4.2\", \"4.3\", \"4.4\", \"5.1\", \"5.2\", \"5.3\", \"6.1\", \"6.2\", \"6.3\", \"7.1\", \"7.2\", \"7.3\", \"7.4\", \"7.5\", \"8.2\", \"8.3\", \"9.1\", \"9.2\", \"9.3\", \"10.1\"]\n\
    planned = 2026-03-01\nperformed = 2026-03-02\nauditor = \"External auditor\"\nreport = \"records/missing.md\"\n\n\
    [[audits]]\nid = \"IA-4\"\ntitle = \"Old\"\nscope = [\"C-2\"]\nperformed = 2025-01-01\n\n\
    [[audits]]\nid = \"IA-5\"\ntitle = \"Next year\"\nplanned = 2027-03-01\n";

const FINDINGS: &str = "[[findings]]\nid = \"NC-1\"\nraised = 2026-02-12\nsource = \"IA-1\"\nkind = \"major\"\ncontrols = [\"C-1\"]\n\
    actions = [{ id = \"CA-1\", action = \"Fix it\", owner = \"IT\", due = 2026-10-01 }, { id = \"rt-1\", action = \"Again\", due = 2027-01-01 }]\n\n\
    [[findings]]\nid = \"NC-2\"\nkind = \"minor\"\nsource = \"incident INC-42\"\nowner = \"Ops\"\n\
    actions = [{ id = \"CA-2\", action = \"Train\", due = 2026-04-01, done = 2026-03-30 }, { id = \"CA-3\", action = \"Check\", due = 2026-10-31 }]\nclosed = 2026-05-02\n\n\
    [[findings]]\nid = \"OBS-1\"\nkind = \"observation\"\nclosed = 2026-05-02\n\n\
    [[findings]]\nid = \"NC-3\"\nkind = \"major\"\nclosed = 2026-06-01\nverified_by = \"CISO\"\n";

const EVIDENCE: &str = "[[evidence]]\nid = \"EV-1\"\ntitle = \"Access review\"\ncontrols = [\"C-1\"]\nowner = \"IT\"\n\
    collected = 2026-07-01\nvalid_for = \"3 months\"\nlocation = \"https://drive.example.com/ev-1\"\n\n\
    [[evidence]]\nid = \"EV-2\"\ntitle = \"Backup test\"\nexpires = 2026-11-15\nlocation = \"records/restore.md\"\n\n\
    [[evidence]]\nid = \"EV-3\"\ntitle = \"Policy\"\nexpires = 2027-06-01\nlocation = \"records/report-1.md#nope\"\n\n\
    [[evidence]]\nid = \"EV-4\"\ntitle = \"Today\"\nexpires = 2026-11-01\n";

const REVIEWS: &str = "[management]\ninterval = \"3 months\"\n\n\
    [[reviews]]\ndate = 2026-03-01\ninputs = [\"a\"]\n\n\
    [[reviews]]\ndate = 2026-06-18\nminutes = \"records/minutes.md\"\ninputs = [\"a\", \"b\", \"c\", \"d\", \"d.2\", \"e\", \"f\", \"g\"]\n\n\
    [[reviews]]\ndate = 2027-01-10\n";

/// A repository with every register, the Acme catalog (C-3 excluded), a supplier policy and a
/// risk owned by the Security Compliance Manager, and an audit report.
fn registers_repo() -> Repo {
    Repo::with_config(
        "title = \"T\"\nframeworks = [\"acme\"]\n\n[lints]\nunmapped-control = \"off\"\nsoa-unapproved = \"off\"\nsoa-inclusion-unjustified = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("frameworks/acme.toml", ACME)
    .file(
        "soa.toml",
        "[controls.\"C-3\"]\napplicable = false\njustification = \"No.\"\n",
    )
    .file(
        "policies/suppliers.md",
        "+++\ntitle = \"Supplier Policy\"\nowner = \"Security Compliance Manager\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-1\"]\n+++\n\n# Suppliers\n",
    )
    .file(
        "policies/programme.md",
        "+++\ntitle = \"Audit Programme\"\nowner = \"Security Compliance Manager\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-1\"]\nclauses = [\"9.2.2\"]\n+++\n\n# Programme\n",
    )
    .file(
        "policies/operations.md",
        "+++\ntitle = \"Operations\"\nowner = \"Security Compliance Manager\"\nlast_reviewed = 2026-06-01\nclauses = [\"8.1\"]\n+++\n\n# Operations\n",
    )
    .file(
        "records/report-1.md",
        "+++\ntitle = \"IA-1 report\"\nowner = \"Security Compliance Manager\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-2\"]\n+++\n\n# Findings\n",
    )
    .file(
        "risks.toml",
        "[[risks]]\nid = \"R-1\"\ntitle = \"Supplier breach\"\nowner = \"Security Compliance Manager\"\ncontrols = [\"C-2\"]\n\
         actions = [{ id = \"RT-1\", action = \"Review\", due = 2027-01-01 }]\n",
    )
    .file("audits.toml", AUDITS)
    .file("findings.toml", FINDINGS)
    .file("evidence.toml", EVIDENCE)
    .file("management-reviews.toml", REVIEWS)
}

#[test]
fn each_register_lint_reports_its_finding() {
    let report = registers_repo().check(&[]);
    assert_eq!(report.code, 1);
    let help_evidence = |owner: &str| {
        format!("owner: {owner}; collect it again and update `collected` (or `expires`)")
    };
    let action_help = |owner: &str| {
        format!("owner: {owner}; set `done` to the date it was done, or agree a new `due` date")
    };
    assert_eq!(
        found(&report, &[]),
        [
            one(
                "audit-coverage-gap audits.toml:2:9",
                "clauses of ISO/IEC 27001:2022 not in the scope of an audit performed in the last 1 year (1): 10.2",
                "the programme must audit the whole ISMS each cycle (ISO/IEC 27001:2022 9.2.2): add them to the `scope` or `clauses` of a planned audit"
            ),
            one(
                "auditor-not-independent audits.toml:11:11",
                "auditor security compliance manager of audit IA-1 owns what it audits: policies/operations.md, policies/suppliers.md, risk R-1",
                "auditors must be objective and impartial (ISO/IEC 27001:2022 9.2.2 b): have someone who does not own these audit them"
            ),
            one(
                "audit-overdue audits.toml:18:11",
                "audit IA-2 was planned for 2026-10-01 (31 days ago) and has not been performed",
                "record `performed = <date>` once it is done, or plan it again with a new `planned` date"
            ),
            plain(
                "audit-report-missing audits.toml:27:10",
                "the report of audit IA-3: `records/missing.md` does not exist"
            ),
            one(
                "audit-report-missing audits.toml:33:13",
                "audit IA-4 was performed on 2025-01-01 but names no `report`",
                "keep the audit results (ISO/IEC 27001:2022 9.2.2): add `report = \"<path of the report>\"`"
            ),
            one(
                "evidence-expired evidence.toml:7:13",
                "evidence EV-1 (Access review) expired on 2026-10-01 (31 days ago)",
                &help_evidence("IT")
            ),
            one(
                "evidence-expiring evidence.toml:13:11",
                "evidence EV-2 (Backup test) expires on 2026-11-15, in 14 days",
                &help_evidence("unassigned")
            ),
            plain(
                "broken-link evidence.toml:14:12",
                "`records/restore.md` does not exist"
            ),
            plain(
                "broken-anchor evidence.toml:20:12",
                "`records/report-1.md#nope`: no heading with id `nope` in `records/report-1.md`"
            ),
            one(
                "evidence-expired evidence.toml:25:11",
                "evidence EV-4 (Today) expired on 2026-11-01 (today)",
                &help_evidence("unassigned")
            ),
            one(
                "finding-open-major findings.toml:5:8",
                "major nonconformity NC-1 is still open",
                "a certification body will not certify with a major nonconformity open: correct it, then record `closed` and `verified_by`"
            ),
            one(
                "finding-action-overdue findings.toml:7:12",
                "corrective action CA-1 of finding NC-1 was due on 2026-10-01 (31 days ago): Fix it",
                &action_help("IT")
            ),
            one(
                "duplicate-id findings.toml:7:80",
                "action id `rt-1` is already used",
                "risk R-1 has it in risks.toml at line 6"
            ),
            one(
                "finding-action-overdue findings.toml:14:84",
                "corrective action CA-3 of finding NC-2 was due on 2026-10-31 (1 day ago): Check",
                &action_help("Ops")
            ),
            one(
                "finding-unverified findings.toml:15:10",
                "nonconformity NC-2 was closed on 2026-05-02 without `verified_by`",
                "record who checked that the corrective actions worked (ISO/IEC 27001:2022 10.2 d)"
            ),
            one(
                "management-review-overdue management-reviews.toml:9:8",
                "no management review since 2026-06-18: the next was due by 2026-09-18 (44 days ago)",
                "top management reviews the ISMS at planned intervals (ISO/IEC 27001:2022 9.3.1; `management.interval` is 3 months)"
            ),
            one(
                "management-review-incomplete management-reviews.toml:9:8",
                "the management review of 2026-06-18 did not cover 9.3.2 d.1 (Trends: nonconformities and corrective actions), d.3 (Trends: audit results), d.4 (Trends: achievement of information security objectives)",
                "consider every input of ISO/IEC 27001:2022 9.3.2 and list it in `inputs` (d counts when d.1 to d.4 are all listed)"
            ),
            plain(
                "broken-link management-reviews.toml:10:11",
                "`records/minutes.md` does not exist"
            ),
        ]
    );
}

#[test]
fn date_driven_register_findings_fail_check_but_not_build() {
    let repo = registers_repo()
        .file("audits.toml", "[[audits]]\nid = \"IA-2\"\ntitle = \"Access\"\nscope = [\"C-1\", \"C-2\"]\nplanned = 2026-10-01\n")
        .file("findings.toml", "[[findings]]\nid = \"NC-1\"\nkind = \"minor\"\nactions = [{ id = \"CA-1\", action = \"Fix\", due = 2026-10-01 }]\n")
        .file("evidence.toml", "[[evidence]]\nid = \"EV-1\"\ntitle = \"Old\"\nexpires = 2026-10-01\n")
        .file("management-reviews.toml", "[[reviews]]\ndate = 2025-06-01\ninputs = [\"a\", \"b\", \"c\", \"d.1\", \"d.2\", \"d.3\", \"d.4\", \"e\", \"f\", \"g\"]\n");
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    let lints: Vec<&str> = report.diagnostics.iter().map(|d| d.lint.as_str()).collect();
    assert_eq!(
        lints,
        [
            "audit-coverage-gap",
            "audit-coverage-gap",
            "audit-overdue",
            "evidence-expired",
            "finding-action-overdue",
            "management-review-overdue",
        ]
    );
    let out = tempfile::tempdir().unwrap();
    let output = annexa()
        .arg("build")
        .arg(repo.path())
        .arg("-o")
        .arg(out.path().join("site"))
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
}

#[test]
fn empty_registers_raise_no_date_driven_finding() {
    let repo = Repo::new()
        .file("audits.toml", "[programme]\ncycle = \"3 years\"\n")
        .file("findings.toml", "")
        .file("evidence.toml", "")
        .file(
            "management-reviews.toml",
            "[management]\ninterval = \"12 months\"\n",
        );
    let report = repo.check(&[]);
    assert_eq!(found(&report, &[]), []);
    assert_eq!(report.code, 0);
}

/// A repository whose registers hold only findings that come from the date, so that it builds.
fn site_repo() -> Repo {
    registers_repo()
        .file("records/restore.md", "+++\ntitle = \"Restore test\"\nowner = \"IT\"\nlast_reviewed = 2026-06-01\n+++\n\n# Restore\n")
        .file("records/minutes.md", "+++\ntitle = \"Minutes\"\nowner = \"CEO\"\nlast_reviewed = 2026-06-01\n+++\n\n# Minutes\n")
        .file("records/missing.md", "+++\ntitle = \"IA-3 report\"\nowner = \"External auditor\"\nlast_reviewed = 2026-06-01\n+++\n\n# Report\n")
        .file("evidence.toml", &EVIDENCE.replace("#nope", "#findings").replace("https://drive.example.com/ev-1", "javascript:alert(1)"))
        .file("findings.toml", &FINDINGS.replace("\"rt-1\"", "\"CA-9\""))
        .file("audits.toml", &AUDITS.replace("\nid = \"IA-4\"\ntitle = \"Old\"\nscope = [\"C-2\"]\nperformed = 2025-01-01\n", "\nid = \"IA-4\"\ntitle = \"Old\"\nscope = [\"C-2\"]\nperformed = 2025-01-01\nreport = \"records/restore.md\"\n"))
}

fn read(site: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(site.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_registers_have_pages_exports_and_calendar_events() {
    let repo = site_repo();
    let report = repo.check(&[]);
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity == "error")
        .map(|d| d.lint.clone())
        .collect();
    assert_eq!(
        errors,
        [
            "audit-overdue",
            "evidence-expired",
            "evidence-expired",
            "finding-action-overdue",
            "finding-action-overdue",
            "management-review-overdue"
        ]
    );
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let output = annexa()
        .arg("build")
        .arg(repo.path())
        .arg("-o")
        .arg(&site)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    for page in [
        "audits/index.html",
        "audits/ia-1/index.html",
        "audits/ia-5/index.html",
        "findings/index.html",
        "findings/nc-1/index.html",
        "evidence/index.html",
        "evidence/ev-1/index.html",
    ] {
        assert!(site.join(page).is_file(), "{page}");
    }
    let audit = read(&site, "audits/ia-1/index.html");
    assert!(
        audit.contains("<a href=\"../../records/report-1/\">records/report-1.md</a>"),
        "{audit}"
    );
    assert!(
        audit.contains(
            "<a class=\"mono\" href=\"../../findings/nc-1/\">NC-1</a> Major nonconformity"
        ),
        "{audit}"
    );
    let evidence = read(&site, "evidence/ev-1/index.html");
    // A location with another scheme than http(s) is never a link.
    assert!(
        evidence.contains("<dd>javascript:alert(1)</dd>"),
        "{evidence}"
    );
    assert!(!evidence.contains("href=\"javascript"), "{evidence}");
    let control = read(&site, "controls/acme/c-1/index.html");
    for line in [
        "<a class=\"mono\" href=\"../../../evidence/ev-1/\">EV-1</a> Access review <span class=\"badge badge-record badge-record-expired\">Expired</span>",
        "<a class=\"mono\" href=\"../../../findings/nc-1/\">NC-1</a> Major nonconformity <span class=\"badge badge-record badge-record-open\">Open</span>",
        "<a class=\"mono\" href=\"../../../audits/ia-1/\">IA-1</a> Suppliers <span class=\"badge badge-record badge-record-performed\">Performed</span>",
    ] {
        assert!(control.contains(line), "{line}\n{control}");
    }
    let matrix = read(&site, "controls/index.html");
    assert!(matrix.contains("<th scope=\"col\" class=\"col-ready\">Ready</th>"));
    let csv = read(&site, "exports/findings.csv");
    assert_eq!(
        csv.lines().next(),
        Some(
            "id,raised,source,kind,clauses,controls,description,owner,cause,actions,closed,verified_by,status"
        )
    );
    assert_eq!(
        csv.lines().nth(1),
        Some(
            "NC-1,2026-02-12,IA-1,major,,C-1,,,,\"CA-1 Fix it (due 2026-10-01, overdue); CA-9 Again (due 2027-01-01, open)\",,,open"
        )
    );
    let audits = read(&site, "exports/audits.csv");
    assert_eq!(
        audits.lines().take(2).collect::<Vec<_>>(),
        [
            "id,title,scope,clauses,planned,performed,status,auditor,report,findings",
            "IA-1,Suppliers,C-1; C-2,8.1,2026-02-10,2026-02-12,performed,security compliance manager,records/report-1.md,NC-1",
        ]
    );
    let evidence = read(&site, "exports/evidence.csv");
    assert_eq!(
        evidence.lines().take(3).collect::<Vec<_>>(),
        [
            "id,title,controls,owner,collected,expires,status,location",
            "EV-1,Access review,C-1,IT,2026-07-01,2026-10-01,expired,javascript:alert(1)",
            "EV-2,Backup test,,,,2026-11-15,expiring,records/restore.md",
        ]
    );
    let ics = read(&site, "exports/reviews.ics");
    for uid in [
        "UID:audit-IA-2@annexa",
        "UID:audit-IA-5@annexa",
        "UID:action-CA-1@annexa",
        "UID:action-CA-3@annexa",
        "UID:evidence-EV-1@annexa",
        "UID:management-review@annexa",
    ] {
        assert!(ics.contains(uid), "{uid}\n{ics}");
    }
    assert!(
        !ics.contains("UID:audit-IA-1@annexa"),
        "a performed audit has no event"
    );
    assert!(
        !ics.contains("UID:action-CA-2@annexa"),
        "a done action has no event"
    );
    assert!(
        ics.contains("SUMMARY:Corrective action due: CA-1 Fix it (NC-1)\r\n"),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20260918\r\n"),
        "the next review: {ics}"
    );
}
