//! The theme: Tera templates and static assets compiled into the binary from `themes/default/`,
//! with a project's `templates/` overriding templates file by file.

use std::borrow::Cow;
use std::fs;
use std::path::Path;

use rust_embed::RustEmbed;
use tera::Tera;

use crate::error::Fatal;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// The folder in the site where theme assets go.
pub const ASSETS_DIR: &str = "_assets";

/// The theme's static files: (path below `static/`, bytes).
pub fn static_files() -> impl Iterator<Item = (String, Cow<'static, [u8]>)> {
    DefaultTheme::iter().filter_map(|path| {
        let rel = path.strip_prefix("static/")?.to_string();
        DefaultTheme::get(&path).map(|file| (rel, file.data))
    })
}

/// The theme's templates, with `templates/*.html` of the project at `root` overriding them.
pub fn load(root: &Path) -> Result<Tera, Fatal> {
    let mut templates: Vec<(String, String)> = Vec::new();
    for path in DefaultTheme::iter() {
        let Some(name) = path.strip_prefix("templates/") else {
            continue;
        };
        let file = DefaultTheme::get(&path).expect("listed theme file exists");
        let text = String::from_utf8_lossy(&file.data).into_owned();
        templates.push((name.to_string(), text));
    }
    let overrides = root.join("templates");
    if overrides.is_dir() {
        for entry in walkdir::WalkDir::new(&overrides)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let name = crate::load::relative(&overrides, entry.path());
            let text = fs::read_to_string(entry.path())
                .map_err(|e| Fatal::new(format!("cannot read template `templates/{name}`: {e}")))?;
            match templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => templates.push((name, text)),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Fatal::new(format!("template error: {}", error_chain(&e))))?;
    Ok(tera)
}

/// A Tera error with its causes, for messages.
pub fn error_chain(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
