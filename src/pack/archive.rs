//! The pack's zip: reproducible entries, the manifest of hashes, the comment by which annexa
//! knows its own packs, and the atomic write that never replaces anyone else's file.

use std::io::{Cursor, Write};
use std::path::Path;

use jiff::civil::Date;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::error::Fatal;

/// The zip comment of every pack annexa writes: how it knows a file it may replace.
pub const COMMENT: &str = "annexa audit pack";

/// `MANIFEST.txt`: one `sha256sum` line per file (`sha256sum -c MANIFEST.txt` checks them).
pub fn manifest(files: &[(String, Vec<u8>)]) -> String {
    let mut out = String::new();
    for (name, bytes) in files {
        let hash = Sha256::digest(bytes);
        for b in hash {
            out.push_str(&format!("{b:02x}"));
        }
        out.push_str("  ");
        out.push_str(name);
        out.push('\n');
    }
    out
}

/// The zip of `files`, in order, each dated `today` at midnight, with annexa's comment.
pub fn zip(files: &[(String, Vec<u8>)], today: Date) -> Result<Vec<u8>, Fatal> {
    let failed = |e: zip::result::ZipError| Fatal::new(format!("cannot write the zip: {e}"));
    // ZIP dates run from 1980 to 2107; a day outside them is written as the nearest end.
    let year = today.year().clamp(1980, 2107) as u16;
    let time = DateTime::from_date_and_time(year, today.month() as u8, today.day() as u8, 0, 0, 0)
        .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    writer.set_comment(COMMENT).map_err(failed)?;
    for (name, bytes) in files {
        writer.start_file(name, options).map_err(failed)?;
        writer
            .write_all(bytes)
            .map_err(|e| Fatal::new(format!("cannot write the zip: {e}")))?;
    }
    Ok(writer.finish().map_err(failed)?.into_inner())
}

/// Whether `bytes` are a zip annexa wrote: its comment is annexa's and it holds a manifest.
pub fn is_pack(bytes: &[u8]) -> bool {
    let Ok(mut archive) = ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    archive.comment() == COMMENT.as_bytes() && archive.by_name("MANIFEST.txt").is_ok()
}

/// Refuses a target that exists and is not a pack annexa wrote (a folder, someone's file).
pub fn check_target(target: &Path) -> Result<(), Fatal> {
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return Ok(());
    };
    let refuse = |why: &str| {
        Err(Fatal::new(format!(
            "refusing to replace `{}`: {why}; choose another -o, or move it",
            target.display()
        )))
    };
    if !meta.is_file() {
        return refuse("it is not a file");
    }
    match std::fs::read(target) {
        Ok(bytes) if is_pack(&bytes) => Ok(()),
        Ok(_) => refuse("it is not an audit pack annexa wrote"),
        Err(e) => refuse(&format!("it cannot be read ({e})")),
    }
}

/// Writes `bytes` to a temporary file beside `target`, then renames it into place.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> Result<(), Fatal> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let failed =
        |e: std::io::Error| Fatal::new(format!("cannot write `{}`: {e}", target.display()));
    let mut tmp = tempfile::Builder::new()
        .prefix(".annexa-pack-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed)?;
    tmp.write_all(bytes).map_err(failed)?;
    tmp.as_file().sync_all().map_err(failed)?;
    tmp.persist(target).map_err(|e| failed(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_is_reproducible_and_known_by_its_comment() {
        let files = vec![("a.txt".to_string(), b"hello".to_vec())];
        let day: Date = "2026-11-01".parse().unwrap();
        let one = zip(&files, day).unwrap();
        assert_eq!(one, zip(&files, day).unwrap());
        assert!(!is_pack(&one), "no manifest");
        let mut files = files;
        files.push(("MANIFEST.txt".to_string(), manifest(&files).into_bytes()));
        assert!(is_pack(&zip(&files, day).unwrap()));
        assert!(!is_pack(b"PK not a zip"));
        assert_eq!(
            manifest(&files[..1]),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824  a.txt\n"
        );
    }
}
