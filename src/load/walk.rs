//! The walk: every file under the root, sorted into documents, assets, static files and
//! framework files by the one publishing rule, with what cannot be read reported.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::error::Fatal;
use crate::publish::{self, Role, relative};

/// The repository's files, sorted by what they are, with the problems the walk found.
pub(super) struct Listing {
    pub(super) documents: Vec<String>,
    pub(super) assets: Vec<String>,
    pub(super) static_files: Vec<String>,
    pub(super) dirs: HashSet<String>,
    pub(super) framework_files: Vec<String>,
    pub(super) problems: Vec<Diagnostic>,
}

/// Walks the repository, sorting files into documents, assets and framework files.
pub(super) fn walk(root: &Path, output_dir: &str) -> Result<Listing, Fatal> {
    let canonical_root = root
        .canonicalize()
        .map_err(|e| Fatal::new(format!("cannot read folder `{}`: {e}", root.display())))?;
    let output_dir = output_dir.trim_start_matches("./").to_string();
    let mut listing = Listing {
        documents: Vec::new(),
        assets: Vec::new(),
        static_files: Vec::new(),
        dirs: HashSet::from([String::new()]),
        framework_files: Vec::new(),
        problems: Vec::new(),
    };
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let rel = relative(root, entry.path());
            keep_entry(&rel, entry, &output_dir)
        });
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.loop_ancestor().is_some() => continue,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| relative(root, p))
                    .filter(|p| !p.is_empty())
                    .unwrap_or_else(|| ".".to_string());
                // The I/O error alone: walkdir's own message repeats the absolute path.
                let reason = e
                    .io_error()
                    .map(|io| io.to_string())
                    .unwrap_or_else(|| e.to_string());
                let mut d = Diagnostic::new(
                    Lint::UnreadableFile,
                    format!("cannot read `{path}`: {reason}"),
                )
                .in_file(path.as_str());
                // A file is named at its first line, as an unreadable document is; a folder
                // has no line.
                if !e.path().is_some_and(Path::is_dir) {
                    d = d.at(Position { line: 1, column: 1 });
                }
                if e.path().is_some_and(|p| p.is_symlink() && !p.exists()) {
                    d = d.with_help("it is a symbolic link to something that does not exist");
                }
                listing.problems.push(d);
                continue;
            }
        };
        let rel = relative(root, entry.path());
        if entry.depth() > 0 && entry.file_name().to_str().is_none() {
            // Its path could not be written in a link, a URL or a diagnostic as it is.
            let message = if entry.file_type().is_dir() {
                walker.skip_current_dir();
                format!(
                    "the folder name `{rel}` is not valid UTF-8; rename the folder (annexa does not read what is in it)"
                )
            } else {
                format!("the file name `{rel}` is not valid UTF-8; rename the file")
            };
            listing
                .problems
                .push(Diagnostic::new(Lint::UnreadableFile, message).in_file(rel));
            continue;
        }
        if let Some(problem) = not_followed(&rel, &entry, &canonical_root) {
            listing.problems.extend(problem);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_dir() {
            if is_input_file(&rel) {
                listing.problems.push(
                    Diagnostic::new(
                        Lint::InvalidConfig,
                        format!("`{rel}` is a folder, not a file"),
                    )
                    .in_file(rel.as_str()),
                );
            }
            listing.dirs.insert(rel);
            continue;
        }
        if !entry.file_type().is_file() {
            // Opening a FIFO would wait for a writer, forever; a device is no document either.
            listing.problems.push(
                Diagnostic::new(
                    Lint::IgnoredFile,
                    format!(
                        "`{rel}` is not a regular file ({}), so annexa does not read it",
                        special_kind(entry.file_type())
                    ),
                )
                .in_file(rel),
            );
            continue;
        }
        match publish::classify_file(&rel, &output_dir) {
            Role::Document => listing.documents.push(rel),
            Role::Asset => listing.assets.push(rel),
            Role::Static { .. } => {
                if publish::is_markdown(&rel) {
                    listing
                        .problems
                        .push(unpublished_markdown(&rel, publish::STATIC_DIR));
                }
                listing.static_files.push(rel);
            }
            Role::Framework => listing.framework_files.push(rel),
            Role::Unpublished(_) => {}
        }
    }
    listing.problems.extend(markdown_in_templates(root));
    Ok(listing)
}

/// `ignored-file` for each Markdown file under `templates/`, a folder the walk does not enter.
fn markdown_in_templates(root: &Path) -> Vec<Diagnostic> {
    let templates = root.join(publish::TEMPLATES_DIR);
    if !templates.is_dir() {
        return Vec::new();
    }
    WalkDir::new(&templates)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file() && publish::is_markdown(&e.file_name().to_string_lossy())
        })
        .map(|e| unpublished_markdown(&relative(root, e.path()), publish::TEMPLATES_DIR))
        .collect()
}

/// `ignored-file` for a Markdown file at `rel`, under `folder` (`templates` or `static`), which
/// is not published as a page.
fn unpublished_markdown(rel: &str, folder: &str) -> Diagnostic {
    let (what, holds) = if folder == publish::STATIC_DIR {
        (
            "it is copied to the site as it is, not published as a page",
            "files copied to the site as they are",
        )
    } else {
        ("it is not published", "theme templates")
    };
    Diagnostic::new(
        Lint::IgnoredFile,
        format!("`{rel}` is a Markdown file under `{folder}/`, so {what}"),
    )
    .in_file(rel)
    .with_help(format!(
        "`{folder}/` holds {holds}: move the document out of it to publish it as a page"
    ))
}

/// Whether annexa reads the file at `rel` as its input: one of [`publish::ROOT_INPUTS`] or a
/// framework file (`annexa.toml` is found before the walk).
fn is_input_file(rel: &str) -> bool {
    publish::ROOT_INPUTS.contains(&rel)
        || matches!(publish::classify_file(rel, ""), Role::Framework)
}

/// What kind of file a file that is neither a regular file nor a folder is, for messages.
pub(super) fn special_kind(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_char_device() {
            return "a character device";
        }
    }
    let _ = kind;
    "of a special kind"
}

/// Whether the walk must not go into `entry`, and what to say about it: a symbolic link that
/// leads outside the root (`Some(Some(warning))`; `annexa.toml`, `soa.toml` and `risks.toml` are
/// read by name, wherever they lead, so `Some(None)` for those).
fn not_followed(
    rel: &str,
    entry: &walkdir::DirEntry,
    canonical_root: &Path,
) -> Option<Option<Diagnostic>> {
    if entry.depth() == 0 || !entry.path_is_symlink() {
        return None;
    }
    let inside = entry
        .path()
        .canonicalize()
        .is_ok_and(|target| target.starts_with(canonical_root));
    if inside {
        return None;
    }
    if rel == CONFIG_FILE || publish::ROOT_INPUTS.contains(&rel) {
        return Some(None);
    }
    Some(Some(
        Diagnostic::new(
            Lint::IgnoredFile,
            format!(
                "`{rel}` is a symbolic link to a place outside the repository, so annexa does not follow it"
            ),
        )
        .in_file(rel),
    ))
}

fn keep_entry(rel: &str, entry: &walkdir::DirEntry, output_dir: &str) -> bool {
    if entry.depth() == 0 {
        return true;
    }
    if entry.file_name().to_string_lossy().starts_with('.') {
        return false;
    }
    let built_site = || entry.path().join(crate::write::MARKER).is_file();
    if entry.file_type().is_dir()
        && (publish::skipped_folder(rel, output_dir).is_some() || built_site())
    {
        return false;
    }
    true
}
