//! Rebuilds write only what changed: a rebuild of an unchanged repository writes nothing, an
//! edit rewrites only the files whose bytes differ, a build killed at any moment leaves the old
//! or the new site whole (every file as its manifest's hash says), and the alternate tree is
//! never taken for the user's files.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::site::{assert_built, build};
use common::{copy_dir, fixture};

const TODAY: &str = common::TODAY;
const EDITED: &str = "procedures/backup.md";

struct Setup {
    tmp: tempfile::TempDir,
    repo: PathBuf,
    out: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        copy_dir(&fixture("small-site"), &repo);
        let out = tmp.path().join("out");
        Setup { tmp, repo, out }
    }

    fn build(&self) {
        assert_built(&build(&self.repo, &self.out, TODAY, &[]));
    }

    fn alt(&self) -> PathBuf {
        self.tmp.path().join(".out.annexa-alt")
    }

    fn beside(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Edits the body of one document (`n` picks one of two versions).
    fn edit(&self, n: usize) {
        let path = self.repo.join(EDITED);
        let text = fs::read_to_string(&path).unwrap();
        let body = text.split("\n## ").next().unwrap().to_string();
        let rest = &text[body.len()..];
        let kept: String = body
            .lines()
            .filter(|l| !l.starts_with("Edit "))
            .map(|l| format!("{l}\n"))
            .collect();
        fs::write(&path, format!("{kept}Edit {n} of the procedure.\n{rest}")).unwrap();
    }
}

/// Every file below `dir`: its inode, modification time and bytes.
type Stamps = BTreeMap<String, (u64, i64, i64, Vec<u8>)>;

fn stamps(dir: &Path) -> Stamps {
    use std::os::unix::fs::MetadataExt;
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in fs::read_dir(&at).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string();
            let bytes = fs::read(entry.path()).unwrap();
            files.insert(rel, (meta.ino(), meta.mtime(), meta.mtime_nsec(), bytes));
        }
    }
    files
}

/// Asserts that `dir` holds exactly the files its manifest lists, each with the listed hash.
fn assert_matches_manifest(dir: &Path, when: &str) {
    use sha2::Digest;
    let marker = fs::read_to_string(dir.join(".annexa-site"))
        .unwrap_or_else(|e| panic!("{when}: no site at {}: {e}", dir.display()));
    let mut lines = marker.lines();
    assert_eq!(lines.next(), Some("annexa-site manifest 3"), "{when}");
    let listed: BTreeMap<String, String> = lines
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (hash, path) = l.split_once(' ').unwrap();
            (path.to_string(), hash.to_string())
        })
        .collect();
    let mut found = stamps(dir);
    found.remove(".annexa-site");
    assert_eq!(
        found.keys().collect::<Vec<_>>(),
        listed.keys().collect::<Vec<_>>(),
        "{when}: the files are those listed"
    );
    for (path, (_, _, _, bytes)) in &found {
        let hash: String = sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(&hash, &listed[path], "{when}: {path} holds other bytes");
    }
}

#[test]
fn a_rebuild_of_an_unchanged_repository_writes_nothing() {
    let setup = Setup::new();
    setup.build();
    let first = stamps(&setup.out);
    setup.build();
    assert_eq!(
        stamps(&setup.out),
        first,
        "no file rewritten, none replaced"
    );
    assert_eq!(
        setup.beside(),
        [
            ".out.annexa-cache",
            ".out.annexa-lock",
            ".out.annexa-outline",
            ".out.annexa-render",
            ".out.annexa-search",
            "out",
            "repo"
        ],
        "no alternate tree written either"
    );

    // Once the alternate tree exists (after a change), an unchanged rebuild leaves both trees.
    setup.edit(1);
    setup.build();
    let (live, alt) = (stamps(&setup.out), stamps(&setup.alt()));
    setup.build();
    assert_eq!(stamps(&setup.out), live);
    assert_eq!(stamps(&setup.alt()), alt);
}

#[test]
fn an_edit_rewrites_only_the_files_whose_bytes_differ() {
    let setup = Setup::new();
    setup.build();
    setup.edit(1);
    setup.build();
    let before = stamps(&setup.alt());
    let total = before.len();
    setup.edit(2);
    setup.build();
    // The alternate tree was brought up to date and exchanged: it is the live site now.
    let after = stamps(&setup.out);
    let mut rewritten = Vec::new();
    for (path, (ino, mtime, nsec, bytes)) in &after {
        match before.get(path) {
            Some(old) if &old.3 == bytes => {
                assert_eq!(
                    (old.0, old.1, old.2),
                    (*ino, *mtime, *nsec),
                    "{path} rewritten"
                );
            }
            _ => rewritten.push(path.as_str()),
        }
    }
    assert!(
        rewritten.contains(&"procedures/backup/index.html"),
        "{rewritten:?}"
    );
    assert!(rewritten.contains(&".annexa-site"), "{rewritten:?}");
    assert!(
        rewritten.len() * 4 < total,
        "{} of {total} files rewritten: {rewritten:?}",
        rewritten.len()
    );
    // The previous site, now the alternate tree, was brought up to date with the new one.
    let alt = stamps(&setup.alt());
    let bytes = |s: &Stamps| -> BTreeMap<String, Vec<u8>> {
        s.iter().map(|(k, v)| (k.clone(), v.3.clone())).collect()
    };
    assert_eq!(bytes(&alt), bytes(&after));
    assert_matches_manifest(&setup.out, "after the edit");
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_killed_while_writing_changes_leaves_the_old_or_the_new_site_whole() {
    let setup = Setup::new();
    setup.build();
    setup.edit(0);
    setup.build();
    let started = std::time::Instant::now();
    setup.edit(1);
    setup.build();
    let took = started.elapsed();
    let page = |dir: &Path| fs::read_to_string(dir.join("procedures/backup/index.html")).unwrap();
    for step in 0..14u32 {
        setup.edit(step as usize % 3);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annexa"))
            .arg("build")
            .arg(&setup.repo)
            .arg("-o")
            .arg(&setup.out)
            .args(["--today", TODAY])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(took * step / 10);
        child.kill().ok();
        child.wait().unwrap();
        let when = format!("killed after {step}/10 of a build");
        if !setup.out.exists() {
            // Only where the file system cannot exchange: the next build puts it back.
            setup.build();
        }
        assert_matches_manifest(&setup.out, &when);
        let shown = page(&setup.out);
        assert!(
            (0..3).any(|n| shown.contains(&format!("Edit {n} of the procedure."))),
            "{when}"
        );
    }
    // An edit no build above wrote, so that this build exchanges the trees whatever the last
    // kill left: a build whose site is the live one byte for byte writes nothing, and leaves
    // an alternate tree a kill left untrusted as it is (the next build that changes the site
    // writes it anew).
    setup.edit(3);
    setup.build();
    assert_matches_manifest(&setup.out, "the build after");
    assert!(page(&setup.out).contains("Edit 3 of the procedure."));
    assert_matches_manifest(&setup.alt(), "the alternate tree after");
    assert_eq!(
        setup.beside(),
        [
            ".out.annexa-alt",
            ".out.annexa-cache",
            ".out.annexa-lock",
            ".out.annexa-outline",
            ".out.annexa-render",
            ".out.annexa-search",
            "out",
            "repo"
        ]
    );
}

/// With the output folder inside the repository (the default `public/`), the alternate tree
/// and the lock beside it are neither documents nor the user's files: checks and builds say
/// the same with and without them.
#[test]
fn the_alternate_tree_is_never_taken_for_the_users_files() {
    let setup = Setup::new();
    let check = || {
        let output = common::annexa()
            .arg("check")
            .arg(&setup.repo)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        (output.status.code(), output.stdout, output.stderr)
    };
    let before = check();
    let build_here = || {
        let output = common::annexa()
            .arg("build")
            .arg(&setup.repo)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        assert_built(&output);
    };
    build_here();
    setup.edit(1);
    build_here();
    let alt = setup.repo.join(".public.annexa-alt");
    assert!(alt.join(".annexa-site").is_file());
    assert!(setup.repo.join(".public.annexa-lock").is_file());
    setup.edit(0);
    assert_eq!(
        check(),
        before,
        "the same findings with the alternate tree beside"
    );
    build_here();
    assert_matches_manifest(&setup.repo.join("public"), "built in the repository");
    assert_matches_manifest(&alt, "the alternate tree");
}

/// The stages a build ran, from its `ANNEXA_TIMINGS` lines.
fn stages(setup: &Setup, today: &str, out: &Path) -> Vec<String> {
    let output = common::annexa()
        .arg("build")
        .arg(&setup.repo)
        .arg("-o")
        .arg(out)
        .args(["--today", today])
        .env("ANNEXA_TIMINGS", "1")
        .output()
        .unwrap();
    assert_built(&output);
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("timing: "))
        // A stage's line ends with its time and peak memory; a note (what a cache gave) does not.
        .filter(|l| l.contains(" ms  peak "))
        .map(|l| l.split("  ").next().unwrap().to_string())
        .collect()
}

/// Every file below `dir`, by path.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    stamps(dir).into_iter().map(|(k, v)| (k, v.3)).collect()
}

#[test]
fn a_rebuild_renders_nothing_when_no_input_changed_and_matches_a_build_without_the_cache() {
    let setup = Setup::new();
    let rendered = [
        "fingerprint",
        "load and model",
        "lint",
        "survey of the output",
        "templates and views",
    ];
    assert!(stages(&setup, TODAY, &setup.out).starts_with(&rendered.map(String::from)));
    setup.edit(1);
    assert!(stages(&setup, TODAY, &setup.out).starts_with(&rendered.map(String::from)));
    let before = stamps(&setup.out);
    // Nothing changed: the repository is not even read again, the site not rendered.
    assert_eq!(
        stages(&setup, TODAY, &setup.out),
        ["fingerprint", "survey of the output"]
    );
    assert_eq!(stamps(&setup.out), before);
    // Byte for byte what a build without the cache (into a new folder) writes.
    let fresh = setup.tmp.path().join("fresh");
    assert!(stages(&setup, TODAY, &fresh).contains(&"templates and views".to_string()));
    assert_eq!(contents(&setup.out), contents(&fresh));

    // A file touched (same bytes) is rendered again, and nothing is written.
    let doc = setup.repo.join(EDITED);
    fs::write(&doc, fs::read(&doc).unwrap()).unwrap();
    assert!(stages(&setup, TODAY, &setup.out).contains(&"templates and views".to_string()));
    assert_eq!(stamps(&setup.out), before);
    // Another day (review states) is rendered again.
    assert!(stages(&setup, "2027-06-01", &setup.out).contains(&"templates and views".to_string()));
    let later = setup.tmp.path().join("later");
    stages(&setup, "2027-06-01", &later);
    assert_eq!(contents(&setup.out), contents(&later));
    // The cache file may be deleted: the next build renders, and writes the same site.
    fs::remove_file(setup.tmp.path().join(".out.annexa-cache")).unwrap();
    assert!(stages(&setup, "2027-06-01", &setup.out).contains(&"templates and views".to_string()));
    assert_eq!(contents(&setup.out), contents(&later));
    // A file dropped into the site or changed there by hand is never covered by the cache.
    fs::write(setup.out.join("index.html"), "edited by hand").unwrap();
    assert!(stages(&setup, "2027-06-01", &setup.out).contains(&"templates and views".to_string()));
    assert_eq!(contents(&setup.out), contents(&later));
}

#[test]
fn a_rebuild_with_nothing_changed_prints_again_what_the_build_that_wrote_the_site_printed() {
    let setup = Setup::new();
    // A day on which both reviews are overdue: errors that do not stop a build.
    let day = "2028-01-01";
    let stderr = |output: std::process::Output| {
        assert_built(&output);
        String::from_utf8(output.stderr).unwrap()
    };
    let first = stderr(build(&setup.repo, &setup.out, day, &[]));
    let again = stderr(build(&setup.repo, &setup.out, day, &[]));
    let (report, built) = first.rsplit_once("annexa: built ").unwrap();
    assert_eq!(
        report.lines().filter(|l| l.starts_with("error[")).count(),
        2,
        "{first}"
    );
    assert!(
        report.ends_with(
            "annexa: 2 errors: 2 review-overdue; 4 warnings: 4 control-weak-coverage; 2 documents\nannexa: `annexa check` shows the warnings\n"
        ),
        "{first}"
    );
    let (report_again, built_again) = again.rsplit_once("annexa: built ").unwrap();
    assert_eq!(report_again, report);
    let counts = |line: &str| line.split(" in ").next().unwrap().to_string();
    assert_eq!(counts(built_again), counts(built));
    assert!(
        built_again.ends_with(" ms (nothing changed since the last build)\n"),
        "{again}"
    );
    // A damaged record is never replayed: the repository is read and checked again, and the
    // record written anew.
    let cache = setup.tmp.path().join(".out.annexa-cache");
    let text = fs::read_to_string(&cache).unwrap();
    fs::write(&cache, text.replacen("# annexa", "annexa", 1)).unwrap();
    let checked = stderr(build(&setup.repo, &setup.out, day, &[]));
    assert_eq!(checked.rsplit_once("annexa: built ").unwrap().0, report);
    assert_eq!(fs::read_to_string(&cache).unwrap(), text);
}
