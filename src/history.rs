//! Git history: the recent commits that changed documents, read with one `git log`. Without git,
//! or outside a repository, there is simply no history.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// One commit that changed a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The commit's author date (`YYYY-MM-DD`).
    pub date: String,
    /// The commit's subject line.
    pub subject: String,
    /// The changed file, relative to the project root.
    pub path: String,
}

/// How many commits are read, at most.
const COMMITS: usize = 300;

/// The changes to files below `root` in its last commits, newest first: at most one per file
/// (its latest). Empty when git is missing or `root` is not in a repository.
pub fn recent_changes(root: &Path) -> Vec<Change> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--no-merges",
            "--relative",
            "--name-only",
        ])
        .arg(format!("-n{COMMITS}"))
        .args(["--format=%x00%as%x09%s", "--", "."])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => parse(&String::from_utf8_lossy(&out.stdout)),
        _ => Vec::new(),
    }
}

/// Parses `git log --name-only --format=%x00%as%x09%s` output.
fn parse(log: &str) -> Vec<Change> {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let mut changes = Vec::new();
    for commit in log.split('\0').filter(|c| !c.trim().is_empty()) {
        let mut lines = commit.lines();
        let Some((date, subject)) = lines.next().and_then(|l| l.split_once('\t')) else {
            continue;
        };
        for path in lines.map(str::trim).filter(|l| !l.is_empty()) {
            if seen.insert(path, ()).is_none() {
                changes.push(Change {
                    date: date.to_string(),
                    subject: subject.to_string(),
                    path: path.to_string(),
                });
            }
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_latest_change_of_each_file() {
        let log = "\u{0}2026-11-02\tFix backup RPO\n\nprocedures/backup.md\n\u{0}2026-10-01\tInitial import\n\nprocedures/backup.md\npolicies/a.md\n";
        assert_eq!(
            parse(log),
            [
                Change {
                    date: "2026-11-02".into(),
                    subject: "Fix backup RPO".into(),
                    path: "procedures/backup.md".into()
                },
                Change {
                    date: "2026-10-01".into(),
                    subject: "Initial import".into(),
                    path: "policies/a.md".into()
                },
            ]
        );
    }
}
