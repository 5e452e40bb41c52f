//! The commands behind the CLI: each runs the [`crate::pipeline`] and writes its output.
//! `main.rs` only parses arguments and turns an [`Outcome`] or a [`Fatal`] into an exit code.

use std::fs;
use std::io::Write;
use std::path::Path;

use jiff::civil::Date;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Fatal;
use crate::history::Point;
use crate::model::Project;
use crate::past::at::Snapshot;
use crate::pipeline::Analysis;
use crate::report::{Detail, Format, Report};
use crate::reviews::{self, ReviewFilter, ReviewFormat};
use crate::scaffold;

/// How a command ended when it could run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No errors (exit 0).
    Clean,
    /// The content has errors, or warnings under `--deny-warnings` (exit 1).
    ContentErrors,
}

impl Outcome {
    /// The process exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::ContentErrors => 1,
        }
    }
}

/// Options of `annexa check`.
#[derive(Debug, Clone)]
pub struct CheckOptions<'a> {
    /// The project folder, or `None` to search from the current folder.
    pub dir: Option<&'a Path>,
    /// The day reviews are computed for.
    pub today: Date,
    /// Output format.
    pub format: Format,
    /// Whether warnings fail the check.
    pub deny_warnings: bool,
    /// `--fix`: apply the certain fixes first (what was done goes to `err`).
    pub fix: Option<crate::fix::FixMode>,
    /// `--verbose`: show every diagnostic in human output, uncapped.
    pub verbose: bool,
    /// Check the project as it stood at a commit (`--at`).
    pub at: Option<At>,
}

/// `--at REF|DATE`: a command run on the project as it stood at a commit.
#[derive(Debug, Clone)]
pub struct At {
    /// The commit or date.
    pub point: Point,
    /// `--today` when given; else the commit's date.
    pub today: Option<Date>,
}

/// Load, model and lint the project at `dir`, or with `at`, as it stood at that commit (its
/// files written from Git's objects into a temporary folder, kept alive by the snapshot).
fn analyse_at(
    dir: Option<&Path>,
    today: Date,
    at: Option<&At>,
    what: &str,
) -> Result<(Analysis, Option<Snapshot>), Fatal> {
    analyse_with(
        &crate::load::find_root(dir)?,
        today,
        at,
        what,
        &mut crate::load::DocCache::releasing_text(),
    )
}

/// Like [`analyse_at`], for the project at `root` (found), reading the live project's documents
/// with `docs` (a snapshot's are read without: they are read once).
fn analyse_with(
    root: &Path,
    today: Date,
    at: Option<&At>,
    what: &str,
    docs: &mut crate::load::DocCache,
) -> Result<(Analysis, Option<Snapshot>), Fatal> {
    let Some(at) = at else {
        let analysis = crate::pipeline::analyse_cached(root, today, docs)?;
        note_shallow(&analysis);
        return Ok((analysis, None));
    };
    let snapshot = crate::past::at::snapshot(root, &at.point, what)?;
    let today = at.today.unwrap_or(snapshot.commit.date);
    let analysis = crate::pipeline::analyse_from(
        snapshot.root(),
        today,
        &mut crate::load::DocCache::releasing_text(),
        &snapshot.source,
    )?;
    note_shallow(&analysis);
    Ok((analysis, Some(snapshot)))
}

/// Says on stderr that a shallow clone's history is cut off (its history and approval
/// checks see only part of it).
fn note_shallow(analysis: &Analysis) {
    if let Some(history) = &analysis.project.history
        && history.repo.shallow
    {
        let _ = writeln!(
            anstream::stderr(),
            "annexa: note: {}",
            history.repo.shallow_message()
        );
    }
}

/// `annexa check`: runs every lint and writes the report; with `--fix`, applies the certain
/// fixes first and reports what is left (in a dry run, prints the fixes as a diff).
pub fn check(
    options: &CheckOptions<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Fatal> {
    let (analysis, snapshot) = match options.fix {
        Some(_) if options.at.is_some() => {
            return Err(Fatal::new(
                "--fix edits the files as they are now: it cannot run with --at",
            ));
        }
        Some(mode) => {
            let analysis = crate::fix::run(options.dir, options.today, mode, out, err)?;
            if mode.dry_run {
                return Ok(Outcome::Clean);
            }
            (analysis, None)
        }
        None => analyse_at(
            options.dir,
            options.today,
            options.at.as_ref(),
            "check --at",
        )?,
    };
    let files = checked_files(&analysis.project);
    let report = Report {
        diagnostics: &analysis.diagnostics,
        documents: analysis.project.documents.len(),
        files: &files,
    };
    let detail = if options.verbose {
        Detail::All
    } else {
        Detail::Folded
    };
    report
        .write_with(options.format, detail, out)
        .map_err(|e| Fatal::new(format!("cannot write the report: {e}")))?;
    let tally = analysis.tally();
    let failed = tally.errors > 0 || (options.deny_warnings && tally.warnings > 0);
    crate::drop_in_background(analysis);
    drop(snapshot);
    Ok(if failed {
        Outcome::ContentErrors
    } else {
        Outcome::Clean
    })
}

fn checked_files(project: &Project) -> Vec<String> {
    let mut files = vec![crate::config::CONFIG_FILE.to_string()];
    files.extend(project.soa.file.clone());
    files.extend(project.documents.iter().map(|d| d.path().to_string()));
    files
}

/// Options of `annexa build`.
#[derive(Debug, Clone)]
pub struct BuildOptions<'a> {
    /// The project folder, or `None` to search from the current folder.
    pub dir: Option<&'a Path>,
    /// The output folder; default: `output_dir` of annexa.toml, below the project root.
    pub out: Option<&'a Path>,
    /// Overrides `base_url` of annexa.toml.
    pub base_url: Option<&'a str>,
    /// The day reviews are computed for.
    pub today: Date,
    /// Replace the output folder even if it holds files annexa did not write.
    pub force: bool,
    /// Build the site as it stood at a commit (`--at`; needs `out`).
    pub at: Option<At>,
}

/// `annexa build`: checks the project and, unless content errors other than review findings
/// are found, renders the site into a staging folder and swaps it into place. Errors (in full)
/// and the summary go to `err`; warnings only counted there (`check` shows them). When nothing
/// the site is made from changed since the build that wrote it, and the site is still what that
/// build wrote, nothing is read again: that build's report is printed again.
pub fn build(options: &BuildOptions<'_>, err: &mut dyn Write) -> Result<Outcome, Fatal> {
    let started = std::time::Instant::now();
    let mut timer = crate::timing::Stages::start();
    if options.at.is_some() && options.out.is_none() {
        return Err(Fatal::new(
            "`build --at` needs `-o OUT`: the ISMS as it stood then never replaces the live site"
                .to_string(),
        ));
    }
    let root = crate::load::find_root(options.dir)?;
    let output = output_folder(&root, options);
    // Taken before anything is read: a file changed while the build reads it changes the next
    // build's fingerprint. The ISMS as it stood at a commit is read from Git: never cached.
    let fingerprint = match options.at {
        Some(_) => None,
        None => {
            let fingerprint = crate::write::fingerprint(
                &root,
                &format!("{} {:?}", options.today, options.base_url),
            );
            timer.mark("fingerprint");
            if let Some((target, built)) =
                unchanged_site(&root, output.as_deref(), options.force, &fingerprint)?
            {
                timer.mark("survey of the output");
                err.write_all(built.report.as_bytes())
                    .map_err(write_error)?;
                built_line(err, &built, (built.pages, 0), &target, started)?;
                return Ok(Outcome::Clean);
            }
            Some(fingerprint)
        }
    };
    let mut docs = build_docs(output.as_deref(), options);
    let (mut analysis, snapshot) = analyse_with(
        &root,
        options.today,
        options.at.as_ref(),
        "build --at",
        &mut docs,
    )?;
    if let Some((kept, read)) = docs.outline_counts() {
        timer.note(&format!(
            "outlines: {kept} from the outline cache, {read} read from their body"
        ));
    }
    if let Some(base) = options.base_url {
        analysis.project.config.base_url = crate::config::normalise_base_url(base);
    }
    let project = &analysis.project;
    let report = Report {
        diagnostics: &analysis.diagnostics,
        documents: project.documents.len(),
        files: &[],
    };
    let mut printed = Vec::new();
    if !analysis.diagnostics.is_empty() {
        report
            .write_with(Format::Human, Detail::ErrorsOnly, &mut printed)
            .map_err(write_error)?;
        err.write_all(&printed).map_err(write_error)?;
    }
    let blocking = analysis.blocking_errors();
    if blocking > 0 {
        writeln!(
            err,
            "annexa: not built: {blocking} content {} (findings that come from today's date do not stop a build)",
            if blocking == 1 { "error" } else { "errors" }
        )
        .map_err(write_error)?;
        return Ok(Outcome::ContentErrors);
    }
    let target = match options.out {
        Some(out) => out.to_path_buf(),
        None => project.root.join(&project.config.output_dir),
    };
    timer = crate::timing::Stages::start();
    let staging = crate::write::Staging::begin(&project.root, &target, options.force)?;
    timer.mark("survey of the output");
    let caches = staging.caches();
    let (stats, cache) = match crate::render::render_site(project, staging.tree(), Some(&caches)) {
        Ok(rendered) => rendered,
        Err(e) => {
            staging.abort();
            return Err(e);
        }
    };
    let built = crate::write::Built {
        pages: stats.pages,
        files: stats.files,
        documents: project.documents.len(),
        report: String::from_utf8_lossy(&printed).into_owned(),
    };
    let done = crate::write::Done {
        fingerprint,
        built: built.clone(),
    };
    timer = crate::timing::Stages::start();
    let committed = staging.commit(done)?;
    timer.mark("commit of the site");
    if let Some(cache) = cache {
        cache.save();
    }
    docs.commit_outlines();
    timer.mark("caches saved");
    built_line(
        err,
        &built,
        (stats.unchanged, stats.search.cached),
        &committed.path,
        started,
    )?;
    crate::drop_in_background(analysis);
    drop(snapshot);
    Ok(Outcome::Clean)
}

/// How a build reads its documents: letting go of their text once parsed, and with the outline
/// cache beside its output folder `output` (not for `--at`: a snapshot's documents are read
/// once).
fn build_docs(output: Option<&Path>, options: &BuildOptions<'_>) -> crate::load::DocCache {
    let docs = crate::load::DocCache::releasing_text();
    if options.at.is_some() {
        return docs;
    }
    match output.and_then(crate::write::outline_cache) {
        Some(files) => docs.with_outline_cache(files),
        None => docs,
    }
}

/// The output folder of a build of the project at `root`, before the project is read: `-o`, or
/// `output_dir` of its `annexa.toml`; `None` when that file cannot be read.
fn output_folder(root: &Path, options: &BuildOptions<'_>) -> Option<std::path::PathBuf> {
    match options.out {
        Some(out) => Some(out.to_path_buf()),
        None => crate::load::configured_output_dir(root).map(|dir| root.join(dir)),
    }
}

/// The output folder of a build (`output`, as [`output_folder`] found it) and what the build
/// that wrote it reported, when that build had `fingerprint` and the folder is still exactly what
/// it wrote (`force`: replace a folder of files annexa did not write).
fn unchanged_site(
    root: &Path,
    output: Option<&Path>,
    force: bool,
    fingerprint: &crate::write::Hash,
) -> Result<Option<(std::path::PathBuf, crate::write::Built)>, Fatal> {
    let Some(target) = output else {
        return Ok(None);
    };
    if !crate::write::built_with(target, fingerprint) {
        return Ok(None);
    }
    let staging = crate::write::Staging::begin(root, target, force)?;
    Ok(staging
        .up_to_date(fingerprint)
        .map(|done| (staging.target().to_path_buf(), done)))
}

/// Prints the closing line of a build that reported `built` into `target`, having taken
/// `unchanged` of its pages unrendered.
fn built_line(
    err: &mut dyn Write,
    built: &crate::write::Built,
    (unchanged, searched): (usize, usize),
    target: &Path,
    started: std::time::Instant,
) -> Result<(), Fatal> {
    let pages = built.pages;
    let mut notes = Vec::new();
    match unchanged {
        0 => {}
        n if n == pages => notes.push("nothing changed since the last build".to_string()),
        n => notes.push(format!("{n} unchanged since the last build, not rendered")),
    }
    if searched > 0 {
        notes.push(format!(
            "the search data of {} from the cache",
            crate::report::count(searched, "document")
        ));
    }
    let notes = match notes.is_empty() {
        true => String::new(),
        false => format!(" ({})", notes.join("; ")),
    };
    writeln!(
        err,
        "annexa: built {} and {} from {} into {} in {} ms{notes}",
        crate::report::count(pages, "page"),
        crate::report::count(built.files, "file"),
        crate::report::count(built.documents, "document"),
        target.display(),
        started.elapsed().as_millis(),
    )
    .map_err(write_error)
}

/// The error of a failed write to the terminal.
fn write_error(e: std::io::Error) -> Fatal {
    Fatal::new(format!("cannot write to the terminal: {e}"))
}

/// Options of `annexa reviews`.
#[derive(Debug, Clone)]
pub struct ReviewsOptions<'a> {
    /// The project folder, or `None` to search from the current folder.
    pub dir: Option<&'a Path>,
    /// The day reviews are computed for.
    pub today: Date,
    /// Which reviews to list.
    pub filter: ReviewFilter,
    /// Output format.
    pub format: ReviewFormat,
    /// List the reviews as they stood at a commit (`--at`).
    pub at: Option<At>,
}

/// `annexa reviews`: lists overdue and upcoming reviews. Content errors that stop a document
/// from being assessed (bad front matter) go to `err`; the outcome fails when any listed review
/// is overdue at error level, or such errors exist.
pub fn reviews(
    options: &ReviewsOptions<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Fatal> {
    let (analysis, _snapshot) = analyse_at(
        options.dir,
        options.today,
        options.at.as_ref(),
        "reviews --at",
    )?;
    let today = analysis.project.today;
    let rows = reviews::rows(&analysis.project, &options.filter);
    let write_error = |e: std::io::Error| Fatal::new(format!("cannot write the report: {e}"));
    reviews::write(
        &rows,
        options.format,
        today,
        options.filter.within_days,
        out,
    )
    .map_err(write_error)?;
    let blocking: Vec<&Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| {
            matches!(
                d.lint,
                crate::diagnostic::Lint::InvalidFrontMatter
                    | crate::diagnostic::Lint::UnreadableFile
            )
        })
        .collect();
    for d in &blocking {
        writeln!(
            err,
            "annexa: {}: {} (its review cannot be assessed)",
            crate::text::terminal(&d.location().unwrap_or_default()),
            crate::text::terminal(&d.message)
        )
        .map_err(write_error)?;
    }
    let overdue_is_error = analysis.diagnostics.iter().any(|d| {
        d.lint == crate::diagnostic::Lint::ReviewOverdue
            && d.severity == Severity::Error
            && rows
                .iter()
                .any(|r| Some(r.path.as_str()) == d.file.as_deref())
    });
    // A document whose front matter cannot be read has no known owner: it blocks the report
    // only when the report is not limited to one owner.
    let blocking_counts = !blocking.is_empty() && options.filter.owner.is_none();
    Ok(if overdue_is_error || blocking_counts {
        Outcome::ContentErrors
    } else {
        Outcome::Clean
    })
}

/// Options of `annexa changes`.
#[derive(Debug, Clone)]
pub struct ChangesOptions<'a> {
    /// The project folder, or `None` to search from the current folder.
    pub dir: Option<&'a Path>,
    /// The earlier point.
    pub since: Point,
    /// The later point; `HEAD` when absent.
    pub until: Option<Point>,
    /// Output format.
    pub format: crate::render::changes::ChangesFormat,
}

/// `annexa changes`: the change report between two points of the project's history.
pub fn changes(options: &ChangesOptions<'_>, out: &mut dyn Write) -> Result<Outcome, Fatal> {
    let root = crate::load::find_root(options.dir)?;
    let report = crate::past::report::between(&root, &options.since, options.until.as_ref())?;
    crate::render::changes::write(&report, options.format, out)
        .map_err(|e| Fatal::new(format!("cannot write the report: {e}")))?;
    Ok(Outcome::Clean)
}

/// `annexa init`: scaffolds a new ISMS repository (`kind`, dated `today`) in `dir`, which must
/// be absent, empty, or hold only what a new repository from a Git host holds (see
/// [`scaffold::fresh_repository_entry`]).
pub fn init(
    dir: &Path,
    kind: scaffold::Scaffold,
    today: Date,
    out: &mut dyn Write,
) -> Result<Outcome, Fatal> {
    if dir.exists() {
        let entries = fs::read_dir(dir)
            .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", dir.display())))?;
        let mut other: Vec<String> = entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !scaffold::fresh_repository_entry(name))
            .collect();
        if !other.is_empty() {
            other.sort_unstable();
            return Err(Fatal::new(format!(
                "`{}` is not empty: annexa init only scaffolds into an empty or new folder, or a new Git repository holding only .git, README, LICENSE, .gitignore and .github/ (it also holds: {})",
                dir.display(),
                other.join(", ")
            )));
        }
    }
    let written = scaffold::write(dir, kind, today)?;
    let _ = writeln!(
        out,
        "annexa: created an ISMS repository in `{}` ({} files)\n\nnext:\n  annexa check {}\n  annexa serve {}",
        dir.display(),
        written,
        dir.display(),
        dir.display()
    );
    Ok(Outcome::Clean)
}
