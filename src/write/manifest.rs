//! Manifest: the marker file `.annexa-site` of a site lists every file annexa wrote into it, so
//! that a folder holding anything else is not replaced blindly. (A user's own files are always
//! at paths annexa did not write, so paths are what the check compares; reading every file
//! back to hash it would cost a tenth of a 10,000-document build.)

use std::fs;
use std::path::Path;

use crate::error::Fatal;

/// The file that marks a folder as a site annexa built, and lists what it wrote there.
pub const MARKER: &str = ".annexa-site";

/// The first line of a manifest: its format and hash.
const HEADER: &str = "annexa-site manifest 2";

const EXPLANATION: &str = "\
# This folder was built by annexa. `annexa build` replaces it as a whole, and refuses to if it
# holds files not listed here. Each line is the path of a file annexa wrote ('%', control
# characters and non-UTF-8 bytes as %XX).
";

/// The whole marker of a site built before manifests were written.
const LEGACY: &str = "This folder was built by annexa. `annexa build` replaces it as a whole.\n";

/// Files the operating system leaves in folders it shows: never the user's work.
const LITTER: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

/// The files of a site, by path.
#[derive(Debug, Default)]
pub(super) struct Manifest {
    /// Sorted.
    files: Vec<String>,
}

impl Manifest {
    /// Lists every file below `dir`, the finished staging tree.
    pub(super) fn scan(dir: &Path) -> Result<Manifest, Fatal> {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(dir).min_depth(1) {
            let entry = entry.map_err(|e| Fatal::new(format!("cannot read the new site: {e}")))?;
            let marker = entry.depth() == 1 && entry.file_name() == MARKER;
            if !entry.file_type().is_dir() && !marker {
                files.push(key(entry.path().strip_prefix(dir).unwrap_or(entry.path())));
            }
        }
        files.sort_unstable();
        Ok(Manifest { files })
    }

    /// Writes the manifest as the marker of `dir`.
    pub(super) fn write(&self, dir: &Path) -> Result<(), Fatal> {
        let mut text = String::with_capacity(self.files.len() * 48 + 512);
        text.push_str(HEADER);
        text.push('\n');
        text.push_str(EXPLANATION);
        for path in &self.files {
            text.push_str(path);
            text.push('\n');
        }
        let path = dir.join(MARKER);
        fs::write(&path, text)
            .map_err(|e| Fatal::new(format!("cannot write `{}`: {e}", path.display())))
    }

    fn parse(text: &str) -> Manifest {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Manifest::default();
        }
        let mut files: Vec<String> = lines
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_string)
            .collect();
        files.sort_unstable();
        Manifest { files }
    }

    fn contains(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|p| p.as_str().cmp(path))
            .is_ok()
    }
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
fn key(rel: &Path) -> String {
    let mut key = String::new();
    for (i, part) in rel.iter().enumerate() {
        if i > 0 {
            key.push('/');
        }
        match part.to_str() {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let manifest = Manifest::scan(site).unwrap();
        manifest.write(site).unwrap();
        let text = fs::read_to_string(site.join(MARKER)).unwrap();
        assert!(text.starts_with(&format!("{HEADER}\n# ")), "{text}");
        assert!(
            text.ends_with("\na b/100%25.txt\nindex.html\nx/y/z.css\n"),
            "{text}"
        );
        let Marker::Manifest(read) = Marker::read(site) else {
            panic!("a manifest");
        };
        assert_eq!(read.files, manifest.files);
        assert!(read.contains("a b/100%25.txt") && !read.contains("a b/100%.txt"));
        assert_eq!(
            foreign_files(site, &Marker::Manifest(read), None).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn keys_fit_on_a_line() {
        assert_eq!(key(Path::new("a/b c/d.html")), "a/b c/d.html");
        assert_eq!(key(Path::new("new\nline%")), "new%0Aline%25");
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
