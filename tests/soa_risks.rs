//! The SoA as a decision record and the risk → control chain: each lint of ISO/IEC 27001:2022
//! 6.1.2, 6.1.3 and 8.3 with its exact diagnostic (file, line, message, help).

mod common;

use common::{Repo, Report, TODAY, annexa};

/// A catalog of three controls and one of two requirements (the second a sub-clause of the
/// first), so that reports stay short.
const ACME: &str = "id = \"acme\"\nname = \"Acme controls\"\n\n\
    [[controls]]\nid = \"C-1\"\ntitle = \"One\"\n\n\
    [[controls]]\nid = \"C-2\"\ntitle = \"Two\"\n\n\
    [[controls]]\nid = \"C-3\"\ntitle = \"Three\"\n";
const RULES: &str = "id = \"rules\"\nname = \"Acme rules\"\nkind = \"requirements\"\n\n\
    [[controls]]\nid = \"R.1\"\ntitle = \"Governance\"\n\n\
    [[controls]]\nid = \"R.1.1\"\ntitle = \"Board\"\n";

/// A repository with the two catalogs and `unmapped-control` off, an approved document that
/// maps C-1, and `soa.toml`.
fn repo(soa: &str) -> Repo {
    Repo::with_config(
        "title = \"T\"\nframeworks = [\"acme\", \"rules\"]\n\n[lints]\nunmapped-control = \"off\"\nmandatory-document-missing = \"off\"\n",
    )
    .file("frameworks/acme.toml", ACME)
    .file("frameworks/rules.toml", RULES)
    .file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"O\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-1\", \"R.1.1\"]\n+++\n\n# A\n",
    )
    .file("soa.toml", soa)
}

const STATEMENT: &str = "[statement]\nversion = \"2026.2\"\napproved_by = \"Steering Group\"\napproved_on = 2026-06-22\n\n";

type Found = Vec<(String, String, Option<String>)>;

fn found(report: &Report, lints: &[&str]) -> Found {
    report
        .diagnostics
        .iter()
        .filter(|d| lints.contains(&d.lint.as_str()))
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

const INCLUSION_HELP: &str = "give it `reasons = [\"legal\" | \"regulatory\" | \"contract\" | \"business\"]` or a `justification` in soa.toml, or list it in the `controls` of a risk it treats";

#[test]
fn soa_decisions_need_their_justification() {
    let soa = format!(
        "{STATEMENT}[controls.\"C-1\"]\nreasons = [\"contract\"]\n\n\
         [controls.\"C-2\"]\napplicable = false\nimplementation = \"implemented\"\n\n\
         [controls.\"R.1\"]\napplicable = false\njustification = \"We have no board.\"\n"
    );
    let report = repo(&soa).check(&[]);
    assert_eq!(report.code, 1);
    let lints = [
        "soa-exclusion-unjustified",
        "soa-excluded-implemented",
        "soa-inclusion-unjustified",
        "clause-excluded",
        "soa-unapproved",
    ];
    assert_eq!(
        found(&report, &lints),
        [
            one(
                "soa-inclusion-unjustified soa.toml",
                "control C-3 Three is applicable with no justification, no reason and no risk treating it",
                INCLUSION_HELP
            ),
            one(
                "soa-exclusion-unjustified soa.toml:9:11",
                "control C-2 Two is excluded without a justification",
                "the SoA must justify every exclusion (ISO/IEC 27001:2022 6.1.3 d): add `justification = \"…\"`"
            ),
            one(
                "soa-excluded-implemented soa.toml:11:18",
                "control C-2 Two is excluded, yet its implementation is stated as \"implemented\"",
                "remove `implementation`, or make the control applicable"
            ),
            one(
                "clause-excluded soa.toml:13:11",
                "rules:R.1 Governance is marked not applicable, but the requirements of Acme rules are mandatory",
                "remove `applicable = false`: only controls can be excluded"
            ),
        ]
    );
    let severities: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.severity.as_str())
        .collect();
    assert_eq!(severities, ["warning", "error", "error", "error"]);
}

#[test]
fn a_risk_gives_its_controls_the_reason_risk() {
    let soa = format!("{STATEMENT}[controls.\"C-1\"]\nreasons = [\"legal\"]\n");
    let report = repo(&soa)
        .file(
            "risks.toml",
            "[[risks]]\nid = \"R-9\"\ntitle = \"X\"\ncontrols = [\"C-2\"]\n",
        )
        .check(&[]);
    assert_eq!(
        found(&report, &["soa-inclusion-unjustified"]),
        [one(
            "soa-inclusion-unjustified soa.toml",
            "control C-3 Three is applicable with no justification, no reason and no risk treating it",
            INCLUSION_HELP
        )]
    );
}

#[test]
fn the_soa_records_its_version_and_approval() {
    let none = repo("[controls.\"C-1\"]\nreasons = [\"legal\"]\n").check(&[]);
    assert_eq!(
        found(&none, &["soa-unapproved"]),
        [one(
            "soa-unapproved soa.toml:1:1",
            "the SoA has no version and no record of its approval",
            "add [statement] with version = \"…\", approved_by = \"…\" and approved_on = YYYY-MM-DD"
        )]
    );
    let partial = repo("\n[statement]\nversion = 3\n").check(&[]);
    assert_eq!(
        found(&partial, &["soa-unapproved"]),
        [one(
            "soa-unapproved soa.toml:2:2",
            "the SoA's [statement] lacks `approved_by`, `approved_on`",
            "add [statement] with version = \"…\", approved_by = \"…\" and approved_on = YYYY-MM-DD"
        )]
    );
    let whole = repo(STATEMENT).check(&[]);
    assert_eq!(found(&whole, &["soa-unapproved"]), []);
}

#[test]
fn unknown_reasons_and_statement_keys_are_invalid() {
    let soa = "[statement]\nversion = \"1\"\napproved = \"CEO\"\n\n\
               [controls.\"C-1\"]\nreasons = [\"risk\", \"contractual\", \"whim\"]\n";
    let report = repo(soa).check(&[]);
    assert_eq!(
        found(&report, &["invalid-config", "unknown-field"]),
        [
            one(
                "unknown-field soa.toml:3:1",
                "unknown key `statement.approved`",
                "did you mean `statement.approved_by`?"
            ),
            one(
                "invalid-config soa.toml:6:20",
                "`controls.\"C-1\".reasons` \"contractual\" is not one of risk, legal, regulatory, contract, business",
                "did you mean \"contract\"?"
            ),
            one(
                "invalid-config soa.toml:6:35",
                "`controls.\"C-1\".reasons` \"whim\" is not one of risk, legal, regulatory, contract, business",
                "use one of: risk, legal, regulatory, contract, business"
            ),
        ]
    );
}

#[test]
fn a_bare_id_of_two_catalogs_in_use_is_ambiguous() {
    let repo = Repo::with_config(
        "title = \"T\"\nframeworks = [\"iso27001-2022\", \"iso27001-2022-clauses\"]\n\n[lints]\nunmapped-control = \"off\"\n",
    )
    .file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"O\"\nlast_reviewed = 2026-06-01\ncontrols = [\"6.1\", \"A.6.1\", \"iso27001-2022-clauses:6.1\", \"8.1\"]\n+++\n\n# A\n",
    );
    let report = repo.check(&[]);
    assert_eq!(
        found(&report, &["ambiguous-control", "unknown-control"]),
        [
            one(
                "ambiguous-control policies/a.md:5:13",
                "control `6.1` is in 2 frameworks in use",
                "write the full id: `iso27001-2022:A.6.1` or `iso27001-2022-clauses:6.1`"
            ),
            one(
                "ambiguous-control policies/a.md:5:58",
                "control `8.1` is in 2 frameworks in use",
                "write the full id: `iso27001-2022:A.8.1` or `iso27001-2022-clauses:8.1`"
            ),
        ]
    );
}

#[test]
fn a_control_on_overdue_or_unapproved_documents_is_weakly_covered() {
    let page = |title: &str, extra: &str| {
        format!("+++\ntitle = \"{title}\"\nowner = \"O\"\n{extra}\n+++\n\n# {title}\n")
    };
    let repo = Repo::with_config(&format!(
        "title = \"T\"\nframeworks = [\"acme\"]\n\n{}",
        common::SOA_LINTS_OFF
    ))
    .file("frameworks/acme.toml", ACME)
    .file(
        "policies/current.md",
        &page(
            "Current",
            "last_reviewed = 2026-06-01\ncontrols = [\"C-1\", \"C-2\"]",
        ),
    )
    .file(
        "policies/overdue.md",
        &page(
            "Overdue",
            "last_reviewed = 2025-06-01\ncontrols = [\"C-2\", \"C-3\"]",
        ),
    )
    .file(
        "policies/review.md",
        &page(
            "In review",
            "status = \"review\"\nlast_reviewed = 2026-06-01\ncontrols = [\"C-3\"]",
        ),
    );
    let report = repo.check(&[]);
    assert_eq!(
        found(&report, &["control-weak-coverage", "unmapped-control"]),
        [one(
            "control-weak-coverage annexa.toml",
            "control C-3 Three is only weakly covered: no approved document within its review date maps to it",
            "review and approve one of its documents: `policies/overdue.md` (overdue for review), `policies/review.md` (in review)"
        )]
    );
}

#[test]
fn a_parent_requirement_is_covered_by_its_sub_clauses() {
    // R.1.1 is covered by policies/a.md, so R.1 is too; no gap for either.
    let report = Repo::with_config(&format!(
        "title = \"T\"\nframeworks = [\"rules\"]\n\n{}",
        common::SOA_LINTS_OFF
    ))
    .file("frameworks/rules.toml", RULES)
    .file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"O\"\nlast_reviewed = 2026-06-01\ncontrols = [\"R.1.1\"]\n+++\n\n# A\n",
    )
    .check(&[]);
    assert_eq!(
        found(&report, &["unmapped-control", "control-weak-coverage"]),
        []
    );
}

const RISKS: &str = r#"[criteria]
scale = 5
bands = { medium = 5, high = 10, critical = 20 }
appetite = 9

[[risks]]
id = "R-1"
title = "Accepted, recorded"
likelihood = 3
impact = 3
treatment = "accept"
accepted_by = "CEO"
accepted_on = 2026-01-10
acceptance_expires = 2027-01-10
controls = ["C-1"]

[[risks]]
id = "R-2"
title = "Accepted, not recorded"
likelihood = 2
impact = 2
status = "accepted"
accepted_by = "CEO"

[[risks]]
id = "R-3"
title = "Closed above appetite"
likelihood = 4
impact = 5
residual_likelihood = 2
residual_impact = 5
status = "closed"
controls = ["C-2"]

[[risks]]
id = "R-4"
title = "Acceptance lapsed"
likelihood = 2
impact = 3
treatment = "accept"
accepted_by = "CEO"
accepted_on = 2025-01-10
acceptance_expires = 2026-01-10
actions = [
  { id = "RT-1", action = "Patch the VPN", owner = "IT", due = 2026-10-01, done = false },
  { id = "RT-2", action = "Replace the VPN", due = 2026-09-01, done = 2026-08-30 },
  { id = "RT-3", action = "Review the VPN", due = 2027-01-01 },
]
"#;

#[test]
fn risks_are_accepted_on_record_within_the_appetite_and_treated_on_time() {
    let soa =
        format!("{STATEMENT}[controls.\"C-2\"]\napplicable = false\njustification = \"None.\"\n");
    let report = repo(&soa).file("risks.toml", RISKS).check(&[]);
    let lints = [
        "risk-excluded-control",
        "risk-acceptance-missing",
        "risk-above-appetite",
        "risk-acceptance-expired",
        "risk-action-overdue",
        "invalid-config",
        "duplicate-id",
    ];
    assert_eq!(
        found(&report, &lints),
        [
            one(
                "risk-acceptance-missing risks.toml:22:10",
                "risk R-2 is accepted, but `accepted_on` is missing",
                "risk owners accept residual risks (ISO/IEC 27001:2022 6.1.3 f): record who accepted it and when"
            ),
            one(
                "risk-above-appetite risks.toml:26:6",
                "risk R-3 is closed at score 10 (high), above the risk appetite of 9",
                "treat it further, or record why it is accepted above the appetite"
            ),
            one(
                "risk-excluded-control risks.toml:33:13",
                "risk R-3 is treated by control C-2 Two, which the SoA excludes",
                "make the control applicable in soa.toml (line 6), or treat the risk with another control"
            ),
            one(
                "risk-acceptance-expired risks.toml:43:22",
                "the acceptance of risk R-4 expired on 2026-01-10 (295 days ago)",
                "review the risk with its owner (unassigned), then renew the acceptance or change the treatment"
            ),
            one(
                "risk-action-overdue risks.toml:45:3",
                "treatment action RT-1 of risk R-4 was due on 2026-10-01 (31 days ago): Patch the VPN",
                "owner: IT; set `done` to the date it was done, or agree a new `due` date"
            ),
        ]
    );
}

#[test]
fn date_driven_risk_findings_fail_check_but_not_build() {
    let risks = "[[risks]]\nid = \"R-1\"\ntitle = \"X\"\ntreatment = \"accept\"\naccepted_by = \"CEO\"\n\
                 accepted_on = 2025-01-01\nacceptance_expires = 2026-01-01\n\
                 actions = [{ id = \"RT-1\", action = \"Fix\", due = 2026-01-01 }]\n";
    let repo = repo(STATEMENT).file("risks.toml", risks);
    let report = repo.check(&[]);
    assert_eq!(report.code, 1);
    assert_eq!(
        found(&report, &["risk-acceptance-expired", "risk-action-overdue"]).len(),
        2
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
fn bad_criteria_and_actions_are_invalid_config() {
    let risks = "[criteria]\nscale = 4\nbands = { medium = 6, high = 5, critical = 12 }\nappetite = 17\n\n\
                 [[risks]]\nid = \"R-1\"\ntitle = \"X\"\nlikelihood = 5\n\
                 actions = [{ id = \"RT-1\", action = \"A\", done = true }, { id = \"rt-1\", action = \"B\" }, { action = \"C\" }]\n";
    let report = repo(STATEMENT).file("risks.toml", risks).check(&[]);
    let plain = |place: &str, message: &str| (place.to_string(), message.to_string(), None);
    assert_eq!(
        found(&report, &["invalid-config", "duplicate-id"]),
        [
            plain(
                "invalid-config risks.toml:3:1",
                "`criteria.bands` must rise: medium (6) < high (5) < critical (12)"
            ),
            plain(
                "invalid-config risks.toml:4:12",
                "`criteria.appetite` must be between 1 and 16, found 17"
            ),
            plain(
                "invalid-config risks.toml:9:14",
                "`risks.likelihood` must be between 1 and 4, found 5"
            ),
            one(
                "invalid-config risks.toml:10:48",
                "`risks.actions.done` must be the date the action was done, or false",
                "write the completion date, e.g. done = 2026-04-20"
            ),
            one(
                "duplicate-id risks.toml:10:56",
                "action id `rt-1` is already used",
                "risk R-1 has it at line 10"
            ),
            plain(
                "invalid-config risks.toml:10:87",
                "an action needs an `id` and an `action`, such as { id = \"RT-1\", action = \"…\", due = 2026-12-31 }"
            ),
        ]
    );
    let default_bands = repo(STATEMENT)
        .file("risks.toml", "[criteria]\nscale = 3\n")
        .check(&[]);
    assert_eq!(
        found(&default_bands, &["invalid-config"]),
        [plain(
            "invalid-config risks.toml:1:2",
            "with `criteria.scale = 3`, scores reach only 9: give `criteria.bands` (the default bands are for a scale of 5)"
        )]
    );
}
