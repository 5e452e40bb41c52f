//! The built `404.html`, served for a missing page at any depth (as a static host does), finds
//! its stylesheet, scripts and links from the site's `base_url`.

use std::path::Path;

use serde_json::json;

use super::common::TODAY;
use super::common::site::{assert_built, build};
use super::driver::{Browser, serve};

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn the_404_page_works_at_a_nested_url() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
    assert_built(&build(&example, &out, TODAY, &["--base-url", "/isms/"]));
    let base = serve(&out);
    let browser = Browser::start();
    for missing in ["no-such-page", "policies/no-such/", "a/b/c/d.html"] {
        browser.go(&format!("{base}{missing}"));
        let state = browser.wait_for(
            "the 404 page with its stylesheet",
            "var code = document.querySelector('.not-found-code');
             return document.readyState === 'complete' && code
               && [getComputedStyle(code).fontSize, document.querySelector('.not-found p a').href,
                   document.getElementById('header-q').form.action];",
        );
        assert_eq!(
            state,
            json!(["64px", base, format!("{base}search/")]),
            "{missing}"
        );
    }
}
