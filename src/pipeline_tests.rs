//! Tests of [`Reusable::with_bodies`]: an edit of a body alone, applied to the kept analysis.

use std::fs;

use super::Reusable;
use crate::load::DocCache;

/// The lint and file of every diagnostic of `reusable`'s analysis, in its order.
fn findings(reusable: &Reusable) -> Vec<(String, String)> {
    reusable
        .analysis
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.lint.name().to_string(),
                d.file.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_body_edit_replaces_what_its_document_reported_and_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("annexa.toml"), "title = \"T\"\n").unwrap();
    let empty = "+++\ntitle = \"A\"\nkind = \"other\"\n+++\n";
    for name in ["a.md", "b.md", "c.md"] {
        fs::write(root.join(name), empty).unwrap();
    }
    let today = jiff::civil::date(2026, 11, 1);
    let mut cache = DocCache::new();
    let kept = Reusable::analyse(root, today, &mut cache).unwrap();
    let before = findings(&kept);
    let empty_document = |file: &str| ("empty-document".to_string(), file.to_string());
    for file in ["a.md", "b.md", "c.md"] {
        assert!(before.contains(&empty_document(file)), "{before:?}");
    }
    // b.md gets a body: its `empty-document` goes, and only that one.
    fs::write(root.join("b.md"), format!("{empty}\nSome text.\n")).unwrap();
    let edits = cache.read_bodies(root, &["b.md".to_string()]).unwrap();
    let edited = kept.with_bodies(edits).unwrap();
    let expected: Vec<(String, String)> = before
        .iter()
        .filter(|f| **f != empty_document("b.md"))
        .cloned()
        .collect();
    assert_eq!(findings(&edited), expected);
    assert!(
        edited.analysis.project.documents[1]
            .parsed
            .body()
            .contains("Some text.")
    );
    // Emptied again, it reports it again, as a fresh analysis does.
    fs::write(root.join("b.md"), empty).unwrap();
    let edits = cache.read_bodies(root, &["b.md".to_string()]).unwrap();
    let again = edited.with_bodies(edits).unwrap();
    assert_eq!(findings(&again), before);
    // And a fresh analysis agrees.
    let mut other = DocCache::new();
    let fresh = Reusable::analyse(root, today, &mut other).unwrap();
    assert_eq!(findings(&fresh), before);
}
