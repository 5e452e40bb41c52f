//! `annexa pack`'s document in a real browser: it prints to PDF.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{self, TODAY};
use crate::driver::program;

/// `annexa pack`'s document opens in headless Chromium and prints to a PDF of many pages,
/// with nothing fetched (its CSS is inlined, it has no script).
#[test]
#[ignore = "needs Chromium and chromedriver: cargo test --test browser -- --ignored"]
fn the_audit_pack_prints_to_pdf() {
    let chromium = program("CHROMIUM", "/usr/bin/chromium");
    let tmp = tempfile::tempdir().unwrap();
    let zip_path = tmp.path().join("pack.zip");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("content-example");
    let output = common::annexa()
        .arg("pack")
        .arg(&example)
        .arg("-o")
        .arg(&zip_path)
        .args(["--today", TODAY])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut html = String::new();
    archive
        .by_name("audit-pack.html")
        .unwrap()
        .read_to_string(&mut html)
        .unwrap();
    let page = tmp.path().join("audit-pack.html");
    std::fs::write(&page, html).unwrap();
    let pdf = tmp.path().join("audit-pack.pdf");
    let status = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            tmp.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let pages = bytes
        .windows(10)
        .filter(|w| w == b"/Type /Pag" || w == b"/Type/Page")
        .count();
    assert!(bytes.len() > 50_000, "{} bytes", bytes.len());
    assert!(pages > 10, "{pages} pages");
}
