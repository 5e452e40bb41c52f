//! Link resolution: what a relative link in a document points at, decided once for all stages.

use std::collections::HashMap;
use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::publish;

/// What a link points at on the published site.
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
    /// A page annexa generates for a folder: its listing, or the dashboard for the root.
    Page {
        /// The page's URL, relative to the site root.
        url: String,
    },
    /// A published file: an attachment at its own path, or a file of `static/` at the root.
    File {
        /// Where it is published, relative to the site root.
        url: String,
    },
    /// Something in the repository that is not on the site.
    Unpublished {
        /// The resolved path relative to the root.
        path: String,
        /// Why it is not published.
        reason: String,
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

/// What the site publishes, for resolving links: every link resolves to what a reader of the
/// built site would reach.
pub struct Published<'a> {
    /// The project root on disk.
    pub root: &'a Path,
    /// The output folder, relative to the root.
    pub output_dir: &'a str,
    /// Document index by source path.
    pub documents: &'a HashMap<String, usize>,
    /// Published files (attachments and static files) by source path, with their URLs.
    pub files: &'a HashMap<String, String>,
    /// What a link to each walked folder reaches.
    pub folders: &'a HashMap<String, Target>,
}

impl Published<'_> {
    /// Resolves `dest`, written in the document at `from`.
    pub fn resolve(&self, from: &str, dest: &str) -> Target {
        let dest = dest.trim();
        if is_external(dest) {
            return Target::External;
        }
        let (path, anchor) = split_dest(dest);
        if path.is_empty() {
            return Target::SameDocument {
                anchor: anchor.unwrap_or_default(),
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
        if let Some(url) = self.files.get(&resolved) {
            return Target::File { url: url.clone() };
        }
        if let Some(target) = self.folders.get(&resolved) {
            return match target {
                Target::Document { index, .. } => Target::Document {
                    index: *index,
                    anchor,
                },
                other => other.clone(),
            };
        }
        self.not_walked(resolved, anchor)
    }

    /// What a path reaches that the walk did not list: through a symbolic link, a document by
    /// another path; otherwise something not published, or nothing.
    fn not_walked(&self, resolved: String, anchor: Option<String>) -> Target {
        let on_disk = self.root.join(&resolved);
        if let Some(target) = self.through_symlink(&on_disk, anchor) {
            return target.unwrap_or(Target::Missing {
                path: resolved,
                reason: Some(
                    "it is outside the repository (a symbolic link leads out of it)".to_string(),
                ),
            });
        }
        let Ok(meta) = std::fs::metadata(&on_disk) else {
            return Target::Missing {
                path: resolved,
                reason: None,
            };
        };
        let why = if meta.is_dir() {
            publish::skipped_folder(&resolved, self.output_dir)
        } else {
            match publish::classify_file(&resolved, self.output_dir) {
                publish::Role::Unpublished(why) => Some(why),
                publish::Role::Framework => Some(publish::Unpublished::FrameworkFolder),
                _ => None,
            }
        };
        let reason = match why {
            Some(why) => why.reason(&resolved),
            // Walked past: inside a folder that holds a site annexa built.
            None => publish::Unpublished::Output.reason(&resolved),
        };
        Target::Unpublished {
            path: resolved,
            reason,
        }
    }

    /// For a path that exists on disk but was not walked as part of the repository: when a
    /// symbolic link leads outside the root, `Some(None)`; when it leads to a document by
    /// another path, `Some(Some(that document))`; otherwise `None`.
    fn through_symlink(&self, on_disk: &Path, anchor: Option<String>) -> Option<Option<Target>> {
        let target = on_disk.canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        if !target.starts_with(&root) {
            return Some(None);
        }
        let real = publish::relative(&root, &target);
        let &index = self.documents.get(&real)?;
        Some(Some(Target::Document { index, anchor }))
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
