//! The search index's files, exactly (README, "Search"): the result fields and the snippet
//! texts in their chunk files, and the heads that answer a first query of one word: its count,
//! its first page in rank order and the window of text each snippet is cut from.

mod common;

use std::fs;
use std::path::Path;

use common::site::{assert_built, build};
use common::{Repo, TODAY};

const ACCESS: &str = "+++
title = \"Access Control Policy\"
id = \"POL-001\"
owner = \"Head of IT\"
last_reviewed = 2026-06-01
summary = \"Who may use which system.\"
+++

# Access Control Policy

Every employee of the company reads this document once a year and confirms in writing that \
they understood every rule it sets out, including the rules on passwords.
Requests for access to production systems go through the service desk, which records each \
one and asks the owner of the system for approval before anything is granted to anyone.
";

const BACKUP: &str = "+++
title = \"Backup Policy\"
id = \"POL-002\"
owner = \"Head of IT\"
last_reviewed = 2026-06-01
+++

# Backup Policy

Backups run nightly. Restores are tested quarterly by the platform team, who check that \
access to the copies is logged.
";

/// The file of heads that holds `key`: FNV-1a of its bytes, modulo the number of files.
fn bucket(key: &str, buckets: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in key.as_bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash & (buckets - 1)
}

/// The head of `key` as written in its file, `"key":[…]]`, if any.
fn head(search: &Path, key: &str, buckets: u32) -> Option<String> {
    let file = fs::read_to_string(search.join(format!("heads/{}.js", bucket(key, buckets))))
        .expect("the file of heads");
    let start = file.find(&format!("\"{key}\":["))?;
    let end = start + file[start..].find("]]")? + 2;
    Some(file[start..end].to_string())
}

#[test]
fn search_files_hold_fields_texts_and_the_heads_of_one_word_queries() {
    let repo = Repo::new()
        .file("policies/access.md", ACCESS)
        .file("policies/backup.md", BACKUP);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_built(&build(repo.path(), &out, TODAY, &[]));
    let search = out.join("search");
    let read = |rel: &str| fs::read_to_string(search.join(rel)).unwrap();
    assert_eq!(
        read("meta.js"),
        concat!(
            r#"annexaSearch.meta({"n":2,"chunk":8,"heads":16,"shards":["00","ac","an","ap","#,
            r#""as","ba","be","ch","co","de","do","ea","em","ev","go","gr","he","in","lo","ma","#,
            r#""ni","on","ou","ow","pa","pl","po","pr","qu","re","ru","se","sy","te","th","un","#,
            r#""us","wh","wr","ye"]});"#,
            "\n"
        )
    );
    // The fields a result shows, without the text.
    assert_eq!(
        read("docs/0.js"),
        concat!(
            r#"annexaSearch.doc(0,{"u":"policies/access/","t":"Access Control Policy","#,
            r#""i":"POL-001","o":"Head of IT","k":"policy","s":"approved","#,
            r#""m":"Who may use which system.","c":""});"#,
            "\n",
            r#"annexaSearch.doc(1,{"u":"policies/backup/","t":"Backup Policy","i":"POL-002","#,
            r#""o":"Head of IT","k":"policy","s":"approved","m":"","c":""});"#,
            "\n"
        )
    );
    // The texts, loaded only for "Show more" and queries of two or more words.
    assert_eq!(
        read("text/0.js"),
        concat!(
            r#"annexaSearch.text(0,"Access Control Policy Every employee of the company reads "#,
            "this document once a year and confirms in writing that they understood every rule \
             it sets out, including the rules on passwords. Requests for access to production \
             systems go through the service desk, which records each one and asks the owner of \
             the system for approval before anything is granted to anyone.\");\n",
            r#"annexaSearch.text(1,"Backup Policy Backups run nightly. Restores are tested "#,
            "quarterly by the platform team, who check that access to the copies is logged.\");\n"
        )
    );
    // A head: the count, then each result of the first page in rank order, with the offset
    // (UTF-16 units) and the whole length of its text, and the window from 70 units before
    // the first match to 171 after it.
    assert_eq!(
        head(&search, "access", 16).as_deref(),
        Some(concat!(
            r#""access":[2,[0,0,364,"Access Control Policy Every employee of the company reads "#,
            "this document once a year and confirms in writing that they understood every rule \
             it sets out, including the rule\",",
            r#"1,32,133,"y. Restores are tested quarterly by the platform team, who check that "#,
            r#"access to the copies is logged."]]"#
        ))
    );
    assert_eq!(
        head(&search, "production", 16).as_deref(),
        Some(concat!(
            r#""production":[1,[0,140,364,"it sets out, including the rules on passwords. "#,
            "Requests for access to production systems go through the service desk, which \
             records each one and asks the owner of the system for approval before anything is \
             granted to anyone.\"]]"
        ))
    );
    // A prefix, and an id (the terms of its query: the whole, then its parts).
    assert!(
        head(&search, "acc", 16)
            .unwrap()
            .starts_with(r#""acc":[2,[0,0,364,"#)
    );
    assert!(
        head(&search, "pol-002 pol 002", 16)
            .unwrap()
            .starts_with(r#""pol-002 pol 002":[1,[1,0,133,"Backup Policy Backups"#)
    );
    // A word that finds nothing has no head.
    assert_eq!(head(&search, "zzz", 16), None);
    // A shard (the terms starting `ac`, its file named by their bytes in hex): each term's
    // postings packed, the gap from the document before and the score in base-45 digits:
    // `#` document 0, `QO` score 1·45 + 44 = 89 (the title's word); `$` document 0 + 1, `Q)`
    // score 1·45 + 6 = 51 (a word of the body).
    assert_eq!(
        read("shards/6163.js"),
        "annexaSearch.shard(\"ac\",{\"access\":\"#QO$Q)\"});\n"
    );
}
