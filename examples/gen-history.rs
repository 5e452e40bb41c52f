//! Gives a generated corpus (`gen-corpus`) a Git history for the benchmarks: `git init`, then
//! one `git fast-import` stream of `--commits N` commits an hour apart from 2024-01-01: the
//! first adds every file, each later one appends a revision line to one document (documents in
//! turn, so each is changed about N / documents times). The working tree is then reset to the
//! last commit.
//!
//! Usage: gen-history --dir CORPUS [--commits 20000]

use std::fmt::Write as _;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const AUTHORS: [&str; 5] = [
    "Ann Author",
    "Bob Builder",
    "Cleo Checker",
    "Dev Ops",
    "Eve Editor",
];

fn files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("a readable corpus") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(
                    path.strip_prefix(root)
                        .expect("below the root")
                        .to_path_buf(),
                );
            }
        }
    }
    found.sort();
    found
}

fn data(out: &mut Vec<u8>, bytes: &[u8]) {
    writeln!(out, "data {}", bytes.len()).unwrap();
    out.extend_from_slice(bytes);
    out.push(b'\n');
}

fn commit_head(out: &mut Vec<u8>, n: usize, subject: &str) {
    let when = 1_704_067_200 + n as u64 * 3600;
    let author = AUTHORS[n % AUTHORS.len()];
    let email = author.to_lowercase().replace(' ', ".");
    writeln!(out, "commit refs/heads/main").unwrap();
    writeln!(out, "mark :{}", n + 1).unwrap();
    writeln!(out, "author {author} <{email}@example.com> {when} +0000").unwrap();
    writeln!(out, "committer {author} <{email}@example.com> {when} +0000").unwrap();
    data(out, subject.as_bytes());
    if n > 0 {
        writeln!(out, "from :{n}").unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn main() {
    let mut dir = PathBuf::from("corpus");
    let mut commits = 20_000usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--dir" => dir = PathBuf::from(value),
            "--commits" => commits = value.parse().expect("--commits takes a number"),
            _ => {
                eprintln!("usage: gen-history --dir CORPUS [--commits N]");
                std::process::exit(2);
            }
        }
    }
    let paths = files(&dir);
    let documents: Vec<usize> = (0..paths.len())
        .filter(|&i| paths[i].extension().is_some_and(|e| e == "md"))
        .collect();
    let mut texts: Vec<String> = paths
        .iter()
        .map(|p| fs::read_to_string(dir.join(p)).expect("a text file"))
        .collect();
    git(&dir, &["init", "-q", "-b", "main"]);
    let mut stream = Vec::new();
    commit_head(&mut stream, 0, "Import the ISMS");
    for (path, text) in paths.iter().zip(&texts) {
        writeln!(stream, "M 100644 inline {}", path.display()).unwrap();
        data(&mut stream, text.as_bytes());
    }
    for n in 1..commits {
        let i = documents[(n - 1) % documents.len()];
        let _ = write!(texts[i], "\nRevision {n}.\n");
        commit_head(&mut stream, n, &format!("Revise {}", paths[i].display()));
        writeln!(stream, "M 100644 inline {}", paths[i].display()).unwrap();
        data(&mut stream, texts[i].as_bytes());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("git fast-import runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(&stream)
        .expect("fast-import reads the stream");
    assert!(child.wait().expect("fast-import ends").success());
    git(&dir, &["reset", "-q", "--hard", "main"]);
    eprintln!(
        "gen-history: {commits} commits over {} files in {}",
        paths.len(),
        dir.display()
    );
}
