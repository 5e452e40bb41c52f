//! Tests of the outline cache: records read back exactly, and a file that is not a whole one
//! of this build and scan is an empty cache.

use super::*;
use proptest::prelude::*;

fn scan() -> Scan {
    Scan::default()
}

/// An outline with one of each kind of mark.
fn every_kind() -> Outline {
    let what = [
        What::Placeholder,
        What::Vague,
        What::Periodically,
        What::Should,
        What::Foreign(Syntax::PageBreak),
        What::Foreign(Syntax::Template),
        What::Removed(Removed::Element),
        What::Removed(Removed::ElementAndContent),
        What::Removed(Removed::Attributes(vec!["onclick".into(), "style".into()])),
        What::External("img".into()),
    ];
    Outline {
        headings: vec![Heading {
            level: 2,
            text: "Scope — ünicode".into(),
            id: "scope--ünicode".into(),
            offset: 300,
        }],
        links: vec![
            RawLink {
                dest: "other.md#a".into(),
                offset: 5,
                image: false,
                dest_offset: Some(12),
            },
            RawLink {
                dest: "logo.png".into(),
                offset: 200,
                image: true,
                dest_offset: None,
            },
        ],
        marks: what
            .into_iter()
            .enumerate()
            .map(|(i, what)| Mark {
                what,
                offset: 1000 + i,
                text: format!("mark {i}"),
            })
            .collect(),
    }
}

/// A cache file in a new folder holding `outline` under the key of `body`, read back.
fn cache_holding(body: &str, outline: &Outline) -> (tempfile::TempDir, Outlines) {
    let dir = tempfile::tempdir().unwrap();
    let files = (dir.path().join("cache"), dir.path().join("cache-new"));
    let mut outlines = Outlines::new(files);
    let empty = outlines.open(&scan());
    let record = Record {
        key: body_digest(body),
        bytes: RecordBytes::Fresh(encode(outline).unwrap()),
    };
    outlines.keep(&empty, &scan(), &[record]);
    outlines.commit();
    (dir, outlines)
}

#[test]
fn every_kind_of_mark_reads_back_as_written() {
    let outline = every_kind();
    let bytes = encode(&outline).unwrap();
    let back = decode(&bytes).unwrap();
    assert_eq!(
        (back.headings, back.links, back.marks),
        (outline.headings, outline.links, outline.marks)
    );
    // A record cut short or with a byte more is not one.
    assert!(decode(&bytes[..bytes.len() - 1]).is_none());
    assert!(decode(&[bytes.as_slice(), &[0]].concat()).is_none());
}

#[test]
fn a_body_in_the_cache_takes_its_outline_from_it_and_another_is_read() {
    // The cached outline is not the body's: taking it proves it came from the file.
    let (dir, outlines) = cache_holding("# Body\n", &every_kind());
    let known = outlines.open(&scan());
    assert_eq!(known.count, 1);
    let (outline, digest, record) = known.outline("# Body\n", &scan());
    assert_eq!(digest, body_digest("# Body\n"));
    assert_eq!(outline.marks, every_kind().marks);
    assert!(matches!(record.unwrap().bytes, RecordBytes::Kept(..)));
    let (outline, _, record) = known.outline("# Other\n", &scan());
    assert_eq!(outline.headings[0].id, "other");
    assert!(matches!(record.unwrap().bytes, RecordBytes::Fresh(_)));
    // Another scan, or another build of annexa, finds nothing.
    let other_scan = Scan {
        vague_phrases: vec!["as needed".into()],
    };
    assert_eq!(outlines.open(&other_scan).count, 0);
    let bytes = fs::read(dir.path().join("cache")).unwrap();
    let scan_key = scan_key(&scan());
    assert!(OutlineCache::from_bytes(bytes.clone(), &stamp(), &scan_key).is_some());
    assert!(OutlineCache::from_bytes(bytes, b"0.0.0 other", &scan_key).is_none());
}

#[test]
fn a_damaged_or_cut_file_is_an_empty_cache() {
    let (dir, outlines) = cache_holding("# Body\n", &every_kind());
    let path = dir.path().join("cache");
    let whole = fs::read(&path).unwrap();
    for (what, bytes) in [
        ("a byte changed", {
            let mut b = whole.clone();
            let last = b.len() - 1;
            b[last] ^= 1;
            b
        }),
        ("cut short", whole[..whole.len() - 1].to_vec()),
        ("a byte more", [whole.as_slice(), &[0]].concat()),
        ("zeros", vec![0; whole.len()]),
        ("empty", Vec::new()),
    ] {
        fs::write(&path, bytes).unwrap();
        assert_eq!(outlines.open(&scan()).count, 0, "{what}");
    }
}

#[test]
fn the_next_file_is_written_only_when_it_differs_and_put_in_place_by_the_commit() {
    let (dir, mut outlines) = cache_holding("# Body\n", &every_kind());
    let (path, new) = (dir.path().join("cache"), dir.path().join("cache-new"));
    let written = fs::read(&path).unwrap();
    // The same documents: nothing is written, and a leftover next file is removed.
    fs::write(&new, "left by a killed build").unwrap();
    let known = outlines.open(&scan());
    let (_, _, record) = known.outline("# Body\n", &scan());
    outlines.keep(&known, &scan(), &[record.unwrap()]);
    assert_eq!(outlines.counts(), (1, 0));
    assert!(!new.exists());
    // A document more: the next file is written, and is the cache once committed.
    let records: Vec<Record> = ["# Body\n", "# Two\n"]
        .iter()
        .filter_map(|body| known.outline(body, &scan()).2)
        .collect();
    outlines.keep(&known, &scan(), &records);
    assert_eq!(outlines.counts(), (1, 1));
    assert!(new.exists());
    assert_eq!(fs::read(&path).unwrap(), written);
    outlines.commit();
    assert!(!new.exists());
    assert_eq!(outlines.open(&scan()).count, 2);
    // As many documents, one of them new; or one document fewer: written again either way.
    let known = outlines.open(&scan());
    for (bodies, counts) in [
        (&["# Body\n", "# Four\n"][..], (1, 1)),
        (&["# Body\n"][..], (1, 0)),
    ] {
        let records: Vec<Record> = bodies
            .iter()
            .filter_map(|body| known.outline(body, &scan()).2)
            .collect();
        outlines.keep(&known, &scan(), &records);
        assert_eq!(outlines.counts(), counts);
        assert!(new.exists(), "{bodies:?}");
        fs::remove_file(&new).unwrap();
    }
    // A build that stops before its commit leaves nothing: the next file goes with it.
    let known = outlines.open(&scan());
    let (_, _, record) = known.outline("# Three\n", &scan());
    outlines.keep(&known, &scan(), &[record.unwrap()]);
    assert!(new.exists());
    drop(outlines);
    assert!(!new.exists());
    assert_eq!(OutlineCache::open(&path, &scan()).count, 2);
}

fn what_strategy() -> impl Strategy<Value = What> {
    prop_oneof![
        Just(What::Placeholder),
        Just(What::Vague),
        Just(What::Periodically),
        Just(What::Should),
        (0..SYNTAXES.len()).prop_map(|i| What::Foreign(SYNTAXES[i])),
        Just(What::Removed(Removed::Element)),
        Just(What::Removed(Removed::ElementAndContent)),
        proptest::collection::vec(".{0,8}", 0..3)
            .prop_map(|names| What::Removed(Removed::Attributes(names))),
        ".{0,8}".prop_map(What::External),
    ]
}

proptest! {
    #[test]
    fn any_outline_reads_back_as_written(
        headings in proptest::collection::vec((1u8..=6, ".{0,12}", ".{0,12}", 0usize..1 << 40), 0..4),
        links in proptest::collection::vec((".{0,12}", 0usize..1 << 20, any::<bool>(), proptest::option::of(0usize..1 << 20)), 0..4),
        marks in proptest::collection::vec((what_strategy(), 0usize..1 << 20, ".{0,12}"), 0..4),
    ) {
        let outline = Outline {
            headings: headings.into_iter().map(|(level, text, id, offset)| Heading { level, text, id, offset }).collect(),
            links: links.into_iter().map(|(dest, offset, image, dest_offset)| RawLink { dest, offset, image, dest_offset }).collect(),
            marks: marks.into_iter().map(|(what, offset, text)| Mark { what, offset, text }).collect(),
        };
        let back = decode(&encode(&outline).unwrap()).unwrap();
        prop_assert_eq!((back.headings, back.links, back.marks), (outline.headings, outline.links, outline.marks));
    }
}
