//! Load: find the project root, walk the repository, and read every input file.
//! Documents are read and parsed in parallel; nothing here knows about other documents.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::document::ParsedDocument;
use crate::error::Fatal;
use crate::frontmatter::Reading;
use crate::registers::{self, RegisterFiles};
use crate::risks::RISKS_FILE;
use crate::soa::SOA_FILE;
use crate::source::SourceText;

mod docs;
mod outlines;
mod walk;

pub use docs::{BodyEdit, DocCache};
use docs::{CachedDoc, Stamp, file_stamp, parse_fresh};
pub use outlines::{OutlineCache, Outlines, Record};

use walk::{special_kind, walk};

/// Everything read from a repository, before documents are linked to each other.
#[derive(Debug)]
pub struct Inputs {
    /// The project root (the folder of `annexa.toml`).
    pub root: PathBuf,
    /// The settings.
    pub config: Config,
    /// Parsed documents, sorted by path.
    pub documents: Vec<Arc<ParsedDocument>>,
    /// Other files beside the documents (images, PDFs…), relative paths, sorted.
    pub assets: Vec<String>,
    /// Files under `static/`, relative paths from the root (`static/logo.png`), sorted.
    pub static_files: Vec<String>,
    /// Every folder walked, relative paths (the root is `""`).
    pub dirs: HashSet<String>,
    /// `frameworks/*.toml`, sorted.
    pub framework_files: Vec<SourceText>,
    /// `soa.toml`, when present.
    pub soa: Option<SourceText>,
    /// `risks.toml`, when present.
    pub risks: Option<SourceText>,
    /// The other registers (`audits.toml`, `findings.toml`…), those present.
    pub registers: RegisterFiles,
    /// Problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds the project root: `dir` itself, or the current folder and its parents.
pub fn find_root(dir: Option<&Path>) -> Result<PathBuf, Fatal> {
    match dir {
        Some(dir) => {
            let meta = fs::metadata(dir)
                .map_err(|e| Fatal::new(format!("cannot open folder `{}`: {e}", dir.display())))?;
            if !meta.is_dir() {
                return Err(Fatal::new(format!("`{}` is not a folder", dir.display())));
            }
            if !config_file_in(dir)? {
                return Err(Fatal::new(format!(
                    "no {CONFIG_FILE} in `{}`: run annexa in an ISMS repository, or create one with `annexa init`",
                    dir.display()
                )));
            }
            Ok(dir.to_path_buf())
        }
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| Fatal::new(format!("cannot read the current folder: {e}")))?;
            for dir in cwd.ancestors() {
                if config_file_in(dir)? {
                    return Ok(dir.to_path_buf());
                }
            }
            Err(Fatal::new(format!(
                "no {CONFIG_FILE} in `{}` or its parents: run annexa in an ISMS repository, or create one with `annexa init`",
                cwd.display()
            )))
        }
    }
}

/// Whether `dir` holds an `annexa.toml`; an error when it holds one that is not a file.
fn config_file_in(dir: &Path) -> Result<bool, Fatal> {
    let path = dir.join(CONFIG_FILE);
    let Ok(meta) = fs::metadata(&path) else {
        return Ok(false);
    };
    if meta.is_file() {
        return Ok(true);
    }
    let what = if meta.is_dir() {
        "is a folder, not a file".to_string()
    } else {
        format!("is not a regular file ({})", special_kind(meta.file_type()))
    };
    Err(Fatal::new(format!("`{}` {what}", path.display())))
}

/// The output folder that `annexa.toml` at `root` names (`output_dir`), read on its own for a
/// build that may have nothing to do; `None` when the file cannot be read.
pub fn configured_output_dir(root: &Path) -> Option<String> {
    let source = read_text(root, CONFIG_FILE, &mut Vec::new()).ok()?;
    Some(Config::parse(&source, &mut Vec::new()).output_dir)
}

/// Reads the whole repository at `root`, re-using documents from `cache` whose files did not
/// change, and updating it (a default cache keeps nothing).
pub fn read(root: &Path, cache: &mut DocCache) -> Result<Inputs, Fatal> {
    let mut diagnostics = Vec::new();
    let config_source = read_text(root, CONFIG_FILE, &mut diagnostics).map_err(|e| {
        Fatal::new(format!(
            "cannot read {}: {e}",
            root.join(CONFIG_FILE).display()
        ))
    })?;
    let config = Config::parse(&config_source, &mut diagnostics);
    let mut listing = walk(root, &config.output_dir)?;
    diagnostics.append(&mut listing.problems);
    // Without a cache (every command but `serve`) there is nothing to compare stamps with.
    let stamps: Vec<Stamp> = if cache.enabled {
        listing
            .documents
            .par_iter()
            .map(|path| file_stamp(&root.join(path)))
            .collect()
    } else {
        vec![(None, 0); listing.documents.len()]
    };
    // Each document is either kept from the cache (its file unchanged, and front matter read
    // the same way) or to be parsed.
    let mut previous = std::mem::take(&mut cache.entries);
    if cache.reading != config.reading {
        previous.clear();
        cache.reading = config.reading.clone();
    }
    let slots: Vec<Result<CachedDoc, Stamp>> = listing
        .documents
        .iter()
        .zip(stamps)
        .map(|(path, stamp)| match previous.remove(path) {
            Some(mut kept) if kept.stamp == stamp && stamp.0.is_some() => {
                if kept.fresh {
                    kept.fresh = false;
                } else if kept.document.reparsed {
                    // The last project is gone by now: this takes the document, not a copy.
                    Arc::make_mut(&mut kept.document).reparsed = false;
                }
                Ok(kept)
            }
            _ => Err(stamp),
        })
        .collect();
    let release_text = cache.release_text;
    let scan = &config.reading.scan;
    let opened = cache.outlines.as_ref().map(|o| o.open(scan));
    let known = opened.as_ref();
    let (entries, records): (Vec<CachedDoc>, Vec<Option<Record>>) = slots
        .into_par_iter()
        .zip(listing.documents.par_iter())
        .map(|(slot, path)| match slot {
            Ok(kept) => (kept, None),
            Err(stamp) => parse_fresh(root, path, stamp, release_text, &config.reading, known),
        })
        .unzip();
    if let (Some(outlines), Some(known)) = (&mut cache.outlines, known) {
        let records: Vec<Record> = records.into_iter().flatten().collect();
        outlines.keep(known, scan, &records);
        crate::drop_in_background((records, opened));
    }
    let docs = if cache.enabled {
        // The cache and the project share each document.
        let docs = entries.iter().map(|c| Arc::clone(&c.document)).collect();
        for entry in &entries {
            diagnostics.extend(entry.diagnostics.iter().cloned());
        }
        cache.entries = listing.documents.iter().cloned().zip(entries).collect();
        docs
    } else {
        let mut docs = Vec::with_capacity(entries.len());
        for entry in entries {
            docs.push(entry.document);
            diagnostics.extend(entry.diagnostics);
        }
        docs
    };
    let framework_files = listing
        .framework_files
        .iter()
        .filter_map(|p| read_config_file(root, p, &mut diagnostics))
        .collect();
    let optional = |name: &str, diagnostics: &mut Vec<Diagnostic>| {
        root.join(name)
            .is_file()
            .then(|| read_config_file(root, name, diagnostics))
            .flatten()
    };
    let soa = optional(SOA_FILE, &mut diagnostics);
    let risks = optional(RISKS_FILE, &mut diagnostics);
    let registers = RegisterFiles {
        audits: optional(registers::AUDITS_FILE, &mut diagnostics),
        findings: optional(registers::FINDINGS_FILE, &mut diagnostics),
        evidence: optional(registers::EVIDENCE_FILE, &mut diagnostics),
        reviews: optional(registers::MANAGEMENT_REVIEWS_FILE, &mut diagnostics),
    };
    Ok(Inputs {
        root: root.to_path_buf(),
        config,
        documents: docs,
        assets: listing.assets,
        static_files: listing.static_files,
        dirs: listing.dirs,
        framework_files,
        soa,
        risks,
        registers,
        diagnostics,
    })
}

/// Reads a file as UTF-8, replacing invalid bytes; returns where the first invalid byte was.
fn read_lossy(path: &Path) -> std::io::Result<(String, Option<usize>)> {
    let mut bytes = read_regular(path)?;
    // Drop a byte order mark here, so that the offset of a bad byte is an offset in the text
    // that positions are computed on (SourceText drops it too).
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Ok((String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at)))
        }
    }
}

/// The bytes of the regular file at `path`. Anything else is an error, found before reading:
/// the file is opened without waiting (a FIFO would wait for a writer), then checked.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            special_kind(meta.file_type())
        };
        return Err(std::io::Error::other(format!(
            "it is not a regular file ({what})"
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The Markdown body of `doc`, a document of the project at `root`: its text when kept, else
/// its file read again (see [`ParsedDocument::release_text`]), which must not have changed since it
/// was parsed.
pub fn document_body<'d>(root: &Path, doc: &'d ParsedDocument) -> Result<Cow<'d, str>, Fatal> {
    if !doc.is_released() {
        return Ok(Cow::Borrowed(doc.body()));
    }
    let (text, _) = read_lossy(&root.join(doc.path()))
        .map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", doc.path())))?;
    doc.body_of(crate::source::without_bom(text))
        .map(Cow::Owned)
        .ok_or_else(|| {
            Fatal::new(format!(
                "`{}` changed while the site was being built; build again",
                doc.path()
            ))
        })
}

/// Reads a file that must be readable, reporting invalid UTF-8 into `out`.
fn read_text(root: &Path, rel: &str, out: &mut Vec<Diagnostic>) -> std::io::Result<SourceText> {
    let (text, bad) = read_lossy(&root.join(rel))?;
    let source = SourceText::new(rel, text);
    if let Some(at) = bad {
        out.push(not_utf8(&source, at));
    }
    Ok(source)
}

fn read_config_file(root: &Path, rel: &str, out: &mut Vec<Diagnostic>) -> Option<SourceText> {
    match read_lossy(&root.join(rel)) {
        Ok((text, bad)) => {
            let source = SourceText::new(rel, text);
            if let Some(at) = bad {
                out.push(not_utf8(&source, at));
            }
            Some(source)
        }
        Err(e) => {
            out.push(
                Diagnostic::new(Lint::UnreadableFile, format!("cannot read `{rel}`: {e}"))
                    .in_file(rel)
                    .at(Position { line: 1, column: 1 }),
            );
            None
        }
    }
}

fn not_utf8(source: &SourceText, at: usize) -> Diagnostic {
    Diagnostic::new(
        Lint::UnreadableFile,
        "file is not valid UTF-8; invalid bytes were replaced with U+FFFD",
    )
    .in_file(&source.path)
    .at(source.position(at))
    .with_help("save the file as UTF-8")
}

/// Reads and parses one document. A file that cannot be read still yields a document, so
/// that links to it resolve, with the reason as a diagnostic.
/// Its body's outline is what `outline` gives (see [`ParsedDocument::parse_with`]).
fn read_document(
    root: &Path,
    rel: &str,
    reading: &Reading,
    outline: impl FnOnce(&str, &crate::markdown::Scan) -> crate::markdown::Outline,
) -> (ParsedDocument, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let source = match read_lossy(&root.join(rel)) {
        Ok((text, bad)) => {
            let source = SourceText::new(rel, text);
            if let Some(at) = bad {
                diagnostics.push(not_utf8(&source, at));
            }
            source
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::new(Lint::UnreadableFile, format!("cannot read document: {e}"))
                    .in_file(rel)
                    .at(Position { line: 1, column: 1 }),
            );
            return (
                ParsedDocument::unreadable(SourceText::new(rel, String::new())),
                diagnostics,
            );
        }
    };
    let document = ParsedDocument::parse_with(source, reading, &mut diagnostics, outline);
    (document, diagnostics)
}

#[cfg(test)]
mod body_tests;

#[cfg(test)]
mod tests {
    use super::{DocCache, document_body, read, read_config_file};
    use crate::diagnostic::{Lint, Position};
    use std::fs;

    #[test]
    fn a_config_file_that_cannot_be_read_is_named_at_line_1() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the walk saw a file: read after the walk, it cannot be read.
        fs::create_dir(dir.path().join("soa.toml")).unwrap();
        let mut out = Vec::new();
        assert!(read_config_file(dir.path(), "soa.toml", &mut out).is_none());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].lint, Lint::UnreadableFile);
        assert_eq!(out[0].file.as_deref(), Some("soa.toml"));
        assert_eq!(out[0].position, Some(Position { line: 1, column: 1 }));
        assert_eq!(
            out[0].message,
            "cannot read `soa.toml`: it is not a regular file (a folder)"
        );
    }

    #[test]
    fn a_released_text_keeps_what_parsing_found_and_is_read_again_while_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("annexa.toml"), "title = \"T\"\n").unwrap();
        fs::create_dir(dir.path().join("policies")).unwrap();
        let file = dir.path().join("policies/a.md");
        // A byte order mark, and a body with a non-ASCII character.
        let body = "\n## Scope – all\n\nSee [b](b.md).\n";
        fs::write(&file, format!("\u{feff}+++\ntitle = \"A\"\n+++\n{body}")).unwrap();
        let kept = read(dir.path(), &mut DocCache::default()).unwrap();
        let released = read(dir.path(), &mut DocCache::releasing_text()).unwrap();
        let [kept, released] = [&kept.documents[0], &released.documents[0]];
        assert!(released.is_released() && !kept.is_released());
        // Parsing found the same whether the text is kept or not.
        assert!(kept.body().contains("See [b](b.md)."));
        assert_eq!(released.body(), "");
        assert_eq!(released.title, "A");
        let ids = |d: &crate::document::ParsedDocument| -> Vec<String> {
            d.headings.iter().map(|h| h.id.clone()).collect()
        };
        assert_eq!(ids(released), ["scope--all"]);
        assert_eq!(ids(released), ids(kept));
        assert_eq!(released.links[0].position, kept.links[0].position);
        // The body comes back from the file while it is unchanged.
        assert_eq!(document_body(dir.path(), kept).unwrap(), kept.body());
        assert_eq!(document_body(dir.path(), released).unwrap(), body);
        // Read again the way it was read at first, even with a second byte order mark.
        let twice = dir.path().join("policies/twice.md");
        fs::write(
            &twice,
            format!("\u{feff}\u{feff}+++\ntitle = \"B\"\n+++\n{body}"),
        )
        .unwrap();
        let read = read(dir.path(), &mut DocCache::releasing_text()).unwrap();
        let doc = read.documents.iter().find(|d| d.title == "B").unwrap();
        assert_eq!(document_body(dir.path(), doc).unwrap(), body);
        fs::remove_file(&twice).unwrap();
        fs::write(&file, format!("\u{feff}+++\ntitle = \"A\"\n+++\n{body}.")).unwrap();
        let error = document_body(dir.path(), released).unwrap_err().to_string();
        assert!(
            error.contains("`policies/a.md` changed while the site was being built"),
            "{error}"
        );
        fs::remove_file(&file).unwrap();
        let error = document_body(dir.path(), released).unwrap_err().to_string();
        assert!(error.contains("cannot read `policies/a.md`"), "{error}");
    }
}
