//! The pipeline of every command: load → model → lint, giving an [`Analysis`]; rendering and
//! writing follow in the commands that build.

use std::path::Path;

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Tally, finalise};
use crate::error::Fatal;
use crate::lint;
use crate::load;
use crate::model::{self, Loaded, Project};

/// A loaded project and every diagnostic about it, with `[lints]` levels applied.
#[derive(Debug)]
pub struct Analysis {
    /// The resolved project.
    pub project: Project,
    /// All diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// Counts of errors and warnings.
    pub fn tally(&self) -> Tally {
        Tally::of(&self.diagnostics)
    }

    /// How many errors stop `build` and `pack` (findings that come from today's date never do).
    pub fn blocking_errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| {
                d.severity == crate::diagnostic::Severity::Error && !d.lint.is_date_driven()
            })
            .count()
    }
}

/// Today's date in the system time zone.
pub fn system_today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Load, model and lint: the project at `dir` (or found from the current folder) as of `today`.
/// Documents let go of their text once parsed, so as not to hold every text at once; `build`
/// reads each body again when it renders it ([`load::document_body`]).
pub fn analyse(dir: Option<&Path>, today: Date) -> Result<Analysis, Fatal> {
    let root = load::find_root(dir)?;
    analyse_cached(&root, today, &mut load::DocCache::releasing_text())
}

/// Like [`analyse`], for a known project root, re-using unchanged documents from `cache`
/// (a default cache keeps nothing).
pub fn analyse_cached(
    root: &Path,
    today: Date,
    cache: &mut load::DocCache,
) -> Result<Analysis, Fatal> {
    analyse_from(root, today, cache, &crate::history::Source::Head)
}

/// Like [`analyse_cached`], with the Git history from `source` (for `--at`, the live
/// repository at the commit the snapshot at `root` was written from).
pub fn analyse_from(
    root: &Path,
    today: Date,
    cache: &mut load::DocCache,
    source: &crate::history::Source,
) -> Result<Analysis, Fatal> {
    load_and_lint(root, today, cache, source, false).map(|r| r.analysis)
}

/// Loads and models the project at `root`, then lints it; the diagnostics that loading gave
/// are kept apart as well when `keep_loaded` (for [`Reusable::with_bodies`]).
fn load_and_lint(
    root: &Path,
    today: Date,
    cache: &mut load::DocCache,
    source: &crate::history::Source,
    keep_loaded: bool,
) -> Result<Reusable, Fatal> {
    let mut timer = crate::timing::Stages::start();
    let Loaded {
        project,
        diagnostics,
    } = model::load_from(root, today, cache, source)?;
    timer.mark("load and model");
    let loaded = if keep_loaded {
        diagnostics.clone()
    } else {
        Vec::new()
    };
    Ok(Reusable {
        analysis: linted(project, diagnostics, &mut timer),
        loaded,
    })
}

/// The analysis of `project`: the diagnostics its loading gave and the lints', with levels.
fn linted(
    project: Project,
    mut diagnostics: Vec<Diagnostic>,
    timer: &mut crate::timing::Stages,
) -> Analysis {
    diagnostics.extend(lint::run(&project));
    let diagnostics = finalise(diagnostics, |l| project.config.level(l));
    timer.mark("lint");
    Analysis {
        project,
        diagnostics,
    }
}

/// An analysis with the diagnostics that loading gave before the lints ran, so that it can be
/// brought up to date after edits of document bodies alone (`serve`, as one types).
#[derive(Debug)]
pub struct Reusable {
    /// The analysis.
    pub analysis: Analysis,
    loaded: Vec<Diagnostic>,
}

impl Reusable {
    /// Like [`analyse_cached`], keeping what [`Reusable::with_bodies`] needs.
    pub fn analyse(root: &Path, today: Date, cache: &mut load::DocCache) -> Result<Self, Fatal> {
        load_and_lint(root, today, cache, &crate::history::Source::Head, true)
    }

    /// The analysis with `edits` applied: each document replaced by its new parse and what its
    /// parse reported by what it reports now, and every lint run again. Nothing else is read
    /// again: each edit changed a body's text alone (see [`load::DocCache::read_bodies`]), so
    /// everything the model resolved stays as it was. `None` when an edit's document is not in
    /// the project.
    pub fn with_bodies(self, edits: Vec<load::BodyEdit>) -> Option<Self> {
        let Reusable {
            analysis: Analysis { mut project, .. },
            mut loaded,
        } = self;
        for edit in edits {
            let i = project
                .documents
                .iter()
                .position(|d| d.path() == edit.path)?;
            project.documents[i].parsed = edit.document;
            for gone in &edit.before {
                if let Some(at) = loaded.iter().position(|d| d == gone) {
                    loaded.swap_remove(at);
                }
            }
            loaded.extend(edit.after);
        }
        let mut timer = crate::timing::Stages::start();
        Some(Reusable {
            analysis: linted(project, loaded.clone(), &mut timer),
            loaded,
        })
    }
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;
