//! The `check --fix` run: check, apply the certain fixes, check again until none is left (a
//! fixed link can reveal a fixable anchor), then report what is left for a person.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use jiff::civil::Date;

use super::{Applied, by_file, dirty_files, edit, unified};
use crate::error::Fatal;
use crate::pipeline::{Analysis, analyse};

/// How `--fix` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixMode {
    /// Print the fixes as a unified diff instead of writing them.
    pub dry_run: bool,
    /// Fix files with uncommitted changes too.
    pub allow_dirty: bool,
}

/// At most this many rounds of check-and-fix.
const ROUNDS: usize = 5;

/// Applies (or, in a dry run, prints) every certain fix of the project at `dir`, writing what
/// it did to `err`, and returns the analysis of the project as it is left.
pub fn run(
    dir: Option<&Path>,
    today: Date,
    mode: FixMode,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Analysis, Fatal> {
    let write_error = |e: std::io::Error| Fatal::new(format!("cannot write the report: {e}"));
    let mut analysis = analyse(dir, today)?;
    let root = analysis.project.root.clone();
    let dirty = match dirty_files(&root) {
        Some(files) if !mode.allow_dirty => files,
        _ => BTreeSet::new(),
    };
    let mut applied: Vec<Applied> = Vec::new();
    for _ in 0..ROUNDS {
        let files = by_file(&analysis.diagnostics, &dirty);
        if files.is_empty() {
            break;
        }
        let mut round = 0;
        for (file, fixes) in files {
            let (edited, done) = edit(&root, file, &fixes)?;
            if done.is_empty() {
                continue;
            }
            if mode.dry_run {
                out.write_all(unified(file, &edited.before, &edited.after).as_bytes())
                    .map_err(write_error)?;
            } else {
                edited.write(&root)?;
            }
            round += done.len();
            applied.extend(done);
        }
        if mode.dry_run || round == 0 {
            break;
        }
        analysis = analyse(Some(&root), today)?;
    }
    report(&analysis, &applied, &dirty, mode, err).map_err(write_error)?;
    Ok(analysis)
}

fn report(
    analysis: &Analysis,
    applied: &[Applied],
    dirty: &BTreeSet<String>,
    mode: FixMode,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    let verb = if mode.dry_run { "would fix" } else { "fixed" };
    for a in applied {
        writeln!(
            err,
            "{verb} {}: `{}` → `{}`",
            crate::text::terminal(&a.what),
            crate::text::terminal(&a.original),
            crate::text::terminal(&a.replacement)
        )?;
    }
    let refused: BTreeSet<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.fix.is_some())
        .filter_map(|d| d.file.as_deref())
        .filter(|f| dirty.contains(*f))
        .collect();
    for file in &refused {
        writeln!(
            err,
            "not fixed: `{}` has uncommitted changes (commit them, or pass --allow-dirty)",
            crate::text::terminal(file)
        )?;
    }
    let files: BTreeSet<&str> = applied.iter().map(|a| a.file.as_str()).collect();
    let left = if mode.dry_run {
        analysis.diagnostics.len() - applied.len().min(analysis.diagnostics.len())
    } else {
        analysis.diagnostics.len()
    };
    writeln!(
        err,
        "annexa: {verb} {} in {}; {} left for a person",
        crate::report::count(applied.len(), "problem"),
        crate::report::count(files.len(), "file"),
        left
    )
}
