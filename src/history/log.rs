//! The one `git log` of a history: every commit below the project root with the files it
//! changed (`--raw -M -z`: status, blob ids, renames), parsed, and each file's commits followed
//! back through its renames in one pass.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;

use super::git;

/// One commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full hash.
    pub hash: String,
    /// The abbreviated hash.
    pub short: String,
    /// The committer date.
    pub date: Date,
    /// The author's name.
    pub author: String,
    /// The subject line.
    pub subject: String,
}

/// One file as one commit changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Index of the commit in [`Log::commits`].
    pub commit: u32,
    /// `A`dded, `M`odified, `R`enamed, `C`opied, `T`ype changed.
    pub status: u8,
    /// The file's blob after the commit.
    pub blob: String,
    /// The file's path after the commit (relative to the project root).
    pub path: String,
    /// Its path before, for a rename or copy.
    pub from: Option<String>,
}

/// A parsed log: commits newest first, and the commits of each file that exists at its tip
/// (by its path there), newest first, renames followed.
#[derive(Debug, Default)]
pub struct Log {
    /// Every commit, newest first.
    pub commits: Vec<Commit>,
    /// The changes of each file at the tip, by its path there, newest first.
    pub files: HashMap<String, Vec<FileChange>>,
}

/// One raw entry of a commit.
struct RawEntry<'a> {
    status: u8,
    blob: &'a str,
    path: &'a str,
    from: Option<&'a str>,
}

/// Runs the log of `rev` for the files below `dir` (paths relative to it), or `None` when git
/// cannot.
pub fn read(dir: &Path, rev: &str) -> Option<Log> {
    let out = git::output(
        dir,
        &[
            "log",
            "-z",
            "--raw",
            "-M",
            "--no-abbrev",
            "--no-merges",
            "--relative",
            "--format=%x1e%H%x00%cs%x00%an%x00%s",
            "--end-of-options",
            rev,
            "--",
            ".",
        ],
    )?;
    Some(parse(&String::from_utf8_lossy(&out.stdout)))
}

/// Parses the output of [`read`]'s command.
pub fn parse(text: &str) -> Log {
    let mut tokens = text.split('\0').peekable();
    let mut commits = Vec::new();
    let mut entries: Vec<(u32, RawEntry<'_>)> = Vec::new();
    while let Some(token) = tokens.next() {
        let token = token.trim_start_matches('\n');
        let Some(hash) = token.strip_prefix('\x1e') else {
            continue;
        };
        let mut field = || tokens.next().unwrap_or("");
        let (date, author, subject) = (field(), field(), field());
        let Ok(date) = date.parse::<Date>() else {
            continue;
        };
        let index = commits.len() as u32;
        commits.push(Commit {
            hash: hash.to_string(),
            short: super::git::short(hash),
            date,
            author: author.to_string(),
            subject: subject.to_string(),
        });
        while let Some(next) = tokens.peek() {
            let Some(raw) = next.trim_start_matches('\n').strip_prefix(':') else {
                break;
            };
            tokens.next();
            let mut parts = raw.split(' ');
            let blob = parts.nth(3).unwrap_or("");
            let status = parts.next().and_then(|s| s.bytes().next()).unwrap_or(b'M');
            let first = tokens.next().unwrap_or("");
            let (path, from) = if matches!(status, b'R' | b'C') {
                (tokens.next().unwrap_or(""), Some(first))
            } else {
                (first, None)
            };
            entries.push((
                index,
                RawEntry {
                    status,
                    blob,
                    path,
                    from,
                },
            ));
        }
    }
    Log {
        files: follow(&entries),
        commits,
    }
}

/// Each file's changes, newest first, under its path at the tip: walking back from the newest
/// commit, a name maps to the file that bears it later; a rename hands the file its old name,
/// its creation ends it.
fn follow(entries: &[(u32, RawEntry<'_>)]) -> HashMap<String, Vec<FileChange>> {
    let mut files: HashMap<String, Vec<FileChange>> = HashMap::new();
    // The name a file had at the point of the walk → the file's path at the tip.
    let mut names: HashMap<&str, &str> = HashMap::new();
    let mut ended: rustc_hash::FxHashSet<&str> = Default::default();
    for (commit, entry) in entries {
        if entry.status == b'D' {
            // Deleted here and created again later: the later file ended at its creation.
            continue;
        }
        let tip = match names.get(entry.path) {
            Some(tip) => *tip,
            None if !ended.contains(entry.path) && !files.contains_key(entry.path) => entry.path,
            None => continue,
        };
        files.entry(tip.to_string()).or_default().push(FileChange {
            commit: *commit,
            status: entry.status,
            blob: entry.blob.to_string(),
            path: entry.path.to_string(),
            from: entry.from.map(str::to_string),
        });
        names.remove(entry.path);
        match (entry.status, entry.from) {
            (b'R', Some(from)) => {
                names.insert(from, tip);
                ended.insert(entry.path);
            }
            (b'A', _) | (b'C', _) => {
                ended.insert(entry.path);
            }
            _ => {
                names.insert(entry.path, tip);
            }
        }
    }
    files.retain(|_, changes| !changes.is_empty());
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: &str, blob: &str, paths: &[&str]) -> String {
        format!(
            "\n:100644 100644 {} {blob} {status}\0{}\0",
            "0".repeat(40),
            paths.join("\0")
        )
    }

    #[test]
    fn follows_renames_and_stops_at_creation() {
        let log = format!(
            "\x1ec3\02026-03-01\0Ann\0Rename\0{}\x1ec2\02026-02-01\0Bob\0Edit\0{}{}\x1ec1\02026-01-01\0Ann\0Import\0{}{}",
            raw("R100", "b3", &["p/old.md", "p/new.md"]),
            raw("M", "b2", &["p/old.md"]),
            raw("A", "x2", &["p/new.md"]),
            raw("A", "b1", &["p/old.md"]),
            raw("A", "x1", &["other.md"]),
        );
        let log = parse(&log);
        assert_eq!(log.commits.len(), 3);
        assert_eq!(log.commits[1].author, "Bob");
        let new: Vec<(u32, &str)> = log.files["p/new.md"]
            .iter()
            .map(|c| (c.commit, c.blob.as_str()))
            .collect();
        // p/new.md's creation in c2 was of another file, which the rename replaced.
        assert_eq!(new, [(0, "b3"), (1, "b2"), (2, "b1")]);
        assert_eq!(log.files["other.md"].len(), 1);
        assert!(!log.files.contains_key("p/old.md"));
    }
}
