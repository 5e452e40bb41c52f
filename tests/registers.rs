//! The ISMS registers (`audits.toml`, `findings.toml`, `evidence.toml`,
//! `management-reviews.toml`): reading them, and each of their lints with its exact diagnostic.

mod common;

use common::{Repo, Report};

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
    assert_eq!(
        found(&report, &[]),
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
                "`9.2.3` is not a clause of ISO/IEC 27001:2022",
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
