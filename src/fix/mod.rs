//! `check --fix`: applies the certain fixes diagnostics carry ([`crate::diagnostic::Fix`]) to
//! the files, or shows them as a unified diff (`--dry-run`); files with uncommitted changes in
//! Git are left alone unless `--allow-dirty`.

mod diff;
mod git;
mod run;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Fix};
use crate::error::Fatal;
use crate::source::offset_of;

pub use diff::unified;
pub use git::dirty_files;
pub use run::{FixMode, run};

/// A fix applied (or, in a dry run, that would be), for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The file, relative to the root.
    pub file: String,
    /// The finding it resolves, as `file:line:column lint`.
    pub what: String,
    /// The text replaced.
    pub original: String,
    /// The text written.
    pub replacement: String,
}

/// A file's text before and after its fixes.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The file, relative to the root.
    pub file: String,
    /// Its text now (without a byte order mark).
    pub before: String,
    /// Its text with the fixes applied.
    pub after: String,
    /// Whether the file starts with a UTF-8 byte order mark, kept when writing.
    bom: bool,
}

/// The fixes of `diagnostics`, by file, leaving out the files in `skip`.
pub fn by_file<'a>(
    diagnostics: &'a [Diagnostic],
    skip: &BTreeSet<String>,
) -> BTreeMap<&'a str, Vec<&'a Diagnostic>> {
    let mut files: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        if let (Some(file), Some(_)) = (d.file.as_deref(), &d.fix)
            && !skip.contains(file)
        {
            files.entry(file).or_default().push(d);
        }
    }
    files
}

/// Applies `fixes` to the text of `file` under `root`, in memory. A fix whose span no longer
/// holds its original text, or that overlaps an earlier one, is left out.
pub fn edit(
    root: &Path,
    file: &str,
    fixes: &[&Diagnostic],
) -> Result<(Edited, Vec<Applied>), Fatal> {
    let bytes = fs::read(root.join(file))
        .map_err(|e| Fatal::new(format!("cannot read `{file}` to fix it: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Fatal::new(format!("cannot fix `{file}`: it is not valid UTF-8")))?;
    let bom = text.starts_with('\u{feff}');
    let before = text.trim_start_matches('\u{feff}').to_string();
    let mut spans: Vec<(usize, usize, &Diagnostic, &Fix)> = fixes
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let start = offset_of(&before, fix.start)?;
            let end = offset_of(&before, fix.end)?;
            (before.get(start..end) == Some(fix.original.as_str())).then_some((start, end, *d, fix))
        })
        .collect();
    spans.sort_by_key(|s| (s.0, s.1));
    let mut after = String::with_capacity(before.len());
    let mut at = 0;
    let mut applied = Vec::new();
    for (start, end, d, fix) in spans {
        if start < at {
            continue;
        }
        after.push_str(&before[at..start]);
        after.push_str(&fix.replacement);
        at = end;
        applied.push(Applied {
            file: file.to_string(),
            what: format!("{} {}", d.location().unwrap_or_default(), d.lint),
            original: fix.original.clone(),
            replacement: fix.replacement.clone(),
        });
    }
    after.push_str(&before[at..]);
    Ok((
        Edited {
            file: file.to_string(),
            before,
            after,
            bom,
        },
        applied,
    ))
}

impl Edited {
    /// Writes the fixed text over the file (through a temporary file beside it).
    pub fn write(&self, root: &Path) -> Result<(), Fatal> {
        let path = root.join(&self.file);
        let mut text = String::new();
        if self.bom {
            text.push('\u{feff}');
        }
        text.push_str(&self.after);
        let dir = path.parent().unwrap_or(root);
        let fail = |e: std::io::Error| Fatal::new(format!("cannot write `{}`: {e}", self.file));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
        std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(fail)?;
        if let Ok(meta) = fs::metadata(&path) {
            let _ = fs::set_permissions(tmp.path(), meta.permissions());
        }
        tmp.persist(&path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}
