//! The built example site in a real browser: Debian's headless Chromium driven through
//! chromedriver (plain WebDriver over HTTP), from disk (file://) and over HTTP. Search finds
//! documents by title, id, control and body text; the register filters narrow the table; no
//! page logs an error or loads anything from outside the site.
//!
//! These tests need `chromium` and `chromium-driver` (`apt-get install chromium
//! chromium-driver`), so they are `#[ignore]`d: plain `cargo test` lists them as ignored, and
//! `cargo test --test browser -- --ignored` runs them. `CHROMIUM` and `CHROMEDRIVER` override
//! the default paths `/usr/bin/chromium` and `/usr/bin/chromedriver`.

#[path = "browser/axe.rs"]
mod axe;
mod common;
#[path = "browser/driver.rs"]
mod driver;
#[path = "browser/keyboard.rs"]
mod keyboard;
#[path = "browser/not_found.rs"]
mod not_found;
#[path = "browser/pack.rs"]
mod pack;
#[path = "browser/print.rs"]
mod print;
#[path = "browser/vnu.rs"]
mod vnu;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use common::site::{assert_built, build, many_ids};
use common::{Repo, TODAY};
use driver::{Browser, file_url, query_encode, serve};
use serde_json::{Value, json};

/// How long to wait for something asynchronous in a page (search results, filters).
const WAIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// The sites under test

/// The example ISMS built once per test process, into the target folder.
fn example_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-example-site");
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
        assert_built(&build(&example, &out, TODAY, &[]));
        out
    })
}

/// The documents of a built site: (path, url, title, kind, owner, status).
fn documents(site: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(site.join("exports/documents.json")).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    json["documents"].as_array().unwrap().clone()
}

// ---------------------------------------------------------------------------------------------
// What a person does with the site

/// Where the site is: its base URL, and how a folder URL is written there (`index.html` from
/// disk, where a browser does not turn a folder into its index page; nothing over HTTP).
struct Place {
    base: String,
    index: &'static str,
}

impl Place {
    fn page(&self, folder: &str) -> String {
        format!("{}{folder}{}", self.base, self.index)
    }
}

/// `repo` built into a temporary folder (kept while the first value lives), and where the site
/// is from disk.
fn built_on_disk(repo: &Repo) -> (tempfile::TempDir, Place) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_built(&build(repo.path(), &out, TODAY, &[]));
    let place = Place {
        base: file_url(&out),
        index: "index.html",
    };
    (tmp, place)
}

/// Searches on the search page and returns the results' absolute URLs (as the browser resolved
/// them), after they appeared, with the status line.
fn search(browser: &mut Browser, place: &Place, query: &str) -> (Vec<String>, String) {
    let url = format!("{}?q={}", place.page("search/"), query_encode(query));
    browser.open(&url);
    let found = browser.wait_for(
        &format!("search results for {query:?}"),
        "var status = document.getElementById('search-status').textContent.trim();
         var links = Array.prototype.map.call(
           document.querySelectorAll('#search-results li a.result-title'),
           function (a) { return a.href; });
         if (!status || /^(Searching|Loading)/i.test(status)) return null;
         if (links.length === 0 && !/^No results/i.test(status)) return null;
         return { links: links, status: status };",
    );
    browser.check_page(&url);
    let links = found["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    (links, found["status"].as_str().unwrap().to_string())
}

/// The visible rows of the document register: (kind, owner, status) of each.
fn visible_rows(browser: &Browser) -> Vec<(String, String, String)> {
    let rows = browser.run(
        "return Array.prototype.filter.call(
           document.querySelectorAll('#register tbody tr'),
           function (r) { return r.getClientRects().length > 0; })
         .map(function (r) { return [r.dataset.kind, r.dataset.owner, r.dataset.status]; });",
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let f = |i: usize| r[i].as_str().unwrap_or("").to_string();
            (f(0), f(1), f(2))
        })
        .collect()
}

/// Waits until the register shows `count` rows, and returns them.
fn rows_when(browser: &Browser, count: usize) -> Vec<(String, String, String)> {
    let started = Instant::now();
    loop {
        let rows = visible_rows(browser);
        if rows.len() == count || started.elapsed() > WAIT {
            return rows;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// Searches that must list a document: (query, the document's folder URL).
const SEARCHES: &[(&str, &str)] = &[
    // Access Control Policy: its title, id, a control it maps and a word of its body.
    ("Access Control Policy", "policies/access-control/"),
    ("POL-003", "policies/access-control/"),
    ("A.5.15", "policies/access-control/"),
    ("traceability", "policies/access-control/"),
    // Incident Response Procedure: the same four ways.
    (
        "Incident Response Procedure",
        "procedures/incident-response/",
    ),
    ("PRC-001", "procedures/incident-response/"),
    ("A.5.26", "procedures/incident-response/"),
    ("blameless", "procedures/incident-response/"),
    // A bare control number and a prefix of a body word.
    ("5.15", "policies/access-control/"),
    ("checksum", "procedures/backup-and-restore/"),
];

fn exercise_example_site(browser: &mut Browser, place: &Place) {
    let site = example_site();
    let docs = documents(site);

    // Every kind of page loads without an error.
    for folder in [
        "",
        "documents/",
        "controls/",
        "controls/iso27001-2022/a-5-15/",
        "soa/",
        "reviews/",
        "risks/",
        "owners/",
        "owners/ciso/",
        "policies/access-control/",
        "standards/network-security/",
        "standards/cloud-hardening/",
    ] {
        let url = place.page(folder);
        browser.open(&url);
        let title = browser.run(
            "return document.querySelector('h1') && document.querySelector('h1').textContent;",
        );
        assert!(
            title.as_str().is_some_and(|t| !t.trim().is_empty()),
            "{url} shows a heading"
        );
    }
    // The SVG diagram beside its document shows.
    browser.open(&place.page("standards/network-security/"));
    let loaded = browser.wait_for(
        "the network diagram",
        "var img = document.querySelector('img[src$=\"network-architecture.svg\"]');
         return img && img.complete && img.naturalWidth > 0;",
    );
    assert_eq!(loaded, json!(true));

    // Search.
    for (query, folder) in SEARCHES {
        let (links, status) = search(browser, place, query);
        let expected = place.page(folder);
        assert!(
            links.contains(&expected),
            "searching {query:?} lists {expected}; got {status:?} {links:#?}"
        );
    }
    let (links, status) = search(browser, place, "xyzzyplugh");
    assert!(
        links.is_empty(),
        "a word in no document finds nothing: {links:?}"
    );
    assert!(status.starts_with("No results"), "{status}");

    // A result leads to its document.
    let (links, _) = search(browser, place, "blameless");
    browser.open(&links[0]);
    let heading = browser.run("return document.querySelector('h1').textContent.trim();");
    assert_eq!(heading, json!("Incident Response Procedure"));

    // A snippet is cut around the first match, from the head of a one-word query, and shows
    // exactly what the same query ranked from the shards and the full texts shows ("w w" has
    // the terms of "w").
    let snippets = |browser: &mut Browser, query: &str| {
        search(browser, place, query);
        browser.run(
            "return Array.prototype.map.call(document.querySelectorAll('#search-results li'),
               function (li) { return li.innerHTML; });",
        )
    };
    let shown = snippets(browser, "checksums");
    assert_eq!(
        browser
            .run("return document.querySelector('#search-results .result-snippet').textContent;"),
        json!(
            "…account; runs the verification script, which compares row counts and checksums of \
             sample tenants against the source at that point in time; measures the time from the \
             start of the restore to verified data, and compares it with the 4-hour…"
        )
    );
    for query in ["checksums", "acc", "supplier", "a.8.13", "pol-003"] {
        let first = if query == "checksums" {
            shown.clone()
        } else {
            snippets(browser, query)
        };
        assert_eq!(
            first,
            snippets(browser, &format!("{query} {query}")),
            "{query:?} from its head and from the shards"
        );
    }

    // The search box in the header of every page leads to the search page, which runs it.
    browser.open(&place.page("policies/access-control/"));
    browser.type_into("#header-q", "checksums\u{E007}");
    let arrived = browser.wait_for(
        "the search page after the header search",
        "return /\\/search\\/(index\\.html)?\\?q=checksums$/.test(location.href)
           && document.querySelectorAll('#search-results a.result-title').length > 0
           && Array.prototype.map.call(document.querySelectorAll('#search-results a.result-title'),
                function (a) { return a.href; });",
    );
    let expected = place.page("procedures/backup-and-restore/");
    assert!(
        arrived.as_array().unwrap().contains(&json!(expected)),
        "the header search finds {expected}: {arrived}"
    );
    browser.check_page(&place.base);

    // The register filters narrow the table to matching rows.
    let count = |f: &dyn Fn(&Value) -> bool| docs.iter().filter(|d| f(d)).count();
    browser.open(&place.page("documents/"));
    browser.wait_for(
        "the register filters",
        "return !document.getElementById('register-filters').hidden;",
    );
    let all = visible_rows(browser);
    assert_eq!(all.len(), docs.len(), "the register lists every document");
    type Filter = (
        &'static str,
        &'static str,
        fn(&(String, String, String)) -> &String,
    );
    let filters: [Filter; 3] = [
        ("kind", "procedure", |r| &r.0),
        ("owner", "CISO", |r| &r.1),
        ("status", "draft", |r| &r.2),
    ];
    for (field, value, pick) in filters {
        let expected = count(&|d: &Value| d[field] == json!(value));
        assert!(
            expected > 0 && expected < docs.len(),
            "{field}={value} is a useful filter"
        );
        browser.click(&format!("#f-{field}"));
        browser.click(&format!("#f-{field} option[value=\"{value}\"]"));
        let rows = rows_when(browser, expected);
        assert_eq!(rows.len(), expected, "{field}={value}: rows {rows:?}");
        assert!(
            rows.iter().all(|r| pick(r) == value),
            "{field}={value}: only matching rows: {rows:?}"
        );
        browser.click("#register-filters button[type=reset]");
        assert_eq!(
            rows_when(browser, docs.len()).len(),
            docs.len(),
            "clearing the filters shows every row"
        );
    }
    // Two filters at once: the retired policy.
    browser.click("#f-kind option[value=\"policy\"]");
    browser.click("#f-status option[value=\"retired\"]");
    let retired =
        count(&|d: &Value| d["kind"] == json!("policy") && d["status"] == json!("retired"));
    assert_eq!(retired, 1, "the example has one retired policy");
    let rows = rows_when(browser, retired);
    assert_eq!(
        rows.len(),
        retired,
        "kind=policy and status=retired: {rows:?}"
    );
    assert!(
        rows.iter().all(|r| r.0 == "policy" && r.2 == "retired"),
        "{rows:?}"
    );
    // The owner page's link opens the register filtered to that owner.
    browser.open(&format!("{}?owner=CISO", place.page("documents/")));
    let ciso = count(&|d: &Value| d["owner"] == json!("CISO"));
    let rows = rows_when(browser, ciso);
    assert_eq!(rows.len(), ciso, "documents/?owner=CISO filters on load");
    assert!(rows.iter().all(|r| r.1 == "CISO"));

    browser.assert_no_errors();
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn example_site_from_disk() {
    let started = Instant::now();
    let place = Place {
        base: file_url(example_site()),
        index: "index.html",
    };
    let mut browser = Browser::start();
    exercise_example_site(&mut browser, &place);
    eprintln!("example_site_from_disk took {:?}", started.elapsed());
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn example_site_over_http() {
    let started = Instant::now();
    let place = Place {
        base: serve(example_site()),
        index: "",
    };
    let mut browser = Browser::start();
    exercise_example_site(&mut browser, &place);
    // A folder URL without its slash is redirected to the folder.
    browser.open(&format!("{}search", place.base));
    browser.wait_for(
        "the redirect to search/",
        "return document.getElementById('search-q') !== null;",
    );
    eprintln!("example_site_over_http took {:?}", started.elapsed());
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn search_shows_hostile_titles_as_text() {
    let title = "<img src=x onerror=alert(1)> Zebra <script>alert(2)</script>";
    let repo = Repo::new().file(
        "policies/hostile.md",
        &format!(
            "+++\ntitle = '{title}'\nowner = '<b onmouseover=alert(3)>Owner</b>'\nsummary = '<iframe src=x></iframe>'\nlast_reviewed = 2026-06-01\n+++\n\nZebra crossings &lt;img src=x onerror=alert(4)&gt; are safe.\n"
        ),
    );
    let (_tmp, place) = built_on_disk(&repo);
    let mut browser = Browser::start();
    for query in ["zebra", "onerror", "script"] {
        let (links, status) = search(&mut browser, &place, query);
        assert!(
            browser.dialog_open().is_none(),
            "searching {query:?} ran a script from the index"
        );
        assert_eq!(
            links,
            [place.page("policies/hostile/")],
            "{query}: {status}"
        );
        let shown = browser.run(
            "var a = document.querySelector('#search-results a.result-title');
             return { text: a.textContent, images: document.querySelectorAll('#search-results img, #search-results script, #search-results iframe, #search-results b').length };",
        );
        assert_eq!(shown["text"], json!(title), "the title is shown as text");
        assert_eq!(
            shown["images"],
            json!(0),
            "no markup from the index became elements"
        );
    }
    browser.open(&place.page("policies/hostile/"));
    assert!(
        browser.dialog_open().is_none(),
        "the document page ran a script"
    );
    browser.assert_no_errors();
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn a_split_index_ranks_and_cuts_snippets_as_its_heads_do() {
    // 1,200 ids split the `po` shards down to `pol-00` and keep prefix unions for `pol`, `pol-`
    // and `pol-0`; notes of other lengths that name a few ids make their scores differ.
    let mut repo = many_ids(60);
    for i in 0..12 {
        let ids: Vec<String> = (0..=i).map(|j| format!("pol-{:04}", j * 7)).collect();
        repo = repo.file(
            &format!("notes/n{i:02}.md"),
            &format!(
                "+++\ntitle = \"Note {i}\"\nowner = \"CISO\"\nlast_reviewed = 2026-06-01\n+++\n\n{}\n",
                ids.join(" and ")
            ),
        );
    }
    // `zeta`, in the first eight documents: six short ones score it above 89, so its dense
    // list takes an offset, and two long ones score it low (one below the offset's range).
    let filler = "Staff keep the rules and report every breach to the team at once. ";
    for i in 0..8 {
        let body = match i {
            6 => format!("zeta {}", filler.repeat(380)),
            7 => format!("zeta {}", filler.repeat(600)),
            _ => "zeta zeta zeta zeta zeta zeta zeta zeta".to_string(),
        };
        repo = repo.file(
            &format!("a/z{i}.md"),
            &format!(
                "+++\ntitle = \"Z {i}\"\nowner = \"CISO\"\nlast_reviewed = 2026-06-01\n+++\n\n{body}\n"
            ),
        );
    }
    let (tmp, place) = built_on_disk(&repo);
    let zeta = fs::read_to_string(tmp.path().join("site/search/shards/7a65.js")).unwrap();
    // Offset 6 (`)`): the six short ones at 95 (`}`, 89), `a/z6` at 8 (`%`, 2); `a/z7` at 6,
    // out of range, `~` and the digit of 5 (`(`). Read without its offset, `a/z6` would rank
    // below `a/z7`: the query below compares the order with the head's.
    assert_eq!(
        zeta,
        "annexaSearch.shard(\"ze\",{\"zeta\":\"!)}}}}}}%~(\"});\n"
    );
    // Terms in most of the 80 documents are written dense (one character a document): the
    // owner of all, words of every policy, the ids the notes name most. Three (`policy`, `ciso`,
    // `pol-0007`) are searched below from their heads and from those lists.
    let mut dense: Vec<String> = fs::read_dir(tmp.path().join("site/search/shards"))
        .unwrap()
        .map(|entry| fs::read_to_string(entry.unwrap().path()).unwrap())
        .flat_map(|shard| {
            // Each entry `"term":"list"` follows `{` or `,`; a dense list begins with `!`.
            shard
                .replace("{\"", ",\"")
                .split(",\"")
                .filter_map(|entry| entry.split_once("\":\"!").map(|(term, _)| term.to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    dense.sort();
    assert_eq!(
        dense,
        [
            "0000", "0007", "breach", "ciso", "every", "keep", "note", "once", "pol", "pol-0000",
            "pol-0007", "policy", "report", "rules", "security", "see", "staff", "team", "z",
            "zeta"
        ]
    );
    let mut browser = Browser::start();
    let shown = |browser: &mut Browser, query: &str| {
        let (links, status) = search(browser, &place, query);
        let html = browser.run(
            "return Array.prototype.map.call(document.querySelectorAll('#search-results li'),
               function (li) { return li.innerHTML; });",
        );
        (links, status, html)
    };
    // Each one-word query (from its head) shows what the same terms ranked in the page from
    // the shards and unions show, snippets included: `0140`'s is past the lead of the one
    // policy that has it, cut from the rest of its text (`pol` would match `policy` early).
    let queries = [
        "pol", "pol-", "pol-0", "pol-01", "pol-014", "pol-0140", "policy", "pol-11",
    ];
    for query in queries
        .into_iter()
        .chain(["0070", "0140", "ciso", "pol-0007", "zeta"])
    {
        let (links, status, first) = shown(&mut browser, query);
        assert!(!links.is_empty(), "{query:?} finds something: {status}");
        let (_, _, again) = shown(&mut browser, &format!("{query} {query}"));
        assert_eq!(first, again, "{query:?} from its head and from the shards");
    }
    let (links, status, _) = shown(&mut browser, "pol-0070 pol-0070");
    assert_eq!(
        links,
        [
            place.page("notes/n11/"),
            place.page("notes/n10/"),
            place.page("policies/p03/")
        ],
        "{status}"
    );
    let (links, status, _) = shown(&mut browser, "0140 0140");
    assert_eq!(links, [place.page("policies/p07/")], "{status}");
    let snippet = browser
        .run("return document.querySelector('#search-results .result-snippet').textContent;");
    assert_eq!(
        snippet,
        json!(
            "…policy and report every breach to the security team at once. See pol-0140 \
             pol-0141 pol-0142 pol-0143 pol-0144 pol-0145 pol-0146 pol-0147 pol-0148 pol-0149 \
             pol-0150 pol-0151 pol-0152 pol-0153 pol-0154 pol-0155 pol-0156 pol-0157 pol-0158…"
        )
    );
    browser.assert_no_errors();
}

/// The ids of the control matrix rows a person sees.
fn visible_controls(browser: &Browser) -> Vec<String> {
    let rows = browser.run(
        "return Array.prototype.filter.call(document.querySelectorAll('table.matrix tbody tr'),
           function (tr) { return tr.offsetParent !== null; })
         .map(function (tr) { return tr.id; });",
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The anchors of the Annex A controls whose attribute `kind` has each of `values`.
fn annex_a_with(attributes: &[(&str, &str)]) -> Vec<String> {
    let iso = annexa::catalog::built_in("iso27001-2022").unwrap();
    iso.controls
        .iter()
        .filter(|c| {
            attributes.iter().all(|(kind, value)| {
                c.attributes
                    .iter()
                    .any(|(k, vs)| k == kind && vs.iter().any(|v| v == value))
            })
        })
        .map(|c| format!("iso27001-2022-{}", c.id.to_lowercase().replace('.', "-")))
        .collect()
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn matrix_filters_narrow_the_control_matrix() {
    let config = format!(
        "frameworks = [\"iso27001-2022\", \"nist-csf-2.0\"]\n{}",
        common::QUIET_CONFIG
    );
    let repo = Repo::with_config(&config);
    let (_tmp, place) = built_on_disk(&repo);
    let mut browser = Browser::start();
    browser.open(&place.page("controls/"));
    browser.wait_for(
        "the matrix filters",
        "return !document.getElementById('matrix-filters').hidden;",
    );
    assert_eq!(
        visible_controls(&browser).len(),
        93 + 106,
        "every control at first"
    );
    assert_eq!(
        browser.run("return document.getElementById('matrix-count').hidden;"),
        json!(true)
    );

    let defence = annex_a_with(&[("security_domains", "defence")]);
    assert!(defence.len() > 1 && defence.len() < 93, "{defence:?}");
    browser.click("#mf-security-domains");
    browser.click("#mf-security-domains option[value=\"defence\"]");
    assert_eq!(visible_controls(&browser), defence);
    assert_eq!(
        browser.run(
            "return [document.getElementById('matrix-count').textContent,
                     document.getElementById('nist-csf-2-0').hidden,
                     /[?&]security-domains=defence(&|$)/.test(location.search)];"
        ),
        json!([
            format!("Showing {} of 199 controls", defence.len()),
            true,
            true
        ]),
        "the count, the NIST section (no attributes) hidden, the query kept"
    );

    // Two filters at once.
    let both = annex_a_with(&[
        ("security_domains", "defence"),
        ("control_type", "corrective"),
    ]);
    browser.click("#mf-control-type option[value=\"corrective\"]");
    assert_eq!(visible_controls(&browser), both);

    // Clearing shows everything again.
    browser.click("#matrix-filters button[type=reset]");
    let started = Instant::now();
    while visible_controls(&browser).len() != 199 {
        assert!(
            started.elapsed() < WAIT,
            "clearing the filters shows every row"
        );
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(browser.run("return location.search;"), json!(""));

    // A link from a control page's attribute filters on load.
    browser.open(&format!(
        "{}?control-type=detective",
        place.page("controls/")
    ));
    let detective = annex_a_with(&[("control_type", "detective")]);
    browser.wait_for(
        "the filter from the query",
        "return document.getElementById('mf-control-type').value === 'detective';",
    );
    assert_eq!(visible_controls(&browser), detective);
    browser.assert_no_errors();
}
