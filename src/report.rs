//! Diagnostic output formats for `annexa check`: human, json, github, junit and sarif.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Lint, Severity, Tally};

mod human;

pub use human::{Detail, FOLD_AFTER};

/// An output format of `annexa check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like blocks and a summary line counting by lint; colour only on a terminal;
    /// control characters in user text shown as escapes (`\x1b`); of each lint, diagnostics
    /// without a line beyond the first ten folded into one line (see [`Detail`]).
    Human,
    /// One JSON object with `diagnostics` and `summary`.
    Json,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
    /// JUnit XML, one test suite per file.
    Junit,
    /// SARIF 2.1.0.
    Sarif,
}

/// What a report covers.
pub struct Report<'a> {
    /// The diagnostics, sorted.
    pub diagnostics: &'a [Diagnostic],
    /// How many documents were checked.
    pub documents: usize,
    /// Every file checked, for formats that list passing files (JUnit).
    pub files: &'a [String],
}

impl Report<'_> {
    /// Error and warning counts.
    pub fn tally(&self) -> Tally {
        Tally::of(self.diagnostics)
    }

    /// Writes the report in `format`. `out` should be an `anstream` stream for `Human`. The
    /// report is put together in memory and written in one call (7,490 diagnostics were
    /// 146,713 separate writes to an unbuffered stderr).
    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        self.write_with(format, Detail::default(), out)
    }

    /// Writes the report in `format`, the human format showing as much as `detail` says (the
    /// machine formats always hold every diagnostic).
    pub fn write_with(
        &self,
        format: Format,
        detail: Detail,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut buffer = Vec::with_capacity(256 * self.diagnostics.len() + 256);
        match format {
            Format::Human => human::write(self.diagnostics, self.documents, detail, &mut buffer),
            Format::Json => self.json(&mut buffer),
            Format::Github => self.github(&mut buffer),
            Format::Junit => self.junit(&mut buffer),
            Format::Sarif => self.sarif(&mut buffer),
        }?;
        out.write_all(&buffer)?;
        out.flush()
    }

    /// The closing line of the `github` format, e.g. `annexa: 3 errors, 2 warnings in 48
    /// documents` (the human format counts by lint: [`human::summary`]).
    pub fn summary_line(&self) -> String {
        let t = self.tally();
        format!(
            "annexa: {}, {} in {}",
            count(t.errors, "error"),
            count(t.warnings, "warning"),
            count(self.documents, "document")
        )
    }

    fn json(&self, out: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct Entry<'a> {
            lint: &'static str,
            severity: &'static str,
            file: Option<&'a str>,
            line: Option<u32>,
            column: Option<u32>,
            message: &'a str,
            help: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            fix: Option<JsonFix<'a>>,
        }
        #[derive(Serialize)]
        struct JsonFix<'a> {
            start: At,
            end: At,
            replacement: &'a str,
        }
        #[derive(Serialize)]
        struct At {
            line: u32,
            column: u32,
        }
        #[derive(Serialize)]
        struct Summary {
            errors: usize,
            warnings: usize,
            documents: usize,
        }
        #[derive(Serialize)]
        struct Output<'a> {
            diagnostics: Vec<Entry<'a>>,
            summary: Summary,
        }
        let t = self.tally();
        let output = Output {
            diagnostics: self
                .diagnostics
                .iter()
                .map(|d| Entry {
                    lint: d.lint.name(),
                    severity: d.severity.as_str(),
                    file: d.file.as_deref(),
                    line: d.position.map(|p| p.line),
                    column: d.position.map(|p| p.column),
                    message: &d.message,
                    help: d.help.as_deref(),
                    fix: d.fix.as_ref().map(|f| JsonFix {
                        start: At {
                            line: f.start.line,
                            column: f.start.column,
                        },
                        end: At {
                            line: f.end.line,
                            column: f.end.column,
                        },
                        replacement: &f.replacement,
                    }),
                })
                .collect(),
            summary: Summary {
                errors: t.errors,
                warnings: t.warnings,
                documents: self.documents,
            },
        };
        serde_json::to_writer_pretty(&mut *out, &output)?;
        writeln!(out)
    }

    fn github(&self, out: &mut dyn Write) -> io::Result<()> {
        for d in self.diagnostics {
            let mut props = Vec::new();
            if let Some(file) = &d.file {
                props.push(format!("file={}", github_property(file)));
            }
            if let Some(p) = d.position {
                props.push(format!("line={}", p.line));
                props.push(format!("col={}", p.column));
            }
            let mut message = d.message.clone();
            if let Some(fix) = &d.fix {
                props.push(format!("endLine={}", fix.end.line));
                props.push(format!("endColumn={}", fix.end.column));
                message = format!("{message} (fix: replace with `{}`)", fix.replacement);
            }
            props.push(format!("title={}", d.lint));
            writeln!(
                out,
                "::{} {}::{}",
                d.severity,
                props.join(","),
                github_data(&message)
            )?;
        }
        writeln!(out, "{}", self.summary_line())
    }

    fn junit(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for file in self.files {
            by_file.entry(file.as_str()).or_default();
        }
        for d in self.diagnostics {
            by_file
                .entry(d.file.as_deref().unwrap_or("(project)"))
                .or_default()
                .push(d);
        }
        let t = self.tally();
        let tests: usize = by_file.values().map(|ds| ds.len().max(1)).sum();
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="annexa check" tests="{tests}" failures="{}" errors="0">"#,
            t.errors
        )?;
        for (file, diags) in &by_file {
            let failures = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            writeln!(
                out,
                r#"  <testsuite name="{}" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
                xml(file),
                diags.len().max(1)
            )?;
            if diags.is_empty() {
                writeln!(
                    out,
                    r#"    <testcase name="annexa check" classname="{}"/>"#,
                    xml(file)
                )?;
            }
            for d in diags {
                let place = d
                    .position
                    .map(|p| format!(" at {}:{}", p.line, p.column))
                    .unwrap_or_default();
                let body = format!(
                    "{}{}{}",
                    d.message,
                    d.location()
                        .map(|l| format!("\n  --> {l}"))
                        .unwrap_or_default(),
                    d.help
                        .as_ref()
                        .map(|h| format!("\nhelp: {h}"))
                        .unwrap_or_default()
                );
                writeln!(
                    out,
                    r#"    <testcase name="{}{}" classname="{}">"#,
                    d.lint,
                    xml(&place),
                    xml(file)
                )?;
                match d.severity {
                    Severity::Error => writeln!(
                        out,
                        r#"      <failure type="{}" message="{}">{}</failure>"#,
                        d.lint,
                        xml(&d.message),
                        xml(&body)
                    )?,
                    Severity::Warning => writeln!(
                        out,
                        "      <system-out>warning: {}</system-out>",
                        xml(&body)
                    )?,
                }
                writeln!(out, "    </testcase>")?;
            }
            writeln!(out, "  </testsuite>")?;
        }
        writeln!(out, "</testsuites>")
    }

    fn sarif(&self, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<serde_json::Value> = Lint::ALL
            .iter()
            .map(|lint| {
                serde_json::json!({
                    "id": lint.name(),
                    "name": lint.name(),
                    "shortDescription": { "text": lint.description() },
                    "defaultConfiguration": { "level": lint.default_severity().as_str() },
                })
            })
            .collect();
        let results: Vec<serde_json::Value> = self
            .diagnostics
            .iter()
            .map(|d| {
                let rule_index = Lint::ALL.iter().position(|l| *l == d.lint).unwrap_or(0);
                let text = match &d.help {
                    Some(help) => format!("{} (help: {help})", d.message),
                    None => d.message.clone(),
                };
                let mut result = serde_json::json!({
                    "ruleId": d.lint.name(),
                    "ruleIndex": rule_index,
                    "level": d.severity.as_str(),
                    "message": { "text": text },
                });
                if let Some(file) = &d.file {
                    let mut location = serde_json::json!({
                        "physicalLocation": {
                            "artifactLocation": { "uri": crate::links::encode_path(file), "uriBaseId": "%SRCROOT%" }
                        }
                    });
                    if let Some(p) = d.position {
                        location["physicalLocation"]["region"] =
                            serde_json::json!({ "startLine": p.line, "startColumn": p.column });
                    }
                    result["locations"] = serde_json::json!([location]);
                    if let Some(fix) = &d.fix {
                        result["fixes"] = sarif_fix(file, fix);
                    }
                }
                result
            })
            .collect();
        let log = serde_json::json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "annexa",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/annexa/annexa",
                    "rules": rules,
                }},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }]
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// A SARIF `fixes` array replacing the fix's region of `file`.
fn sarif_fix(file: &str, fix: &crate::diagnostic::Fix) -> serde_json::Value {
    serde_json::json!([{
        "description": { "text": format!("Replace with `{}`", fix.replacement) },
        "artifactChanges": [{
            "artifactLocation": { "uri": crate::links::encode_path(file), "uriBaseId": "%SRCROOT%" },
            "replacements": [{
                "deletedRegion": {
                    "startLine": fix.start.line,
                    "startColumn": fix.start.column,
                    "endLine": fix.end.line,
                    "endColumn": fix.end.column,
                },
                "insertedContent": { "text": fix.replacement },
            }],
        }],
    }])
}

/// `1 document`, `2 documents`.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Escapes a GitHub workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a GitHub workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes text for XML 1.0 content and attribute values. TAB, LF and CR are written as
/// character references, so that they survive attribute-value and line-end normalisation and
/// the text reads back exactly; the characters XML 1.0 cannot hold at all, even as references
/// (the other C0 controls, U+FFFE, U+FFFF), are dropped. DEL and C1 controls are legal XML and
/// are kept.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}
