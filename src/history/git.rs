//! Running `git`: one process per question, never a shell, refs after `--end-of-options`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use jiff::civil::Date;

use crate::error::Fatal;

/// A `git` command run in `dir`, with settings that keep its output machine-readable whatever
/// the user's configuration says.
pub fn command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "core.quotepath=off",
            "-c",
            "log.showSignature=false",
            "-c",
            "color.ui=false",
        ])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdin(Stdio::null());
    command
}

/// Runs `git` in `dir` with `args`; its output when it succeeds, else `None` (no git, not a
/// repository, a bad argument).
pub fn output(dir: &Path, args: &[&str]) -> Option<Output> {
    let out = command(dir)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then_some(out)
}

/// Whether the `git` command can be run at all.
pub fn available() -> bool {
    Command::new("git")
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A point of history as the user names it: a ref (branch, tag, commit) or a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    /// A date: the last commit on or before that day on the current branch.
    Date(Date),
    /// A ref, passed to git as it is (after `--end-of-options`).
    Ref(String),
}

impl Point {
    /// Reads `text`: `YYYY-MM-DD` is a date, anything else a ref. A ref beginning with `-` or
    /// holding a control character is refused.
    pub fn parse(text: &str) -> Result<Point, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("expected a ref (branch, tag, commit) or a date as YYYY-MM-DD".into());
        }
        if looks_like_date(text) {
            return text.parse::<Date>().map(Point::Date).map_err(|e| {
                format!("`{text}` is not a date: {e}; expected a date as YYYY-MM-DD or a ref")
            });
        }
        if text.starts_with('-') {
            return Err(format!(
                "`{text}` begins with `-`: a ref cannot begin with `-`; expected a ref (branch, tag, commit) or a date as YYYY-MM-DD"
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(format!(
                "`{text}` holds a control character: expected a ref (branch, tag, commit) or a date as YYYY-MM-DD"
            ));
        }
        Ok(Point::Ref(text.to_string()))
    }
}

impl std::fmt::Display for Point {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Point::Date(d) => write!(f, "{d}"),
            Point::Ref(r) => f.write_str(r),
        }
    }
}

fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The abbreviated form of a commit hash shown to people: its first seven characters.
pub fn short(hash: &str) -> String {
    hash.chars().take(7).collect()
}

/// A commit that a [`Point`] resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The full hash.
    pub hash: String,
    /// The abbreviated hash.
    pub short: String,
    /// The committer date.
    pub date: Date,
}

/// Resolves `point` to a commit in the repository at `dir`. A date is the last commit on or
/// before that day (committer dates) on the current branch's first-parent line.
pub fn resolve(dir: &Path, point: &Point) -> Result<Resolved, Fatal> {
    let fields = |line: &str| -> Option<Resolved> {
        let mut parts = line.split('\x1f');
        let hash = parts.next()?.to_string();
        let date = parts.next()?.trim().parse().ok()?;
        Some(Resolved {
            short: short(&hash),
            hash,
            date,
        })
    };
    match point {
        Point::Ref(name) => {
            let out = output(
                dir,
                &[
                    "log",
                    "-1",
                    "--no-walk",
                    "--format=%H%x1f%cs",
                    "--end-of-options",
                    &format!("{name}^{{commit}}"),
                    "--",
                ],
            )
            .ok_or_else(|| {
                Fatal::new(format!(
                    "`{name}` is not a commit, branch or tag of this repository: expected a ref or a date as YYYY-MM-DD"
                ))
            })?;
            let text = String::from_utf8_lossy(&out.stdout);
            text.lines().next().and_then(fields).ok_or_else(|| {
                Fatal::new(format!("`{name}` is not a commit, branch or tag of this repository: expected a ref or a date as YYYY-MM-DD"))
            })
        }
        Point::Date(date) => {
            let mut child = command(dir)
                .args([
                    "log",
                    "--first-parent",
                    "--format=%H%x1f%cs",
                    "--end-of-options",
                    "HEAD",
                    "--",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| Fatal::new(format!("cannot run git: {e}")))?;
            let stdout = child.stdout.take().expect("piped");
            let mut found = None;
            let mut any = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let Some(commit) = fields(&line) else {
                    continue;
                };
                any = true;
                if commit.date <= *date {
                    found = Some(commit);
                    break;
                }
            }
            let _ = child.kill();
            let _ = child.wait();
            found.ok_or_else(|| {
                Fatal::new(if any {
                    format!(
                        "no commit on or before {date} on the current branch: its first commit is later; expected a date within its history"
                    )
                } else {
                    "the current branch has no commits".to_string()
                })
            })
        }
    }
}

/// The contents of the objects `ids` (blob hashes), read by one `git cat-file --batch`, in
/// order; `None` for an object git does not have.
pub fn blobs(dir: &Path, ids: &[String]) -> Result<Vec<Option<Vec<u8>>>, Fatal> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = command(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Fatal::new(format!("cannot run git cat-file: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped");
    let request: String = ids.iter().map(|id| format!("{id}\n")).collect();
    // Written from a thread of its own: git answers while it reads, and a pipe holds little.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(request.as_bytes());
    });
    let mut reader = BufReader::new(child.stdout.take().expect("piped"));
    let mut found = Vec::with_capacity(ids.len());
    let broken = || Fatal::new("git cat-file stopped answering".to_string());
    for _ in ids {
        let mut header = String::new();
        if reader.read_line(&mut header).map_err(|_| broken())? == 0 {
            return Err(broken());
        }
        let parts: Vec<&str> = header.split_whitespace().collect();
        if parts.len() != 3 {
            found.push(None);
            continue;
        }
        let size: usize = parts[2].parse().map_err(|_| broken())?;
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes).map_err(|_| broken())?;
        bytes.pop();
        found.push(Some(bytes));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_dates_or_refs_never_options() {
        assert_eq!(
            Point::parse("2026-06-22"),
            Ok(Point::Date("2026-06-22".parse().unwrap()))
        );
        assert_eq!(Point::parse("v1.0"), Ok(Point::Ref("v1.0".into())));
        assert!(Point::parse("2026-13-01").is_err());
        assert!(Point::parse("--output=x").is_err());
        assert!(Point::parse("").is_err());
    }
}
