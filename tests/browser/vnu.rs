//! The Nu Html Checker (npm `vnu-jar`, pinned in `package.json`; `npm ci` puts it in
//! `node_modules/`) on every page and stylesheet of the built example: no error. It runs on
//! `java` (Debian's `default-jre-headless`); `VNU_JAR` overrides the path of `vnu.jar`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::example_site;

fn vnu_jar() -> PathBuf {
    let path = std::env::var_os("VNU_JAR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar"),
        PathBuf::from,
    );
    assert!(
        path.is_file(),
        "{} not found (the HTML check needs the Nu Html Checker: run `npm ci` in the repository)",
        path.display()
    );
    path
}

#[test]
#[ignore = "needs java and the Nu Html Checker (npm ci): cargo test --test browser -- --ignored"]
fn nu_html_checker_finds_no_error_in_the_example_site() {
    let site = example_site();
    let mut files = super::axe::pages(site);
    files.extend(super::axe::files(site, "css"));
    let output = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--errors-only", "--also-check-css"])
        .args(files.iter().map(|f| site.join(f)))
        .output()
        .expect("java runs (install default-jre-headless)");
    let messages = String::from_utf8_lossy(&output.stderr);
    eprintln!(
        "vnu: {} pages and stylesheets, {} errors",
        files.len(),
        messages.lines().filter(|l| l.contains("error:")).count()
    );
    assert!(
        output.status.success() && messages.trim().is_empty(),
        "the Nu Html Checker found errors in {}:\n{messages}",
        site.display()
    );
}
