//! What the built pages give assistive technology and the keyboard, without a browser: named
//! task-list checkboxes, footnotes with names and back-links, scrolling tables and code blocks
//! as named regions the keyboard can reach, "On this page" for documents whose sections are `#`
//! headings, a meta description from the summary, named search landmarks, and a 404 page that
//! finds its stylesheet at any depth. (axe-core and the Nu Html Checker run in
//! `tests/browser.rs`.)

mod common;

use common::site::{build, read};
use common::{Repo, TODAY};

/// Builds `repo` and returns the page of the document at `url` (`policies/x/`).
fn page(repo: &Repo, url: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    common::site::assert_built(&build(repo.path(), &out, TODAY, &[]));
    read(&out, &format!("{url}index.html"))
}

fn doc(title: &str, summary: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"Head of IT\"\nsummary = \"{summary}\"\nlast_reviewed = 2026-06-01\n+++\n\n{body}"
    )
}

/// The part of `html` from `start` to the next `end` after it, both included.
fn between<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"));
    let to = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end} after {start}"))
        + end.len();
    &html[from..from + to]
}

#[test]
fn task_list_checkboxes_are_named() {
    let repo = Repo::new().file(
        "records/review.md",
        &doc(
            "Review",
            "Actions.",
            "## Actions\n\n- [x] Renew the policy\n- [ ] Train staff\n",
        ),
    );
    let html = page(&repo, "records/review/");
    assert_eq!(
        between(&html, "<ul>\n<li><input", "</ul>"),
        "<ul>\n<li><input type=\"checkbox\" disabled checked aria-label=\"Done\"> Renew the policy</li>\n<li><input type=\"checkbox\" disabled aria-label=\"Done\"> Train staff</li>\n</ul>"
    );
}

#[test]
fn footnotes_are_named_and_link_back() {
    let body = "## Terms\n\nSee the note[^a] and again[^a], and another[^b].\n\n[^a]: The first note.\n[^b]: The second.\n";
    let repo = Repo::new().file("policies/notes.md", &doc("Notes", "Notes.", body));
    let html = page(&repo, "policies/notes/");
    assert!(
        html.contains("See the note<sup class=\"footnote-reference\"><a href=\"#a\" id=\"fnref-a\" aria-label=\"Footnote 1\">1</a></sup> and again<sup class=\"footnote-reference\"><a href=\"#a\" id=\"fnref-a-2\" aria-label=\"Footnote 1\">1</a></sup>, and another<sup class=\"footnote-reference\"><a href=\"#b\" id=\"fnref-b\" aria-label=\"Footnote 2\">2</a></sup>."),
        "{html}"
    );
    assert_eq!(
        between(
            &html,
            "<div class=\"footnote-definition\" id=\"a\">",
            "</div>"
        ),
        "<div class=\"footnote-definition\" id=\"a\"><sup class=\"footnote-definition-label\">1</sup>\n<p>The first note.</p>\n<a class=\"footnote-backref\" href=\"#fnref-a\" aria-label=\"Back to reference 1\">↩</a></div>"
    );
}

#[test]
fn tables_and_code_blocks_are_named_regions_the_keyboard_can_scroll() {
    let body = "## Inventory\n\n| Asset | Owner |\n|---|---|\n| Laptop | IT |\n\n## Baseline\n\n```yaml\nkey: value\n```\n\n```\nplain\n```\n";
    let repo = Repo::new().file("standards/base.md", &doc("Base", "Base.", body));
    let html = page(&repo, "standards/base/");
    assert!(
        html.contains("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Table 1 under “Inventory”\"><table>"),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"code\" tabindex=\"0\" role=\"region\" aria-label=\"Code block 1 under “Baseline”\"><code class=\"language-yaml\">"),
        "{html}"
    );
    assert!(
        html.contains("<pre class=\"code\" tabindex=\"0\" role=\"region\" aria-label=\"Code block 2 under “Baseline”\"><code>plain\n</code></pre>"),
        "{html}"
    );
    assert!(html.contains("/highlight.css\">"), "code loads its colours");
}

/// The "On this page" entries of a page: (class, text).
fn contents(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<nav class=\"toc\"") else {
        return Vec::new();
    };
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("<li class=\"")
        .skip(1)
        .map(|item| {
            let class = item.split('"').next().unwrap().to_string();
            let text = item.split("\">").nth(2).unwrap().split('<').next().unwrap();
            (class, text.to_string())
        })
        .collect()
}

#[test]
fn documents_whose_sections_are_hash_headings_get_contents() {
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(c, t)| (c.to_string(), t.to_string()))
            .collect()
    };
    let repo = Repo::new()
        .file(
            "policies/flat.md",
            &doc(
                "Flat",
                "Flat.",
                "# Purpose\n\nText.\n\n# Scope\n\n## Systems\n\nText.\n\n### Detail\n\nText.\n",
            ),
        )
        .file(
            "policies/titled.md",
            &doc(
                "Titled",
                "Titled.",
                "# Titled\n\n# Purpose\n\nText.\n\n# Scope\n\nText.\n",
            ),
        )
        .file(
            "policies/usual.md",
            &doc(
                "Usual",
                "Usual.",
                "# Usual\n\n## Purpose\n\n### Detail\n\n#### Deeper\n\nText.\n",
            ),
        );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    common::site::assert_built(&build(repo.path(), &out, TODAY, &[]));
    assert_eq!(
        contents(&read(&out, "policies/flat/index.html")),
        pairs(&[
            ("toc-l2", "Purpose"),
            ("toc-l2", "Scope"),
            ("toc-l3", "Systems")
        ])
    );
    assert_eq!(
        contents(&read(&out, "policies/titled/index.html")),
        pairs(&[("toc-l2", "Purpose"), ("toc-l2", "Scope")])
    );
    assert_eq!(
        contents(&read(&out, "policies/usual/index.html")),
        pairs(&[("toc-l2", "Purpose"), ("toc-l3", "Detail")])
    );
}

#[test]
fn a_document_page_is_described_by_its_summary() {
    let repo = Repo::new().file(
        "policies/a.md",
        &doc("A", "How we keep \\\"A\\\" & B safe.", "## One\n\nText.\n"),
    );
    let html = page(&repo, "policies/a/");
    assert!(
        html.contains(
            "<meta name=\"description\" content=\"How we keep &quot;A&quot; &amp; B safe.\">"
        ),
        "{html}"
    );
}

#[test]
fn search_landmarks_are_named_and_there_is_no_invisible_button() {
    let repo = Repo::new().file("policies/a.md", &doc("A", "A.", "## One\n\nText.\n"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    common::site::assert_built(&build(repo.path(), &out, TODAY, &[]));
    for (page, names) in [
        ("policies/a/index.html", &["Quick search"][..]),
        (
            "search/index.html",
            &["Quick search", "Search the ISMS"][..],
        ),
        ("404.html", &["Quick search", "Search the ISMS"][..]),
    ] {
        let html = read(&out, page);
        let found: Vec<&str> = html
            .split("role=\"search\" aria-label=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert_eq!(found, names, "{page}");
        assert_eq!(
            html.matches("role=\"search\"").count(),
            names.len(),
            "{page}"
        );
        assert!(
            !html.contains("class=\"visually-hidden\" type=\"submit\""),
            "{page}"
        );
    }
}

#[test]
fn the_404_page_sets_its_base_from_base_url_before_loading_anything() {
    let repo = Repo::with_config("title = \"T\"\nbase_url = \"/isms/\"\n");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    common::site::assert_built(&build(repo.path(), &out, TODAY, &[]));
    let html = read(&out, "404.html");
    let script = html.find("<script data-base=").expect("an inline script");
    let first_link = html.find("<link ").expect("a link");
    assert!(
        script < first_link,
        "the base is set before the first link: {html}"
    );
    assert!(html.contains("<script data-base=\"/isms/\">"), "{html}");
}
