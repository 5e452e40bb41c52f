//! The whole load-and-check of a one-document repository: the input is written as
//! `policies/a.md` beside a fixed `annexa.toml`, then `pipeline::analyse` runs every stage and
//! lint, and the page body is rendered as a build renders it. A document never stops annexa
//! (`Fatal` is for a repository annexa cannot read), nothing panics, and the rendered HTML holds
//! no script and no `javascript:` link.
#![no_main]

use std::fs;
use std::path::Path;
use std::sync::OnceLock;

use annexa::{load, pipeline, render};
use libfuzzer_sys::fuzz_target;
use tempfile::TempDir;

const CONFIG: &str = "title = \"Fuzz ISMS\"\norganisation = \"Fuzz Ltd\"\n\
                      frameworks = [\"iso27001-2022\", \"nist-csf-2.0\"]\n\
                      [reviews]\ndefault_interval = \"12 months\"\ndue_soon_days = 30\n";

fn repository() -> &'static Path {
    static DIR: OnceLock<TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("annexa.toml"), CONFIG).unwrap();
        fs::create_dir(dir.path().join("policies")).unwrap();
        dir
    })
    .path()
}

fuzz_target!(|input: &[u8]| {
    let dir = repository();
    fs::write(dir.join("policies/a.md"), input).unwrap();
    let today = jiff::civil::date(2026, 11, 1);
    let analysis = match pipeline::analyse(Some(dir), today) {
        Ok(analysis) => analysis,
        Err(fatal) => panic!("a document made annexa stop: {fatal:?}"),
    };
    let project = &analysis.project;
    assert_eq!(project.documents.len(), 1);
    for diagnostic in &analysis.diagnostics {
        assert!(!diagnostic.message.is_empty(), "{diagnostic:?}");
    }
    for doc in &project.documents {
        let body = load::document_body(&project.root, doc).expect("the body reads again");
        let rendered = render::html::render_body(project, doc, &body, "../../");
        let html = rendered.html.to_ascii_lowercase();
        assert!(!html.contains("<script"), "{}", rendered.html);
        for (name, value) in attributes(&html) {
            let value: String = value
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            let value = value.trim_matches(|c: char| c <= ' ');
            assert!(
                !(name.starts_with("on")
                    || value.starts_with("javascript:")
                    || value.starts_with("vbscript:")),
                "{name}={value:?} in {}",
                rendered.html
            );
        }
    }
});

/// The attributes of the start tags in `html`, as an HTML serializer writes them: text holds no
/// `<` (it is `&lt;`), and attribute values are double-quoted with no `"` inside. A text that
/// merely reads `src="javascript:` is not a tag and is not looked at.
fn attributes(html: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        // The tag's name, then `name="value"` or bare `name` pairs up to `>`.
        let mut tag = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
        loop {
            tag = tag.trim_start_matches([' ', '/', '\t', '\n']);
            if tag.is_empty() || tag.starts_with('>') {
                break;
            }
            let name_end = tag.find(['=', ' ', '>', '/']).unwrap_or(tag.len());
            let name = &tag[..name_end];
            tag = &tag[name_end..];
            let mut value = "";
            if let Some(after) = tag.strip_prefix("=\"") {
                let end = after.find('"').unwrap_or(after.len());
                value = &after[..end];
                tag = after.get(end + 1..).unwrap_or("");
            } else if name.is_empty() {
                tag = &tag[1..];
            }
            found.push((name, value));
        }
        rest = tag;
    }
    found
}
