//! The search index's files, exactly (README, "Search"): each document's result file (its
//! fields and the lead of its snippet text) and the rest of a long text, the shards and prefix
//! unions, and the heads that answer a first query of one word: its count, its first page in
//! rank order and the window of text each snippet is cut from.

mod common;

use std::fs;
use std::path::Path;

use common::site::{assert_built, build, many_ids};
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
            r#"annexaSearch.meta({"n":2,"page":10,"heads":16,"shards":["00","ac","an","ap","#,
            r#""as","ba","be","ch","co","de","do","ea","em","ev","go","gr","he","in","lo","ma","#,
            r#""ni","on","ou","ow","pa","pl","po","pr","qu","re","ru","se","sy","te","th","un","#,
            r#""us","wh","wr","ye"],"unions":[]});"#,
            "\n"
        )
    );
    // The fields a result shows, and the text snippets are cut from: its length in UTF-16
    // units and its first 1,000 of them (here all of it, so there is no rest in text/).
    assert_eq!(
        read("docs/0.js"),
        concat!(
            r#"annexaSearch.doc(0,{"u":"policies/access/","t":"Access Control Policy","#,
            r#""i":"POL-001","o":"Head of IT","k":"policy","s":"approved","#,
            r#""m":"Who may use which system.","c":""});"#,
            "\n",
            r#"annexaSearch.lead(0,364,"Access Control Policy Every employee of the company reads "#,
            "this document once a year and confirms in writing that they understood every rule \
             it sets out, including the rules on passwords. Requests for access to production \
             systems go through the service desk, which records each one and asks the owner of \
             the system for approval before anything is granted to anyone.\");\n",
        )
    );
    assert_eq!(
        read("docs/1.js"),
        concat!(
            r#"annexaSearch.doc(1,{"u":"policies/backup/","t":"Backup Policy","i":"POL-002","#,
            r#""o":"Head of IT","k":"policy","s":"approved","m":"","c":""});"#,
            "\n",
            r#"annexaSearch.lead(1,133,"Backup Policy Backups run nightly. Restores are tested "#,
            "quarterly by the platform team, who check that access to the copies is logged.\");\n"
        )
    );
    assert!(
        !search.join("text").exists(),
        "no text is longer than its lead"
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
    // postings packed, a number in base-45 digits a posting, the documents skipped times 100
    // plus the score less 1: `QN` document 0 with score 89 (the title's word), 1·45 + 43;
    // `Q(` the next document, 1, with 51 (a word of the body), 1·45 + 5. (Dense, `!`, an
    // offset and a character a document, would be as long: the shorter form is written.)
    assert_eq!(
        read("shards/6163.js"),
        "annexaSearch.shard(\"ac\",{\"access\":\"QNQ(\"});\n"
    );
}

#[test]
fn a_large_group_of_terms_is_split_with_unions_and_a_long_text_keeps_its_rest() {
    let repo = many_ids(60);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_built(&build(repo.path(), &out, TODAY, &[]));
    let search = out.join("search");
    let read = |rel: &str| fs::read_to_string(search.join(rel)).unwrap();
    let meta = read("meta.js");
    let unions = &meta[meta.find(",\"unions\":").unwrap()..];
    assert_eq!(unions, ",\"unions\":[\"pol\",\"pol-\",\"pol-0\"]});\n");
    // The shards of `pol-0…` and `pol-1…` (1,200 ids) were split, down to `pol-00` …
    // `pol-09` and `pol-1`; `pol` holds the term `pol` alone, `poli` the word `policy`.
    let shards = &meta[meta.find("\"pol\"").unwrap()..meta.find(",\"re\"").unwrap()];
    assert_eq!(
        shards,
        concat!(
            r#""pol","pol-00","pol-01","pol-02","pol-03","pol-04","pol-05","pol-06","pol-07","#,
            r#""pol-08","pol-09","pol-1","poli""#
        )
    );
    // A union: for each document, the term below the key that scores it highest at the prefix
    // weight, by its document frequency (every id is in one document: the one class, 1) and
    // its score: `O` (44), the next document with score 45, sixty times.
    let union = format!("[[1],\"{}\"]", "O".repeat(60));
    assert_eq!(
        read("shards/706f6c2d-u.js"),
        format!("annexaSearch.union(\"pol-\",{union});\n")
    );
    assert_eq!(
        read("shards/706f6c-u.js"),
        format!("annexaSearch.union(\"pol\",{union});\n")
    );
    // A text longer than its lead: the result file holds the first 1,000 UTF-16 units, and
    // text/N.js the rest.
    let lead = read("docs/0.js");
    let lead = &lead[lead.find("annexaSearch.lead(").unwrap()..];
    assert_eq!(
        lead,
        format!(
            "annexaSearch.lead(0,1264,\"{}Staff keep\");\n",
            "Staff keep the rules of this policy and report every breach to the security team at once. "
                .repeat(11)
        )
    );
    assert_eq!(
        read("text/0.js"),
        "annexaSearch.text(0,\" the rules of this policy and report every breach to the security team \
         at once. See pol-0000 pol-0001 pol-0002 pol-0003 pol-0004 pol-0005 pol-0006 pol-0007 \
         pol-0008 pol-0009 pol-0010 pol-0011 pol-0012 pol-0013 pol-0014 pol-0015 pol-0016 \
         pol-0017 pol-0018 pol-0019.\");\n"
    );
}
