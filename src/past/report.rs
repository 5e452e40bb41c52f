//! The change report between two points of history, for `annexa changes` and the site's
//! `/changes/` page: each end written out from Git's objects and resolved, then compared.

use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::error::Fatal;
use crate::model::Project;

use super::at::{self, Snapshot};
use super::compare::{self as changes, ChangeReport, End};
use crate::history::git::{self, Point, Resolved};
use crate::history::{Repo, Source};

/// A project resolved at a commit, with the folder it was read from (its bodies are read from
/// there again).
struct AtCommit {
    snapshot: Snapshot,
    project: Project,
}

fn end(point: &str, commit: &Resolved) -> End {
    End {
        point: point.to_string(),
        commit: Some(commit.hash.clone()),
        short: Some(commit.short.clone()),
        date: commit.date.to_string(),
    }
}

/// The project at `root` as it stood at `commit`, resolved for the commit's date, without
/// history or lints (the report compares what the files say).
fn at_commit(root: &Path, commit: &Resolved) -> Result<AtCommit, Fatal> {
    let snapshot = at::snapshot_of(root, commit)?;
    let loaded = crate::model::load_from(
        snapshot.root(),
        commit.date,
        &mut crate::load::DocCache::releasing_text(),
        &Source::Off,
    )?;
    Ok(AtCommit {
        snapshot,
        project: loaded.project,
    })
}

/// Resolves `point` in the repository at `root`, explaining a shallow clone's cut history.
pub fn resolve(root: &Path, repo: &Repo, point: &Point) -> Result<Resolved, Fatal> {
    git::resolve(root, point).map_err(|e| at::shallow_hint(repo, e))
}

/// `annexa changes`: the report from `since` to `until` (default `HEAD`) of the project at
/// `root`.
pub fn between(root: &Path, since: &Point, until: Option<&Point>) -> Result<ChangeReport, Fatal> {
    let repo = Repo::require(root, "annexa changes")?;
    let head = Point::Ref("HEAD".to_string());
    let until = until.unwrap_or(&head);
    let from = resolve(root, &repo, since)?;
    let to = resolve(root, &repo, until)?;
    let (old, new) = rayon::join(|| at_commit(root, &from), || at_commit(root, &to));
    let (old, new) = (old?, new?);
    let renames = changes::renames(root, &from.hash, Some(&to.hash));
    let report = changes::compare(
        &old.project,
        &new.project,
        &renames,
        end(&since.to_string(), &from),
        end(&until.to_string(), &to),
    );
    drop((old.snapshot, new.snapshot));
    Ok(report)
}

/// The site's change report: from `[changes] since` to the project being built (its working
/// tree, or the commit of a `--at` build). `None` when `since` is not set or there is no
/// history; an error message when the point cannot be resolved. The earlier end is kept
/// between calls (serve rebuilds compare against it again).
pub fn for_site(project: &Project) -> Option<Result<ChangeReport, String>> {
    let since = project.config.changes_since.as_ref()?;
    let history = project.history.as_ref()?;
    let point = Point::parse(&since.value).ok()?;
    let dir = history.repo.dir.clone();
    let from = match resolve(&dir, &history.repo, &point) {
        Ok(from) => from,
        Err(e) => return Some(Err(e.0)),
    };
    static EARLIER: Mutex<Option<(String, Arc<AtCommit>)>> = Mutex::new(None);
    let old = {
        let mut kept = EARLIER.lock().ok()?;
        match kept.as_ref() {
            Some((hash, old)) if *hash == from.hash => Arc::clone(old),
            _ => match at_commit(&dir, &from) {
                Ok(old) => {
                    let old = Arc::new(old);
                    *kept = Some((from.hash.clone(), Arc::clone(&old)));
                    old
                }
                Err(e) => return Some(Err(e.0)),
            },
        }
    };
    let until = match &project.as_of {
        Some(at) => end(&at.short, at),
        None => End {
            point: "working tree".to_string(),
            commit: None,
            short: None,
            date: project.today.to_string(),
        },
    };
    let to = project.as_of.as_ref().map(|at| at.hash.as_str());
    let renames = changes::renames(&dir, &from.hash, to);
    Some(Ok(changes::compare(
        &old.project,
        project,
        &renames,
        end(&since.value, &from),
        until,
    )))
}
