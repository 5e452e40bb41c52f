//! Git history: document control from the repository's commits. One `git log` for the whole
//! project ([`log`]), read once per commit and cached; each document's commits, renames
//! followed. What is computed from history and the model (the approval check, the ISMS at an
//! earlier commit, the change report) is in `past`. Without git, or outside a repository,
//! there is simply no history.

pub mod diff;
pub mod git;
pub mod log;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::error::Fatal;
pub use git::{Point, Resolved};
pub use log::{Commit, FileChange};

/// The repository a project lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repo {
    /// A folder to run git in (the project root, or for `--at` the live one).
    pub dir: PathBuf,
    /// The project root's path inside the repository (`""`, or `content/`).
    pub prefix: String,
    /// The repository's own git folder (`.git`, or a worktree's).
    pub git_dir: PathBuf,
    /// The git folder shared by all worktrees (refs and packed-refs live there).
    pub common_dir: PathBuf,
    /// Whether this is a shallow clone (its history is cut off).
    pub shallow: bool,
}

impl Repo {
    /// The repository holding `dir`, or `None` without git or outside a repository.
    pub fn discover(dir: &Path) -> Option<Repo> {
        let out = git::output(
            dir,
            &[
                "rev-parse",
                "--path-format=absolute",
                "--is-shallow-repository",
                "--show-prefix",
                "--git-dir",
                "--git-common-dir",
            ],
        )?;
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines();
        let shallow = lines.next()? == "true";
        let prefix = lines.next()?.to_string();
        let git_dir = PathBuf::from(lines.next()?);
        let common_dir = PathBuf::from(lines.next()?);
        Some(Repo {
            dir: dir.to_path_buf(),
            prefix,
            git_dir,
            common_dir,
            shallow,
        })
    }

    /// Like [`Repo::discover`], asking git once per folder and process.
    pub fn discover_cached(dir: &Path) -> Option<Repo> {
        static REPOS: Mutex<Vec<(PathBuf, Option<Repo>)>> = Mutex::new(Vec::new());
        let mut repos = REPOS.lock().ok()?;
        if let Some((_, repo)) = repos.iter().find(|(d, _)| d == dir) {
            return repo.clone();
        }
        let repo = Repo::discover(dir);
        repos.push((dir.to_path_buf(), repo.clone()));
        repo
    }

    /// Like [`Repo::discover`], but says why there is no repository.
    pub fn require(dir: &Path, what: &str) -> Result<Repo, Fatal> {
        if !git::available() {
            return Err(Fatal::new(format!(
                "{what} reads the Git history, and the `git` command cannot be run: install Git"
            )));
        }
        Repo::discover(dir).ok_or_else(|| {
            Fatal::new(format!(
                "{what} reads the Git history, and `{}` is not in a Git repository",
                dir.display()
            ))
        })
    }

    /// The message for a shallow clone, which has only part of its history.
    pub fn shallow_message(&self) -> String {
        "this is a shallow clone: its Git history is cut off, so changes and approvals cannot be traced; fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout)".to_string()
    }

    /// The commit `HEAD` names, read from the git folder's files (no process): the value of
    /// `HEAD`, the ref it points to, or that ref in `packed-refs`. `None` before the first
    /// commit.
    pub fn head(&self) -> Option<String> {
        let head = std::fs::read_to_string(self.git_dir.join("HEAD")).ok()?;
        let head = head.trim();
        let Some(name) = head.strip_prefix("ref:").map(str::trim) else {
            return Some(head.to_string());
        };
        for dir in [&self.git_dir, &self.common_dir] {
            if let Ok(id) = std::fs::read_to_string(dir.join(name)) {
                return Some(id.trim().to_string());
            }
        }
        let packed = std::fs::read_to_string(self.common_dir.join("packed-refs")).ok()?;
        packed.lines().find_map(|line| {
            let (id, refname) = line.split_once(' ')?;
            (refname.trim() == name).then(|| id.to_string())
        })
    }

    /// The files whose change means a new commit: `HEAD`, and the ref it points to.
    pub fn head_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.git_dir.join("HEAD")];
        if let Ok(head) = std::fs::read_to_string(self.git_dir.join("HEAD"))
            && let Some(name) = head.trim().strip_prefix("ref:").map(str::trim)
        {
            files.push(self.common_dir.join(name));
        }
        files.push(self.common_dir.join("packed-refs"));
        files
    }
}

/// The history of a project at one commit: its commits and each document's.
#[derive(Debug)]
pub struct History {
    /// The repository.
    pub repo: Repo,
    /// The commit it is the history of.
    pub head: String,
    /// Commits that changed files below the project root, newest first.
    pub commits: Vec<Commit>,
    /// Each file's changes, by its path (relative to the root) at `head`, newest first.
    files: HashMap<String, Vec<FileChange>>,
    /// Blobs read so far, by id (the approval check reads a few, again on every rebuild).
    blobs: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl History {
    /// The history of `rev` (a commit id, or `HEAD`) in `repo`.
    fn read(repo: &Repo, head: &str) -> Option<History> {
        let log = log::read(&repo.dir, head)?;
        Some(History {
            repo: repo.clone(),
            head: head.to_string(),
            commits: log.commits,
            files: log.files,
            blobs: Mutex::default(),
        })
    }

    /// The history of the project whose git commands run in `dir` at commit `rev` (`None`:
    /// `HEAD`), read once per commit: later calls for the same commit share it. `None` without
    /// git, outside a repository, before the first commit, or when no commit touched the folder.
    pub fn cached(dir: &Path, rev: Option<&str>) -> Option<Arc<History>> {
        type Kept = Vec<(PathBuf, String, Option<Arc<History>>)>;
        static CACHE: Mutex<Kept> = Mutex::new(Vec::new());
        let repo = Repo::discover_cached(dir)?;
        let head = match rev {
            Some(rev) => rev.to_string(),
            None => repo.head()?,
        };
        let mut cache = CACHE.lock().ok()?;
        if let Some((_, _, h)) = cache.iter().find(|(d, c, _)| d == dir && *c == head) {
            return h.clone();
        }
        // A folder nothing of which was ever committed (say, one git ignores) has no history.
        let history = History::read(&repo, &head)
            .filter(|h| !h.commits.is_empty())
            .map(Arc::new);
        cache.retain(|(d, _, _)| d != dir);
        cache.truncate(3);
        cache.push((dir.to_path_buf(), head, history.clone()));
        history
    }

    /// The changes of the file at `path` (relative to the project root), newest first.
    pub fn of(&self, path: &str) -> &[FileChange] {
        self.files.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The commit of a change.
    pub fn commit(&self, change: &FileChange) -> &Commit {
        &self.commits[change.commit as usize]
    }

    /// The contents of `ids`, read by one `git cat-file` (blobs read before come from memory).
    pub fn blobs(&self, ids: &[&str]) -> Result<Vec<Option<Arc<Vec<u8>>>>, Fatal> {
        let missing: Vec<String> = {
            let known = self.blobs.lock().map_err(|_| Fatal::new("poisoned"))?;
            let mut missing: Vec<String> = ids
                .iter()
                .filter(|id| !known.contains_key(**id))
                .map(|id| id.to_string())
                .collect();
            missing.sort();
            missing.dedup();
            missing
        };
        let read = git::blobs(&self.repo.dir, &missing)?;
        let mut known = self.blobs.lock().map_err(|_| Fatal::new("poisoned"))?;
        for (id, bytes) in missing.into_iter().zip(read) {
            if let Some(bytes) = bytes {
                known.insert(id, Arc::new(bytes));
            }
        }
        Ok(ids.iter().map(|id| known.get(*id).cloned()).collect())
    }

    /// The latest commits that changed files, one row per file (its latest), newest first.
    pub fn recent(&self, limit: usize) -> Vec<(&str, &Commit)> {
        let mut latest: Vec<(&str, u32)> = self
            .files
            .iter()
            .filter_map(|(path, changes)| Some((path.as_str(), changes.first()?.commit)))
            .collect();
        latest.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        latest
            .into_iter()
            .take(limit)
            .map(|(path, c)| (path, &self.commits[c as usize]))
            .collect()
    }
}

/// Where a project's history comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Source {
    /// The repository holding the project root, at `HEAD`.
    #[default]
    Head,
    /// The repository holding `dir` (the live project), at `commit`: for `--at`, whose
    /// project root is a temporary folder.
    At {
        /// The live project root.
        dir: PathBuf,
        /// The commit.
        commit: Resolved,
    },
    /// No history.
    Off,
}

impl Source {
    /// The history of the project at `root` from this source, when there is one.
    pub fn history(&self, root: &Path) -> Option<Arc<History>> {
        match self {
            Source::Head => History::cached(root, None),
            Source::At { dir, commit } => History::cached(dir, Some(&commit.hash)),
            Source::Off => None,
        }
    }

    /// The commit a `--at` build shows, for its banner.
    pub fn as_of(&self) -> Option<&Resolved> {
        match self {
            Source::At { commit, .. } => Some(commit),
            _ => None,
        }
    }
}
