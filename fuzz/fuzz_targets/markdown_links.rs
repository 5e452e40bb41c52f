//! Markdown and link extraction: `markdown::outline` and `markdown::html_links` on arbitrary
//! text, then `links::split_dest`, `join`, `is_external` and `encode_path` on every destination
//! found and on the text itself. Nothing may panic; every offset is a character boundary inside
//! the text; `join` never climbs above the root; `encode_path` leaves no character a URL path
//! cannot hold.
#![no_main]

use annexa::{links, markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
    let outline = markdown::outline(body);
    for heading in &outline.headings {
        assert!(body.is_char_boundary(heading.offset), "{heading:?}");
        assert!((1..=6).contains(&heading.level), "{heading:?}");
    }
    for link in &outline.links {
        assert!(body.is_char_boundary(link.offset), "{link:?}");
        check_dest(&link.dest);
    }
    for (dest, offset) in markdown::html_links(body) {
        assert!(body.is_char_boundary(offset), "{dest:?} at {offset}");
        check_dest(&dest);
    }
    check_dest(body);
});

fn check_dest(dest: &str) {
    let external = links::is_external(dest);
    let (path, _anchor) = links::split_dest(dest);
    if external {
        return;
    }
    for from in ["a.md", "policies/a.md", "policies/sub/a.md"] {
        if let Some(joined) = links::join(from, &path) {
            assert!(!joined.starts_with('/'), "{from} + {path:?} = {joined:?}");
            assert!(
                !joined.split('/').any(|part| part == ".." || part == "."),
                "{from} + {path:?} = {joined:?}"
            );
        }
    }
    let encoded = links::encode_path(&path);
    assert!(
        !encoded.contains([' ', '#', '?', '"', '<', '>']),
        "{encoded:?}"
    );
    let bytes = encoded.as_bytes();
    for (i, _) in encoded.match_indices('%') {
        assert!(
            bytes.len() >= i + 3
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit(),
            "{encoded:?}"
        );
    }
}
