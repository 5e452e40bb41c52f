//! `serve`'s request-path mapping, `serve::http::resolve`, on arbitrary request paths against a
//! small site holding files, folders with and without `index.html`, a file outside the site and
//! symbolic links leading out of it. Whatever the path, the result is not a file, or it is a
//! file inside the site folder.
#![no_main]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::sync::OnceLock;

use annexa::serve::http::{Resolved, resolve};
use libfuzzer_sys::fuzz_target;
use tempfile::TempDir;

struct Site {
    _dir: TempDir,
    site: PathBuf,
    canonical: PathBuf,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("secret.txt");
        fs::write(&outside, "secret").unwrap();
        fs::create_dir(dir.path().join("other")).unwrap();
        fs::write(dir.path().join("other/index.html"), "other").unwrap();
        let site = dir.path().join("site");
        for folder in ["policies/a", "empty", "a b", "%41"] {
            fs::create_dir_all(site.join(folder)).unwrap();
        }
        for file in [
            "index.html",
            "policies/a/index.html",
            "a b/x y.txt",
            "%41/index.html",
            "style.css",
        ] {
            fs::write(site.join(file), file).unwrap();
        }
        symlink(&outside, site.join("out.txt")).unwrap();
        symlink("../other", site.join("up")).unwrap();
        symlink("..", site.join("parent")).unwrap();
        symlink("policies", site.join("inside")).unwrap();
        let canonical = site.canonicalize().unwrap();
        Site {
            _dir: dir,
            site,
            canonical,
        }
    })
}

fn check(site: &Site, path: &str) {
    if let Resolved::File(file) = resolve(&site.site, path) {
        assert!(
            file.starts_with(&site.canonical) && file.is_file(),
            "{path:?} led to {}",
            file.display()
        );
    }
}

fuzz_target!(|path: &str| {
    let site = site();
    check(site, path);
    check(site, &format!("/{path}"));
});
