//! Model: the immutable `Project` — documents with every link, control and review resolved,
//! the catalogs in use, the SoA, the risks and the site map — built once from what `load` read.

mod controls;
mod document;
pub mod readiness;
pub mod site_map;
pub mod summary;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::catalog::{self, Catalog, ControlKey, Frameworks};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Lint, did_you_mean};
use crate::error::Fatal;
use crate::links::{Published, Target};
use crate::load::{self, Inputs};
use crate::registers::{RegisterState, Registers};
use crate::risks::{self, Criteria, Risk};
use crate::soa::Soa;
pub use controls::{ControlStatus, CoverageState};
pub use document::{ClauseRef, ControlRef, Document, Resolver};
use readiness::Readiness;
use site_map::{SiteInputs, SiteMap};
use summary::Summary;

/// A whole ISMS repository, resolved.
#[derive(Debug)]
pub struct Project {
    /// The project root.
    pub root: PathBuf,
    /// The settings.
    pub config: Config,
    /// The day reviews are computed for.
    pub today: Date,
    /// Documents, sorted by path.
    pub documents: Vec<Document>,
    /// Non-document files to publish beside the documents.
    pub assets: Vec<String>,
    /// Files under `static/`, published at the site root.
    pub static_files: Vec<String>,
    /// The catalogs in use.
    pub frameworks: Frameworks,
    /// The Statement of Applicability.
    pub soa: Soa,
    /// The risk register's risks, in file order.
    pub risks: Vec<Risk>,
    /// The risk register's criteria (defaults without `[criteria]`).
    pub risk_criteria: Criteria,
    /// `risks.toml` when the project has one.
    pub risks_file: Option<String>,
    /// The audit programme, findings, evidence and management reviews.
    pub registers: Registers,
    /// Where the registers stand today, in figures.
    pub register_state: RegisterState,
    /// Every page and file the site publishes besides the documents.
    pub site: SiteMap,
    /// The project in figures (coverage, review groups, owners, counts).
    pub summary: Summary,
    /// Certification readiness: the mandatory documented information and the Stage 1 verdicts.
    pub readiness: Readiness,
    /// The Git history, when it is read (`[history] enabled`, git, a repository).
    pub history: Option<std::sync::Arc<crate::history::History>>,
    /// For a project built as it stood at a commit (`--at`), that commit.
    pub as_of: Option<crate::history::Resolved>,
    by_path: HashMap<String, usize>,
    /// The controls that name each control as related, the reverse of `related`.
    related_from: HashMap<ControlKey, Vec<ControlKey>>,
    mapped: HashMap<ControlKey, Vec<usize>>,
    backlinks: Vec<Vec<usize>>,
    risks_by_control: HashMap<ControlKey, Vec<usize>>,
}

/// A project and the problems found while loading it.
#[derive(Debug)]
pub struct Loaded {
    /// The project.
    pub project: Project,
    /// Diagnostics from reading and parsing (lints add more).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and resolves the project at `root`, computing reviews for `today`, re-using unchanged
/// documents from `cache` (a default cache keeps nothing).
pub fn load(root: &Path, today: Date, cache: &mut load::DocCache) -> Result<Loaded, Fatal> {
    load_from(root, today, cache, &crate::history::Source::Head)
}

/// Like [`load`], with the Git history from `source`, read while the files are (when
/// `[history] enabled` is not false).
pub fn load_from(
    root: &Path,
    today: Date,
    cache: &mut load::DocCache,
    source: &crate::history::Source,
) -> Result<Loaded, Fatal> {
    let wanted = history_wanted(root);
    let history = std::thread::scope(|scope| {
        let reader = wanted.then(|| scope.spawn(|| source.history(root)));
        let inputs = load::read(root, cache);
        let history = reader.and_then(|r| r.join().ok()).flatten();
        inputs.map(|inputs| (inputs, history))
    });
    let (inputs, history) = history?;
    let mut loaded = Project::build(inputs, today);
    if loaded.project.config.history_enabled {
        loaded.project.history = history;
    }
    loaded.project.as_of = source.as_of().cloned();
    Ok(loaded)
}

/// Whether `annexa.toml` at `root` leaves history on (read ahead of the rest, so that the log
/// runs while the files are read; its problems are reported when it is read properly).
fn history_wanted(root: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join(crate::config::CONFIG_FILE)) else {
        return false;
    };
    let source = crate::source::SourceText::new(crate::config::CONFIG_FILE, text);
    Config::parse(&source, &mut Vec::new()).history_enabled
}

impl Project {
    /// Resolves everything `load` read.
    pub fn build(inputs: Inputs, today: Date) -> Loaded {
        let Inputs {
            root,
            config,
            documents,
            assets,
            static_files,
            dirs,
            framework_files,
            soa,
            risks,
            registers,
            mut diagnostics,
        } = inputs;
        let frameworks = frameworks_in_use(&config, &framework_files, &mut diagnostics);
        let soa = soa
            .map(|s| Soa::parse(&s, &frameworks, &mut diagnostics))
            .unwrap_or_default();
        let register = risks
            .map(|r| risks::parse(&r, &frameworks, &mut diagnostics))
            .unwrap_or_default();
        let (risks, risk_criteria, risks_file) = (register.risks, register.criteria, register.file);
        let mut registers = Registers::parse(&registers, &frameworks, &mut diagnostics);
        let by_path: HashMap<String, usize> = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.path().to_string(), i))
            .collect();
        let site = SiteMap::new(&SiteInputs {
            documents: &documents,
            assets: &assets,
            static_files: &static_files,
            dirs: &dirs,
            frameworks: &frameworks,
            registers: &registers,
        });
        let resolver = Resolver {
            published: Published {
                root: &root,
                output_dir: &config.output_dir,
                documents: &by_path,
                files: &site.files,
                folders: &site.folders,
            },
            frameworks: &frameworks,
            config: &config,
            today,
        };
        registers.resolve_paths(|dest| resolver.published.resolve("", dest));
        let register_state =
            RegisterState::of(&registers, today, i64::from(config.reviews.due_soon_days));
        let documents: Vec<Document> = documents
            .into_par_iter()
            .map(|parsed| resolver.resolve(parsed))
            .collect();
        let mapped = map_controls(&documents);
        let backlinks = map_backlinks(&documents);
        let risks_by_control = map_risks(&risks);
        let related_from = controls::map_related_from(&frameworks);
        let mut project = Project {
            root,
            config,
            today,
            documents,
            assets,
            static_files,
            frameworks,
            soa,
            risks,
            risk_criteria,
            risks_file,
            registers,
            register_state,
            site,
            summary: Summary::default(),
            readiness: Readiness::default(),
            history: None,
            as_of: None,
            by_path,
            related_from,
            mapped,
            backlinks,
            risks_by_control,
        };
        // Figures derived from the whole, once.
        project.summary = Summary::of(&project);
        project.readiness = Readiness::of(&project);
        Loaded {
            project,
            diagnostics,
        }
    }

    /// The controls of framework `framework` as the matrix shows them (group by group).
    pub fn matrix_controls(&self, framework: usize) -> impl Iterator<Item = ControlKey> + '_ {
        self.frameworks.catalogs[framework]
            .in_group_order()
            .map(move |control| ControlKey { framework, control })
    }

    /// Resolves a link written in the document at `from` (for links the model did not see).
    pub fn resolve_link(&self, from: &str, dest: &str) -> Target {
        self.published().resolve(from, dest)
    }

    fn published(&self) -> Published<'_> {
        Published {
            root: &self.root,
            output_dir: &self.config.output_dir,
            documents: &self.by_path,
            files: &self.site.files,
            folders: &self.site.folders,
        }
    }

    /// The document at `path` (relative to the root).
    pub fn document_by_path(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// The documents that link to document `index`, in path order.
    pub fn referenced_by(&self, index: usize) -> &[usize] {
        &self.backlinks[index]
    }
}

fn map_controls(documents: &[Document]) -> HashMap<ControlKey, Vec<usize>> {
    let mut mapped: HashMap<ControlKey, Vec<usize>> = HashMap::new();
    for (i, doc) in documents.iter().enumerate() {
        for key in doc.control_keys() {
            let list = mapped.entry(key).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    mapped
}

fn map_backlinks(documents: &[Document]) -> Vec<Vec<usize>> {
    let mut backlinks = vec![Vec::new(); documents.len()];
    for (from, doc) in documents.iter().enumerate() {
        for target in &doc.targets {
            if let Target::Document { index, .. } = *target {
                let list: &mut Vec<usize> = &mut backlinks[index];
                if index != from && list.last() != Some(&from) {
                    list.push(from);
                }
            }
        }
    }
    backlinks
}

fn map_risks(risks: &[Risk]) -> HashMap<ControlKey, Vec<usize>> {
    let mut mapped: HashMap<ControlKey, Vec<usize>> = HashMap::new();
    for (i, risk) in risks.iter().enumerate() {
        for key in risk.control_keys() {
            mapped.entry(key).or_default().push(i);
        }
    }
    mapped
}

/// The catalogs named in `frameworks` (built-in or custom), then custom ones not named.
fn frameworks_in_use(
    config: &Config,
    files: &[crate::source::SourceText],
    out: &mut Vec<Diagnostic>,
) -> Frameworks {
    let mut custom: Vec<Catalog> = Vec::new();
    for file in files {
        let Some(mut catalog) = Catalog::parse(file, out) else {
            continue;
        };
        catalog.file = Some(file.path.clone());
        let clash = custom
            .iter()
            .any(|c| c.id.eq_ignore_ascii_case(&catalog.id))
            || catalog::BUILT_IN
                .iter()
                .any(|(id, _)| id.eq_ignore_ascii_case(&catalog.id));
        if clash {
            out.push(
                Diagnostic::new(
                    Lint::DuplicateId,
                    format!("framework id `{}` is already taken", catalog.id),
                )
                .in_file(&file.path)
                .with_help("give each framework file its own `id`"),
            );
            continue;
        }
        custom.push(catalog);
    }
    let mut catalogs: Vec<Catalog> = Vec::new();
    for name in &config.frameworks {
        let id = name.value.trim();
        if catalogs.iter().any(|c| c.id.eq_ignore_ascii_case(id)) {
            continue;
        }
        if let Some(i) = custom.iter().position(|c| c.id.eq_ignore_ascii_case(id)) {
            catalogs.push(custom.remove(i));
        } else if let Some(catalog) = catalog::built_in(id) {
            catalogs.push(catalog);
        } else {
            let known: Vec<&str> = catalog::BUILT_IN
                .iter()
                .map(|(id, _)| *id)
                .chain(custom.iter().map(|c| c.id.as_str()))
                .collect();
            let help = did_you_mean(id, known.iter().copied())
                .map(|k| format!("did you mean \"{k}\"?"))
                .unwrap_or_else(|| format!("available: {}", known.join(", ")));
            out.push(
                Diagnostic::new(Lint::InvalidConfig, format!("unknown framework \"{id}\""))
                    .in_file(crate::config::CONFIG_FILE)
                    .at(name.position)
                    .with_help(help),
            );
        }
    }
    catalogs.extend(custom);
    if catalogs.is_empty() {
        catalogs.extend(catalog::built_in("iso27001-2022"));
    }
    Frameworks { catalogs }
}
