//! The keyboard alone: the skip link, the search box and its `/` shortcut (which can be turned
//! off), the register's filters and sort buttons, and "Show more results", on the built example
//! from disk.

use serde_json::json;

use super::driver::{Browser, file_url};
use super::example_site;

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const DOWN: &str = "\u{E015}";

/// What has focus: its id, or its tag and class when it has none.
fn focused(browser: &Browser) -> String {
    browser
        .run(
            "var a = document.activeElement;
             return a ? (a.id || (a.tagName.toLowerCase() + '.' + a.className)) : '';",
        )
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn the_skip_link_is_the_first_stop_and_moves_focus_to_the_content() {
    let base = file_url(example_site());
    let browser = Browser::start();
    for page in [
        "index.html",
        "policies/access-control/index.html",
        "documents/index.html",
    ] {
        browser.go(&format!("{base}{page}"));
        browser.press(&[TAB]);
        assert_eq!(
            focused(&browser),
            "a.skip-link",
            "{page}: the first Tab stop"
        );
        let shown = browser.run(
            "var r = document.activeElement.getBoundingClientRect();
             return r.top >= 0 && r.height >= 24 && r.width > 0;",
        );
        assert_eq!(
            shown,
            json!(true),
            "{page}: the skip link shows when focused"
        );
        browser.press(&[ENTER]);
        assert_eq!(
            focused(&browser),
            "main-content",
            "{page}: Enter moves focus to main"
        );
        // The next Tab goes into the content, not back to the header.
        browser.press(&[TAB]);
        let inside = browser.run(
            "return document.getElementById('main-content').contains(document.activeElement);",
        );
        assert_eq!(
            inside,
            json!(true),
            "{page}: Tab after the skip link stays in main"
        );
    }
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn the_search_box_is_reached_by_tab_and_slash_and_the_shortcut_can_be_turned_off() {
    let base = file_url(example_site());
    let browser = Browser::start();
    // Tab: skip link, brand, then the header search box (no invisible button after it).
    browser.go(&format!("{base}policies/access-control/index.html"));
    browser.press(&[TAB, TAB, TAB]);
    assert_eq!(focused(&browser), "header-q");
    browser.press(&[TAB]);
    let next = browser.run(
        "var a = document.activeElement; var r = a.getBoundingClientRect();
         return [a.closest('.site-nav') !== null, r.width >= 24 && r.height >= 24];",
    );
    assert_eq!(
        next,
        json!([true, true]),
        "after the box comes the navigation"
    );
    // "/" jumps to the box; typing and Enter search.
    browser.run("document.activeElement.blur();");
    browser.press(&["/"]);
    assert_eq!(focused(&browser), "header-q", "/ focuses the search box");
    for key in "checksum".chars() {
        browser.press(&[&key.to_string()]);
    }
    browser.press(&[ENTER]);
    browser.wait_for(
        "the search page's results",
        "return document.querySelectorAll('#search-results a.result-title').length > 0;",
    );
    // The search page's own box has focus; Tab reaches the results.
    assert_eq!(focused(&browser), "search-q");
    // Turn the shortcut off with the keyboard: it stays off on other pages.
    browser.run("document.getElementById('slash-shortcut').focus();");
    browser.press(&[" "]);
    assert_eq!(
        browser.run("return document.getElementById('slash-shortcut').checked;"),
        json!(false)
    );
    browser.go(&format!("{base}documents/index.html"));
    browser.press(&["/"]);
    assert_eq!(
        browser.run("return document.activeElement === document.body;"),
        json!(true),
        "/ does nothing once turned off"
    );
    browser.go(&format!("{base}search/index.html"));
    browser.run("document.getElementById('slash-shortcut').click();");
    browser.go(&format!("{base}documents/index.html"));
    browser.press(&["/"]);
    assert_eq!(
        focused(&browser),
        "header-q",
        "/ works again once turned on"
    );
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn the_register_filters_and_sorts_from_the_keyboard() {
    let base = file_url(example_site());
    let browser = Browser::start();
    browser.go(&format!("{base}documents/index.html"));
    let visible = |b: &Browser| {
        b.run(
            "return Array.prototype.filter.call(document.querySelectorAll('#register tbody tr'),
               function (r) { return !r.hidden; }).length;",
        )
        .as_u64()
        .unwrap()
    };
    let all = visible(&browser);
    // Tab from main reaches the text filter first.
    browser.run("document.getElementById('main-content').focus();");
    let mut stops = 0;
    while focused(&browser) != "f-q" {
        browser.press(&[TAB]);
        stops += 1;
        assert!(stops < 20, "Tab never reached the text filter");
    }
    for key in "backup".chars() {
        browser.press(&[&key.to_string()]);
    }
    let narrowed = browser.wait_for(
        "the text filter",
        &format!(
            "var n = Array.prototype.filter.call(document.querySelectorAll('#register tbody tr'),
               function (r) {{ return !r.hidden; }}).length;
             return n < {all} && n > 0 && n;"
        ),
    );
    assert!(narrowed.as_u64().unwrap() < all);
    // The next stop is the kind filter; an arrow key picks a kind and the rows follow.
    browser.press(&[TAB]);
    assert_eq!(focused(&browser), "f-kind");
    browser.run("document.getElementById('f-q').value = ''; document.getElementById('f-q').dispatchEvent(new Event('input', { bubbles: true })); document.getElementById('f-kind').focus();");
    browser.press(&[DOWN]);
    let picked = browser.run(
        "var v = document.getElementById('f-kind').value;
         var rows = Array.prototype.filter.call(document.querySelectorAll('#register tbody tr'),
           function (r) { return !r.hidden; });
         return [v !== '', rows.length > 0, rows.every(function (r) { return r.dataset.kind === v; })];",
    );
    assert_eq!(
        picked,
        json!([true, true, true]),
        "an arrow key filters by kind"
    );
    // A column heading's sort button: Enter sorts, and its name has no arrow glyph.
    browser.run("document.querySelector('#register th .sort').focus();");
    let name = browser.run("return document.activeElement.textContent.trim();");
    assert!(
        name.as_str().unwrap().chars().all(|c| !"↕↑↓".contains(c)),
        "sort button text: {name}"
    );
    browser.press(&[ENTER]);
    assert_eq!(
        browser.run("return document.activeElement.closest('th').getAttribute('aria-sort');"),
        json!("ascending")
    );
}

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn show_more_results_moves_focus_to_the_first_new_result() {
    let base = file_url(example_site());
    let browser = Browser::start();
    browser.go(&format!("{base}search/index.html?q=security"));
    browser.wait_for(
        "a first page of results with more to show",
        "return document.querySelectorAll('#search-results li').length === 10
           && !document.getElementById('search-more-wrap').hidden;",
    );
    browser.run("document.getElementById('search-more').focus();");
    browser.press(&[ENTER]);
    let landed = browser.wait_for(
        "focus on the 11th result",
        "var items = document.querySelectorAll('#search-results li');
         return items.length > 10 && document.activeElement === items[10].querySelector('a')
           && document.activeElement.href;",
    );
    assert!(landed.as_str().is_some_and(|h| h.contains("index.html")));
}
