//! Tests of [`DocCache::read_bodies`]: which edits are of a body alone.

use std::fs;
use std::path::Path;

use super::{DocCache, read};

const FRONT: &str = "+++\ntitle = \"A\"\n+++\n";
const BODY: &str = "\n## Scope\n\nSee [b](b.md). TBD\n";

/// A repository with one document, read once into a cache.
fn setup() -> (tempfile::TempDir, DocCache) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("annexa.toml"), "title = \"T\"\n").unwrap();
    fs::write(dir.path().join("a.md"), format!("{FRONT}{BODY}")).unwrap();
    fs::write(dir.path().join("b.md"), format!("{FRONT}b\n")).unwrap();
    let mut cache = DocCache::new();
    read(dir.path(), &mut cache).unwrap();
    (dir, cache)
}

fn write(root: &Path, text: &str) {
    fs::write(root.join("a.md"), text).unwrap();
}

fn paths() -> Vec<String> {
    vec!["a.md".to_string()]
}

#[test]
fn an_edit_of_the_body_alone_is_taken_with_what_its_parse_reports_before_and_now() {
    let (dir, mut cache) = setup();
    // Nothing changed: nothing to apply.
    assert_eq!(cache.read_bodies(dir.path(), &paths()).unwrap().len(), 0);
    write(dir.path(), &format!("{FRONT}\nA new line.\n{BODY}"));
    let edits = cache.read_bodies(dir.path(), &paths()).unwrap();
    assert_eq!(edits.len(), 1);
    let edit = &edits[0];
    assert_eq!(edit.path, "a.md");
    assert!(edit.document.body().starts_with("\nA new line.\n"));
    // Positions move with the body; what parsing reported is the same but one line down.
    assert_eq!(edit.document.headings[0].line, 7);
    assert_eq!(edit.document.marks.len(), 1);
    assert_eq!(edit.document.marks[0].position.line, 9);
    assert_eq!(edit.before, edit.after);
    // The cache holds the new parse: the next read keeps it, as not re-parsed.
    let inputs = read(dir.path(), &mut cache).unwrap();
    assert!(!inputs.documents[0].reparsed);
    assert_eq!(inputs.documents[0].marks[0].position.line, 9);
}

#[test]
fn an_edit_of_the_front_matter_a_heading_or_a_link_is_not_of_the_body_alone() {
    for edited in [
        format!("+++\ntitle = \"A2\"\n+++\n{BODY}"),
        format!("+++\ntitle = \"A\"\nowner = \"X\"\n+++\n{BODY}"),
        format!("{FRONT}{}", BODY.replace("## Scope", "## Purpose")),
        format!("{FRONT}{}", BODY.replace("## Scope", "### Scope")),
        format!("{FRONT}{}", BODY.replace("(b.md)", "(c.md)")),
        format!("{FRONT}{BODY}\n![flow](b.svg)\n"),
    ] {
        let (dir, mut cache) = setup();
        write(dir.path(), &edited);
        assert!(
            cache.read_bodies(dir.path(), &paths()).is_none(),
            "{edited}"
        );
        // The next read takes the document read there as new, so that the change is rendered.
        let inputs = read(dir.path(), &mut cache).unwrap();
        let doc = &inputs.documents[0];
        assert!(doc.reparsed, "{edited}");
        assert_eq!(doc.source.text.as_str(), edited);
        assert_eq!(cache.changed().collect::<Vec<_>>(), ["a.md"]);
    }
}

#[test]
fn a_document_gone_or_not_read_before_is_not_a_body_edit() {
    let (dir, mut cache) = setup();
    fs::remove_file(dir.path().join("a.md")).unwrap();
    assert!(cache.read_bodies(dir.path(), &paths()).is_none());
    let (dir, mut cache) = setup();
    fs::write(dir.path().join("new.md"), FRONT).unwrap();
    assert!(
        cache
            .read_bodies(dir.path(), &["new.md".to_string()])
            .is_none()
    );
}

#[test]
fn every_document_edited_in_its_body_is_taken() {
    let (dir, mut cache) = setup();
    write(dir.path(), &format!("{FRONT}{BODY}More.\n"));
    fs::write(dir.path().join("b.md"), format!("{FRONT}b, edited\n")).unwrap();
    let both = ["a.md".to_string(), "b.md".to_string()];
    let edits = cache.read_bodies(dir.path(), &both).unwrap();
    let edited: Vec<&str> = edits.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(edited, ["a.md", "b.md"]);
    assert_eq!(edits[1].document.body(), "b, edited\n");
}
