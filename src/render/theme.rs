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
    compile(&sources(root)?.0)
}

/// Compiles `templates` (names and texts, as [`sources`] gives them).
pub fn compile(templates: &[(String, String)]) -> Result<Tera, Fatal> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| Fatal::new(format!("template error: {}", error_chain(&e))))?;
    Ok(tera)
}

/// The templates' names and texts: the default theme's, with the project's `templates/` over
/// them; and whether the project has templates of its own.
pub fn sources(root: &Path) -> Result<(Vec<(String, String)>, bool), Fatal> {
    let mut templates: Vec<(String, String)> = Vec::new();
    let mut own = false;
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
            let name = crate::publish::relative(&overrides, entry.path());
            let text = fs::read_to_string(entry.path())
                .map_err(|e| Fatal::new(format!("cannot read template `templates/{name}`: {e}")))?;
            own = true;
            match templates.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = text,
                None => templates.push((name, text)),
            }
        }
    }
    Ok((templates, own))
}

/// Tera's HTML escaping (`&`, `<`, `>`, `"` and `'`), with the same output, written in runs
/// rather than byte by byte: autoescaping was a sixth of a large build's template time.
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
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

#[cfg(test)]
mod tests {
    use super::escape_html;

    fn escaped(input: &str) -> String {
        let mut out = Vec::new();
        escape_html(input, &mut out).expect("writes to a Vec");
        String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
    }

    #[test]
    fn escapes_like_tera() {
        for input in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "é'&'ü",
            "&&",
            ">",
        ] {
            let mut reference = Vec::new();
            tera::escape_html(input, &mut reference).expect("writes to a Vec");
            assert_eq!(
                escaped(input),
                String::from_utf8(reference).unwrap(),
                "{input}"
            );
        }
        assert_eq!(escaped("a<b>'c'\"&"), "a&lt;b&gt;&#39;c&#39;&quot;&amp;");
    }
}
