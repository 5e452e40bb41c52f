//! `annexa build`: the static intranet site (README, "The site"). Builds fixture repositories with the
//! real binary and checks the pages, links, exports, escaping, output-folder safety and
//! reproducibility of what it writes.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::site::{
    Page, Site, Tag, assert_built, build, fixed_pages, html_files, only_element, outer_html, read,
    resolve, scheme, snapshot,
};
use common::{Repo, TODAY, annexa, copy_dir, doc, fixture, gap_repo, iso_annex_a_ids};
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

/// The review events of `exports/reviews.ics` (their UIDs start `review-`), without the
/// events of risk treatment actions.
fn review_events(site: &Path) -> Vec<Event> {
    parse_ics(site)
        .into_iter()
        .filter(|e| e["UID"].starts_with("review-"))
        .collect()
}

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
    let events = review_events(site_dir);
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
    assert_eq!(review_events(&built.out).len(), 38, "38 review events");
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
                // The one exception: 404.html, served at any depth, sets a <base> from it
                // (`data-base` of its inline script; not on file://).
                if rel == "404.html" && tag.name == "script" && attr == "data-base" {
                    assert_eq!(value, "/isms/");
                    continue;
                }
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
        if rel == "404.html" {
            // Only in the base its script sets.
            let with_base =
                String::from_utf8_lossy(&b[rel]).replace("data-base=\"/isms/\"", "data-base=\"/\"");
            assert_eq!(String::from_utf8_lossy(bytes), with_base, "{rel}");
        } else if rel.ends_with(".html") {
            assert!(*bytes == b[rel], "{rel} differs under --base-url");
        }
    }
    // The JSON export gives full paths under the base URL, for use outside the site.
    for d in documents_json(&based.out) {
        assert!(text(&d, "url").starts_with("/isms/"), "{d}");
    }
}

// ---------------------------------------------------------------------------------------------
// What the pages show: gaps, backlinks, risks, review intervals

/// The `class` of the first tag of an HTML fragment.
fn class_of(fragment: &str) -> String {
    Page::parse(fragment).tags[0]
        .attr("class")
        .unwrap_or_default()
        .to_string()
}

/// Whether a tag's `class` lists `class`.
fn has_class(tag: &Tag, class: &str) -> bool {
    tag.attr("class")
        .is_some_and(|c| c.split_whitespace().any(|name| name == class))
}

/// A table row's cells, each as the text it shows (its runs of text joined by a space).
fn cells(row: &str) -> Vec<String> {
    outer_html(row, |t| matches!(t.name.as_str(), "td" | "th"))
        .iter()
        .map(|cell| Page::parse(cell).texts().join(" "))
        .collect()
}

/// The texts of the only element of `html` whose `class` is exactly `class`.
fn texts_of_class(html: &str, class: &str) -> Vec<String> {
    let element = only_element(html, class, |t| t.attr("class") == Some(class));
    Page::parse(element)
        .texts()
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn gaps_show_on_the_matrix_the_dashboard_and_the_control_pages() {
    let repo = gap_repo();
    let built = build_ok(repo.path(), &[]);
    let matrix = read(&built.out, "controls/index.html");
    let iso = only_element(&matrix, "the ISO section", |t| {
        t.name == "section" && t.attr("id") == Some("iso27001-2022")
    });

    // One row per control, in catalog order; its class says where the control stands.
    let rows = outer_html(iso, |t| {
        t.name == "tr"
            && t.attr("id")
                .is_some_and(|id| id.starts_with("iso27001-2022-"))
    });
    let ids: Vec<String> = rows
        .iter()
        .map(|row| Page::parse(row).tags[0].attr("id").unwrap().to_string())
        .collect();
    let expected_ids: Vec<String> = iso_annex_a_ids()
        .iter()
        .map(|id| format!("iso27001-2022-{}", slug(id)))
        .collect();
    assert_eq!(ids, expected_ids);
    let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        *by_class.entry(class_of(row)).or_default() += 1;
    }
    assert_eq!(
        by_class,
        BTreeMap::from([
            ("ctl ctl-documented cov-covered".to_string(), 1),
            ("ctl ctl-documented cov-weak row-weak".to_string(), 1),
            ("ctl ctl-gap cov-gap row-gap".to_string(), 90),
            ("ctl ctl-not-applicable row-na".to_string(), 1),
        ])
    );
    // A row: its class, its badges (implementation, then coverage) and its cells.
    let row = |id: &str| {
        let anchor = format!("iso27001-2022-{}", slug(id));
        let html = only_element(iso, &anchor, |t| {
            t.name == "tr" && t.attr("id") == Some(anchor.as_str())
        });
        let badges: Vec<String> = Page::parse(html)
            .elements("span")
            .filter(|t| has_class(t, "badge"))
            .filter_map(|t| t.attr("class"))
            .map(str::to_string)
            .collect();
        (class_of(html), badges, cells(html))
    };
    let expect = |class: &str, coverage: Option<&str>, cells: &[&str]| {
        let implementation = if coverage.is_some() {
            "not-stated"
        } else {
            "not-applicable"
        };
        let mut badges = vec![format!("badge badge-control badge-ctl-{implementation}")];
        badges.extend(coverage.map(|c| format!("badge badge-coverage badge-cov-{c}")));
        (
            class.to_string(),
            badges,
            cells.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        )
    };
    let gap = "ctl ctl-gap cov-gap row-gap";
    assert_eq!(
        row("A.5.15"),
        expect(
            "ctl ctl-documented cov-covered",
            Some("covered"),
            &[
                "A.5.15",
                "Access control",
                "Yes",
                "Not stated",
                "Covered",
                "POL-001"
            ]
        )
    );
    assert_eq!(
        row("A.5.19"),
        expect(
            "ctl ctl-documented cov-weak row-weak",
            Some("weak"),
            &[
                "A.5.19",
                "Information security in supplier relationships",
                "Yes",
                "Not stated",
                "Weak",
                "Supplier Policy"
            ]
        ),
        "a document in review counts, weakly"
    );
    assert_eq!(
        row("A.5.16"),
        expect(
            gap,
            Some("gap"),
            &[
                "A.5.16",
                "Identity management",
                "Yes",
                "Not stated",
                "Gap",
                "Identity Procedure"
            ]
        ),
        "a control only a draft maps is a gap"
    );
    assert_eq!(
        row("A.5.17"),
        expect(
            gap,
            Some("gap"),
            &[
                "A.5.17",
                "Authentication information",
                "Yes",
                "Not stated",
                "Gap",
                "Password Policy"
            ]
        ),
        "a control only a retired document maps is a gap"
    );
    assert_eq!(
        row("A.5.1"),
        expect(
            gap,
            Some("gap"),
            &[
                "A.5.1",
                "Policies for information security",
                "Yes",
                "Not stated",
                "Gap",
                "No document"
            ]
        )
    );
    assert_eq!(
        row("A.7.1"),
        expect(
            "ctl ctl-not-applicable row-na",
            None,
            &[
                "A.7.1",
                "Physical security perimeters",
                "No",
                "Not applicable",
                "—",
                "—"
            ]
        )
    );

    // The framework's summary: 92 applicable, 1 covered, 1 weak, 90 gaps, 1 %.
    let counts = [
        "Applicable",
        "92",
        "Covered",
        "1",
        "Weak",
        "1",
        "Gaps",
        "90",
        "Not applicable",
        "1",
        "Implemented",
        "0",
        "Partial",
        "0",
        "Planned",
        "0",
    ];
    let mut matrix_counts = vec!["Controls", "93"];
    matrix_counts.extend(counts);
    assert_eq!(texts_of_class(iso, "summary-counts"), matrix_counts);
    let gaps_box = |html: &str| {
        outer_html(html, |t| t.name == "div")
            .into_iter()
            .filter(|d| Page::parse(d).texts().first() == Some(&"Gaps"))
            .map(class_of)
            .collect::<Vec<_>>()
    };
    assert_eq!(gaps_box(iso), ["count-bad"]);
    assert_eq!(
        texts_of_class(iso, "summary-bar"),
        ["1%", "1 of 92 applicable controls covered"]
    );
    // The bar: covered in green, then weak in amber ((1 + 1) * 100 / 92 = 2 %, less 1 %).
    let bar = |html: &str| {
        let page = Page::parse(html);
        let bar = page.elements("span").find(|t| has_class(t, "bar")).unwrap();
        let width = |class: &str| {
            page.elements("span")
                .find(|t| has_class(t, class))
                .and_then(|t| t.attr("style"))
                .unwrap()
                .to_string()
        };
        (
            bar.attr("class").unwrap().to_string(),
            bar.attr("aria-label").unwrap().to_string(),
            width("bar-fill"),
            width("bar-weak"),
        )
    };
    let expected_bar = (
        "bar bar-warn".to_string(),
        "1 of 92 applicable controls covered, 1 weak".to_string(),
        "width: 1%".to_string(),
        "width: 1%".to_string(),
    );
    assert_eq!(bar(iso), expected_bar);

    // The dashboard: the coverage figure and the coverage card.
    let dashboard = read(&built.out, "index.html");
    let kpi = only_element(&dashboard, "the coverage figure", |t| {
        has_class(t, "kpi") && t.attr("href") == Some("controls/#iso27001-2022")
    });
    assert_eq!(class_of(kpi), "kpi kpi-warn");
    assert_eq!(
        Page::parse(kpi).texts(),
        [
            "Control coverage",
            "1%",
            "1 of 92 applicable controls covered · 1 weak · 90 gaps"
        ]
    );
    let card = only_element(&dashboard, "the coverage card", |t| {
        t.attr("class") == Some("coverage")
    });
    assert_eq!(texts_of_class(card, "coverage-counts"), counts);
    assert_eq!(gaps_box(card), ["count-bad"]);
    assert_eq!(bar(card), expected_bar);

    // The control pages: a gap says so, a documented or excluded control does not.
    let control = |id: &str| {
        read(
            &built.out,
            &format!("controls/iso27001-2022/{}/index.html", slug(id)),
        )
    };
    let notices = |html: &str| -> Vec<Vec<String>> {
        outer_html(html, |t| has_class(t, "notice-gap"))
            .iter()
            .map(|n| {
                Page::parse(n)
                    .texts()
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            })
            .collect()
    };
    let gap_notice = vec![vec![
        "Gap.".to_string(),
        "This control is applicable but no approved or in-review document addresses it."
            .to_string(),
    ]];
    for id in ["A.5.1", "A.5.16", "A.5.17"] {
        let html = control(id);
        assert_eq!(notices(&html), gap_notice, "{id}");
        assert_eq!(texts_of_class(&html, "doc-badges"), ["Gap"], "{id}");
    }
    for (id, badges) in [
        ("A.5.15", &["Documented"][..]),
        ("A.5.19", &["Documented"][..]),
        ("A.7.1", &["Not applicable", "Excluded in the SoA"][..]),
    ] {
        let html = control(id);
        assert_eq!(notices(&html), Vec::<Vec<String>>::new(), "{id}");
        assert_eq!(texts_of_class(&html, "doc-badges"), badges, "{id}");
    }
}

/// The "Referenced by" block of a document page: its texts, and each listed document as its
/// link's `href` and the texts of its item.
fn referenced_by(site: &Path, page: &str) -> (Vec<String>, Vec<(String, Vec<String>)>) {
    let html = read(site, page);
    let block = only_element(&html, "the Referenced by block", |t| {
        t.name == "section" && t.attr("aria-labelledby") == Some("refby-title")
    });
    let items = outer_html(block, |t| t.name == "li")
        .into_iter()
        .map(|li| {
            let item = Page::parse(li);
            let hrefs: Vec<&str> = item.elements("a").filter_map(|a| a.attr("href")).collect();
            assert_eq!(hrefs.len(), 1, "one link per item: {li}");
            (
                hrefs[0].to_string(),
                item.texts().iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    let texts = Page::parse(block)
        .texts()
        .iter()
        .map(|s| s.to_string())
        .collect();
    (texts, items)
}

#[test]
fn document_pages_list_the_documents_that_link_to_them() {
    let page = |title: &str, extra: &str, body: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nowner = \"Head of IT\"\nlast_reviewed = 2026-06-01\n{extra}\n+++\n\n# {title}\n\n{body}\n"
        )
    };
    let repo = Repo::new()
        .file(
            "policies/access-control.md",
            &page(
                "Access Control Policy",
                "id = \"POL-001\"",
                "Back up with [the procedure](../procedures/backup.md), and test restores \
                 ([again](../procedures/backup.md#restore-tests)). This policy is \
                 [here](access-control.md) and [here](#scope).\n\n## Scope\n\nEveryone.",
            ),
        )
        .file(
            "procedures/backup.md",
            &page(
                "Backup Procedure",
                "",
                "Only [itself](backup.md) and [its tests](#restore-tests).\n\n## Restore tests\n\nMonthly.",
            ),
        )
        .file(
            "handbook.md",
            &page(
                "Staff Handbook",
                "",
                "Read [the policy][p], [the backups](procedures/backup.md) and \
                 [the runbook](procedures/nested/deep/runbook.md).\n\n[p]: policies/access-control.md",
            ),
        )
        .file(
            "procedures/nested/deep/runbook.md",
            &page(
                "Restore Runbook",
                "id = \"PRC-009\"",
                "After [the backup](../../backup.md), see [access](../../../policies/access-control.md).",
            ),
        )
        .file(
            "records/lonely.md",
            &page("Lonely Record", "", "Links to [nothing](https://example.com/)."),
        );
    let built = build_ok(repo.path(), &[]);
    let item = |href: &str, texts: &[&str]| {
        (
            href.to_string(),
            texts.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
        )
    };
    let heading = vec!["Referenced by".to_string()];

    // Every document that links here, once, in path order, with its id; never the page itself.
    let (_, backup) = referenced_by(&built.out, "procedures/backup/index.html");
    assert_eq!(
        backup,
        [
            item("../../handbook/", &["Staff Handbook"]),
            item(
                "../../policies/access-control/",
                &["Access Control Policy", "POL-001"]
            ),
            item(
                "../../procedures/nested/deep/runbook/",
                &["Restore Runbook", "PRC-009"]
            ),
        ]
    );
    let (_, policy) = referenced_by(&built.out, "policies/access-control/index.html");
    assert_eq!(
        policy,
        [
            item("../../handbook/", &["Staff Handbook"]),
            item(
                "../../procedures/nested/deep/runbook/",
                &["Restore Runbook", "PRC-009"]
            ),
        ]
    );
    let (_, runbook) = referenced_by(&built.out, "procedures/nested/deep/runbook/index.html");
    assert_eq!(
        runbook,
        [item("../../../../handbook/", &["Staff Handbook"])]
    );

    // Nobody links to the handbook or the lonely record: the block says so, and lists nothing.
    for page in ["handbook/index.html", "records/lonely/index.html"] {
        let (texts, items) = referenced_by(&built.out, page);
        assert!(items.is_empty(), "{page}: {items:?}");
        let mut expected = heading.clone();
        expected.push("No other document links here.".to_string());
        assert_eq!(texts, expected, "{page}");
        assert_eq!(
            outer_html(&read(&built.out, page), |t| has_class(t, "refby")),
            Vec::<&str>::new(),
            "{page}: no list"
        );
    }
    let (texts, _) = referenced_by(&built.out, "procedures/backup/index.html");
    assert_eq!(
        texts,
        [
            "Referenced by",
            "Staff Handbook",
            "Access Control Policy",
            "POL-001",
            "Restore Runbook",
            "PRC-009"
        ]
    );
    let problems = built.site().link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
}

/// A risk register with an inherent score in each band and at each band's edges (4 low, 5 and 9
/// medium, 10 and 16 high, 20 and 25 critical), residual scores, every treatment and none, a
/// risk without residual ratings, a closed risk, and a control listed twice by one risk.
const RISKS: &str = r#"[[risks]]
id = "R-LOW"
title = "Low risk"
description = "Rare and minor."
owner = "CISO"
likelihood = 1
impact = 4
treatment = "accept"
accepted_by = "CISO"
accepted_on = 2026-01-10
controls = ["A.5.15"]
residual_likelihood = 1
residual_impact = 1

[[risks]]
id = "R-MED5"
title = "Medium five"
likelihood = 5
impact = 1
treatment = "mitigate"
controls = ["A.5.15", "5.15", "A.8.2"]
residual_likelihood = 2
residual_impact = 2

[[risks]]
id = "R-MED9"
title = "Medium nine"
likelihood = 3
impact = 3
treatment = "transfer"
residual_likelihood = 2
residual_impact = 5
status = "closed"

[[risks]]
id = "R-HIGH10"
title = "High ten"
likelihood = 2
impact = 5
treatment = "avoid"
controls = ["A.8.2"]

[[risks]]
id = "R-HIGH16"
title = "High sixteen"
likelihood = 4
impact = 4
treatment = "mitigate"
residual_likelihood = 4
residual_impact = 4

[[risks]]
id = "R-CRIT20"
title = "Critical twenty"
likelihood = 4
impact = 5
residual_likelihood = 4
residual_impact = 4

[[risks]]
id = "R-CRIT25"
title = "Critical twenty-five"
likelihood = 5
impact = 5
treatment = "mitigate"
controls = ["A.5.15"]
residual_likelihood = 5
residual_impact = 4
"#;

fn risk_repo() -> Repo {
    Repo::new().file("risks.toml", RISKS).file(
        "policies/access-control.md",
        "+++\ntitle = \"Access Control Policy\"\nowner = \"Head of IT\"\nlast_reviewed = 2026-06-01\ncontrols = [\"A.5.15\"]\n+++\n\n# Access\n",
    )
}

/// A table row as a reader sees it: its id and class, the text of each cell, and its risk
/// score badges (class and title).
#[derive(Debug, PartialEq)]
struct Row {
    id: String,
    class: String,
    cells: Vec<String>,
    badges: Vec<(String, String)>,
}

impl Row {
    fn read(row: &str) -> Row {
        let first = &Page::parse(row).tags[0];
        Row {
            id: first.attr("id").unwrap_or_default().to_string(),
            class: first.attr("class").unwrap_or_default().to_string(),
            cells: cells(row),
            badges: score_badges(row),
        }
    }

    /// The row expected, with a score badge of each level (`low` → `risk-score risk-low`
    /// titled `Low`).
    fn expect(id: &str, class: &str, cells: &[&str], levels: &[&str]) -> Row {
        Row {
            id: id.to_string(),
            class: class.to_string(),
            cells: cells.iter().map(|c| c.to_string()).collect(),
            badges: levels
                .iter()
                .map(|level| {
                    let mut title = level.to_string();
                    title[..1].make_ascii_uppercase();
                    (format!("risk-score risk-{level}"), title)
                })
                .collect(),
        }
    }
}

/// The score badges (`span.risk-score`) of a fragment: class and title.
fn score_badges(html: &str) -> Vec<(String, String)> {
    Page::parse(html)
        .elements("span")
        .filter(|t| has_class(t, "risk-score"))
        .map(|t| {
            (
                t.attr("class").unwrap().to_string(),
                t.attr("title").unwrap().to_string(),
            )
        })
        .collect()
}

/// The band of a score as the risks page states it: low 1–4, medium 5–9, high 10–16,
/// critical 20–25.
fn band(score: u8) -> &'static str {
    match score {
        1..=4 => "low",
        5..=9 => "medium",
        10..=16 => "high",
        _ => "critical",
    }
}

#[test]
fn risk_register_shows_scores_levels_treatments_and_heat_map_cells() {
    let built = build_ok(risk_repo().path(), &[]);
    let html = read(&built.out, "risks/index.html");
    assert_eq!(
        texts_of_class(&html, "lead"),
        [
            "7 information security risks. Scores are likelihood × impact, each from 1 to 5: low 1–4, medium 5–9, high 10–16, critical 20–25."
        ]
    );

    // Each risk's row: its cells as shown (each score with its band's name), and its inherent
    // and residual score badges.
    let rows: Vec<Row> = outer_html(&html, |t| t.name == "tr" && has_class(t, "risk-row"))
        .into_iter()
        .map(Row::read)
        .collect();
    let open = "risk-row";
    #[rustfmt::skip]
    let expected = [
        Row::expect("r-low", open, &["R-LOW", "Low risk Rare and minor.", "CISO", "1×4 = 4 Low", "Accept Accepted by CISO on 2026-01-10, no expiry date", "1×1 = 1 Low", "A.5.15", "Open"], &["low", "low"]),
        Row::expect("r-med5", open, &["R-MED5", "Medium five", "", "5×1 = 5 Medium", "Mitigate", "2×2 = 4 Low", "A.5.15 A.8.2", "Open"], &["medium", "low"]),
        Row::expect("r-med9", "risk-row row-na", &["R-MED9", "Medium nine", "", "3×3 = 9 Medium", "Transfer", "2×5 = 10 High", "", "Closed"], &["medium", "high"]),
        Row::expect("r-high10", open, &["R-HIGH10", "High ten", "", "2×5 = 10 High", "Avoid", "—", "A.8.2", "Open"], &["high"]),
        Row::expect("r-high16", open, &["R-HIGH16", "High sixteen", "", "4×4 = 16 High", "Mitigate", "4×4 = 16 High", "", "Open"], &["high", "high"]),
        Row::expect("r-crit20", open, &["R-CRIT20", "Critical twenty", "", "4×5 = 20 Critical", "", "4×4 = 16 High", "", "Open"], &["critical", "high"]),
        Row::expect("r-crit25", open, &["R-CRIT25", "Critical twenty-five", "", "5×5 = 25 Critical", "Mitigate", "5×4 = 20 Critical", "A.5.15", "Open"], &["critical", "critical"]),
    ];
    assert_eq!(rows, expected);

    // The controls of a row link to their pages.
    let med5 = only_element(&html, "R-MED5's row", |t| t.attr("id") == Some("r-med5"));
    let chips: Vec<(String, String)> = Page::parse(med5)
        .elements("a")
        .map(|a| {
            (
                a.attr("href").unwrap().to_string(),
                a.attr("title").unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        chips,
        [
            (
                "../controls/iso27001-2022/a-5-15/".to_string(),
                "Access control".to_string()
            ),
            (
                "../controls/iso27001-2022/a-8-2/".to_string(),
                "Privileged access rights".to_string()
            ),
        ]
    );

    // The heat maps: likelihood 5 to 1 down, impact 1 to 5 across; each cell coloured by its
    // score's band, and holding the risks rated there, linked to their rows.
    let figures = outer_html(&html, |t| t.name == "figure");
    assert_eq!(figures.len(), 2, "an inherent and a residual heat map");
    let captions: Vec<Vec<String>> = figures
        .iter()
        .map(|f| {
            let caption = only_element(f, "a caption", |t| t.name == "figcaption");
            Page::parse(caption)
                .texts()
                .iter()
                .map(|s| s.to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        captions,
        [["Inherent risk"], ["Residual risk (after treatment)"]]
    );
    let hits = |figure: &str| -> BTreeMap<(u8, u8), Vec<String>> {
        let cells = outer_html(figure, |t| t.name == "td");
        assert_eq!(cells.len(), 25, "a 5 × 5 grid");
        let mut hits = BTreeMap::new();
        for (n, cell) in cells.iter().enumerate() {
            let likelihood = 5 - (n / 5) as u8;
            let impact = (n % 5) as u8 + 1;
            let score = likelihood * impact;
            let page = Page::parse(cell);
            // The cell's level in words first (not by colour alone), then its risks' ids.
            let texts: Vec<String> = page.texts().iter().map(|s| s.to_string()).collect();
            let mut level = band(score).to_string();
            level[..1].make_ascii_uppercase();
            assert_eq!(
                texts[0], level,
                "cell {likelihood} × {impact} names its level"
            );
            let ids: Vec<String> = texts[1..].to_vec();
            let hit = if ids.is_empty() { "" } else { " heat-hit" };
            assert_eq!(
                class_of(cell),
                format!("heat heat-{}{hit}", band(score)),
                "cell {likelihood} × {impact}"
            );
            assert_eq!(
                page.tags[0].attr("title"),
                Some(format!("Likelihood {likelihood} × impact {impact} = {score}").as_str())
            );
            let hrefs: Vec<&str> = page.elements("a").filter_map(|a| a.attr("href")).collect();
            let anchors: Vec<String> = ids
                .iter()
                .map(|id| format!("#{}", id.to_lowercase()))
                .collect();
            assert_eq!(
                hrefs, anchors,
                "cell {likelihood} × {impact} links to the rows"
            );
            if !ids.is_empty() {
                hits.insert((likelihood, impact), ids);
            }
        }
        hits
    };
    let cell = |l: u8, i: u8, ids: &[&str]| {
        (
            (l, i),
            ids.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        hits(figures[0]),
        BTreeMap::from([
            cell(5, 1, &["R-MED5"]),
            cell(5, 5, &["R-CRIT25"]),
            cell(4, 4, &["R-HIGH16"]),
            cell(4, 5, &["R-CRIT20"]),
            cell(3, 3, &["R-MED9"]),
            cell(2, 5, &["R-HIGH10"]),
            cell(1, 4, &["R-LOW"]),
        ]),
        "inherent"
    );
    assert_eq!(
        hits(figures[1]),
        BTreeMap::from([
            cell(5, 4, &["R-CRIT25"]),
            cell(4, 4, &["R-HIGH16", "R-CRIT20"]),
            cell(2, 2, &["R-MED5"]),
            cell(2, 5, &["R-MED9"]),
            cell(1, 1, &["R-LOW"]),
        ]),
        "residual: R-HIGH10 has no residual rating"
    );
    let ids = Page::parse(&html).ids();
    for anchor in [
        "r-low", "r-med5", "r-med9", "r-high10", "r-high16", "r-crit20", "r-crit25",
    ] {
        assert!(ids.contains(anchor), "risks/ has #{anchor}");
    }
}

#[test]
fn control_pages_list_the_risks_that_treat_them() {
    let built = build_ok(risk_repo().path(), &[]);
    let risks = |id: &str| -> Option<Vec<(String, Row)>> {
        let html = read(
            &built.out,
            &format!("controls/iso27001-2022/{}/index.html", slug(id)),
        );
        let sections = outer_html(&html, |t| {
            t.name == "section" && t.attr("aria-labelledby") == Some("h-risks")
        });
        let section = match sections[..] {
            [] => return None,
            [one] => one,
            _ => panic!("{id}: {} risk sections", sections.len()),
        };
        assert_eq!(
            cells(only_element(section, "the head", |t| t.name == "thead")),
            ["Risk", "Title", "Owner", "Inherent", "Residual", "Status"]
        );
        let body = only_element(section, "the body", |t| t.name == "tbody");
        Some(
            outer_html(body, |t| t.name == "tr")
                .into_iter()
                .map(|row| {
                    let parsed = Page::parse(row);
                    let links: Vec<&str> = parsed
                        .elements("a")
                        .filter_map(|a| a.attr("href"))
                        .collect();
                    assert_eq!(links.len(), 1, "one link per risk: {row}");
                    (links[0].to_string(), Row::read(row))
                })
                .collect(),
        )
    };
    let row = |anchor: &str, cells: [&str; 6], levels: &[&str]| {
        (
            format!("../../../risks/#{anchor}"),
            Row::expect("", "", &cells, levels),
        )
    };
    // In register order; R-MED5 lists A.5.15 twice (as `A.5.15` and `5.15`) and shows once.
    assert_eq!(
        risks("A.5.15"),
        Some(vec![
            row(
                "r-low",
                ["R-LOW", "Low risk", "CISO", "4 Low", "1 Low", "Open"],
                &["low", "low"]
            ),
            row(
                "r-med5",
                ["R-MED5", "Medium five", "", "5 Medium", "4 Low", "Open"],
                &["medium", "low"]
            ),
            row(
                "r-crit25",
                [
                    "R-CRIT25",
                    "Critical twenty-five",
                    "",
                    "25 Critical",
                    "20 Critical",
                    "Open"
                ],
                &["critical", "critical"]
            ),
        ])
    );
    assert_eq!(
        risks("A.8.2"),
        Some(vec![
            row(
                "r-med5",
                ["R-MED5", "Medium five", "", "5 Medium", "4 Low", "Open"],
                &["medium", "low"]
            ),
            row(
                "r-high10",
                ["R-HIGH10", "High ten", "", "10 High", "—", "Open"],
                &["high"]
            ),
        ])
    );
    assert_eq!(risks("A.5.1"), None, "no risk treated by A.5.1, no section");
    let problems = built.site().link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn document_pages_show_the_review_interval_in_words() {
    let page = |last: &str, interval: Option<&str>| {
        let interval = interval
            .map(|i| format!("review_interval = \"{i}\"\n"))
            .unwrap_or_default();
        format!(
            "+++\ntitle = \"T\"\nowner = \"Head of IT\"\nlast_reviewed = {last}\n{interval}+++\n\n# T\n"
        )
    };
    // As of 2026-11-01, with the default 30-day due-soon window.
    let cases = [
        (
            "six-months",
            "2026-10-15",
            Some("6 months"),
            &["2027-04-15", "every 6 months"][..],
        ),
        (
            "one-year",
            "2026-10-15",
            Some("1 year"),
            &["2027-10-15", "every 1 year"][..],
        ),
        (
            "two-years",
            "2026-06-01",
            Some("2 Year"),
            &["2028-06-01", "every 2 years"][..],
        ),
        (
            "two-weeks",
            "2026-10-25",
            Some("2 weeks"),
            &["2026-11-08", "Due in 7 days", "every 2 weeks"][..],
        ),
        (
            "one-day",
            "2026-10-31",
            Some("1 day"),
            &["2026-11-01", "Due today", "every 1 day"][..],
        ),
        (
            "short-months",
            "2026-06-01",
            Some("12m"),
            &["2027-06-01", "every 12 months"][..],
        ),
        (
            "short-days",
            "2026-06-01",
            Some("30d"),
            &["2026-07-01", "Overdue by 123 days", "every 30 days"][..],
        ),
        (
            "one-week",
            "2026-10-01",
            Some("1 wk"),
            &["2026-10-08", "Overdue by 24 days", "every 1 week"][..],
        ),
        // The default interval applies but is not the document's own: nothing is said.
        ("default", "2026-06-01", None, &["2027-06-01"][..]),
    ];
    let mut repo = Repo::new();
    for (name, last, interval, _) in &cases {
        repo = repo.file(&format!("policies/{name}.md"), &page(last, *interval));
    }
    let built = build_ok(repo.path(), &[]);
    for (name, _, _, shown) in &cases {
        let html = read(&built.out, &format!("policies/{name}/index.html"));
        let next = only_element(&html, "the next review", |t| {
            t.name == "div" && has_class(t, "meta-review")
        });
        let mut expected = vec!["Next review"];
        expected.extend(shown.iter());
        assert_eq!(Page::parse(next).texts(), expected, "{name}");
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
            // The one inline script is 404.html's, which sets its <base> from base_url.
            if tag.name == "script" && !(rel == "404.html" && tag.attr("data-base").is_some()) {
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
            // The one inline script is 404.html's, which sets its <base> from base_url.
            if tag.name == "script" && !(rel == "404.html" && tag.attr("data-base").is_some()) {
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
        .filter(|n| {
            ![
                "repo",
                "out",
                ".out.annexa-lock",
                ".out.annexa-cache",
                ".out.annexa-outline",
                ".out.annexa-render",
                ".out.annexa-search",
            ]
            .contains(&n.as_str())
        })
        .collect();
    assert_eq!(
        leftovers,
        [".out.annexa-alt"],
        "no staging folders left, only the alternate tree"
    );
    assert!(
        !tmp.path().join(".out.annexa-alt/.DS_Store").exists(),
        "nor in the alternate tree, the previous site brought up to date"
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
        7,
        "nothing written beside it but the first build's lock and cache files: {names:?}"
    );
    assert!(
        names.iter().any(|n| n == ".out.annexa-outline"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == ".out.annexa-lock"), "{names:?}");
    assert!(names.iter().any(|n| n == ".out.annexa-cache"), "{names:?}");
    assert!(names.iter().any(|n| n == ".out.annexa-render"), "{names:?}");
    assert!(names.iter().any(|n| n == ".out.annexa-search"), "{names:?}");
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
    // A folder's listing page: the documents directly in it, and its subfolders.
    let listing = read(&built.out, "policies/index.html");
    let main = only_element(&listing, "the main content", |t| t.name == "main");
    let links: Vec<String> = Page::parse(main)
        .elements("a")
        .filter_map(|a| a.attr("href"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        links,
        [
            "../documents/?folder=policies",
            "../policies/hr/",
            "../policies/a/",
            "../owners/head-of-it/"
        ]
    );
    assert!(
        Page::parse(main)
            .text
            .contains("1 document in this folder, and 1 subfolder.")
    );
    // A folder with a document at its URL has that document, not a listing.
    let records = site.page("records/index.html");
    assert!(records.text.contains("Records"), "{}", records.text);
    assert!(!records.text.contains("in this folder"));
}

#[test]
fn outer_html_finds_whole_elements() {
    let html = concat!(
        "<!-- <div class=\"x\">in a comment</div> --><div class=\"x\" id=\"a\">one",
        "<div class=\"x\" id=\"b\">two <div>deep</div> still two</div> one again</div>",
        "<script>var s = '<div class=\"x\">in a script</div>';</script>",
        "<p class=\"x\">para<br class=\"x\">graph</p><div class=\"x\" id=\"open\">never closed",
    );
    let found = outer_html(html, |t| t.attr("class") == Some("x"));
    assert_eq!(
        found,
        [
            "<div class=\"x\" id=\"a\">one<div class=\"x\" id=\"b\">two <div>deep</div> still two</div> one again</div>",
            "<div class=\"x\" id=\"b\">two <div>deep</div> still two</div>",
            "<p class=\"x\">para<br class=\"x\">graph</p>",
            "<br class=\"x\">",
            "<div class=\"x\" id=\"open\">never closed",
        ]
    );
    assert_eq!(
        Page::parse(found[0]).texts(),
        ["one", "two", "deep", "still two", "one again"]
    );
    assert_eq!(
        only_element(html, "the paragraph", |t| t.name == "p"),
        "<p class=\"x\">para<br class=\"x\">graph</p>"
    );
}

#[test]
fn a_link_to_the_title_heading_reaches_the_page_title() {
    let repo = Repo::new()
        .file(
            "policies/a.md",
            &doc(
                "Access Control Policy",
                "# Access Control Policy\n\n## Scope\n\nText.\n",
            ),
        )
        .file(
            "policies/b.md",
            &doc(
                "B",
                "# B\n\nSee [the policy](a.md#access-control-policy).\n",
            ),
        );
    assert_eq!(repo.check(&[]).diagnostics.len(), 0);
    let built = build_ok(repo.path(), &[]);
    let site = built.site();
    let problems = site.link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
    let page = read(&built.out, "policies/a/index.html");
    assert_eq!(
        only_element(&page, "the title", |t| t.name == "h1"),
        "<h1 id=\"access-control-policy\">Access Control Policy</h1>"
    );
}

#[test]
fn a_control_page_says_whether_the_control_is_a_gap_or_weakly_covered() {
    let page = |title: &str, extra: &str| {
        format!("+++\ntitle = \"{title}\"\nowner = \"O\"\n{extra}\n+++\n\n# {title}\n")
    };
    let repo = Repo::new()
        .file(
            "policies/current.md",
            &page(
                "Current",
                "last_reviewed = 2026-06-01\ncontrols = [\"A.5.15\"]",
            ),
        )
        .file(
            "policies/overdue.md",
            &page(
                "Overdue",
                "last_reviewed = 2025-06-01\ncontrols = [\"A.5.16\"]",
            ),
        );
    let built = build_ok(repo.path(), &[]);
    let notice = |control: &str| {
        let html = read(
            &built.out,
            &format!("controls/iso27001-2022/{control}/index.html"),
        );
        outer_html(&html, |t| {
            t.attr("class")
                .is_some_and(|c| c.split(' ').any(|c| c == "notice"))
        })
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };
    assert_eq!(notice("a-5-15"), Vec::<String>::new());
    assert_eq!(
        notice("a-5-16"),
        [
            "<p class=\"notice notice-weak\"><strong>Weakly covered.</strong> Its only documents are in review or overdue for review: no approved, current document addresses it.</p>"
        ]
    );
    assert_eq!(
        notice("a-5-17"),
        [
            "<p class=\"notice notice-gap\"><strong>Gap.</strong> This control is applicable but no approved or in-review document addresses it.</p>"
        ]
    );
}
