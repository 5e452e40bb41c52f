//! A parallel walk of the files below a folder: each folder is read on its own thread, its
//! subfolders in parallel, and a large folder's files are visited in parallel too.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::manifest::key;
use crate::error::Fatal;

/// Files of one folder visited as one task.
const FILES_PER_TASK: usize = 256;

/// A file (anything that is not a folder: symbolic links are not followed) found by [`files`].
pub(super) struct Found<'a> {
    /// Its path below the walked folder, as a manifest key ([`key`]).
    pub(super) rel: String,
    /// How deep it is: 1 for a file of the walked folder itself.
    pub(super) depth: usize,
    /// What the folder listing says of it (`metadata` costs a `stat`).
    pub(super) entry: &'a fs::DirEntry,
}

/// Calls `visit` on every file below `dir` and returns what it gave, in no particular order;
/// an unreadable folder is an error that names it.
pub(super) fn files<T: Send>(
    dir: &Path,
    visit: &(dyn Fn(Found<'_>) -> Option<T> + Sync),
) -> Result<Vec<T>, Fatal> {
    walk(dir, "", 1, visit)
}

fn walk<T: Send>(
    dir: &Path,
    prefix: &str,
    depth: usize,
    visit: &(dyn Fn(Found<'_>) -> Option<T> + Sync),
) -> Result<Vec<T>, Fatal> {
    let unreadable =
        |e: std::io::Error| Fatal::new(format!("cannot read `{}`: {e}", dir.display()));
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let is_dir = entry.file_type().map_err(unreadable)?.is_dir();
        let rel = match prefix {
            "" => key(Path::new(&entry.file_name())),
            _ => format!("{prefix}/{}", key(Path::new(&entry.file_name()))),
        };
        if is_dir {
            folders.push((entry.path(), rel));
        } else {
            files.push((entry, rel));
        }
    }
    let (mut found, below) = rayon::join(
        || -> Vec<T> {
            files
                .into_par_iter()
                .with_min_len(FILES_PER_TASK)
                .filter_map(|(entry, rel)| {
                    visit(Found {
                        rel,
                        depth,
                        entry: &entry,
                    })
                })
                .collect()
        },
        || -> Result<Vec<Vec<T>>, Fatal> {
            folders
                .par_iter()
                .map(|(path, rel)| walk(path, rel, depth + 1, visit))
                .collect()
        },
    );
    for more in below? {
        found.extend(more);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_below_is_visited_once_with_its_key_and_depth() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        fs::create_dir_all(site.join("a/b/c")).unwrap();
        fs::create_dir_all(site.join("empty")).unwrap();
        for i in 0..600 {
            fs::write(site.join(format!("a/b/{i}.js")), "").unwrap();
        }
        fs::write(site.join("index.html"), "").unwrap();
        fs::write(site.join("a/b/c/100%.txt"), "").unwrap();
        let mut found = files(site, &|f| {
            (f.rel.ends_with(".html") || f.rel.ends_with(".txt") || f.rel.ends_with("/599.js"))
                .then_some((f.rel, f.depth))
        })
        .unwrap();
        found.sort();
        assert_eq!(
            found,
            [
                ("a/b/599.js".to_string(), 3),
                ("a/b/c/100%25.txt".to_string(), 4),
                ("index.html".to_string(), 1)
            ]
        );
        let all = files(site, &|f| Some(f.rel)).unwrap();
        assert_eq!(all.len(), 602);
    }

    #[test]
    fn an_unreadable_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let Err(e) = files(&missing, &|f| Some(f.rel)) else {
            panic!("an error");
        };
        assert_eq!(
            e.to_string(),
            format!(
                "cannot read `{}`: No such file or directory (os error 2)",
                missing.display()
            )
        );
    }
}
