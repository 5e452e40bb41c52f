//! `annexa pack`: the audit pack, one zip an auditor can be sent before Stage 1: the printable
//! pack document (the `/audit-pack/` page), `soa.xlsx`, the CSV exports, `documents.json`, and
//! `MANIFEST.txt` with the SHA-256 of each. The zip is reproducible (fixed entry times and
//! order), written atomically, and never replaces a file annexa did not write.

mod archive;

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::commands::Outcome;
use crate::error::Fatal;
use crate::render::Renderer;
use crate::report::{Format, Report};

pub use archive::{COMMENT, is_pack};

/// Options of `annexa pack`.
#[derive(Debug, Clone)]
pub struct PackOptions<'a> {
    /// The project folder, or `None` to search from the current folder.
    pub dir: Option<&'a Path>,
    /// The zip to write; default `audit-pack-<today>.zip` in the current folder.
    pub out: Option<&'a Path>,
    /// The day reviews and registers are judged on.
    pub today: Date,
}

/// `annexa pack`: checks the project like `build` (content errors other than the date-driven
/// ones stop it with exit 1), then writes the pack. Diagnostics and the summary go to `err`.
pub fn pack(options: &PackOptions<'_>, err: &mut dyn Write) -> Result<Outcome, Fatal> {
    let analysis = crate::pipeline::analyse(options.dir, options.today)?;
    let project = &analysis.project;
    let write_error = |e: std::io::Error| Fatal::new(format!("cannot write to the terminal: {e}"));
    if !analysis.diagnostics.is_empty() {
        let report = Report {
            diagnostics: &analysis.diagnostics,
            documents: project.documents.len(),
            files: &[],
        };
        report
            .write_with(Format::Human, crate::report::Detail::ErrorsOnly, err)
            .map_err(write_error)?;
    }
    let blocking = analysis.blocking_errors();
    if blocking > 0 {
        writeln!(
            err,
            "annexa: no pack written: {blocking} content {} (findings that come from today's date do not stop it)",
            if blocking == 1 { "error" } else { "errors" }
        )
        .map_err(write_error)?;
        return Ok(Outcome::ContentErrors);
    }
    let target = match options.out {
        Some(out) => out.to_path_buf(),
        None => PathBuf::from(format!("audit-pack-{}.zip", options.today)),
    };
    archive::check_target(&target)?;
    let entries = entries(project)?;
    let bytes = archive::zip(&entries, options.today)?;
    archive::write_atomically(&target, &bytes)?;
    writeln!(
        err,
        "annexa: wrote the audit pack {} ({} files, {} bytes)",
        target.display(),
        entries.len(),
        bytes.len()
    )
    .map_err(write_error)?;
    Ok(Outcome::Clean)
}

/// The files of the pack, in order, with `MANIFEST.txt` last.
pub fn entries(project: &crate::model::Project) -> Result<Vec<(String, Vec<u8>)>, Fatal> {
    let renderer = Renderer::new(project)?;
    let document = renderer.audit_pack()?;
    // The exports, written as the site writes them, into a folder of their own.
    let tmp = tempfile::tempdir()
        .map_err(|e| Fatal::new(format!("cannot create a temporary folder: {e}")))?;
    let tree = crate::write::Tree::plain(tmp.path());
    crate::render::exports::write_all(project, renderer.site(), &tree)?;
    let exports = tmp.path().join("exports");
    let read = |name: &str| {
        std::fs::read(exports.join(name))
            .map_err(|e| Fatal::new(format!("cannot read the export {name}: {e}")))
    };
    let mut files = vec![
        ("audit-pack.html".to_string(), document),
        ("soa.xlsx".to_string(), read("soa.xlsx")?),
    ];
    let mut csvs: Vec<String> = std::fs::read_dir(&exports)
        .map_err(|e| Fatal::new(format!("cannot read the exports: {e}")))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    csvs.sort();
    for name in csvs {
        let bytes = read(&name)?;
        files.push((name, bytes));
    }
    files.push(("documents.json".to_string(), read("documents.json")?));
    renderer.discard();
    let manifest = archive::manifest(&files);
    files.push(("MANIFEST.txt".to_string(), manifest.into_bytes()));
    Ok(files)
}
