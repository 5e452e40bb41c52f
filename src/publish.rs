//! The one rule for what a repository holds: which files are documents, which are published
//! (and at which URL), and which are annexa's inputs or are left out, with the reason. The walk,
//! `serve`'s change classification and link resolution all ask this module.

use std::path::Path;

/// The TOML files at the root that annexa reads besides `annexa.toml` (which is found before
/// the walk): each is optional, and a symbolic link to one is followed wherever it points.
pub const ROOT_INPUTS: &[&str] = &[
    crate::soa::SOA_FILE,
    crate::risks::RISKS_FILE,
    AUDITS_FILE,
    FINDINGS_FILE,
    EVIDENCE_FILE,
    MANAGEMENT_REVIEWS_FILE,
];

/// The internal audit programme (9.2), read by `registers::audits`. The registers' file names
/// are defined here, the lowest layer, because the walk and the publishing rule need them.
pub const AUDITS_FILE: &str = "audits.toml";
/// The nonconformity and corrective action register (10.2), read by `registers::findings`.
pub const FINDINGS_FILE: &str = "findings.toml";
/// The evidence register, read by `registers::evidence`.
pub const EVIDENCE_FILE: &str = "evidence.toml";
/// The management review record (9.3), read by `registers::reviews`.
pub const MANAGEMENT_REVIEWS_FILE: &str = "management-reviews.toml";

/// The folder of static files, published at the site root.
pub const STATIC_DIR: &str = "static";
/// The folder of template overrides.
pub const TEMPLATES_DIR: &str = "templates";
/// The folder of custom control catalogs.
pub const FRAMEWORKS_DIR: &str = "frameworks";

/// What a path of the repository is to annexa.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A Markdown document, published as a page (see [`document_url`]).
    Document,
    /// A file beside the documents (an image, a PDF form), published at its own path.
    Asset,
    /// A file under `static/`, published at its path below `static/`.
    Static {
        /// Where it is published, relative to the site root.
        url: String,
    },
    /// A custom control catalog, `frameworks/*.toml`: read, not published.
    Framework,
    /// Not published, for this reason.
    Unpublished(Unpublished),
}

/// Why a path is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    /// `annexa.toml`.
    Config,
    /// Another `.toml` file at the top of the repository: annexa's registers (`soa.toml`,
    /// `risks.toml`…) live there.
    InputFile,
    /// A `README.md`: the folder's description in the Git host, not a document.
    Readme,
    /// Under `templates/`.
    Template,
    /// Under `frameworks/`, but not a catalog file.
    FrameworkFolder,
    /// A hidden file or folder, or inside one.
    Hidden,
    /// The output folder, or a folder holding a site annexa built.
    Output,
}

impl Unpublished {
    /// Whether the path is none of annexa's business, so that `serve` ignores changes to it.
    pub fn is_ignored(self) -> bool {
        matches!(self, Unpublished::Hidden | Unpublished::Output)
    }

    /// Why `rel` (a path this applies to) is not on the site, as a sentence for a help line.
    pub fn reason(self, rel: &str) -> String {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        match self {
            Unpublished::Config => format!("{name} is configuration and is not published"),
            Unpublished::InputFile => format!(
                "{name} is an input file of annexa (top-level .toml files are read, not published)"
            ),
            Unpublished::Readme => "README files are not published".to_string(),
            Unpublished::Template => {
                "files under templates/ are theme templates and are not published".to_string()
            }
            Unpublished::FrameworkFolder => {
                "files under frameworks/ are control catalogs and are not published".to_string()
            }
            Unpublished::Hidden => "hidden files and folders are not published".to_string(),
            Unpublished::Output => {
                "it is in the output folder, which is never read as content".to_string()
            }
        }
    }
}

/// The role of the file at `rel` (relative to the root, `/`-separated), in a repository whose
/// output folder is `output_dir`.
pub fn classify_file(rel: &str, output_dir: &str) -> Role {
    if let Some(why) = excluded_by_folder(rel, output_dir) {
        return Role::Unpublished(why);
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let top_level = !rel.contains('/');
    if let Some(inner) = rel.strip_prefix("static/") {
        return Role::Static {
            url: inner.to_string(),
        };
    }
    if rel.starts_with("frameworks/") {
        return if rel.matches('/').count() == 1 && name.ends_with(".toml") {
            Role::Framework
        } else {
            Role::Unpublished(Unpublished::FrameworkFolder)
        };
    }
    if top_level && name == crate::config::CONFIG_FILE {
        return Role::Unpublished(Unpublished::Config);
    }
    if top_level && name.ends_with(".toml") {
        return Role::Unpublished(Unpublished::InputFile);
    }
    if is_markdown(name) {
        return if name.eq_ignore_ascii_case("readme.md") {
            Role::Unpublished(Unpublished::Readme)
        } else {
            Role::Document
        };
    }
    Role::Asset
}

/// Why the folder at `rel` is not walked for content, or `None` when it is. (A folder holding
/// a built site is recognised by its marker, on disk, by the walk.)
pub fn skipped_folder(rel: &str, output_dir: &str) -> Option<Unpublished> {
    if rel == TEMPLATES_DIR {
        return Some(Unpublished::Template);
    }
    excluded_by_folder(&format!("{rel}/"), output_dir)
}

/// Why a path is left out because of a folder it is in (or its own hidden name).
fn excluded_by_folder(rel: &str, output_dir: &str) -> Option<Unpublished> {
    let output_dir = output_dir.trim_start_matches("./").trim_end_matches('/');
    if rel.split('/').any(|part| part.starts_with('.')) {
        return Some(Unpublished::Hidden);
    }
    if !output_dir.is_empty()
        && rel
            .strip_prefix(output_dir)
            .is_some_and(|rest| rest.starts_with('/'))
    {
        return Some(Unpublished::Output);
    }
    if rel.starts_with("templates/") {
        return Some(Unpublished::Template);
    }
    None
}

/// Whether a file name is a Markdown document name.
pub fn is_markdown(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// The URL of the page of the document at `path`, relative to the site root: its path without
/// `.md`, then `/` (`policies/a.md` → `policies/a/`).
pub fn document_url(path: &str) -> String {
    let stem = &path[..path.len() - path.rsplit('.').next().map_or(0, |e| e.len() + 1)];
    format!("{stem}/")
}

/// The URL of the page of a folder (`policies` → `policies/`; the root, `""`, is the dashboard
/// at `""`).
pub fn folder_url(folder: &str) -> String {
    if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    }
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    // A clean UTF-8 path (as walked, the common case) is already written that way.
    if let Some(text) = rel.to_str()
        && std::path::MAIN_SEPARATOR == '/'
        && !text
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return text.to_string();
    }
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// A readable title from a file name: `access-control.md` → `Access control`.
pub fn title_from_path(path: &str) -> String {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".md")
        .trim_end_matches(".MD");
    let words = stem.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_path_has_its_role() {
        let role = |rel: &str| classify_file(rel, "public");
        assert_eq!(role("policies/a.md"), Role::Document);
        assert_eq!(role("a.MD"), Role::Document);
        assert_eq!(role("policies/logo.png"), Role::Asset);
        assert_eq!(
            role("static/img/logo.png"),
            Role::Static {
                url: "img/logo.png".into()
            }
        );
        assert_eq!(
            role("static/notes.md"),
            Role::Static {
                url: "notes.md".into()
            }
        );
        assert_eq!(role("frameworks/cc.toml"), Role::Framework);
        let unpublished = |rel: &str| match role(rel) {
            Role::Unpublished(why) => why,
            other => panic!("{rel}: {other:?}"),
        };
        assert_eq!(
            unpublished("frameworks/notes.md"),
            Unpublished::FrameworkFolder
        );
        assert_eq!(unpublished("annexa.toml"), Unpublished::Config);
        assert_eq!(unpublished("soa.toml"), Unpublished::InputFile);
        assert_eq!(role("policies/x.toml"), Role::Asset);
        assert_eq!(unpublished("policies/README.md"), Unpublished::Readme);
        assert_eq!(unpublished("templates/base.html"), Unpublished::Template);
        assert_eq!(unpublished("templates/x.md"), Unpublished::Template);
        assert_eq!(unpublished(".git/HEAD"), Unpublished::Hidden);
        assert_eq!(unpublished("policies/.draft.md"), Unpublished::Hidden);
        assert_eq!(unpublished("public/index.html"), Unpublished::Output);
        assert_eq!(role("publications/a.md"), Role::Document);
        assert_eq!(
            classify_file("site/out/a.md", "./site/out/"),
            Role::Unpublished(Unpublished::Output)
        );
    }

    #[test]
    fn folders_skipped_by_the_walk() {
        assert_eq!(
            skipped_folder("templates", "public"),
            Some(Unpublished::Template)
        );
        assert_eq!(
            skipped_folder("public", "public"),
            Some(Unpublished::Output)
        );
        assert_eq!(skipped_folder(".git", "public"), Some(Unpublished::Hidden));
        assert_eq!(skipped_folder("static", "public"), None);
        assert_eq!(skipped_folder("policies/templates", "public"), None);
    }

    #[test]
    fn serve_ignores_only_hidden_and_output_paths() {
        let ignored: Vec<Unpublished> = [
            Unpublished::Config,
            Unpublished::InputFile,
            Unpublished::Readme,
            Unpublished::Template,
            Unpublished::FrameworkFolder,
            Unpublished::Hidden,
            Unpublished::Output,
        ]
        .into_iter()
        .filter(|u| u.is_ignored())
        .collect();
        assert_eq!(ignored, [Unpublished::Hidden, Unpublished::Output]);
    }

    #[test]
    fn reasons_name_the_file() {
        assert_eq!(
            Unpublished::Config.reason("annexa.toml"),
            "annexa.toml is configuration and is not published"
        );
        assert_eq!(
            Unpublished::InputFile.reason("soa.toml"),
            "soa.toml is an input file of annexa (top-level .toml files are read, not published)"
        );
    }

    #[test]
    fn urls_and_titles() {
        assert_eq!(document_url("policies/a.md"), "policies/a/");
        assert_eq!(document_url("a.v2.md"), "a.v2/");
        assert_eq!(folder_url(""), "");
        assert_eq!(folder_url("policies/hr"), "policies/hr/");
        assert_eq!(title_from_path("p/access-control.md"), "Access control");
        assert_eq!(title_from_path("p/snake_case.MD"), "Snake case");
    }

    #[test]
    fn relative_paths_use_slashes_and_drop_dot_parts() {
        let root = Path::new("/repo");
        assert_eq!(
            relative(root, Path::new("/repo/policies/a.md")),
            "policies/a.md"
        );
        assert_eq!(
            relative(root, Path::new("/repo/./policies//a.md")),
            "policies/a.md"
        );
        assert_eq!(relative(root, Path::new("/repo")), "");
    }
}
