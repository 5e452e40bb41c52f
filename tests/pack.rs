//! `annexa pack`: the audit pack's exact entries, its manifest's hashes, its reproducibility,
//! its refusal to replace a file it did not write, and its exit codes.

mod common;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Output;

use common::{TODAY, annexa};
use sha2::{Digest, Sha256};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content-example")
}

fn pack(dir: &Path, out: &Path) -> Output {
    annexa()
        .arg("pack")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(["--today", TODAY])
        .output()
        .unwrap()
}

fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect()
}

#[test]
fn the_pack_holds_exactly_its_files_and_their_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pack.zip");
    let output = pack(&example(), &out);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.ends_with(&format!(
            "annexa: wrote the audit pack {} (10 files, {} bytes)\n",
            out.display(),
            std::fs::metadata(&out).unwrap().len()
        )),
        "{stderr}"
    );
    let bytes = std::fs::read(&out).unwrap();
    let files = entries(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "audit-pack.html",
            "soa.xlsx",
            "audits.csv",
            "control-matrix.csv",
            "evidence.csv",
            "findings.csv",
            "risks.csv",
            "soa.csv",
            "documents.json",
            "MANIFEST.txt",
        ]
    );
    let manifest = String::from_utf8(files.last().unwrap().1.clone()).unwrap();
    let expected: String = files[..files.len() - 1]
        .iter()
        .map(|(name, data)| {
            let hash: String = Sha256::digest(data)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("{hash}  {name}\n")
        })
        .collect();
    assert_eq!(manifest, expected);
    let archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    assert_eq!(archive.comment(), b"annexa audit pack");
    // The same project on the same day gives the same bytes; the pack replaces its own zip.
    let again = pack(&example(), &out);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["pack.zip"], "no temporary file left");
}

#[test]
fn the_pack_document_is_self_contained_and_is_the_site_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pack.zip");
    assert_eq!(pack(&example(), &out).status.code(), Some(0));
    let files = entries(&std::fs::read(&out).unwrap());
    let html = String::from_utf8(files[0].1.clone()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no script");
    assert!(!html.contains("<link "), "CSS inlined, nothing fetched");
    assert!(html.contains("<style>"));
    // The mandatory documents in clause order: the scope (4.3) first, the NC log (10.2) last.
    let scope = html
        .find("<h2 id=\"doc-1-title\">ISMS Scope and Context</h2>")
        .unwrap();
    let policy = html
        .find("<h2 id=\"doc-2-title\">Information Security Policy</h2>")
        .unwrap();
    let log = html
        .find("Nonconformity and Corrective Action Log</h2>")
        .unwrap();
    assert!(scope < policy && policy < log);
    let site = tmp.path().join("site");
    let built = common::site::build(&example(), &site, TODAY, &[]);
    common::site::assert_built(&built);
    assert_eq!(
        std::fs::read_to_string(site.join("audit-pack/index.html")).unwrap(),
        html
    );
}

#[test]
fn the_pack_refuses_to_replace_a_file_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("notes.zip");
    std::fs::write(&out, "my notes").unwrap();
    let output = pack(&example(), &out);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.ends_with(&format!(
            "error: refusing to replace `{}`: it is not an audit pack annexa wrote; choose another -o, or move it\n",
            out.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&out).unwrap(), b"my notes");
}

#[test]
fn content_errors_stop_the_pack_but_dates_do_not() {
    let repo = common::Repo::new().file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"B\"\nlast_reviewed = 2020-01-01\n+++\n\n# A\n",
    );
    let out = repo.path().join("../pack-ok.zip");
    let output = pack(repo.path(), &out);
    assert_eq!(
        output.status.code(),
        Some(0),
        "an overdue review does not stop it"
    );
    let _ = std::fs::remove_file(&out);
    let repo = repo.file("policies/b.md", "+++\ntitle = \"B\"\n+++\n\n# B\n");
    let out = repo.path().join("../pack-bad.zip");
    let output = pack(repo.path(), &out);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.ends_with("annexa: no pack written: 1 content error (findings that come from today's date do not stop it)\n"),
        "{stderr}"
    );
    assert!(!out.exists());
}
