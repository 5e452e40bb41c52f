//! Manifest: the marker file `.annexa-site` of a site lists every file annexa wrote into it,
//! each with the SHA-256 of its bytes, so that a folder holding anything else is not replaced
//! blindly, and a rebuild writes only the files whose bytes differ from what a tree holds.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use crate::error::Fatal;

/// The file that marks a folder as a site annexa built, and lists what it wrote there.
pub const MARKER: &str = ".annexa-site";

/// The first line of a manifest: its format.
const HEADER: &str = "annexa-site manifest 3";

/// The first line of the manifests of the previous version (paths, no hashes).
const HEADER_2: &str = "annexa-site manifest 2";

const EXPLANATION: &str = "\
# This folder was built by annexa. `annexa build` updates it, and refuses to if it holds files
# not listed here. Each line is the SHA-256 of a file annexa wrote and its path ('%', control
# characters and non-UTF-8 bytes as %XX).
";

/// The whole marker of a site built before manifests were written.
const LEGACY: &str = "This folder was built by annexa. `annexa build` replaces it as a whole.\n";

/// Files the operating system leaves in folders it shows: never the user's work.
const LITTER: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

/// The SHA-256 of a file's bytes.
pub type Hash = [u8; 32];

/// The SHA-256 of `bytes`.
pub fn hash(bytes: &[u8]) -> Hash {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// The files of a site, by path, with their hashes (none in a manifest of the previous version).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Manifest {
    /// Sorted by path.
    files: Vec<(String, Option<Hash>)>,
}

impl Manifest {
    /// The manifest of the files `written` (paths and hashes, in any order).
    pub(super) fn of(mut written: Vec<(String, Hash)>) -> Manifest {
        written.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        written.dedup_by(|a, b| a.0 == b.0);
        Manifest {
            files: written.into_iter().map(|(p, h)| (p, Some(h))).collect(),
        }
    }

    /// The text of the manifest.
    pub(super) fn text(&self) -> String {
        let mut text = String::with_capacity(self.files.len() * 112 + 512);
        text.push_str(HEADER);
        text.push('\n');
        text.push_str(EXPLANATION);
        for (path, hash) in &self.files {
            push_hex(&mut text, &hash.unwrap_or_default());
            text.push(' ');
            text.push_str(path);
            text.push('\n');
        }
        text
    }

    /// Writes the manifest as the marker of `dir`.
    pub(super) fn write(&self, dir: &Path) -> Result<(), Fatal> {
        let path = dir.join(MARKER);
        fs::write(&path, self.text())
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))
    }

    fn parse(text: &str) -> Manifest {
        let mut lines = text.lines();
        let hashed = match lines.next() {
            Some(HEADER) => true,
            Some(HEADER_2) => false,
            _ => return Manifest::default(),
        };
        let mut files = Vec::new();
        for line in lines.filter(|line| !line.is_empty() && !line.starts_with('#')) {
            if !hashed {
                files.push((line.to_string(), None));
                continue;
            }
            let Some((hex, path)) = line.split_once(' ') else {
                return Manifest::default();
            };
            let Some(hash) = parse_hex(hex) else {
                return Manifest::default();
            };
            files.push((path.to_string(), Some(hash)));
        }
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Manifest { files }
    }

    fn find(&self, path: &str) -> Option<&(String, Option<Hash>)> {
        self.position(path).map(|i| &self.files[i])
    }

    /// Where `path` is in the sorted list of files.
    fn position(&self, path: &str) -> Option<usize> {
        self.files.binary_search_by(|p| p.0.as_str().cmp(path)).ok()
    }

    fn contains(&self, path: &str) -> bool {
        self.find(path).is_some()
    }

    /// Whether every file has a hash (a manifest of this version).
    pub(super) fn hashed(&self) -> bool {
        self.files.iter().all(|(_, h)| h.is_some())
    }

    /// The hash of every listed file that has one.
    pub(super) fn hashes(&self) -> impl Iterator<Item = (&str, Hash)> {
        self.files
            .iter()
            .filter_map(|(p, h)| Some((p.as_str(), (*h)?)))
    }

    /// The listed paths, sorted.
    pub(super) fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(p, _)| p.as_str())
    }

    /// The hash listed for `path`.
    pub(super) fn hash_of(&self, path: &str) -> Option<Hash> {
        self.find(path).and_then(|(_, h)| *h)
    }

    /// The number of files.
    pub(super) fn len(&self) -> usize {
        self.files.len()
    }
}

/// `hash` as 64 lower-case hex digits.
pub fn hex(hash: &Hash) -> String {
    let mut text = String::with_capacity(64);
    push_hex(&mut text, hash);
    text
}

/// Appends `hash` to `text` as 64 lower-case hex digits.
pub fn push_hex(text: &mut String, hash: &Hash) {
    for b in hash {
        text.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        text.push(char::from(b"0123456789abcdef"[usize::from(b & 0xF)]));
    }
}

/// The hash written as 64 hex digits (`None` for anything else).
pub fn parse_hex(hex: &str) -> Option<Hash> {
    let bytes = hex.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let digit = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut hash = [0; 32];
    for (i, pair) in bytes.chunks(2).enumerate() {
        hash[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(hash)
}

/// What the marker of an existing folder says.
#[derive(Debug)]
pub(super) enum Marker {
    /// No marker: not a folder annexa built.
    Absent,
    /// The one-line marker of a site built before manifests.
    Legacy,
    /// A manifest; a marker that is not one (forged, damaged) lists nothing.
    Manifest(Manifest),
}

impl Marker {
    /// Reads the marker of the folder `dir`.
    pub(super) fn read(dir: &Path) -> Marker {
        let path = dir.join(MARKER);
        match path.symlink_metadata() {
            Err(_) => Marker::Absent,
            Ok(meta) if !meta.is_file() => Marker::Manifest(Manifest::default()),
            Ok(_) => match fs::read(&path).map(String::from_utf8) {
                Ok(Ok(text)) if text == LEGACY => Marker::Legacy,
                Ok(Ok(text)) => Marker::Manifest(Manifest::parse(&text)),
                _ => Marker::Manifest(Manifest::default()),
            },
        }
    }
}

/// Whether a file name is OS litter or one of annexa's own dot-named files, which no check of
/// a folder's contents counts.
pub(super) fn ignored(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    LITTER.iter().any(|l| name.eq_ignore_ascii_case(l))
        || (name.starts_with('.') && name.contains(".annexa-"))
}

/// The files below the folder `dir` that annexa did not write, sorted, by the rule its marker
/// calls for. A legacy site is judged against `staged` (the new site's files): a file is
/// annexa's if the new site has it too or it is a page annexa generated; without `staged`
/// (before the new site exists) a legacy site is not judged yet.
pub(super) fn foreign_files(
    dir: &Path,
    marker: &Marker,
    staged: Option<&Manifest>,
) -> Result<Vec<String>, Fatal> {
    let known = |rel: &str, path: &Path| match marker {
        Marker::Absent => false,
        Marker::Manifest(manifest) => manifest.contains(rel),
        Marker::Legacy => staged.is_some_and(|s| s.contains(rel)) || generated_page(path),
    };
    if matches!(marker, Marker::Legacy) && staged.is_none() {
        return Ok(Vec::new());
    }
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry =
            entry.map_err(|e| Fatal::new(format!("cannot read `{}`: {e}", dir.display())))?;
        if entry.file_type().is_dir() || ignored(entry.file_name()) {
            continue;
        }
        let rel = key(entry.path().strip_prefix(dir).unwrap_or(entry.path()));
        if !known(&rel, entry.path()) {
            foreign.push(rel);
        }
    }
    foreign.sort_unstable();
    Ok(foreign)
}

/// What a walk of a site with a manifest found besides the files its manifest lists as annexa
/// wrote them.
#[derive(Debug, Default)]
pub(super) struct Survey {
    /// Files annexa did not write, sorted.
    pub(super) foreign: Vec<String>,
    /// OS litter and stray files of annexa's own names inside the site.
    pub(super) litter: Vec<String>,
    /// Listed files that are missing, or were changed after the manifest was written (their
    /// status-change time is later than the marker's): their hashes no longer say what they hold.
    pub(super) dirty: HashSet<String>,
}

impl Survey {
    /// Whether the site holds exactly what its manifest lists.
    pub(super) fn clean(&self) -> bool {
        self.foreign.is_empty() && self.litter.is_empty() && self.dirty.is_empty()
    }
}

/// Walks the site `dir` whose manifest is `manifest` (in parallel): what it holds besides the
/// files listed.
pub(super) fn survey(dir: &Path, manifest: &Manifest) -> Result<Survey, Fatal> {
    /// One file of the walk.
    enum Seen {
        Litter(String),
        Foreign(String),
        Listed { index: usize, fresh: bool },
    }
    let marked = fs::symlink_metadata(dir.join(MARKER))
        .map(|m| changed_at(&m))
        .unwrap_or((i64::MIN, 0));
    let seen = super::walk::files(dir, &|found| {
        if found.depth == 1 && found.rel == MARKER {
            return None;
        }
        if ignored(&found.entry.file_name()) {
            return Some(Seen::Litter(found.rel));
        }
        let Some(index) = manifest.position(&found.rel) else {
            return Some(Seen::Foreign(found.rel));
        };
        let fresh = found
            .entry
            .metadata()
            .is_ok_and(|m| m.is_file() && changed_at(&m) <= marked);
        Some(Seen::Listed { index, fresh })
    })?;
    let mut survey = Survey::default();
    let mut present = vec![false; manifest.len()];
    for seen in seen {
        match seen {
            Seen::Litter(rel) => survey.litter.push(rel),
            Seen::Foreign(rel) => survey.foreign.push(rel),
            Seen::Listed { index, fresh } => {
                present[index] = true;
                if !fresh {
                    survey.dirty.insert(manifest.files[index].0.clone());
                }
            }
        }
    }
    for (index, _) in present.iter().enumerate().filter(|(_, here)| !**here) {
        survey.dirty.insert(manifest.files[index].0.clone());
    }
    survey.foreign.sort_unstable();
    survey.litter.sort_unstable();
    Ok(survey)
}

/// When a file's status last changed (ctime on Unix, which no tool can set back).
fn changed_at(meta: &fs::Metadata) -> (i64, i64) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (meta.ctime(), meta.ctime_nsec())
    }
    #[cfg(not(unix))]
    {
        let since = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        (since.as_secs() as i64, i64::from(since.subsec_nanos()))
    }
}

/// Whether the file at `path` is an HTML page with annexa's generator tag near its start.
fn generated_page(path: &Path) -> bool {
    use std::io::Read;
    if path.extension().is_none_or(|e| e != "html") {
        return false;
    }
    let mut head = Vec::with_capacity(1024);
    fs::File::open(path)
        .and_then(|f| f.take(1024).read_to_end(&mut head))
        .is_ok()
        && memchr::memmem::find(&head, b"<meta name=\"generator\" content=\"annexa ").is_some()
}

/// A relative path as the manifest writes it: `/`-separated, with `%`, control characters and
/// (in a name that is not UTF-8) every non-ASCII byte as `%XX`, so that it fits on one line.
pub(super) fn key(rel: &Path) -> String {
    let mut key = String::new();
    for (i, part) in rel.iter().enumerate() {
        if i > 0 {
            key.push('/');
        }
        match part.to_str() {
            Some(text)
                if !text
                    .bytes()
                    .any(|b| b == b'%' || b.is_ascii_control() || b >= 0x80) =>
            {
                key.push_str(text);
            }
            Some(text) => {
                for c in text.chars() {
                    if c == '%' || c.is_control() {
                        let mut buf = [0; 4];
                        for b in c.encode_utf8(&mut buf).bytes() {
                            key.push_str(&format!("%{b:02X}"));
                        }
                    } else {
                        key.push(c);
                    }
                }
            }
            None => {
                for &b in part.as_encoded_bytes() {
                    if b == b'%' || !(0x20..0x7f).contains(&b) {
                        key.push_str(&format!("%{b:02X}"));
                    } else {
                        key.push(b as char);
                    }
                }
            }
        }
    }
    key
}

/// The relative path a manifest key stands for (the inverse of [`key`]).
pub(super) fn unkey(key: &str) -> std::path::PathBuf {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        std::path::PathBuf::from(std::ffi::OsString::from_vec(out))
    }
    #[cfg(not(unix))]
    {
        std::path::PathBuf::from(String::from_utf8_lossy(&out).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_go_to_hex_and_back() {
        let mut hash = [0u8; 32];
        for (i, b) in hash.iter_mut().enumerate() {
            *b = (i * 37 % 256) as u8;
        }
        let text = hex(&hash);
        assert_eq!(text.len(), 64);
        assert_eq!(&text[..6], "00254a");
        assert_eq!(parse_hex(&text), Some(hash));
        assert_eq!(parse_hex(&text[1..]), None);
        assert_eq!(parse_hex(&format!("{}zz", &text[..62])), None);
    }

    #[test]
    fn a_manifest_reads_back_what_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path();
        for (rel, text) in [
            ("index.html", "home"),
            ("a b/100%.txt", "odd"),
            ("x/y/z.css", ""),
        ] {
            fs::create_dir_all(site.join(rel).parent().unwrap()).unwrap();
            fs::write(site.join(rel), text).unwrap();
        }
        let written = ["index.html", "a b/100%.txt", "x/y/z.css"]
            .iter()
            .map(|rel| {
                let bytes = fs::read(site.join(rel)).unwrap();
                (key(Path::new(rel)), hash(&bytes))
            })
            .collect();
        let manifest = Manifest::of(written);
        manifest.write(site).unwrap();
        let text = fs::read_to_string(site.join(MARKER)).unwrap();
        assert!(text.starts_with(&format!("{HEADER}\n# ")), "{text}");
        let hex =
            |bytes: &[u8]| -> String { hash(bytes).iter().map(|b| format!("{b:02x}")).collect() };
        assert_eq!(
            hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(
            text.ends_with(&format!(
                "\n{} a b/100%25.txt\n{} index.html\n{} x/y/z.css\n",
                hex(b"odd"),
                hex(b"home"),
                hex(b"")
            )),
            "{text}"
        );
        let Marker::Manifest(read) = Marker::read(site) else {
            panic!("a manifest");
        };
        assert_eq!(read, manifest);
        assert!(read.hashed());
        assert_eq!(read.hash_of("x/y/z.css"), Some(hash(b"")));
        assert!(read.contains("a b/100%25.txt") && !read.contains("a b/100%.txt"));
        assert_eq!(unkey("a b/100%25.txt"), Path::new("a b/100%.txt"));
        let survey = survey(site, &read).unwrap();
        assert!(survey.clean(), "{survey:?}");
        // File times come from the kernel's coarse clock (a tick of up to 10 ms): an edit in the
        // marker's own tick would carry the marker's time and look unchanged.
        std::thread::sleep(std::time::Duration::from_millis(30));
        fs::write(site.join("index.html"), "edited").unwrap();
        fs::write(site.join("notes.txt"), "mine").unwrap();
        fs::write(site.join("x/.DS_Store"), "litter").unwrap();
        let survey = super::survey(site, &read).unwrap();
        assert_eq!(survey.foreign, ["notes.txt"]);
        assert_eq!(survey.litter, ["x/.DS_Store"]);
        assert_eq!(survey.dirty.into_iter().collect::<Vec<_>>(), ["index.html"]);
        // A listed file that is gone, or is a folder now, no longer holds what was listed.
        fs::remove_file(site.join("x/y/z.css")).unwrap();
        fs::remove_file(site.join("index.html")).unwrap();
        fs::create_dir(site.join("index.html")).unwrap();
        let survey = super::survey(site, &read).unwrap();
        let mut dirty: Vec<_> = survey.dirty.into_iter().collect();
        dirty.sort();
        assert_eq!(dirty, ["index.html", "x/y/z.css"]);
        assert_eq!(survey.foreign, ["notes.txt"]);
    }

    /// A manifest of the previous version lists paths without hashes.
    #[test]
    fn a_manifest_of_the_previous_version_reads_as_paths() {
        let read = Manifest::parse("annexa-site manifest 2\n# comment\nb.html\na.html\n");
        assert_eq!(read.paths().collect::<Vec<_>>(), ["a.html", "b.html"]);
        assert!(!read.hashed());
        assert_eq!(
            Manifest::parse("annexa-site manifest 3\nzz a.html\n"),
            Manifest::default()
        );
    }

    #[test]
    fn keys_fit_on_a_line() {
        assert_eq!(key(Path::new("a/b c/d.html")), "a/b c/d.html");
        assert_eq!(key(Path::new("new\nline%")), "new%0Aline%25");
        // Each of the three escapes alone, in a name with none of the others.
        assert_eq!(key(Path::new("new\nline")), "new%0Aline");
        assert_eq!(key(Path::new("%")), "%25");
        assert_eq!(key(Path::new("\u{85}")), "%C2%85");
        assert_eq!(key(Path::new("politique-sécurité")), "politique-sécurité");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"caf\xe9");
            assert_eq!(key(Path::new(name)), "caf%E9");
        }
    }

    #[test]
    fn litter_and_annexas_files_are_ignored() {
        for name in [".DS_Store", "Thumbs.db", "desktop.ini", ".annexa-site"] {
            assert!(ignored(std::ffi::OsStr::new(name)), "{name}");
        }
        for name in ["notes.txt", "DS_Store", "annexa-site"] {
            assert!(!ignored(std::ffi::OsStr::new(name)), "{name}");
        }
    }
}
