//! `annexa init`: the files of a new ISMS repository.

use std::fs;
use std::path::Path;

use crate::error::Fatal;

const CONFIG: &str = r#"# annexa settings. Reference: https://github.com/annexa/annexa#configuration
title = "Example Ltd ISMS"
organisation = "Example Ltd"
base_url = "/"                  # path prefix when served, e.g. "/isms/"
frameworks = ["iso27001-2022"]  # built-in catalogs in use: iso27001-2022, iso27001-2022-clauses, nist-csf-2.0
output_dir = "public"
# repo_url = "https://git.example.com/example/isms/src/branch/main"

[reviews]
default_interval = "12 months"
due_soon_days = 30

[lints]
# review-due-soon = "warning"   # "error" | "warning" | "off"
"#;

const SOA: &str = r#"# Statement of Applicability. A control not listed here is applicable; it is
# covered when an approved document within its review date maps to it. Give every
# applicable control its reasons or a justification, and record the SoA's approval:
#
# [statement]
# version = "2026.1"
# approved_by = "Information Security Steering Group"
# approved_on = 2026-01-15
#
# [controls."A.5.15"]
# reasons = ["risk", "contract"]   # risk | legal | regulatory | contract | business
# justification = "Customer contracts require role-based access."
#
# [controls."A.7.1"]
# applicable = false
# justification = "No premises; all staff work remotely."
#
# [controls."A.8.30"]
# applicable = true
# implementation = "partial"   # implemented | partial | planned | not-implemented
# justification = "Secure development terms are being added to contractor agreements."
"#;

const GITIGNORE: &str = "/public/\n/.public.annexa-*\n";

const README: &str = r#"# Information security management system

The policies, procedures and records of our ISMS, published with
[annexa](https://github.com/annexa/annexa).

- `annexa serve` previews the site at http://127.0.0.1:8000/ while you edit.
- `annexa check` runs the checks CI runs (broken links, unknown controls, overdue reviews).
- `annexa build` writes the site to `public/`.

README files are not published.
"#;

fn policy(today: &str) -> String {
    format!(
        r#"+++
title = "Information Security Policy"
owner = "Chief Information Security Officer"
id = "POL-001"
kind = "policy"
status = "draft"
version = "0.1"
approver = "Chief Executive Officer"
classification = "internal"
last_reviewed = {today}
review_interval = "12 months"
controls = ["A.5.1"]
tags = ["governance"]
summary = "Management's direction and support for information security."
+++

# Information Security Policy

## Purpose

This policy sets out management's direction for information security, in line
with the business requirements and the laws and regulations that apply to us.

## Scope

It applies to all staff, contractors and systems that handle our information.

## Roles and responsibilities

| Role | Responsibility |
|------|----------------|
| Chief Executive Officer | Approves this policy and provides resources. |
| Chief Information Security Officer | Owns this policy and the ISMS. |
| All staff | Follow this policy and report incidents. |

## Review

This policy is reviewed at least every twelve months and after any significant change.
"#
    )
}

/// Whether a file or folder named `name` is one a new repository from a Git host holds, which
/// `annexa init` scaffolds beside: `.git`, `README*`, `LICENSE*`, `.gitignore`, `.github`.
pub fn fresh_repository_entry(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    matches!(name, ".git" | ".gitignore" | ".github")
        || upper.starts_with("README")
        || upper.starts_with("LICENSE")
}

/// Writes the scaffold into `dir` (created if needed); returns how many files were written. A
/// README already there is kept; a `.gitignore` already there gains the lines it lacks.
pub fn write(dir: &Path) -> Result<usize, Fatal> {
    let today = crate::pipeline::system_today().to_string();
    let files: [(&str, String); 5] = [
        ("annexa.toml", CONFIG.to_string()),
        ("soa.toml", SOA.to_string()),
        (".gitignore", gitignore(dir)),
        ("README.md", README.to_string()),
        ("policies/information-security-policy.md", policy(&today)),
    ];
    let has_readme = fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .to_ascii_uppercase()
                .starts_with("README")
        })
    });
    let mut written = 0;
    for (name, text) in &files {
        if *name == "README.md" && has_readme {
            continue;
        }
        let path = dir.join(name);
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
