//! `annexa build`: the static intranet site (README, "The site"). Builds fixture repositories with the
//! real binary and checks the pages, links, exports, escaping, output-folder safety and
//! reproducibility of what it writes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::site::{
    Page, Site, assert_built, build, fixed_pages, html_files, read, resolve, scheme, snapshot,
};
use common::{Repo, TODAY, annexa, copy_dir, doc, fixture};
use serde_json::Value;
use tempfile::TempDir;

/// The built-in ISO/IEC 27001:2022 catalog: 93 Annex A controls.
const ISO_CONTROLS: usize = 93;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example")
}

/// A repository built into a fresh temporary folder.
struct Built {
    _tmp: TempDir,
    out: PathBuf,
    stderr: String,
}

impl Built {
    fn site(&self) -> Site {
        Site::scan(&self.out)
    }
}

fn build_ok(dir: &Path, args: &[&str]) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output = build(dir, &out, TODAY, args);
    assert_built(&output);
    Built {
        _tmp: tmp,
        out,
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The URL slug annexa uses for framework and control ids (`A.5.15` → `a-5-15`).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn documents_json(site: &Path) -> Vec<Value> {
    let json: Value = serde_json::from_str(&read(site, "exports/documents.json"))
        .expect("documents.json is JSON");
    json["documents"]
        .as_array()
        .expect("documents.json has a `documents` array")
        .clone()
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

/// A document page's file, from the `path` of its documents.json entry
/// (`policies/access-control.md` → `policies/access-control/index.html`).
fn page_of(path: &str) -> String {
    format!(
        "{}/index.html",
        path.strip_suffix(".md").expect("a .md path")
    )
}

/// The records of a CSV export, header first.
fn csv_records(site: &Path, rel: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(fs::File::open(site.join(rel)).unwrap());
    reader
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{rel} is not valid CSV: {e}")))
        .collect()
}

/// One calendar event: property name (with parameters) → value.
type Event = BTreeMap<String, String>;

/// Parses `exports/reviews.ics`, asserting RFC 5545's framing: CRLF line endings, lines of at
/// most 75 octets, one VCALENDAR, and for every VEVENT a UID, a DTSTAMP, an all-day DTSTART and
/// a DTEND one day later, and correctly escaped SUMMARY and DESCRIPTION text.
fn parse_ics(site: &Path) -> Vec<Event> {
    let bytes = fs::read(site.join("exports/reviews.ics")).unwrap();
    let text = String::from_utf8(bytes).expect("reviews.ics is UTF-8");
    assert!(text.ends_with("\r\n"), "reviews.ics ends with CRLF");
    let physical: Vec<&str> = text[..text.len() - 2].split("\r\n").collect();
    let mut lines: Vec<String> = Vec::new();
    for line in &physical {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "a bare LF or CR in reviews.ics: {line:?}"
        );
        assert!(
            line.len() <= 75,
            "a line of {} octets in reviews.ics: {line:?}",
            line.len()
        );
        match line.strip_prefix(' ').or_else(|| line.strip_prefix('\t')) {
            Some(rest) => lines
                .last_mut()
                .expect("a continuation line first")
                .push_str(rest),
            None => lines.push(line.to_string()),
        }
    }
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert_eq!(
        lines.iter().filter(|l| *l == "BEGIN:VCALENDAR").count(),
        1,
        "one calendar"
    );
    assert!(lines.iter().any(|l| l == "VERSION:2.0"), "VERSION:2.0");
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")), "PRODID");
    let mut events = Vec::new();
    let mut current: Option<Event> = None;
    for line in &lines[1..lines.len() - 1] {
        match line.as_str() {
            "BEGIN:VEVENT" => {
                assert!(current.is_none(), "nested VEVENT");
                current = Some(Event::new());
            }
            "END:VEVENT" => events.push(current.take().expect("END:VEVENT after BEGIN")),
            _ => {
                if let Some(event) = current.as_mut() {
                    let (name, value) = line
                        .split_once(':')
                        .unwrap_or_else(|| panic!("a content line without `:`: {line}"));
                    assert!(
                        event.insert(name.to_string(), value.to_string()).is_none(),
                        "{name} twice in one event"
                    );
                }
            }
        }
    }
    assert!(current.is_none(), "an unterminated VEVENT");
    let mut uids = BTreeSet::new();
    for event in &events {
        let uid = event.get("UID").expect("every event has a UID");
        assert!(
            !uid.is_empty() && uids.insert(uid.clone()),
            "UIDs are unique: {uid}"
        );
        let stamp = event.get("DTSTAMP").expect("every event has a DTSTAMP");
        let b = stamp.as_bytes();
        assert!(
            b.len() == 16
                && b[8] == b'T'
                && b[15] == b'Z'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 8 || i == 15 || c.is_ascii_digit()),
            "DTSTAMP is a UTC date-time: {stamp}"
        );
        let start = ics_date(event.get("DTSTART;VALUE=DATE").expect("an all-day DTSTART"));
        let end = ics_date(event.get("DTEND;VALUE=DATE").expect("an all-day DTEND"));
        assert_eq!(
            end,
            start.tomorrow().unwrap(),
            "DTEND is the day after DTSTART"
        );
        for key in ["SUMMARY", "DESCRIPTION"] {
            if let Some(value) = event.get(key) {
                unescape_ics(value).unwrap_or_else(|e| panic!("{key} {value:?}: {e}"));
            }
        }
        assert!(event.contains_key("SUMMARY"), "every event has a SUMMARY");
    }
    events
}

fn ics_date(value: &str) -> jiff::civil::Date {
    assert!(
        value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()),
        "a DATE value: {value}"
    );
    jiff::civil::date(
        value[..4].parse().unwrap(),
        value[4..6].parse().unwrap(),
        value[6..].parse().unwrap(),
    )
}

/// Undoes RFC 5545 TEXT escaping; an unescaped `,` or `;`, or an unknown escape, is an error.
fn unescape_ics(value: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => out.push('\\'),
                Some(';') => out.push(';'),
                Some(',') => out.push(','),
                Some('n' | 'N') => out.push('\n'),
                other => return Err(format!("bad escape `\\{other:?}`")),
            },
            ';' | ',' => return Err(format!("unescaped `{c}`")),
            c if c.is_control() => return Err(format!("control character {c:?}")),
            c => out.push(c),
        }
    }
    Ok(out)
}

fn event_date(event: &Event) -> String {
    let d = &event["DTSTART;VALUE=DATE"];
    format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])
}

/// Asserts the checks every site must pass: the fixed pages of the route table, a page per document, per
/// control and per owner, working internal links, no request leaving the site, and exports
/// that parse and agree with the documents. Returns the documents.json entries.
fn assert_complete_site(site_dir: &Path, frameworks: &[&str]) -> Vec<Value> {
    for rel in fixed_pages() {
        assert!(site_dir.join(&rel).is_file(), "the site has `{rel}`");
    }
    assert!(
        site_dir
            .join("controls/iso27001-2022/a-5-15/index.html")
            .is_file(),
        "the control page controls/iso27001-2022/a-5-15/"
    );

    let site = Site::scan(site_dir);
    let problems = site.link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
    assert_no_external_assets(site_dir);

    // documents.json: one entry per document, each with its page.
    let documents = documents_json(site_dir);
    let sources: BTreeSet<String> = documents.iter().map(|d| text(d, "path")).collect();
    assert_eq!(sources.len(), documents.len(), "one entry per document");
    for d in &documents {
        let page = page_of(&text(d, "path"));
        let html = site.page(&page);
        assert!(
            html.text.contains(&text(d, "title")),
            "{page} shows its title {}",
            text(d, "title")
        );
        assert!(
            text(d, "url").ends_with(&page[..page.len() - "index.html".len()]),
            "documents.json url of {page}: {}",
            text(d, "url")
        );
    }

    // An owner page for every owner.
    let owners: BTreeSet<String> = documents
        .iter()
        .map(|d| text(d, "owner"))
        .filter(|o| !o.is_empty())
        .collect();
    for owner in &owners {
        let rel = format!("owners/{}/index.html", slug(owner));
        assert!(
            site.page(&rel).text.contains(owner.as_str()),
            "{rel} names {owner}"
        );
    }

    // The CSV exports: one row per control of every framework in use, each with its page.
    for export in ["exports/soa.csv", "exports/control-matrix.csv"] {
        let records = csv_records(site_dir, export);
        let header = &records[0];
        let width = header.len();
        assert!(width >= 4, "{export} has a header: {header:?}");
        assert_eq!(&header[0], "framework", "{export} header");
        assert_eq!(&header[1], "id", "{export} header");
        let rows = &records[1..];
        assert!(
            rows.iter().all(|r| r.len() == width),
            "{export}: every row has {width} fields"
        );
        let mut per_framework: BTreeMap<String, usize> = BTreeMap::new();
        for row in rows {
            *per_framework.entry(row[0].to_string()).or_default() += 1;
            let page = format!("controls/{}/{}/index.html", slug(&row[0]), slug(&row[1]));
            assert!(
                site_dir.join(&page).is_file(),
                "{export}: {} has a page {page}",
                &row[1]
            );
        }
        let used: Vec<&str> = per_framework.keys().map(String::as_str).collect();
        let mut expected: Vec<&str> = frameworks.to_vec();
        expected.sort();
        assert_eq!(used, expected, "{export}: the frameworks in use");
        assert_eq!(
            per_framework["iso27001-2022"], ISO_CONTROLS,
            "{export}: ISO rows"
        );
        for (framework, count) in &per_framework {
            let pages = fs::read_dir(site_dir.join("controls").join(slug(framework)))
                .unwrap()
                .filter(|e| e.as_ref().unwrap().path().join("index.html").is_file())
                .count();
            assert_eq!(
                *count, pages,
                "{export}: one row per control page of {framework}"
            );
        }
        let ids: BTreeSet<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[1])).collect();
        assert_eq!(ids.len(), rows.len(), "{export}: no control twice");
    }

    // The calendar: one event per tracked document with a next review.
    let events = parse_ics(site_dir);
    let tracked: Vec<&Value> = documents
        .iter()
        .filter(|d| matches!(text(d, "status").as_str(), "approved" | "review"))
        .filter(|d| !text(d, "next_review").is_empty())
        .collect();
    assert_eq!(
        events.len(),
        tracked.len(),
        "one VEVENT per tracked document with a next review"
    );
    for d in &tracked {
        let title = text(d, "title");
        let next = text(d, "next_review");
        assert!(
            events
                .iter()
                .any(|e| event_date(e) == next
                    && unescape_ics(&e["SUMMARY"]).unwrap().contains(&title)),
            "an event on {next} for {title}"
        );
    }
    documents
}

/// No page loads anything from outside the site: stylesheets, scripts, images, frames and
/// forms stay inside it (plain links may leave), and the theme's CSS and JS request nothing
/// from elsewhere either.
fn assert_no_external_assets(site_dir: &Path) {
    for rel in html_files(site_dir) {
        let html = read(site_dir, &rel);
        let page = Page::parse(&html);
        for tag in page.tags.iter().filter(|t| !t.end) {
            for (attr, value) in &tag.attrs {
                let external = value.trim_start().starts_with("//")
                    || matches!(scheme(value).as_deref(), Some("http" | "https"));
                let loads = matches!(
                    attr.as_str(),
                    "src" | "srcset" | "action" | "data" | "poster"
                ) || (attr == "href" && tag.name != "a");
                assert!(
                    !(external && loads),
                    "{rel}: <{} {attr}=\"{value}\"> loads from outside the site",
                    tag.name
                );
            }
        }
    }
    for rel in ["_assets/annexa.css", "_assets/highlight.css"] {
        let css = read(site_dir, rel).to_ascii_lowercase();
        assert!(!css.contains("@import"), "{rel} imports nothing");
        for (at, _) in css.match_indices("url(") {
            let value = css[at + 4..]
                .trim_start_matches(['"', '\'', ' '])
                .to_string();
            assert!(
                !value.starts_with("http") && !value.starts_with("//"),
                "{rel} loads {value:.60}"
            );
        }
    }
    for rel in ["_assets/annexa.js", "_assets/search.js"] {
        let js = read(site_dir, rel);
        assert!(
            !js.contains("http://") && !js.contains("https://"),
            "{rel} names no outside URL"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Pages, links and exports

#[test]
fn example_site_builds_with_every_page() {
    let built = build_ok(&example(), &[]);
    assert!(
        built.stderr.contains("error[review-overdue]"),
        "the example has overdue reviews, reported but not blocking:\n{}",
        built.stderr
    );
    let documents = assert_complete_site(&built.out, &["iso27001-2022"]);
    assert_eq!(documents.len(), 40, "the example has 40 documents");
    assert!(
        built.out.join("risks/index.html").is_file(),
        "risks/ with a risks.toml"
    );
    // The example's README: 40 documents, one draft and one retired, all others dated.
    assert_eq!(parse_ics(&built.out).len(), 38, "38 review events");
    let site = built.site();
    let risks = site.page("risks/index.html");
    for id in ["R-001", "R-015"] {
        assert!(risks.text.contains(id), "risks/ lists {id}");
    }
    let control = site.page("controls/iso27001-2022/a-5-15/index.html");
    assert!(
        control.text.contains("Access control"),
        "A.5.15's page names it"
    );
    assert!(
        control
            .elements("a")
            .any(|a| a.attr("href") == Some("../../../policies/access-control/")),
        "A.5.15's page links to the Access Control Policy"
    );
    let not_applicable = site.page("controls/iso27001-2022/a-7-6/index.html");
    assert!(
        not_applicable.text.contains("Excluded"),
        "A.7.6 is excluded in the example's SoA"
    );
    assert!(
        built
            .out
            .join("standards/network-architecture.svg")
            .is_file(),
        "the example's SVG diagram is copied"
    );
}

#[test]
fn small_site_has_every_page() {
    let built = build_ok(&fixture("small-site"), &[]);
    let documents = assert_complete_site(&built.out, &["iso27001-2022"]);
    assert_eq!(documents.len(), 2);
    for page in [
        "policies/access-control/index.html",
        "procedures/backup/index.html",
        "owners/head-of-it/index.html",
    ] {
        assert!(built.out.join(page).is_file(), "{page}");
    }
    assert!(
        built.out.join(".annexa-site").is_file(),
        "the output is marked as annexa's"
    );
}

#[test]
fn feature_site_links_resolve_and_exports_cover_every_framework() {
    let built = build_ok(&fixture("site-features"), &[]);
    let documents = assert_complete_site(&built.out, &["iso27001-2022", "nist-csf-2.0"]);
    assert_eq!(documents.len(), 5);
    assert!(
        built.out.join("risks/index.html").is_file(),
        "risks/ with a risks.toml"
    );
    assert!(
        built
            .out
            .join("controls/nist-csf-2-0/pr-aa-01/index.html")
            .is_file(),
        "a page for a control of the second framework"
    );

    // The SoA export keeps a justification with commas and quotes in one field.
    let soa = csv_records(&built.out, "exports/soa.csv");
    let a71 = soa
        .iter()
        .find(|r| &r[0] == "iso27001-2022" && &r[1] == "A.7.1")
        .expect("A.7.1 in soa.csv");
    let fields: Vec<&str> = a71.iter().collect();
    assert!(
        fields.contains(&"no"),
        "A.7.1 is not applicable: {fields:?}"
    );
    assert!(
        fields.contains(
            &"No premises; all staff remote, so \"physical perimeters\" are the provider's."
        ),
        "A.7.1's justification, whole: {fields:?}"
    );

    // The draft has no review event; the document in review has one.
    let events = parse_ics(&built.out);
    let summaries: Vec<String> = events
        .iter()
        .map(|e| unescape_ics(&e["SUMMARY"]).unwrap())
        .collect();
    assert_eq!(events.len(), 4, "{summaries:?}");
    assert!(
        !summaries.iter().any(|s| s.contains("Incident Log")),
        "no event for a draft"
    );
    assert!(
        summaries.iter().any(|s| s.contains("Restore Runbook")),
        "an event in review"
    );
}

#[test]
fn calendar_uids_are_stable_across_builds() {
    let uids = |today: &str| -> BTreeMap<String, String> {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        assert_built(&build(&fixture("site-features"), &out, today, &[]));
        parse_ics(&out)
            .into_iter()
            .map(|e| (event_date(&e), e["UID"].clone()))
            .map(|(date, uid)| (uid, date))
            .collect()
    };
    let first = uids("2026-11-01");
    let later = uids("2027-02-01");
    assert_eq!(first.len(), 4);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        later.keys().collect::<Vec<_>>(),
        "the same documents keep the same UIDs on another day"
    );
}

#[test]
fn document_links_are_rewritten_to_pages() {
    let built = build_ok(&fixture("site-features"), &[]);
    let site = built.site();
    let hrefs = |page: &str| -> Vec<String> {
        site.page(page)
            .elements("a")
            .filter_map(|a| a.attr("href"))
            .map(str::to_string)
            .collect()
    };
    let policy = hrefs("policies/access-control/index.html");
    for expected in [
        "../../procedures/backup/",
        "../../procedures/backup/#restore-tests",
        "../../procedures/nested/deep/runbook/#steps",
        "../../records/incident%20log/",
        "#roles--responsibilities",
        "#scope-1",
        "https://www.example.com/guidance",
    ] {
        assert!(
            policy.iter().any(|h| h == expected),
            "the policy links to {expected}: {policy:?}"
        );
    }
    assert!(
        !policy
            .iter()
            .any(|h| h.contains(".md") && scheme(h).is_none()),
        "no relative link to a .md file is left: {policy:?}"
    );
    let handbook = hrefs("handbook/index.html");
    assert!(
        handbook.iter().any(|h| h == "../policies/access-control/"),
        "{handbook:?}"
    );
    assert!(
        handbook
            .iter()
            .any(|h| h == "../policies/access-control/#roles--responsibilities"),
        "{handbook:?}"
    );
    let runbook = hrefs("procedures/nested/deep/runbook/index.html");
    assert!(
        runbook
            .iter()
            .any(|h| h == "../../../../policies/access-control/#roles--responsibilities"),
        "{runbook:?}"
    );
    // Each of them resolves, anchor included.
    for (page, list) in [
        ("policies/access-control/index.html", &policy),
        ("handbook/index.html", &handbook),
        ("procedures/nested/deep/runbook/index.html", &runbook),
    ] {
        for href in list.iter().filter(|h| !h.starts_with("https:")) {
            let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
            let path = path.split_once('?').map_or(path, |(p, _)| p);
            let target = resolve(page, &common::site::percent_decode(path)).unwrap();
            assert!(built.out.join(&target).is_file(), "{page}: {href}");
            if !fragment.is_empty() {
                assert!(
                    site.page(&target).ids().contains(fragment),
                    "{page}: {href}"
                );
            }
        }
    }
}

#[test]
fn attachments_beside_documents_are_copied_and_linked() {
    let source = fixture("site-features");
    let built = build_ok(&source, &[]);
    for rel in [
        "policies/images/access-flow.svg",
        "policies/forms/access-request.pdf",
        "shared/logo.png",
    ] {
        assert_eq!(
            fs::read(built.out.join(rel)).unwrap(),
            fs::read(source.join(rel)).unwrap(),
            "{rel} is copied as it is"
        );
    }
    let site = built.site();
    let page = site.page("policies/access-control/index.html");
    let srcs: Vec<&str> = page.elements("img").filter_map(|i| i.attr("src")).collect();
    let links: Vec<&str> = page.elements("a").filter_map(|a| a.attr("href")).collect();
    // The page is one folder deeper than its source, so the links climb one more level.
    for (list, url, file) in [
        (
            &srcs,
            "../../policies/images/access-flow.svg",
            "policies/images/access-flow.svg",
        ),
        (&srcs, "../../shared/logo.png", "shared/logo.png"),
        (
            &links,
            "../../policies/forms/access-request.pdf",
            "policies/forms/access-request.pdf",
        ),
    ] {
        assert!(list.contains(&url), "{url} in {list:?}");
        assert_eq!(
            resolve("policies/access-control/index.html", url).as_deref(),
            Some(file)
        );
    }
}

#[test]
fn heading_ids_follow_github() {
    let built = build_ok(&fixture("site-features"), &[]);
    let site = built.site();
    let page = site.page("policies/access-control/index.html");
    let headings: Vec<(String, String)> = page
        .tags
        .iter()
        .filter(|t| !t.end && matches!(t.name.as_str(), "h2" | "h3"))
        .filter_map(|t| Some((t.name.clone(), t.attr("id")?.to_string())))
        .collect();
    for (level, id) in [
        ("h2", "roles--responsibilities"),
        ("h2", "scope"),
        ("h2", "scope-1"),
        ("h3", "über-größe"),
        ("h2", "snake_case-and-code-names"),
    ] {
        assert!(
            headings.contains(&(level.to_string(), id.to_string())),
            "<{level} id=\"{id}\"> in {headings:?}"
        );
    }
    // The table of contents links to them.
    let toc: Vec<&str> = page.elements("a").filter_map(|a| a.attr("href")).collect();
    for id in ["#roles--responsibilities", "#scope", "#scope-1"] {
        assert!(toc.contains(&id), "{id} in {toc:?}");
    }
    let ids: Vec<&str> = page.tags.iter().filter_map(|t| t.attr("id")).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "ids on a page are unique: {ids:?}");
}

#[test]
fn code_blocks_are_highlighted_with_classes() {
    let repo = Repo::new()
        .file(
            "standards/code.md",
            &doc(
                "Code",
                "```toml\n[access]\nmfa = true # comment\n```\n\n```yaml\nkey: \"value\"\ncount: 3\n```\n\n```bash\nset -euo pipefail\necho \"$HOME\"\n```\n\n```\nplain <text> & more\n```\n",
            ),
        );
    let built = build_ok(repo.path(), &[]);
    let html = read(&built.out, "standards/code/index.html");
    let page = Page::parse(&html);
    let pres = html.matches("<pre").count();
    assert_eq!(pres, 4, "four code blocks");
    for lang in ["toml", "yaml", "bash"] {
        let open = format!("<code class=\"language-{lang}\">");
        let start = html.find(&open).unwrap_or_else(|| panic!("a {lang} block"));
        let block = &html[start..start + html[start..].find("</pre>").unwrap()];
        assert!(
            block.contains("<span class=\"hl-"),
            "the {lang} block is highlighted with hl- classes:\n{block}"
        );
    }
    assert!(
        page.text.contains("plain <text> & more"),
        "a block without a language is escaped text"
    );
    let css: Vec<&str> = page
        .elements("link")
        .filter_map(|l| l.attr("href"))
        .collect();
    assert!(
        css.contains(&"../../_assets/highlight.css"),
        "the page loads the highlight stylesheet: {css:?}"
    );
    let stylesheet = read(&built.out, "_assets/highlight.css");
    assert!(
        stylesheet.contains(".hl-"),
        "highlight.css styles hl- classes"
    );
}

#[test]
fn user_templates_override_the_theme_and_static_files_are_copied() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_dir(&fixture("small-site"), &repo);
    fs::create_dir_all(repo.join("templates")).unwrap();
    fs::write(
        repo.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<p id=\"custom-404\">Lost? Ask the ISMS team.</p>{% endblock content %}",
    )
    .unwrap();
    let statics: [(&str, &[u8]); 3] = [
        ("robots.txt", b"User-agent: *\nDisallow: /\n"),
        ("img/logo.png", b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary"),
        ("css/extra.css", b"body { --brand: #123456; }\n"),
    ];
    for (rel, bytes) in statics {
        let path = repo.join("static").join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let out = tmp.path().join("out");
    assert_built(&build(&repo, &out, TODAY, &[]));

    let not_found = Page::parse(&read(&out, "404.html"));
    assert!(
        not_found.ids().contains("custom-404"),
        "the user's 404.html is used"
    );
    assert!(not_found.text.contains("Lost? Ask the ISMS team."));
    assert!(
        not_found.text.contains("Small Site Ltd ISMS"),
        "the override still extends the theme's base.html"
    );
    let home = Page::parse(&read(&out, "index.html"));
    assert!(
        !home.ids().contains("custom-404"),
        "other pages keep the theme's templates"
    );
    for (rel, bytes) in statics {
        assert_eq!(
            fs::read(out.join(rel)).unwrap(),
            bytes,
            "static/{rel} copied as it is"
        );
    }
    assert!(
        !out.join("static").exists() && !out.join("templates").exists(),
        "static/ and templates/ are not published as folders"
    );
}

#[test]
fn base_url_keeps_links_relative() {
    let plain = build_ok(&fixture("site-features"), &[]);
    let based = build_ok(&fixture("site-features"), &["--base-url", "/isms/"]);
    let site = based.site();
    let problems = site.link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
    for (rel, page) in &site.pages {
        for tag in &page.tags {
            for (attr, value) in &tag.attrs {
                assert!(
                    !value.starts_with("/isms"),
                    "{rel}: <{} {attr}=\"{value}\"> uses the base URL",
                    tag.name
                );
            }
        }
    }
    // The pages are the same as without a base URL.
    let a = snapshot(&plain.out);
    let b = snapshot(&based.out);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (rel, bytes) in &a {
        if rel.ends_with(".html") {
            assert!(*bytes == b[rel], "{rel} differs under --base-url");
        }
    }
    // The JSON export gives full paths under the base URL, for use outside the site.
    for d in documents_json(&based.out) {
        assert!(text(&d, "url").starts_with("/isms/"), "{d}");
    }
}

// ---------------------------------------------------------------------------------------------
// Escaping and sanitising

const SCRIPT: &str = "<script>alert(1)</script>";
const IMG: &str = "\"><img src=x onerror=alert(1)>";

/// A repository whose front matter carries markup in every free-text field.
fn hostile_front_matter_repo() -> Repo {
    let front = format!(
        "+++\ntitle = '{SCRIPT} {IMG}'\nowner = '{IMG} {SCRIPT}'\nid = 'X-1'\nkind = \"policy\"\n\
         version = '1<b>'\napprover = '{SCRIPT}'\nclassification = '{IMG}'\n\
         last_reviewed = 2026-06-01\ncontrols = [\"A.5.15\"]\n\
         tags = ['{SCRIPT}', '{IMG}']\nsummary = 'Summary {SCRIPT} {IMG}'\n+++\n\n\
         Plain body text about ampersands & angle brackets.\n"
    );
    Repo::new()
        .file("policies/hostile.md", &front)
        .file(
            "policies/long.md",
            &doc(
                "Ünïcödé review; backup, restore \\\\ and a very long title that goes well past seventy-five octets ✓",
                "Body.\n",
            ),
        )
}

#[test]
fn hostile_front_matter_is_escaped_everywhere() {
    let repo = hostile_front_matter_repo();
    let built = build_ok(repo.path(), &[]);
    let title = format!("{SCRIPT} {IMG}");
    let owner = format!("{IMG} {SCRIPT}");
    let summary = format!("Summary {SCRIPT} {IMG}");
    let site = built.site();
    assert!(site.pages.len() > 100, "the whole site is checked");
    for (rel, page) in &site.pages {
        let html = read(&built.out, rel);
        let lower = html.to_ascii_lowercase();
        assert!(
            !lower.contains("<script>alert"),
            "{rel} holds a raw <script>"
        );
        assert!(!lower.contains("<img src=x"), "{rel} holds a raw <img>");
        assert!(
            !lower.contains("<b>"),
            "{rel} holds a raw <b> from the version"
        );
        for tag in page.tags.iter().filter(|t| !t.end) {
            assert!(
                !tag.attrs.iter().any(|(name, _)| name.starts_with("on")),
                "{rel}: an event handler attribute on <{}>: {:?}",
                tag.name,
                tag.attrs
            );
            if tag.name == "script" {
                let src = tag
                    .attr("src")
                    .unwrap_or_else(|| panic!("{rel}: an inline script"));
                let target = resolve(rel, src).unwrap();
                assert!(target.starts_with("_assets/"), "{rel}: <script src={src}>");
            }
            assert!(
                tag.name != "img" || tag.attr("src") != Some("x"),
                "{rel}: <img src=x>"
            );
        }
    }
    let page = site.page("policies/hostile/index.html");
    for (field, value) in [
        ("title", &title),
        ("owner", &owner),
        ("summary", &summary),
        ("tag", &SCRIPT.to_string()),
        ("tag", &IMG.to_string()),
        ("classification", &IMG.to_string()),
    ] {
        assert!(
            page.text.contains(value.as_str()),
            "the document page shows its {field} as text: {value}"
        );
    }
    let register = site.page("documents/index.html");
    assert!(
        register.text.contains(&title),
        "the register shows the title as text"
    );
    let row = register
        .elements("tr")
        .find(|t| t.attr("data-owner") == Some(owner.as_str()))
        .expect("an attribute keeps the owner whole");
    assert_eq!(row.attr("data-status"), Some("approved"));
    let owner_page = format!("owners/{}/index.html", slug(&owner));
    assert!(site.page(&owner_page).text.contains(&owner), "{owner_page}");

    // The search files: data, never markup, and the same strings back.
    for rel in common::site::snapshot(&built.out.join("search")).keys() {
        if rel.ends_with(".js") {
            let js = read(&built.out.join("search"), rel);
            assert!(!js.contains('<'), "search/{rel} holds a raw `<`");
        }
    }
    let strings = search_strings(&built.out);
    for value in [&title, &owner, &summary] {
        assert!(
            strings.contains(value.as_str()),
            "the search files hold {value} as a string"
        );
    }
    let documents = documents_json(&built.out);
    let index = documents
        .iter()
        .position(|d| text(d, "path") == "policies/hostile.md")
        .unwrap();
    // And the exports, which are data, hold the strings as they are.
    let hostile = &documents[index];
    assert_eq!(text(hostile, "title"), title);
    assert_eq!(text(hostile, "owner"), owner);
    assert_eq!(text(hostile, "summary"), summary);
    // The calendar escapes `;`, `,` and `\` and folds long UTF-8 lines without breaking them.
    let events = parse_ics(&built.out);
    let summaries: Vec<String> = events
        .iter()
        .map(|e| unescape_ics(&e["SUMMARY"]).unwrap())
        .collect();
    assert!(
        summaries.iter().any(|s| s.contains(
            "Ünïcödé review; backup, restore \\ and a very long title that goes well past seventy-five octets ✓"
        )),
        "{summaries:?}"
    );
    assert!(
        summaries.iter().any(|s| s.contains(&title)),
        "{summaries:?}"
    );
}

/// Every JSON string literal in the search files (`search/**/*.js`), decoded: what search
/// results can show, whatever the files' layout.
fn search_strings(site: &Path) -> BTreeSet<String> {
    let mut strings = BTreeSet::new();
    for (rel, bytes) in snapshot(&site.join("search")) {
        if !rel.ends_with(".js") {
            continue;
        }
        let js = String::from_utf8(bytes).expect("search files are UTF-8");
        let mut chars = js.char_indices();
        while let Some((start, c)) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut escaped = false;
            for (end, c) in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    let literal = &js[start..=end];
                    let value: String = serde_json::from_str(literal).unwrap_or_else(|e| {
                        panic!("search/{rel}: {literal} is not a JSON string: {e}")
                    });
                    strings.insert(value);
                    break;
                }
            }
        }
    }
    strings
}

/// Raw HTML in a body, and a Markdown link, with everything that runs script.
const HOSTILE_BODY: &str = r#"Intro paragraph.

<script>alert('body')</script>

<p onclick="alert(2)">Click <a href="javascript:alert(3)" onmouseover="alert(4)">here</a></p>

<iframe src="https://evil.example/frame"></iframe>

<style>body { display: none }</style>

<img src="pixel.svg" onerror="alert(5)" alt="pixel">

<a href="JaVaScRiPt:alert(6)">caps</a> <a href="java&#x09;script:alert(7)">tab</a>

<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/e">

<form action="https://evil.example/"><input name="x"></form>

<svg onload="alert(8)"><circle r="1"/></svg>

<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==">data</a>

<div style="background:url(https://evil.example/bg.png)">styled</div>

A [markdown link](javascript:alert(10)) and <b>bold</b> text.
"#;

/// The same, in Markdown alone (no raw HTML, so a different rendering path).
const HOSTILE_MARKDOWN: &str = "A [link](javascript:alert(11)), a [LINK](JAVASCRIPT:alert(12)), \
an autolink <javascript:alert(13)>, an ![image](javascript:alert(14)), a \
[data](data:text/html,alert(15)) and a [vb](vbscript:alert(16)).\n";

#[test]
fn hostile_bodies_are_sanitised() {
    let repo = Repo::new()
        .file("policies/raw.md", &doc("Raw HTML", HOSTILE_BODY))
        .file("policies/links.md", &doc("Script links", HOSTILE_MARKDOWN))
        .file(
            "policies/pixel.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
        );
    let built = build_ok(repo.path(), &[]);
    let site = built.site();
    for rel in ["policies/raw/index.html", "policies/links/index.html"] {
        let html = read(&built.out, rel).to_ascii_lowercase();
        for needle in [
            "<iframe",
            "<style",
            "<object",
            "<embed",
            "<form action=\"https",
            "onclick",
            "onmouseover",
            "onerror",
            "onload",
            "vbscript:",
            "data:text",
            "evil.example",
        ] {
            assert!(!html.contains(needle), "{rel} holds `{needle}`");
        }
        let page = site.page(rel);
        for tag in page.tags.iter().filter(|t| !t.end) {
            if tag.name == "script" {
                let src = tag
                    .attr("src")
                    .unwrap_or_else(|| panic!("{rel}: an inline script"));
                assert!(
                    resolve(rel, src).unwrap().starts_with("_assets/"),
                    "{rel}: {src}"
                );
            }
            for (attr, value) in &tag.attrs {
                assert!(!attr.starts_with("on"), "{rel}: {attr} on <{}>", tag.name);
                assert!(
                    !value.contains("alert(")
                        && !matches!(
                            scheme(value).as_deref(),
                            Some("javascript" | "vbscript" | "data")
                        ),
                    "{rel}: <{} {attr}=\"{value}\">",
                    tag.name
                );
            }
        }
    }
    // Of the raw HTML, no script survives even as text; a Markdown autolink's text may show
    // its URL, inert.
    let raw_html = read(&built.out, "policies/raw/index.html").to_ascii_lowercase();
    for needle in ["alert(", "javascript:"] {
        assert!(!raw_html.contains(needle), "policies/raw/ holds `{needle}`");
    }
    // What is harmless stays.
    let raw = site.page("policies/raw/index.html");
    assert!(raw.text.contains("Intro paragraph."));
    assert!(raw.text.contains("styled"));
    assert!(raw.elements("b").any(|_| true), "<b> is kept");
    let img = raw
        .elements("img")
        .find(|i| i.attr("alt") == Some("pixel"))
        .expect("the image is kept without its handler");
    assert_eq!(img.attr("src"), Some("../../policies/pixel.svg"));
    let links = site.page("policies/links/index.html");
    for word in ["link", "LINK", "data", "vb"] {
        assert!(links.text.contains(word), "the link text `{word}` stays");
    }
    let problems = site.link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// The output folder

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("sub")).unwrap();
    fs::write(out.join("notes.txt"), "my notes\n").unwrap();
    fs::write(out.join("sub/keep.md"), "# keep me\n").unwrap();
    let before = snapshot(tmp.path());
    let output = build(&fixture("small-site"), &out, TODAY, &[]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("refusing"), "{stderr}");
    assert_eq!(
        snapshot(tmp.path()),
        before,
        "nothing changed in or beside the folder"
    );

    // A file is refused as well.
    let file = tmp.path().join("file.html");
    fs::write(&file, "<p>mine</p>").unwrap();
    let before = snapshot(tmp.path());
    let output = build(&fixture("small-site"), &file, TODAY, &[]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(snapshot(tmp.path()), before);

    // An empty folder, and a folder annexa built, are fine.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    assert_built(&build(&fixture("small-site"), &empty, TODAY, &[]));
    assert!(empty.join("index.html").is_file());
}

#[test]
fn rebuilds_replace_annexas_own_folder_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_dir(&fixture("small-site"), &repo);
    let out = tmp.path().join("out");
    assert_built(&build(&repo, &out, TODAY, &[]));
    fs::write(out.join(".DS_Store"), "left behind by a file manager").unwrap();
    fs::write(
        repo.join("procedures/restore.md"),
        doc("Restore Procedure", "Restores.\n"),
    )
    .unwrap();
    assert_built(&build(&repo, &out, TODAY, &[]));
    assert!(
        out.join("procedures/restore/index.html").is_file(),
        "the new page"
    );
    assert!(
        !out.join(".DS_Store").exists(),
        "the folder is replaced as a whole"
    );
    let leftovers: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "repo" && n != "out" && n != ".out.annexa-lock")
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging folders left: {leftovers:?}"
    );
}

#[test]
fn refuses_the_project_root_and_its_ancestors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("a/b/project");
    copy_dir(&fixture("small-site"), &root);
    let before = snapshot(tmp.path());
    let refused = |out: &Path, cwd: &Path| {
        let output = annexa()
            .current_dir(cwd)
            .arg("build")
            .arg(&root)
            .arg("-o")
            .arg(out)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "-o {} is refused: {output:?}",
            out.display()
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "-o {} changed files",
            out.display()
        );
    };
    refused(&root, tmp.path());
    refused(Path::new("."), &root);
    refused(&root.join(".."), tmp.path());
    refused(&root.join("../.."), tmp.path());
    refused(&tmp.path().join("a"), tmp.path());
    refused(&root.join("policies/.."), tmp.path());

    // The same through annexa.toml's output_dir.
    for dir in [".", "..", "../.."] {
        fs::write(
            root.join("annexa.toml"),
            format!(
                "title = \"T\"\noutput_dir = \"{dir}\"\n\n[lints]\nunmapped-control = \"off\"\n"
            ),
        )
        .unwrap();
        let before = snapshot(tmp.path());
        let output = annexa()
            .arg("build")
            .arg(&root)
            .args(["--today", TODAY])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(2),
            "output_dir = {dir:?}: {output:?}"
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "output_dir = {dir:?} changed files"
        );
    }
}

#[test]
fn content_errors_leave_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_dir(&fixture("small-site"), &repo);
    let out = tmp.path().join("out");
    assert_built(&build(&repo, &out, TODAY, &[]));
    let before = snapshot(&out);
    fs::write(
        repo.join("procedures/broken.md"),
        doc("Broken", "See [the missing plan](../plans/missing.md).\n"),
    )
    .unwrap();
    let output = build(&repo, &out, TODAY, &[]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken-link"), "{stderr}");
    assert!(stderr.contains("not built"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the previous site is untouched");
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        3,
        "nothing written beside it but the first build's lock file: {names:?}"
    );
    assert!(names.iter().any(|n| n == ".out.annexa-lock"), "{names:?}");
}

#[test]
fn overdue_reviews_do_not_stop_a_build() {
    let repo = Repo::new().file(
        "policies/old.md",
        "+++\ntitle = \"Old Policy\"\nowner = \"Head of IT\"\nlast_reviewed = 2020-01-01\n+++\n\nOld.\n",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = build(repo.path(), &out, TODAY, &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("review-overdue"),
        "the finding is reported: {stderr}"
    );
    let reviews = Page::parse(&read(&out, "reviews/index.html"));
    assert!(
        reviews.text.contains("Old Policy"),
        "reviews/ lists the overdue document"
    );
    let documents = documents_json(&out);
    assert_eq!(text(&documents[0], "review_state"), "overdue");
}

#[test]
fn builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("first");
    let second = tmp.path().join("second");
    assert_built(&build(&example(), &first, TODAY, &[]));
    assert_built(&build(&example(), &second, TODAY, &[]));
    let a = snapshot(&first);
    let b = snapshot(&second);
    assert!(a.len() > 150, "{} files", a.len());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    let differing: Vec<&String> = a
        .iter()
        .filter(|(k, v)| b[*k] != **v)
        .map(|(k, _)| k)
        .collect();
    assert!(differing.is_empty(), "files that differ: {differing:?}");
}

// ---------------------------------------------------------------------------------------------
// The checker itself

#[test]
fn the_link_checker_finds_what_it_should() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("a/index.html", "<h2 id=\"x\">X</h2><p id='y'>Y</p>");
    write("files/report name.pdf", "%PDF");
    write(
        "index.html",
        concat!(
            "<!DOCTYPE html><!-- <a href=\"nothing/\"> --><link rel=\"stylesheet\" href=\"https://cdn.example/x.css\">",
            "<script src=\"//cdn.example/x.js\"></script><script>var s = '<a href=\"inside-a-script/\">';</script>",
            "<a href=\"a/\">ok</a><a href=\"a/#x\">ok</a><a href='a/index.html#y'>ok</a><a href=\"a/?q=1&amp;r=2#x\">ok</a>",
            "<a href=\"files/report%20name.pdf\">ok</a><a href=\"#top\" id=\"top\">ok</a><a href=\"https://example.com/\">ok</a>",
            "<a href=\"mailto:a@b.c\">ok</a><img src=\"data:image/png;base64,AAAA\"><link rel=\"icon\" href=\"data:,\">",
            "<a href=\"b/\">missing</a><a href=\"a/#nope\">no id</a><a href=\"/a/\">absolute</a><a href=\"a\">no slash</a>",
            "<a href=\"../up/\">above</a><a href=\"javascript:alert(1)\">script</a><img src=\"http://img.example/p.png\">",
            "<a href=\"data:text/html,hi\">data</a>",
        ),
    );
    let site = Site::scan(dir);
    let problems = site.link_problems();
    let expected = [
        "https://cdn.example/x.css",
        "//cdn.example/x.js",
        "b/",
        "a/#nope",
        "/a/",
        "\"a\"",
        "../up/",
        "javascript:alert(1)",
        "http://img.example/p.png",
        "data:text/html,hi",
    ];
    for needle in expected {
        assert!(
            problems.iter().any(|p| p.contains(needle)),
            "the checker reports {needle}: {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    let page = site.page("index.html");
    assert!(page.ids().contains("top"));
    assert!(
        page.text.contains("inside-a-script"),
        "script content is text"
    );
    assert!(
        !page
            .tags
            .iter()
            .any(|t| t.attr("href") == Some("inside-a-script/")),
        "a tag inside a script is not a tag"
    );
}

#[test]
fn links_to_static_files_and_folders_reach_their_published_pages() {
    let body = "# A\n\n[logo](../static/img/logo.png) [folder](../policies/) [sub](hr) \
                [home](../) [doc folder](../records)\n";
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", body))
        .file("policies/hr/b.md", &doc("B", "# B\n"))
        .file("records.md", &doc("Records", "# Records\n"))
        .file("records/c.md", &doc("C", "# C\n"))
        .file("static/img/logo.png", "png");
    let built = build_ok(repo.path(), &[]);
    let site = built.site();
    let problems = site.link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
    let page = site.page("policies/a/index.html");
    let hrefs: Vec<&str> = page
        .elements("a")
        .filter(|a| a.attr("class").is_none())
        .filter_map(|a| a.attr("href"))
        .filter(|h| !h.starts_with("../../owners/") && !h.contains('?'))
        .collect();
    let body_links: Vec<&str> = hrefs
        .iter()
        .copied()
        .skip_while(|h| *h != "../../img/logo.png")
        .take(5)
        .collect();
    assert_eq!(
        body_links,
        [
            "../../img/logo.png",
            "../../policies/",
            "../../policies/hr/",
            "../../",
            "../../records/"
        ]
    );
    assert_eq!(fs::read(built.out.join("img/logo.png")).unwrap(), b"png");
    // A folder's listing page: its documents at any depth, none of other folders.
    let listing = site.page("policies/index.html");
    let listed: Vec<&str> = listing
        .elements("a")
        .filter(|a| a.attr("class") == Some("doc-title"))
        .filter_map(|a| a.attr("href"))
        .collect();
    assert_eq!(listed, ["../policies/a/", "../policies/hr/b/"]);
    assert!(
        listing
            .text
            .contains("2 documents in this folder and its subfolders.")
    );
    // A folder with a document at its URL has that document, not a listing.
    let records = site.page("records/index.html");
    assert!(records.text.contains("Records"), "{}", records.text);
    assert!(!records.text.contains("in this folder and its subfolders"));
}
