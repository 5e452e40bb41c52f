//! The printed Statement of Applicability: landscape pages, A4 and US Letter alike, with
//! nothing wider than the page and every document named by its title as well as its id.

use serde_json::json;

use super::driver::{Browser, file_url};
use super::example_site;

/// The printable width of a landscape page with the SoA's 10 mm side margins, in CSS pixels
/// (96 per inch): A4 is 297 mm wide, US Letter 279.4 mm.
const PAGES: &[(&str, f64)] = &[("A4", 297.0), ("US Letter", 279.4)];

#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn the_printed_soa_fits_a4_and_letter_and_names_documents_by_title() {
    let base = file_url(example_site());
    let browser = Browser::start();
    for (paper, mm) in PAGES {
        let width = ((mm - 20.0) / 25.4 * 96.0).floor() as u32;
        browser.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 700, "deviceScaleFactor": 1, "mobile": false }),
        );
        browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" }));
        browser.go(&format!("{base}soa/index.html"));
        let fit = browser.run(
            "var tables = Array.prototype.slice.call(document.querySelectorAll('table'));
             var wide = tables.filter(function (t) { return t.scrollWidth > document.documentElement.clientWidth + 1; }).length;
             var refs = Array.prototype.slice.call(document.querySelectorAll('.soa-table .doc-ref'));
             var bare = refs.filter(function (a) {
               var id = a.querySelector('.mono');
               return a.textContent.trim() === (id ? id.textContent.trim() : '');
             }).length;
             return [document.documentElement.scrollWidth <= document.documentElement.clientWidth, wide, refs.length > 0, bare];",
        );
        assert_eq!(fit, json!([true, 0, true, 0]), "{paper} ({width} px)");
        let pdf = browser.cdp(
            "Page.printToPDF",
            json!({ "preferCSSPageSize": true, "paperWidth": mm / 25.4, "paperHeight": if *paper == "A4" { 210.0 / 25.4 } else { 8.5 } }),
        );
        assert!(
            pdf["data"].as_str().is_some_and(|d| d.len() > 1000),
            "{paper}: a PDF"
        );
    }
}
