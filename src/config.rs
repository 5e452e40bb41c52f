//! `annexa.toml`: the project settings, read with a diagnostic for every bad or unknown key.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Level, Lint, did_you_mean};
use crate::frontmatter::{KNOWN_KEYS, Reading, Status};
use crate::review::{Interval, Unit};
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

/// The name of the configuration file that marks a project root.
pub const CONFIG_FILE: &str = "annexa.toml";

/// Review settings (`[reviews]`).
#[derive(Debug, Clone)]
pub struct ReviewSettings {
    /// Interval for documents that set neither `next_review` nor `review_interval`.
    pub default_interval: Interval,
    /// How many days ahead a review counts as due soon.
    pub due_soon_days: u32,
}

/// The settings of one project.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site title shown in the header.
    pub title: String,
    /// The organisation that owns the ISMS.
    pub organisation: Option<String>,
    /// The path prefix the site is served under, always starting and ending with `/`.
    pub base_url: String,
    /// Built-in catalogs in use; the first is the default for bare control ids.
    pub frameworks: Vec<Located<String>>,
    /// The output folder, relative to the project root.
    pub output_dir: String,
    /// Base URL of the repository's file browser, for "view source" links.
    pub repo_url: Option<String>,
    /// The URL of a commit, with `{commit}` where its hash goes; derived from `repo_url` when
    /// absent.
    pub repo_commit_url: Option<String>,
    /// Review settings.
    pub reviews: ReviewSettings,
    /// `[history] enabled`: whether the Git history is read (default true).
    pub history_enabled: bool,
    /// `[changes] since`: the point (a date or a ref) the site's change report starts from.
    pub changes_since: Option<Located<String>>,
    /// Lint levels set in `[lints]`.
    pub lints: HashMap<Lint, Level>,
    /// How front matter is read: `[front_matter] aliases`, `[documents] default_status`.
    pub reading: Reading,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "ISMS".to_string(),
            organisation: None,
            base_url: "/".to_string(),
            frameworks: vec![Located {
                value: "iso27001-2022".to_string(),
                position: Default::default(),
            }],
            output_dir: "public".to_string(),
            repo_url: None,
            repo_commit_url: None,
            history_enabled: true,
            changes_since: None,
            reviews: ReviewSettings {
                default_interval: Interval {
                    count: 12,
                    unit: Unit::Month,
                },
                due_soon_days: 30,
            },
            lints: HashMap::new(),
            reading: Reading::default(),
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "title",
    "organisation",
    "base_url",
    "frameworks",
    "output_dir",
    "repo_url",
    "repo_commit_url",
    "reviews",
    "history",
    "changes",
    "lints",
    "front_matter",
    "documents",
    "language",
];
const REVIEW_KEYS: &[&str] = &["default_interval", "due_soon_days"];

impl Config {
    /// The level `[lints]` sets for `lint`, if any.
    pub fn level(&self, lint: Lint) -> Option<Level> {
        self.lints.get(&lint).copied()
    }

    /// Reads `annexa.toml`. Problems become diagnostics; defaults stand in for bad values.
    pub fn parse(source: &SourceText, out: &mut Vec<Diagnostic>) -> Config {
        let src = TomlSource {
            source,
            base: 0,
            lint: Lint::InvalidConfig,
        };
        let mut config = Config::default();
        let Some(table) = src.parse(&source.text, out) else {
            return config;
        };
        let mut fields = Fields::new(src, &table, "");
        if let Some(title) = fields.string("title", out) {
            config.title = title.value;
        }
        config.organisation = fields.string("organisation", out).map(|l| l.value);
        if config.title == "ISMS"
            && let Some(org) = &config.organisation
        {
            config.title = format!("{org} ISMS");
        }
        if let Some(base) = fields.string("base_url", out) {
            config.base_url = normalise_base_url(&base.value);
        }
        if let Some(list) = fields.string_list("frameworks", out) {
            if list.is_empty() {
                out.push(src.error(
                    0,
                    "`frameworks` is empty: name at least one catalog, such as \"iso27001-2022\"",
                ));
            } else {
                config.frameworks = list;
            }
        }
        if let Some(dir) = fields.string("output_dir", out) {
            let trimmed = dir.value.trim().trim_end_matches('/').to_string();
            if trimmed.is_empty() {
                out.push(
                    Diagnostic::new(Lint::InvalidConfig, "`output_dir` must not be empty")
                        .in_file(&source.path)
                        .at(dir.position),
                );
            } else {
                config.output_dir = trimmed;
            }
        }
        if let Some(url) = fields.string("repo_url", out) {
            if is_web_url(&url.value) {
                config.repo_url = Some(url.value.trim().trim_end_matches('/').to_string());
            } else {
                // It becomes the link of every page's "View source": no `javascript:` there.
                out.push(
                    Diagnostic::new(
                        Lint::InvalidConfig,
                        format!(
                            "`repo_url` must be an http: or https: URL, found {:?}",
                            url.value
                        ),
                    )
                    .in_file(&source.path)
                    .at(url.position),
                );
            }
        }
        if let Some(url) = fields.string("repo_commit_url", out) {
            if is_web_url(&url.value) && url.value.contains("{commit}") {
                config.repo_commit_url = Some(url.value.trim().to_string());
            } else {
                out.push(
                    Diagnostic::new(
                        Lint::InvalidConfig,
                        format!(
                            "`repo_commit_url` must be an http: or https: URL holding `{{commit}}`, found {:?}",
                            url.value
                        ),
                    )
                    .in_file(&source.path)
                    .at(url.position)
                    .with_help("for example \"https://git.example.com/acme/isms/commit/{commit}\""),
                );
            }
        }
        if let Some(history) = fields.table("history", out) {
            let mut fields = Fields::new(src, history, "history.");
            if let Some(enabled) = fields.boolean("enabled", out) {
                config.history_enabled = enabled.value;
            }
            fields.finish(&["enabled"], out);
        }
        if let Some(changes) = fields.table("changes", out) {
            config.changes_since = read_changes(src, changes, out);
        }
        if let Some(reviews) = fields.table("reviews", out) {
            read_reviews(src, reviews, &mut config.reviews, out);
        }
        if let Some(lints) = fields.table("lints", out) {
            config.lints = read_lints(src, lints, out);
        }
        if let Some(table) = fields.table("front_matter", out) {
            config.reading.aliases = read_aliases(src, table, out);
        }
        if let Some(table) = fields.table("documents", out) {
            let mut documents = Fields::new(src, table, "documents.");
            if let Some(status) = documents.string("default_status", out) {
                config.reading.default_status = src
                    .choose(
                        &status,
                        &Status::ALL,
                        Status::as_str,
                        "documents.default_status",
                        out,
                    )
                    .unwrap_or(Status::Approved);
            }
            documents.finish(&["default_status"], out);
        }
        if let Some(table) = fields.table("language", out) {
            let mut language = Fields::new(src, table, "language.");
            if let Some(phrases) = language.string_list("vague_phrases", out) {
                config.reading.scan.vague_phrases = phrases
                    .into_iter()
                    .map(|p| p.value.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|p| !p.is_empty())
                    .collect();
            }
            language.finish(&["vague_phrases"], out);
        }
        fields.finish(TOP_KEYS, out);
        config
    }
}

/// `[changes] since`: a TOML date, or a string naming a date or a ref.
fn read_changes(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Located<String>> {
    let mut fields = Fields::new(src, table, "changes.");
    let since = if fields.has("since")
        && matches!(
            fields.raw("since").map(|v| v.get_ref()),
            Some(toml::de::DeValue::Datetime(_))
        ) {
        fields.date("since", out).map(|d| Located {
            value: d.value.to_string(),
            position: d.position,
        })
    } else {
        fields.string("since", out)
    };
    fields.finish(&["since"], out);
    let since = since?;
    match crate::history::Point::parse(&since.value) {
        Ok(_) => Some(since),
        Err(e) => {
            out.push(
                Diagnostic::new(Lint::InvalidConfig, format!("`changes.since`: {e}"))
                    .in_file(&src.source.path)
                    .at(since.position),
            );
            None
        }
    }
}

fn read_reviews(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    settings: &mut ReviewSettings,
    out: &mut Vec<Diagnostic>,
) {
    let mut fields = Fields::new(src, table, "reviews.");
    if let Some(text) = fields.string("default_interval", out) {
        match text.value.parse::<Interval>() {
            Ok(interval) => settings.default_interval = interval,
            Err(e) => out.push(
                Diagnostic::new(
                    Lint::InvalidConfig,
                    format!("`reviews.default_interval`: {e}"),
                )
                .in_file(&src.source.path)
                .at(text.position),
            ),
        }
    }
    if let Some(days) = fields.integer("due_soon_days", 0..=3650, out) {
        settings.due_soon_days = days.value as u32;
    }
    fields.finish(REVIEW_KEYS, out);
}

/// `[front_matter] aliases = { reviewed = "last_reviewed" }`: each target must be a field.
fn read_aliases(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut fields = Fields::new(src, table, "front_matter.");
    let mut aliases = Vec::new();
    if let Some(map) = fields.table("aliases", out) {
        let names = Fields::new(src, map, "front_matter.aliases.");
        for (alias, _, value) in names.entries() {
            let target = value.get_ref().as_str().unwrap_or("");
            if KNOWN_KEYS.contains(&target) {
                aliases.push((alias.to_string(), target.to_string()));
                continue;
            }
            let help = did_you_mean(target, KNOWN_KEYS.iter().copied())
                .map(|k| format!("did you mean \"{k}\"?"))
                .unwrap_or_else(|| format!("front-matter fields: {}", KNOWN_KEYS.join(", ")));
            out.push(
                src.error(
                    value.span().start,
                    format!("`front_matter.aliases.{alias}` must name a front-matter field, found {target:?}"),
                )
                .with_help(help),
            );
        }
    }
    fields.finish(&["aliases"], out);
    aliases
}

fn read_lints(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> HashMap<Lint, Level> {
    let fields = Fields::new(src, table, "lints.");
    let mut levels = HashMap::new();
    for (name, position, value) in fields.entries() {
        let Some(lint) = Lint::from_name(name) else {
            let help = did_you_mean(name, Lint::ALL.iter().map(|l| l.name()))
                .map(|n| format!("did you mean `{n}`?"));
            out.push(
                Diagnostic::new(
                    Lint::UnknownField,
                    format!("unknown lint `{name}` in [lints]"),
                )
                .in_file(&src.source.path)
                .at(position)
                .with_help_opt(help),
            );
            continue;
        };
        let level = match value.get_ref().as_str() {
            Some("error") => Level::Error,
            Some("warning") | Some("warn") => Level::Warning,
            Some("off") | Some("allow") => Level::Off,
            _ => {
                out.push(
                    Diagnostic::new(
                        Lint::InvalidConfig,
                        format!("`lints.{name}` must be \"error\", \"warning\" or \"off\""),
                    )
                    .in_file(&src.source.path)
                    .at(src.position(value.span().start)),
                );
                continue;
            }
        };
        levels.insert(lint, level);
    }
    levels
}

/// Whether `url` is an `http://` or `https://` URL with something after the scheme (the
/// scheme in any case).
fn is_web_url(url: &str) -> bool {
    let url = url.trim();
    ["http://", "https://"].iter().any(|scheme| {
        url.get(..scheme.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            && url.len() > scheme.len()
    })
}

/// Makes a base URL start and end with `/` (an absolute URL keeps its scheme and host).
pub fn normalise_base_url(url: &str) -> String {
    let url = url.trim();
    let mut base = if url.contains("://") || url.starts_with('/') {
        url.to_string()
    } else {
        format!("/{url}")
    };
    if !base.ends_with('/') {
        base.push('/');
    }
    base
}
