//! axe-core's WCAG 2.2 A and AA rules on every page of the built example, light and dark, at
//! 1400 and 390 CSS pixels wide, in one browser session. axe-core comes from the npm package
//! pinned in `package.json` (`npm ci` puts it in `node_modules/`); `AXE_CORE` overrides the
//! path of `axe.min.js`, and `AXE_PAGES` keeps only pages whose path contains that text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;

use super::driver::{Browser, file_url};
use super::example_site;

/// The rule tags run: every WCAG 2.0, 2.1 and 2.2 rule at level A and AA.
const TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// The four ways a page is checked: viewport width and colour scheme.
pub const MODES: &[(u32, &str)] = &[
    (1400, "light"),
    (1400, "dark"),
    (390, "light"),
    (390, "dark"),
];

/// axe-core's script, from `node_modules` (or `AXE_CORE`).
fn axe_source() -> String {
    let path = std::env::var_os("AXE_CORE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js"),
        PathBuf::from,
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the accessibility tests need axe-core: run `npm ci` in the repository)",
            path.display()
        )
    })
}

/// The site's pages, as paths relative to its root (`policies/x/index.html`), sorted.
pub fn pages(site: &Path) -> Vec<String> {
    files(site, "html")
}

/// The site's files whose names end in `.ext`, relative to its root, sorted.
pub fn files(site: &Path, ext: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![site.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                let rel = path.strip_prefix(site).unwrap();
                found.push(rel.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// Loads axe into every page the session opens from now on.
pub fn inject(browser: &Browser) {
    browser.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": axe_source() }),
    );
}

/// axe's violations on the page that is open: "rule (impact) page [mode]: target; target…".
pub fn check(browser: &Browser, page: &str, mode: &str) -> Vec<(String, String)> {
    let script = format!(
        "var done = arguments[arguments.length - 1];
         if (!window.axe) {{ done({{ error: 'axe-core is not loaded' }}); return; }}
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {tags} }}, resultTypes: ['violations'] }})
           .then(function (r) {{
             done(r.violations.map(function (v) {{
               return {{ id: v.id, impact: v.impact, help: v.help,
                 targets: v.nodes.map(function (n) {{ return n.target.join(' ') + ' (' + (n.failureSummary || '').split('\\n').slice(1).join(' ').trim() + ')'; }}) }};
             }}));
           }}, function (e) {{ done({{ error: String(e) }}); }});",
        tags = json!(TAGS)
    );
    let result = browser.run_async(&script);
    if let Some(error) = result.get("error") {
        panic!("axe on {page} [{mode}]: {error}");
    }
    result
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let id = v["id"].as_str().unwrap().to_string();
            let targets: Vec<&str> = v["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            let line = format!(
                "{id} ({}) {page} [{mode}]: {} — {}",
                v["impact"].as_str().unwrap_or(""),
                v["help"].as_str().unwrap_or(""),
                targets.join("; ")
            );
            (id, line)
        })
        .collect()
}

/// Waits until a search page has shown its results (or said there are none).
fn settle(browser: &Browser, page: &str) {
    if page.contains("?q=") {
        browser.wait_for(
            "search results",
            "var s = document.getElementById('search-status');
             return s && s.textContent.trim() !== '' && !/^(Searching|Loading)/i.test(s.textContent.trim());",
        );
    }
}

/// Every page of `site` (and `extra` URLs relative to it) in every mode; the violations.
pub fn audit(browser: &Browser, site: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let filter = std::env::var("AXE_PAGES").unwrap_or_default();
    let base = file_url(site);
    let mut targets: Vec<String> = pages(site);
    targets.extend(extra.iter().map(|e| e.to_string()));
    targets.retain(|p| p.contains(&filter));
    let mut violations = Vec::new();
    for (width, scheme) in MODES {
        browser.emulate(*width, scheme);
        let mode = format!("{scheme} {width}px");
        for page in &targets {
            browser.go(&format!("{base}{page}"));
            settle(browser, page);
            violations.extend(check(browser, page, &mode));
        }
    }
    violations
}

#[test]
#[ignore = "needs Chromium, chromedriver and axe-core (npm ci): cargo test --test browser -- --ignored"]
fn axe_finds_no_wcag_violation_on_any_page() {
    let started = Instant::now();
    let site = example_site();
    let browser = Browser::start();
    inject(&browser);
    let extra = [
        "search/index.html?q=policy",
        "search/index.html?q=xyzzyplugh",
    ];
    let violations = audit(&browser, site, &extra);
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (id, _) in &violations {
        *by_rule.entry(id).or_default() += 1;
    }
    eprintln!(
        "axe: {} pages × {} modes in {:?}; {} violations {by_rule:?}",
        pages(site).len() + extra.len(),
        MODES.len(),
        started.elapsed(),
        violations.len()
    );
    let lines: Vec<&str> = violations.iter().map(|(_, l)| l.as_str()).collect();
    assert!(
        violations.is_empty(),
        "axe found {} WCAG 2.2 A/AA violations:\n{}",
        violations.len(),
        lines.join("\n")
    );
}
