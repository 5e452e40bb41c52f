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
        for attribute in ["href=\"javascript:", "src=\"javascript:"] {
            assert!(!html.contains(attribute), "{}", rendered.html);
        }
    }
});
