//! `annexa init`: the files of a new ISMS repository. The texts are data files in `scaffold/`,
//! compiled in; the SoA is generated from the built-in Annex A catalog.

mod soa;

use std::fs;
use std::path::Path;

use jiff::civil::Date;

use crate::error::Fatal;

/// How much `annexa init` scaffolds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scaffold {
    /// The mandatory documented information of ISO/IEC 27001:2022 as drafts, with guidance,
    /// the registers and a CI workflow.
    Full,
    /// `--minimal`: the settings, an SoA to fill in and one draft policy.
    Minimal,
}

const CONFIG: &str = include_str!("../../scaffold/annexa.toml");
const GITIGNORE: &str = include_str!("../../scaffold/gitignore");
const README: &str = include_str!("../../scaffold/README.md");
const WORKFLOW: &str = include_str!("../../scaffold/workflow.yml");
const WORKFLOW_PATH: &str = ".github/workflows/annexa.yml";
const SOA_HEAD: &str = include_str!("../../scaffold/soa-head.toml");
const MINIMAL_SOA: &str = include_str!("../../scaffold/minimal/soa.toml");
const MINIMAL_POLICY: &str = include_str!("../../scaffold/minimal/information-security-policy.md");

/// The registers at the root, each with its guidance and an example to uncomment.
const REGISTERS: [(&str, &str); 4] = [
    ("risks.toml", include_str!("../../scaffold/risks.toml")),
    ("audits.toml", include_str!("../../scaffold/audits.toml")),
    (
        "findings.toml",
        include_str!("../../scaffold/findings.toml"),
    ),
    (
        "management-reviews.toml",
        include_str!("../../scaffold/management-reviews.toml"),
    ),
];

/// A scaffold document: its path in the new repository and its text from `scaffold/documents/`.
macro_rules! document {
    ($path:literal) => {
        (
            $path,
            include_str!(concat!("../../scaffold/documents/", $path)),
        )
    };
}

/// The mandatory documented information, as drafts, in clause order.
const DOCUMENTS: [(&str, &str); 12] = [
    document!("isms/scope.md"),
    document!("policies/information-security-policy.md"),
    document!("isms/risk-methodology.md"),
    document!("isms/objectives.md"),
    document!("records/competence.md"),
    document!("isms/operational-planning.md"),
    document!("records/risk-assessment-results.md"),
    document!("records/risk-treatment-results.md"),
    document!("records/monitoring-and-measurement.md"),
    document!("isms/internal-audit-programme.md"),
    document!("records/management-review-minutes.md"),
    document!("isms/nonconformity-and-corrective-action.md"),
];

/// Whether a file or folder named `name` is one a new repository from a Git host holds, which
/// `annexa init` scaffolds beside: `.git`, `README*`, `LICENSE*`, `.gitignore`, `.github`.
pub fn fresh_repository_entry(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    matches!(name, ".git" | ".gitignore" | ".github")
        || upper.starts_with("README")
        || upper.starts_with("LICENSE")
}

/// The files of `kind`'s scaffold for a repository created on `today`, as (path, text). The
/// `.gitignore` is the one in `dir`, if any, with annexa's lines added.
pub fn files(kind: Scaffold, dir: &Path, today: Date) -> Vec<(&'static str, String)> {
    let mut files = vec![
        ("annexa.toml", CONFIG.to_string()),
        (".gitignore", gitignore(dir)),
        ("README.md", README.to_string()),
    ];
    match kind {
        Scaffold::Minimal => {
            files.push(("soa.toml", MINIMAL_SOA.to_string()));
            files.push((
                "policies/information-security-policy.md",
                dated(MINIMAL_POLICY, today),
            ));
        }
        Scaffold::Full => {
            files.push(("soa.toml", soa::soa(&dated(SOA_HEAD, today))));
            files.extend(REGISTERS.iter().map(|(p, t)| (*p, dated(t, today))));
            files.extend(DOCUMENTS.iter().map(|(p, t)| (*p, t.to_string())));
            files.push((WORKFLOW_PATH, WORKFLOW.to_string()));
        }
    }
    files
}

/// `text` with `{today}`, `{year}` and `{in_N_months}` replaced by dates counted from `today`
/// (for the examples to uncomment, so that they make sense when the repository is new).
fn dated(text: &str, today: Date) -> String {
    let months = |n: i32| {
        today
            .checked_add(jiff::Span::new().months(n))
            .unwrap_or(today)
            .to_string()
    };
    text.replace("{today}", &today.to_string())
        .replace("{year}", &today.year().to_string())
        .replace("{in_one_month}", &months(1))
        .replace("{in_three_months}", &months(3))
        .replace("{in_ten_months}", &months(10))
        .replace("{in_eleven_months}", &months(11))
}

/// Writes the scaffold into `dir` (created if needed); returns how many files were written. A
/// README already there is kept, and so is a workflow `.github/workflows/annexa.yml`; a
/// `.gitignore` already there gains the lines it lacks.
pub fn write(dir: &Path, kind: Scaffold, today: Date) -> Result<usize, Fatal> {
    let has_readme = fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .to_ascii_uppercase()
                .starts_with("README")
        })
    });
    let mut written = 0;
    for (name, text) in files(kind, dir, today) {
        let path = dir.join(name);
        if (name == "README.md" && has_readme) || (name == WORKFLOW_PATH && path.exists()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Fatal::new(format!("cannot create `{}`: {e}", parent.display())))?;
        }
        fs::write(&path, text)
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))?;
        written += 1;
    }
    Ok(written)
}

/// The `.gitignore` to write: the one in `dir`, if any, with the lines annexa needs added.
fn gitignore(dir: &Path) -> String {
    let mut text = fs::read_to_string(dir.join(".gitignore")).unwrap_or_default();
    for line in GITIGNORE.lines() {
        if !text.lines().any(|l| l.trim() == line) {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests;
