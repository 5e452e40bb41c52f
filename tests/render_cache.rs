//! The render cache: a rebuild renders only the pages whose inputs changed, and the
//! site it writes is byte for byte the one a build without the cache writes, whatever changed
//! (a body, a title, a new or deleted document, a register, a template, the day, a lost or
//! damaged cache file), and documents taken from the outline cache are the documents parsing
//! gives.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::site::{assert_built, build, snapshot};
use common::{TODAY, copy_dir};

struct Setup {
    tmp: tempfile::TempDir,
    repo: PathBuf,
    out: PathBuf,
    /// Fresh builds so far (each into a new folder, without a cache).
    fresh: usize,
}

impl Setup {
    fn new() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        copy_dir(Path::new("content-example"), &repo);
        let out = tmp.path().join("out");
        Setup {
            tmp,
            repo,
            out,
            fresh: 0,
        }
    }

    /// Builds into the output folder over its previous site; returns what the build line says
    /// after the time it took ("" when every page was rendered).
    fn rebuild(&self, today: &str) -> String {
        let output = build(&self.repo, &self.out, today, &[]);
        assert_built(&output);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = stderr
            .lines()
            .rfind(|l| l.starts_with("annexa: built "))
            .expect("a build line");
        let (_, after) = line.split_once(" ms").expect("the time taken");
        after.trim().to_string()
    }

    /// Builds into a new folder (no cache beside it) and asserts that the output folder holds
    /// exactly the same files, byte for byte.
    fn assert_same_as_fresh(&mut self, today: &str, when: &str) {
        self.fresh += 1;
        let fresh = self.tmp.path().join(format!("fresh-{}", self.fresh));
        assert_built(&build(&self.repo, &fresh, today, &[]));
        let (cached, fresh) = (snapshot(&self.out), snapshot(&fresh));
        let differing: Vec<&String> = cached
            .keys()
            .chain(fresh.keys())
            .filter(|k| cached.get(*k) != fresh.get(*k))
            .collect();
        assert!(
            differing.is_empty(),
            "{when}: differs from a fresh build: {differing:?}"
        );
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.repo.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    /// The pages the last build of the output folder wrote, from its manifest.
    fn pages(&self) -> usize {
        fs::read_to_string(self.out.join(".annexa-site"))
            .unwrap()
            .lines()
            .filter(|l| l.ends_with("index.html") || l.ends_with(" 404.html"))
            .count()
    }

    fn documents(&self) -> usize {
        walkdir::WalkDir::new(&self.repo)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.path().extension().is_some_and(|x| x == "md")
                    && !e.path().starts_with(self.repo.join("templates"))
                    && e.path() != self.repo.join("README.md")
            })
            .count()
    }
}

/// What the build line says after its time when `pages` pages were taken unrendered and the
/// search data of `documents` documents came from the search cache.
fn kept(pages: usize, documents: usize) -> String {
    match (pages, documents) {
        (0, 0) => String::new(),
        (0, d) => format!("(the search data of {d} documents from the cache)"),
        (p, 0) => format!("({p} unchanged since the last build, not rendered)"),
        (p, d) => format!(
            "({p} unchanged since the last build, not rendered; the search data of {d} documents from the cache)"
        ),
    }
}

#[test]
fn a_rebuild_renders_only_what_changed_and_writes_what_a_build_without_the_cache_writes() {
    let mut setup = Setup::new();
    let documents = setup.documents();
    assert_eq!(documents, 40);
    assert_eq!(setup.rebuild(TODAY), "");
    assert!(setup.tmp.path().join(".out.annexa-render").is_file());
    // The documents' pages and 150 others (dashboard, registers, controls, owners, folders).
    let pages = documents + 150;
    assert_eq!(setup.pages(), pages);

    // A body edit: that document's page only (no other page shows its body: the example has no
    // `[changes] since`, and the audit pack does not hold this procedure).
    setup.edit(
        "procedures/backup-and-restore.md",
        "\n## ",
        "\nA sentence added to the body.\n\n## ",
    );
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, documents - 1));
    assert!(setup.tmp.path().join(".out.annexa-search").is_file());
    setup.assert_same_as_fresh(TODAY, "after a body edit");

    // A title edit: the page, the pages of the four documents it links to, which list it under
    // "Referenced by", and every page that is not a document's (each shows the site view, with
    // every document's).
    setup.edit(
        "policies/access-control.md",
        "title = \"Access Control Policy\"",
        "title = \"Access Control and Identity Policy\"",
    );
    assert_eq!(setup.rebuild(TODAY), kept(documents - 5, documents - 1));
    setup.assert_same_as_fresh(TODAY, "after a title edit");

    // Nothing changed: nothing is rendered.
    assert_eq!(
        setup.rebuild(TODAY),
        "(nothing changed since the last build)"
    );

    // A new document linking to another; then that document deleted again.
    fs::write(
        setup.repo.join("policies/clean-desk.md"),
        "+++\ntitle = \"Clean Desk Policy\"\nowner = \"CISO\"\nlast_reviewed = 2026-10-01\ncontrols = [\"A.7.7\"]\n+++\n\nSee the [physical security policy](physical-security.md).\n",
    )
    .unwrap();
    setup.rebuild(TODAY);
    setup.assert_same_as_fresh(TODAY, "after a document was added");
    fs::remove_file(setup.repo.join("policies/clean-desk.md")).unwrap();
    setup.rebuild(TODAY);
    setup.assert_same_as_fresh(TODAY, "after a document was deleted");

    // A register every page may show (risks name their documents and controls).
    setup.edit("risks.toml", "likelihood = 3", "likelihood = 2");
    setup.rebuild(TODAY);
    setup.assert_same_as_fresh(TODAY, "after a risk was edited");

    // A register whose items have pages of their own.
    setup.edit(
        "findings.toml",
        "2 of 15 sampled leavers disabled late",
        "3 of 15 sampled leavers disabled late",
    );
    setup.rebuild(TODAY);
    setup.assert_same_as_fresh(TODAY, "after a finding was edited");

    // Another day: review states on every page (they are not searched).
    assert_eq!(setup.rebuild("2027-06-01"), kept(0, documents));
    setup.assert_same_as_fresh("2027-06-01", "on another day");

    // A template of the project's own: every page, every time its text changes.
    fs::create_dir_all(setup.repo.join("templates")).unwrap();
    let base = fs::read_to_string("themes/default/templates/base.html").unwrap();
    fs::write(
        setup.repo.join("templates/base.html"),
        base.replacen("<body", "<!-- own theme -->\n<body", 1),
    )
    .unwrap();
    assert_eq!(setup.rebuild(TODAY), kept(0, documents));
    setup.assert_same_as_fresh(TODAY, "with a template of the project's own");
    setup.edit("policies/cryptography.md", "\n## ", "\nMore text.\n\n## ");
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, documents - 1));
    setup.assert_same_as_fresh(TODAY, "with own templates, after a body edit");

    // The cache file damaged, then deleted: every page is rendered, and the site is the same.
    let cache = setup.tmp.path().join(".out.annexa-render");
    let text = fs::read_to_string(&cache).unwrap();
    fs::write(&cache, text.replace('\t', " ")).unwrap();
    setup.edit("policies/cryptography.md", "More text.", "Other text.");
    assert_eq!(setup.rebuild(TODAY), kept(0, documents - 1));
    setup.assert_same_as_fresh(TODAY, "after the cache file was damaged");
    fs::remove_file(&cache).unwrap();
    setup.edit("policies/cryptography.md", "Other text.", "More text.");
    assert_eq!(setup.rebuild(TODAY), kept(0, documents - 1));
    setup.assert_same_as_fresh(TODAY, "after the cache file was deleted");
}

#[test]
fn documents_search_data_comes_from_the_search_cache_and_a_damaged_one_is_not_used() {
    let mut setup = Setup::new();
    let documents = setup.documents();
    assert_eq!(setup.rebuild(TODAY), "");
    let pages = setup.pages();
    let search = setup.tmp.path().join(".out.annexa-search");
    let written = fs::read(&search).unwrap();
    assert!(written.starts_with(b"annexa-search 4\n"));

    // A register edit changes no document's search data: the file is not written again.
    setup.edit("risks.toml", "likelihood = 3", "likelihood = 2");
    let modified = fs::metadata(&search).unwrap().modified().unwrap();
    setup.rebuild(TODAY);
    assert_eq!(fs::metadata(&search).unwrap().modified().unwrap(), modified);
    setup.assert_same_as_fresh(TODAY, "after a register edit");

    // The search cache deleted, the render cache kept: pages are taken, their text is made.
    fs::remove_file(&search).unwrap();
    setup.edit("policies/cryptography.md", "\n## ", "\nMore text.\n\n## ");
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, 0));
    setup.assert_same_as_fresh(TODAY, "after the search cache was deleted");

    // A document's text blanked in the file: that document's data is made again.
    let mut bytes = fs::read(&search).unwrap();
    let text = b"Backups protect customer data against deletion";
    let at = bytes
        .windows(text.len())
        .position(|w| w == text)
        .expect("the backup procedure's text");
    bytes[at..at + text.len()].fill(b' ');
    fs::write(&search, &bytes).unwrap();
    setup.edit("policies/cryptography.md", "More text.", "Other text.");
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, documents - 2));
    setup.assert_same_as_fresh(TODAY, "after a text in the search cache was damaged");

    // The terms zeroed, or the file cut short: nothing is taken from it.
    let mut bytes = fs::read(&search).unwrap();
    let end = bytes.len() - 4;
    bytes[end - 400..end].fill(0);
    fs::write(&search, &bytes).unwrap();
    setup.edit("policies/cryptography.md", "Other text.", "More text.");
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, 0));
    setup.assert_same_as_fresh(TODAY, "after the terms in the search cache were damaged");
    let bytes = fs::read(&search).unwrap();
    fs::write(&search, &bytes[..bytes.len() / 2]).unwrap();
    setup.edit("policies/cryptography.md", "More text.", "Other text.");
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, 0));
    setup.assert_same_as_fresh(TODAY, "after the search cache was cut short");

    // A search cache a killed build left half written is removed.
    fs::write(setup.tmp.path().join(".out.annexa-search-new"), "half").unwrap();
    setup.edit("policies/cryptography.md", "Other text.", "More text.");
    assert_eq!(setup.rebuild(TODAY), kept(pages - 1, documents - 1));
    assert!(!setup.tmp.path().join(".out.annexa-search-new").exists());
}

#[test]
fn a_page_changed_by_hand_in_the_site_is_rendered_again() {
    let mut setup = Setup::new();
    setup.rebuild(TODAY);
    let pages = setup.pages();
    let page = setup.out.join("policies/cryptography/index.html");
    fs::write(&page, "changed by hand").unwrap();
    setup.edit("policies/cryptography.md", "\n## ", "\nMore text.\n\n## ");
    // The edited pages and those changed by hand are rendered; the others are kept.
    setup.edit("policies/access-control.md", "\n## ", "\nMore text.\n\n## ");
    fs::write(
        setup.out.join("policies/access-control/index.html"),
        "changed by hand",
    )
    .unwrap();
    let page_again = setup.out.join("policies/asset-management/index.html");
    fs::write(&page_again, "changed by hand").unwrap();
    // A page that is not a document's, changed by hand, is rendered again too.
    fs::write(setup.out.join("controls/index.html"), "changed by hand").unwrap();
    assert_eq!(setup.rebuild(TODAY), kept(pages - 4, setup.documents() - 2));
    setup.assert_same_as_fresh(TODAY, "after pages were changed by hand");
}

/// What a build with stage timings says of the outlines it read: how many came from the
/// outline cache and how many were read from their body.
fn outlines_line(setup: &Setup) -> String {
    timing_line(setup, "timing: outlines: ")
}

/// The rest of the line starting with `prefix` that a build with stage timings prints.
fn timing_line(setup: &Setup, prefix: &str) -> String {
    let output = common::annexa()
        .arg("build")
        .arg(&setup.repo)
        .arg("-o")
        .arg(&setup.out)
        .args(["--today", TODAY])
        .env("ANNEXA_TIMINGS", "1")
        .output()
        .expect("annexa runs");
    assert_built(&output);
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("a line {prefix:?}"))
        .to_string()
}

fn outlines(kept: usize, read: usize) -> String {
    format!("{kept} from the outline cache, {read} read from their body")
}

#[test]
fn documents_outlines_come_from_the_outline_cache_and_a_damaged_one_is_not_used() {
    let mut setup = Setup::new();
    let documents = setup.documents();
    let cache = setup.tmp.path().join(".out.annexa-outline");
    assert_eq!(outlines_line(&setup), outlines(0, documents));
    assert!(fs::read(&cache).unwrap().starts_with(b"annexa-outline 1\n"));

    // A heading and a link edited: that document's outline is read again.
    setup.edit(
        "policies/cryptography.md",
        "\n## ",
        "\nSee [x](access-control.md).\n\n## New\n\n## ",
    );
    assert_eq!(outlines_line(&setup), outlines(documents - 1, 1));
    setup.assert_same_as_fresh(TODAY, "after a heading and a link were added");

    // A register edit changes no document: the file is not written again.
    setup.edit("risks.toml", "likelihood = 3", "likelihood = 2");
    let modified = fs::metadata(&cache).unwrap().modified().unwrap();
    assert_eq!(outlines_line(&setup), outlines(documents, 0));
    assert_eq!(fs::metadata(&cache).unwrap().modified().unwrap(), modified);

    // A damaged or deleted file is not used; the site is the same.
    let mut bytes = fs::read(&cache).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    fs::write(&cache, &bytes).unwrap();
    setup.edit("policies/cryptography.md", "## New", "## Newer");
    assert_eq!(outlines_line(&setup), outlines(0, documents));
    setup.assert_same_as_fresh(TODAY, "after the outline cache was damaged");
    fs::remove_file(&cache).unwrap();
    setup.edit("policies/cryptography.md", "## Newer", "## New");
    assert_eq!(outlines_line(&setup), outlines(0, documents));
    setup.assert_same_as_fresh(TODAY, "after the outline cache was deleted");

    // What a killed build left is removed by the next one.
    let new = setup.tmp.path().join(".out.annexa-outline-new");
    fs::write(&new, "half").unwrap();
    setup.edit("risks.toml", "likelihood = 2", "likelihood = 3");
    assert_eq!(outlines_line(&setup), outlines(documents, 0));
    assert!(!new.exists());
}

/// What a build says of the search heads: `(ranked, heads, made, files)` of "R of H ranked, M
/// of F files made".
fn heads_line(setup: &Setup) -> (usize, usize, usize, usize) {
    let line = timing_line(setup, "timing: search heads: ");
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(
        line,
        format!(
            "{} of {} ranked, {} of {} files made",
            numbers[0], numbers[1], numbers[2], numbers[3]
        )
    );
    (numbers[0], numbers[1], numbers[2], numbers[3])
}

/// Where the heads record of a search cache file begins and ends (its check after it): from
/// the file's header (header line, stamp, document count, heads and terms offsets).
fn heads_record(bytes: &[u8]) -> std::ops::Range<usize> {
    let mut at = b"annexa-search 4\n".len();
    let (mut stamp, mut shift) = (0usize, 0);
    loop {
        let byte = bytes[at];
        at += 1;
        stamp |= usize::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let number = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    let fixed = at + stamp + 8;
    number(fixed)..number(fixed + 8) - 4
}

#[test]
fn heads_whose_terms_are_unchanged_are_taken_from_the_search_cache() {
    let mut setup = Setup::new();
    let (ranked, heads, made, files) = heads_line(&setup);
    assert_eq!(
        (ranked, made),
        (heads, files),
        "a first build ranks and makes all"
    );
    assert!(heads > 1000 && files >= 8, "{heads} heads in {files} files");

    // A new word in one document: the words of the terms whose postings changed are ranked
    // again, and the files that show them or that document are made; the site is the same.
    setup.edit(
        "procedures/backup-and-restore.md",
        "\n## ",
        "\nZymurgy is not practised here.\n\n## ",
    );
    let (ranked, now, made, same) = heads_line(&setup);
    assert_eq!(same, files);
    assert!(now > heads, "the words of the new term have heads");
    assert!(ranked > 0 && ranked < now / 4, "{ranked} of {now} ranked");
    assert!(made > 0 && made < files / 2, "{made} of {files} made");
    setup.assert_same_as_fresh(TODAY, "after a new word");

    // A register edit changes no search data: nothing is ranked or made.
    setup.edit("risks.toml", "likelihood = 3", "likelihood = 2");
    assert_eq!(heads_line(&setup), (0, now, 0, files));

    // The heads record damaged: every head is ranked and every file made; the site is the same,
    // and the next build takes them again.
    let search = setup.tmp.path().join(".out.annexa-search");
    let mut bytes = fs::read(&search).unwrap();
    let record = heads_record(&bytes);
    assert!(record.len() > 1000, "{record:?}");
    bytes[record.start + record.len() / 2] ^= 0x20;
    fs::write(&search, &bytes).unwrap();
    setup.edit("risks.toml", "likelihood = 2", "likelihood = 3");
    assert_eq!(heads_line(&setup), (now, now, files, files));
    setup.assert_same_as_fresh(TODAY, "after the heads record was damaged");
    setup.edit("risks.toml", "likelihood = 3", "likelihood = 2");
    assert_eq!(heads_line(&setup), (0, now, 0, files));

    // A file of heads changed in the site by hand is not taken from it (the other tree, which
    // the build brings up to date, holds it as it should be).
    let page = setup.out.join("search/heads/0.js");
    fs::write(&page, "changed").unwrap();
    setup.edit("risks.toml", "likelihood = 2", "likelihood = 3");
    assert_eq!(heads_line(&setup), (0, now, 0, files));
    setup.assert_same_as_fresh(TODAY, "after a file of heads was changed by hand");
}
