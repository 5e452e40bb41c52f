//! The scaffold's texts: dates filled in, a workflow GitHub accepts, registers annexa reads.

use super::*;

fn today() -> Date {
    Date::constant(2026, 1, 31)
}

#[test]
fn dates_count_from_today_and_clamp_to_the_month_end() {
    assert_eq!(
        dated(
            "{today} {year} {in_one_month} {in_three_months} {in_ten_months} {in_eleven_months}",
            today()
        ),
        "2026-01-31 2026 2026-02-28 2026-04-30 2026-11-30 2026-12-31"
    );
}

#[test]
fn no_placeholder_is_left_in_any_file() {
    for kind in [Scaffold::Full, Scaffold::Minimal] {
        for (path, text) in files(kind, Path::new("/nonexistent"), today()) {
            for placeholder in ["{today", "{year", "{in_"] {
                assert!(!text.contains(placeholder), "{path}: {placeholder}");
            }
        }
    }
}

#[test]
fn the_full_scaffold_holds_the_documents_registers_and_workflow() {
    let paths: Vec<&str> = files(Scaffold::Full, Path::new("/nonexistent"), today())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(paths.len(), 21);
    for wanted in [
        "annexa.toml",
        "soa.toml",
        "risks.toml",
        "audits.toml",
        "findings.toml",
        "management-reviews.toml",
        "isms/scope.md",
        ".github/workflows/annexa.yml",
    ] {
        assert!(paths.contains(&wanted), "{wanted}");
    }
    let minimal: Vec<&str> = files(Scaffold::Minimal, Path::new("/nonexistent"), today())
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(
        minimal,
        [
            "annexa.toml",
            ".gitignore",
            "README.md",
            "soa.toml",
            "policies/information-security-policy.md"
        ]
    );
}

/// GitHub runs a `schedule` only with a `cron`: the workflow's is a list of `cron` entries of
/// five fields.
#[test]
fn the_workflow_is_yaml_with_a_cron_schedule() {
    let table = crate::yamlread::parse(WORKFLOW).expect("the workflow is YAML");
    let on = table.get("on").expect("`on`").get_ref();
    let toml::de::DeValue::Table(on) = on else {
        panic!("`on` is a mapping: {on:?}")
    };
    for event in ["push", "pull_request", "schedule"] {
        assert!(on.contains_key(event), "{event}");
    }
    let toml::de::DeValue::Array(schedule) = on.get("schedule").unwrap().get_ref() else {
        panic!("`schedule` is a list")
    };
    let toml::de::DeValue::Table(first) = schedule[0].get_ref() else {
        panic!("a schedule entry is a mapping")
    };
    let toml::de::DeValue::String(cron) = first.get("cron").unwrap().get_ref() else {
        panic!("`cron` is text")
    };
    assert_eq!(cron.split_whitespace().count(), 5, "{cron}");
    assert!(table.contains_key("jobs"));
}

#[test]
fn every_document_is_a_draft_naming_its_clauses() {
    for (path, text) in DOCUMENTS {
        assert!(text.starts_with("+++\n"), "{path}");
        assert!(text.contains("\nstatus = \"draft\"\n"), "{path}");
        assert!(text.contains("\nclauses = [\""), "{path}");
        assert!(
            text.contains("**What an auditor expects (ISO/IEC 27001:2022 "),
            "{path}"
        );
    }
}
