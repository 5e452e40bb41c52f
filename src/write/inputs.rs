//! Inputs: a fingerprint of everything a build reads, kept beside the output folder in a
//! dot-named cache file, so that a rebuild of an unchanged repository renders nothing.
//!
//! The fingerprint covers the annexa executable itself (its size and modification time: a new
//! version, or a new build of the same version, renders again), the build's options (the day
//! reviews are computed for, the base URL), Git's `HEAD` (the history the site shows), and the
//! path, size, modification time, status-change time and inode of every file under the project
//! root that is not hidden or a built site — the documents, the configuration, the catalogs,
//! `templates/`, `static/` and every attachment. Any change to any of them renders the whole site
//! again (and writes only the files whose bytes differ).

use std::fs;
use std::path::Path;

use super::manifest::{Hash, hash};
use super::{Built, MARKER};

/// The first line of the cache file.
const HEADER: &str = "annexa-cache 2";

/// The fingerprint of a build of the project at `root` with `options` (any text that changes
/// what the build writes: the day, the base URL).
pub fn fingerprint(root: &Path, options: &str) -> Hash {
    let mut text = String::with_capacity(64 * 1024);
    text.push_str(env!("CARGO_PKG_VERSION"));
    text.push('\n');
    text.push_str(&executable_stamp());
    text.push_str(options);
    text.push('\n');
    text.push_str(&git_head(root));
    let walker = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_name().to_string_lossy().starts_with('.')
                    || entry.file_type().is_dir() && entry.path().join(MARKER).is_file())
        });
    for entry in walker {
        let Ok(entry) = entry else {
            // What cannot be read now may be readable next time: never the same fingerprint.
            text.push_str("unreadable\n");
            text.push_str(&format!("{:?}\n", std::time::SystemTime::now()));
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        text.push_str(&entry.path().to_string_lossy());
        text.push('\t');
        match entry.metadata() {
            Ok(meta) => push_stamp(&mut text, &meta),
            Err(_) => text.push_str(&format!("{:?}\n", std::time::SystemTime::now())),
        }
    }
    hash(text.as_bytes())
}

/// The running annexa executable's size, modification and status-change times and inode, as
/// one line (a new build of the same version is another program); empty when it cannot be found.
pub fn executable_stamp() -> String {
    let mut text = String::new();
    if let Some(meta) = std::env::current_exe()
        .ok()
        .and_then(|e| fs::metadata(e).ok())
    {
        push_stamp(&mut text, &meta);
    }
    text
}

/// A file's size, modification and status-change times, and inode, as one line.
fn push_stamp(text: &mut String, meta: &fs::Metadata) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        text.push_str(&format!(
            "{} {}.{} {}.{} {} {}\n",
            meta.len(),
            meta.mtime(),
            meta.mtime_nsec(),
            meta.ctime(),
            meta.ctime_nsec(),
            meta.ino(),
            meta.dev()
        ));
    }
    #[cfg(not(unix))]
    {
        text.push_str(&format!("{} {:?}\n", meta.len(), meta.modified().ok()));
    }
}

/// The commit Git's `HEAD` names, or nothing outside a repository.
fn git_head(root: &Path) -> String {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

/// The comment line of the cache file, after its fields.
const COMMENT: &str = "# annexa's record of what built the folder beside it; safe to delete.";

/// What the cache file says about the live site: the fingerprint of the build that wrote it,
/// the hash of its manifest, the counts the build reported and what its check printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cached {
    pub(super) fingerprint: Hash,
    pub(super) manifest: Hash,
    pub(super) built: Built,
}

impl Cached {
    /// Reads the cache file at `path`; `None` if it is missing or not of this version.
    pub(super) fn read(path: &Path) -> Option<Cached> {
        let text = fs::read_to_string(path).ok()?;
        let rest = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
        let (fields, rest) = rest.split_once('\n')?;
        let report = rest.strip_prefix(COMMENT)?.strip_prefix('\n')?;
        let mut fields = fields.split(' ');
        let mut next_hash = || super::parse_hex(fields.next()?);
        let (fingerprint, manifest) = (next_hash()?, next_hash()?);
        let mut next_count = || fields.next()?.parse().ok();
        let (pages, files, documents) = (next_count()?, next_count()?, next_count()?);
        Some(Cached {
            fingerprint,
            manifest,
            built: Built {
                pages,
                files,
                documents,
                report: report.to_string(),
            },
        })
    }

    /// Writes the cache file at `path` (a failure only costs the next build a render).
    pub(super) fn write(&self, path: &Path) {
        let text = format!(
            "{HEADER}\n{} {} {} {} {}\n{COMMENT}\n{}",
            super::hex(&self.fingerprint),
            super::hex(&self.manifest),
            self.built.pages,
            self.built.files,
            self.built.documents,
            self.built.report
        );
        if fs::write(path, text).is_err() {
            fs::remove_file(path).ok();
        }
    }
}
