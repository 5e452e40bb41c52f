//! The human format: rustc-like blocks, folded where findings come in bulk, and a summary that
//! counts by lint.

use std::collections::BTreeMap;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::count;
use crate::diagnostic::{Diagnostic, Lint, Severity};
use crate::text::terminal;

/// How many diagnostics without a line one lint shows before the rest are folded into one line.
pub const FOLD_AFTER: usize = 10;

/// How much of a report the human format shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// `check`: every diagnostic with a line; of each lint, the first [`FOLD_AFTER`] without
    /// one, then `… and 83 more `unmapped-control` warnings (`--verbose` shows all)`.
    #[default]
    Folded,
    /// `check --verbose`: every diagnostic.
    All,
    /// `build`, `serve`, `pack`: every error in full; warnings only counted in the summary,
    /// with a pointer to `annexa check`.
    ErrorsOnly,
}

/// Writes `diagnostics` (sorted) and the summary line.
pub fn write(
    diagnostics: &[Diagnostic],
    documents: usize,
    detail: Detail,
    out: &mut dyn Write,
) -> io::Result<()> {
    let lineless = lineless_counts(diagnostics);
    let mut shown: BTreeMap<Lint, usize> = BTreeMap::new();
    for d in diagnostics {
        if detail == Detail::ErrorsOnly && d.severity == Severity::Warning {
            continue;
        }
        if detail == Detail::Folded && d.position.is_none() {
            let n = shown.entry(d.lint).or_default();
            *n += 1;
            if *n > FOLD_AFTER {
                continue;
            }
            block(d, out)?;
            let total = lineless[&d.lint];
            if *n == FOLD_AFTER && total > FOLD_AFTER {
                writeln!(out, "{}\n", folded_line(d, total - FOLD_AFTER))?;
            }
            continue;
        }
        block(d, out)?;
    }
    writeln!(out, "{}", summary(diagnostics, documents))?;
    let warnings = diagnostics.iter().any(|d| d.severity == Severity::Warning);
    if detail == Detail::ErrorsOnly && warnings {
        writeln!(out, "annexa: `annexa check` shows the warnings")?;
    }
    Ok(())
}

/// `… and 83 more `unmapped-control` warnings (`--verbose` shows all)`.
fn folded_line(d: &Diagnostic, more: usize) -> String {
    let noun = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "… and {more} more `{}` {} (`--verbose` shows all)",
        d.lint,
        if more == 1 {
            noun.to_string()
        } else {
            format!("{noun}s")
        }
    )
}

/// How many diagnostics without a line each lint has.
fn lineless_counts(diagnostics: &[Diagnostic]) -> BTreeMap<Lint, usize> {
    let mut counts = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.position.is_none()) {
        *counts.entry(d.lint).or_default() += 1;
    }
    counts
}

/// One diagnostic: its message, place and help, then a blank line. The message, place and help
/// embed user text (titles, owners, ids, paths), shown through [`terminal`]: a control
/// character in them is written as a visible escape (`\x1b`, `\r`, `\n`), so the only escape
/// sequences are annexa's colours and the only line breaks are annexa's own.
fn block(d: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let blue = Style::new().fg_color(Some(AnsiColor::Blue.into())).bold();
    let level = match d.severity {
        Severity::Error => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
        Severity::Warning => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
    };
    writeln!(
        out,
        "{level}{}[{}]{level:#}{bold}: {}{bold:#}",
        d.severity,
        d.lint,
        terminal(&d.message)
    )?;
    if let Some(location) = d.location() {
        writeln!(out, "  {blue}-->{blue:#} {}", terminal(&location))?;
    }
    if let Some(help) = &d.help {
        writeln!(
            out,
            "   {blue}={blue:#} {bold}help{bold:#}: {}",
            terminal(help)
        )?;
    }
    writeln!(out)
}

/// The closing line, counting by lint (most first, then by name):
/// `annexa: 16 errors: 12 broken-link, 4 unknown-control; 95 warnings: 93 unmapped-control,
/// 2 review-due-soon; 48 documents`.
pub fn summary(diagnostics: &[Diagnostic], documents: usize) -> String {
    format!(
        "annexa: {}; {}; {}",
        by_lint(diagnostics, Severity::Error, "error"),
        by_lint(diagnostics, Severity::Warning, "warning"),
        count(documents, "document")
    )
}

/// `16 errors: 12 broken-link, 4 unknown-control`, or `0 errors`.
fn by_lint(diagnostics: &[Diagnostic], severity: Severity, noun: &str) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.severity == severity) {
        *counts.entry(d.lint.name()).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let mut lints: Vec<(&str, usize)> = counts.into_iter().collect();
    lints.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total = count(total, noun);
    if lints.is_empty() {
        return total;
    }
    let parts: Vec<String> = lints.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!("{total}: {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Position;

    fn lineless(lint: Lint, n: usize) -> Vec<Diagnostic> {
        (1..=n)
            .map(|i| Diagnostic::new(lint, format!("m{i}")).in_file("soa.toml"))
            .collect()
    }

    fn text(diagnostics: &[Diagnostic], detail: Detail) -> String {
        let mut out = Vec::new();
        write(diagnostics, 2, detail, &mut out).unwrap();
        strip_colours(&String::from_utf8(out).unwrap())
    }

    /// The text without its SGR sequences (`ESC [ … m`), as `anstream` writes it to a pipe.
    fn strip_colours(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                chars.by_ref().find(|&c| c == 'm');
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn the_summary_counts_by_lint_most_first_then_by_name() {
        let mut ds = lineless(Lint::UnmappedControl, 3);
        ds.extend(lineless(Lint::SoaUnapproved, 1));
        ds.extend(lineless(Lint::EmptyDocument, 1));
        ds.extend(lineless(Lint::BrokenLink, 2));
        assert_eq!(
            summary(&ds, 1),
            "annexa: 2 errors: 2 broken-link; 5 warnings: 3 unmapped-control, 1 empty-document, 1 soa-unapproved; 1 document"
        );
        assert_eq!(summary(&[], 0), "annexa: 0 errors; 0 warnings; 0 documents");
    }

    #[test]
    fn eleven_without_a_line_fold_after_the_tenth_and_one_more_is_singular() {
        let ds = lineless(Lint::UnmappedControl, 11);
        let out = text(&ds, Detail::Folded);
        assert!(out.contains("m10\n  --> soa.toml\n\n… and 1 more `unmapped-control` warning (`--verbose` shows all)\n\nannexa:"), "{out}");
        assert!(!out.contains("m11"), "{out}");
        let ten = text(&lineless(Lint::UnmappedControl, 10), Detail::Folded);
        assert!(ten.contains("m10") && !ten.contains("more"), "{ten}");
        assert!(text(&ds, Detail::All).contains("m11"));
    }

    #[test]
    fn diagnostics_with_a_line_are_never_folded() {
        let ds: Vec<Diagnostic> = (1..=12)
            .map(|i| {
                Diagnostic::new(Lint::BrokenLink, format!("m{i}"))
                    .in_file("a.md")
                    .at(Position { line: i, column: 1 })
            })
            .collect();
        let out = text(&ds, Detail::Folded);
        assert!(out.contains("m12") && !out.contains("more"), "{out}");
    }

    #[test]
    fn errors_only_counts_warnings_and_points_at_check() {
        let mut ds = lineless(Lint::BrokenLink, 12);
        ds.extend(lineless(Lint::UnmappedControl, 2));
        let out = text(&ds, Detail::ErrorsOnly);
        assert!(out.contains("m12"), "errors in full: {out}");
        assert!(!out.contains("warning["), "{out}");
        assert!(out.ends_with("annexa: 12 errors: 12 broken-link; 2 warnings: 2 unmapped-control; 2 documents\nannexa: `annexa check` shows the warnings\n"), "{out}");
        let clean = text(&lineless(Lint::BrokenLink, 1), Detail::ErrorsOnly);
        assert!(!clean.contains("annexa check"), "{clean}");
    }

    #[test]
    fn folded_errors_say_errors() {
        let out = text(&lineless(Lint::BrokenLink, 12), Detail::Folded);
        assert!(
            out.contains("… and 2 more `broken-link` errors (`--verbose` shows all)"),
            "{out}"
        );
    }
}
