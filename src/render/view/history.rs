//! The views of the Git history: a document's commits, and the commit a `--at` site shows.

use serde::Serialize;

use crate::config::Config;
use crate::history::Commit;
use crate::model::Project;

/// How many of a document's commits show before the rest is folded away.
pub const SHOWN: usize = 10;

/// One commit on a document's page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRowView {
    /// Committer date (`YYYY-MM-DD`).
    pub date: String,
    /// Author name.
    pub author: String,
    /// Subject line.
    pub subject: String,
    /// Abbreviated hash.
    pub short: String,
    /// Full hash.
    pub hash: String,
    /// The commit's page on the Git host, when `repo_url` or `repo_commit_url` is set.
    pub url: Option<String>,
    /// The path the file had then, when it differs from today's.
    pub path: Option<String>,
}

/// A document's history section.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HistoryView {
    /// Whether the site has history at all (without it the section is left out).
    pub enabled: bool,
    /// The newest commits, at most [`SHOWN`].
    pub recent: Vec<HistoryRowView>,
    /// The older ones, folded.
    pub older: Vec<HistoryRowView>,
}

/// The commit a site built `--at` a commit shows in its banner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AsOfView {
    /// Abbreviated hash.
    pub short: String,
    /// Full hash.
    pub hash: String,
    /// Commit date.
    pub date: String,
    /// The commit's page on the Git host.
    pub url: Option<String>,
}

/// The page of commit `hash`: `repo_commit_url` with `{commit}` replaced, else `repo_url` up to
/// its `/blob/`, `/tree/` or `/src/` part (`/-/blob/` on GitLab) followed by `/commit/HASH`
/// (`/-/commit/HASH`), else `repo_url` followed by `/commit/HASH`.
pub fn commit_url(config: &Config, hash: &str) -> Option<String> {
    if let Some(pattern) = &config.repo_commit_url {
        return Some(pattern.replace("{commit}", hash));
    }
    let base = config.repo_url.as_deref()?;
    for (marker, commit) in [
        ("/-/blob/", "/-/commit/"),
        ("/-/tree/", "/-/commit/"),
        ("/blob/", "/commit/"),
        ("/tree/", "/commit/"),
        ("/src/", "/commit/"),
    ] {
        if let Some(at) = base.find(marker) {
            return Some(format!("{}{commit}{hash}", &base[..at]));
        }
    }
    Some(format!("{base}/commit/{hash}"))
}

fn row(config: &Config, commit: &Commit, path: Option<String>) -> HistoryRowView {
    HistoryRowView {
        date: commit.date.to_string(),
        author: commit.author.clone(),
        subject: commit.subject.clone(),
        short: commit.short.clone(),
        hash: commit.hash.clone(),
        url: commit_url(config, &commit.hash),
        path,
    }
}

/// The history section of document `index`.
pub fn history_view(project: &Project, index: usize) -> HistoryView {
    let Some(history) = &project.history else {
        return HistoryView::default();
    };
    let doc = &project.documents[index];
    let mut rows: Vec<HistoryRowView> = history
        .of(doc.path())
        .iter()
        .map(|change| {
            let path = (change.path != doc.path()).then(|| change.path.clone());
            row(&project.config, history.commit(change), path)
        })
        .collect();
    let older = rows.split_off(rows.len().min(SHOWN));
    HistoryView {
        enabled: true,
        recent: rows,
        older,
    }
}

/// The banner's commit, for a site built as it stood at one.
pub fn as_of_view(project: &Project) -> Option<AsOfView> {
    let at = project.as_of.as_ref()?;
    Some(AsOfView {
        short: at.short.clone(),
        hash: at.hash.clone(),
        date: at.date.to_string(),
        url: commit_url(&project.config, &at.hash),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_urls_follow_the_host() {
        let mut config = Config::default();
        assert_eq!(commit_url(&config, "abc"), None);
        for (repo, url) in [
            (
                "https://github.com/o/r/blob/main",
                "https://github.com/o/r/commit/abc",
            ),
            (
                "https://gitlab.com/o/r/-/tree/main",
                "https://gitlab.com/o/r/-/commit/abc",
            ),
            (
                "https://git.example.com/o/r/src/branch/main",
                "https://git.example.com/o/r/commit/abc",
            ),
            (
                "https://git.example.com/o/r",
                "https://git.example.com/o/r/commit/abc",
            ),
        ] {
            config.repo_url = Some(repo.into());
            assert_eq!(commit_url(&config, "abc").as_deref(), Some(url));
        }
        config.repo_commit_url = Some("https://h/c?id={commit}".into());
        assert_eq!(
            commit_url(&config, "abc").as_deref(),
            Some("https://h/c?id=abc")
        );
    }
}
