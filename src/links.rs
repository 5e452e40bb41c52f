//! Link resolution: what a relative link in a document points at, decided once for all stages.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use percent_encoding::percent_decode_str;

/// What a link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A URL with a scheme (`https:`, `mailto:`…) or a protocol-relative `//host`: not checked.
    External,
    /// A heading in the same document (`#anchor`).
    SameDocument {
        /// The anchor, decoded.
        anchor: String,
    },
    /// Another document, by index, with an optional anchor.
    Document {
        /// Index into the project's documents.
        index: usize,
        /// The anchor, decoded.
        anchor: Option<String>,
    },
    /// A file or folder in the repository that is not a document.
    File {
        /// Its path relative to the root.
        path: String,
    },
    /// Nothing exists there.
    Missing {
        /// The resolved path relative to the root.
        path: String,
        /// Why, when more can be said than "does not exist".
        reason: Option<String>,
    },
}

/// Whether a link destination carries a URL scheme or is protocol-relative. The destination is
/// read as a browser reads it: leading and trailing spaces and control characters, and ASCII
/// tabs and newlines anywhere, do not count (so `java\tscript:` is a scheme, not a path).
pub fn is_external(dest: &str) -> bool {
    let trimmed = dest.trim_matches(|c: char| c <= ' ');
    let cleaned: std::borrow::Cow<'_, str> = if trimmed.contains(['\t', '\n', '\r']) {
        trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        trimmed.into()
    };
    let dest = cleaned.as_ref();
    if dest.starts_with("//") {
        return true;
    }
    let scheme_len = dest.find(':').filter(|&i| i > 0).filter(|&i| {
        let scheme = &dest[..i];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    scheme_len.is_some()
}

/// Splits a destination into its decoded path and decoded anchor; drops any query.
pub fn split_dest(dest: &str) -> (String, Option<String>) {
    let (rest, anchor) = match dest.split_once('#') {
        Some((rest, anchor)) => (rest, Some(decode(anchor))),
        None => (dest, None),
    };
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (decode(path), anchor)
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Joins a relative `path` to the folder of `from` (both relative to the root) and normalises
/// `.` and `..`. A leading `/` means the root. `None` when it climbs above the root.
pub fn join(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if !path.starts_with('/') {
        parts.extend(from.split('/'));
        parts.pop();
    }
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// `to` written relative to the folder of `from` (both relative to the root).
pub fn relative_to(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = {
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        parts
    };
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// Percent-encodes what a path in a URL cannot hold as it is.
pub fn encode_path(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

/// What exists in the repository, for resolving links.
pub struct Universe<'a> {
    /// The project root on disk.
    pub root: &'a Path,
    /// Document index by path.
    pub documents: &'a HashMap<String, usize>,
    /// Non-document files.
    pub assets: &'a HashSet<String>,
    /// Folders.
    pub dirs: &'a HashSet<String>,
}

impl Universe<'_> {
    /// Resolves `dest`, written in the document at `from`.
    pub fn resolve(&self, from: &str, dest: &str) -> Target {
        let dest = dest.trim();
        if is_external(dest) {
            return Target::External;
        }
        let (path, anchor) = split_dest(dest);
        if path.is_empty() {
            return match anchor {
                Some(anchor) => Target::SameDocument { anchor },
                None => Target::SameDocument {
                    anchor: String::new(),
                },
            };
        }
        let Some(resolved) = join(from, &path) else {
            return Target::Missing {
                path,
                reason: Some("it points outside the repository".to_string()),
            };
        };
        if let Some(&index) = self.documents.get(&resolved) {
            return Target::Document { index, anchor };
        }
        if self.assets.contains(&resolved) || self.dirs.contains(&resolved) {
            return Target::File { path: resolved };
        }
        let on_disk = self.root.join(&resolved);
        if let Some(target) = self.through_symlink(&on_disk, anchor.as_ref()) {
            return target.unwrap_or(Target::Missing {
                path: resolved,
                reason: Some(
                    "it is outside the repository (a symbolic link leads out of it)".to_string(),
                ),
            });
        }
        if crate::load::is_markdown(&resolved) && on_disk.is_file() {
            return Target::Missing {
                path: resolved,
                reason: Some(
                    "it is not a published document (README files, hidden folders, the output folder, templates/, static/ and frameworks/ are not published)"
                        .to_string(),
                ),
            };
        }
        if on_disk.exists() && !resolved.split('/').any(|p| p.starts_with('.')) {
            return Target::File { path: resolved };
        }
        Target::Missing {
            path: resolved,
            reason: None,
        }
    }

    /// For a path that exists on disk but was not walked as part of the repository: when a
    /// symbolic link leads outside the root, `Some(None)`; when it leads to a document by
    /// another path, `Some(Some(that document))`; otherwise `None`.
    fn through_symlink(&self, on_disk: &Path, anchor: Option<&String>) -> Option<Option<Target>> {
        let target = on_disk.canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        if !target.starts_with(&root) {
            return Some(None);
        }
        let real = crate::load::relative(&root, &target);
        let &index = self.documents.get(&real)?;
        Some(Some(Target::Document {
            index,
            anchor: anchor.cloned(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_links_are_recognised() {
        for dest in [
            "https://x.org",
            "mailto:a@b.c",
            "tel:+441234",
            "//cdn.x/y.js",
            "C:x",
            "java\tscript:alert(1)",
            " \u{1}javascript:alert(1)",
        ] {
            assert!(is_external(dest), "{dest}");
        }
        for dest in ["a.md", "../a.md#x", "#top", "/policies/a.md", "a:b.md"] {
            assert_eq!(is_external(dest), dest == "a:b.md", "{dest}");
        }
    }

    #[test]
    fn paths_join_and_relativise() {
        assert_eq!(
            join("policies/a.md", "../procedures/b.md").as_deref(),
            Some("procedures/b.md")
        );
        assert_eq!(
            join("policies/a.md", "./b.md").as_deref(),
            Some("policies/b.md")
        );
        assert_eq!(
            join("policies/a.md", "/records/c.md").as_deref(),
            Some("records/c.md")
        );
        assert_eq!(join("a.md", "../b.md"), None);
        assert_eq!(
            relative_to("policies/a.md", "procedures/b.md"),
            "../procedures/b.md"
        );
        assert_eq!(relative_to("policies/a.md", "policies/c.md"), "c.md");
        assert_eq!(relative_to("a.md", "x/y/z.md"), "x/y/z.md");
        assert_eq!(
            split_dest("my%20file.md?x=1#Some%20Id"),
            ("my file.md".into(), Some("Some Id".into()))
        );
    }
}
