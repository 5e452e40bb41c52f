//! The performance floor annexa's build is measured against:
//! `floor IN OUT` reads every Markdown file, renders it with pulldown-cmark and writes it;
//! `floor --full IN OUT` also parses TOML front matter, rewrites `.md` links, highlights code
//! with syntect and renders one Tera page template — the least any site generator with those
//! features must do. Two worker threads, like the benchmark machine, and annexa's allocator.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

fn markdown_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .expect("below root")
                .to_path_buf()
        })
        .collect()
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

fn plain(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, options()));
    html
}

struct Full {
    tera: tera::Tera,
    syntaxes: syntect::parsing::SyntaxSet,
    known: HashSet<String>,
}

impl Full {
    fn render(&self, rel: &Path, text: &str) -> String {
        let (front, body) = text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.split_once("\n+++\n"))
            .unwrap_or(("", text));
        let meta: toml::Table = toml::from_str(front).unwrap_or_default();
        let title = meta
            .get("title")
            .and_then(|t| t.as_str())
            .unwrap_or("Untitled")
            .to_string();
        let dir = rel.parent().unwrap_or(Path::new(""));
        let mut code: Option<(String, String)> = None;
        let mut events = Vec::new();
        for event in Parser::new_ext(body, options()) {
            if let Some((lang, buffer)) = code.as_mut() {
                match event {
                    Event::Text(t) => buffer.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        events.push(Event::Html(self.highlight(lang, buffer).into()));
                        code = None;
                    }
                    _ => {}
                }
                continue;
            }
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    code = Some((info.to_string(), String::new()));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let path = dest_url.split('#').next().unwrap_or("");
                    let target = normalise(&dir.join(path));
                    let dest_url = if self.known.contains(&target) {
                        CowStr::from(dest_url.replace(".md", "/"))
                    } else {
                        dest_url
                    };
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                other => events.push(other),
            }
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let mut context = tera::Context::new();
        context.insert("title", &title);
        context.insert("body", &html);
        self.tera
            .render("page.html", &context)
            .expect("template renders")
    }

    fn highlight(&self, lang: &str, code: &str) -> String {
        let syntax = self
            .syntaxes
            .find_syntax_by_token(lang)
            .unwrap_or_else(|| self.syntaxes.find_syntax_plain_text());
        let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
            syntax,
            &self.syntaxes,
            syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in syntect::util::LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .expect("highlights");
        }
        format!("<pre><code>{}</code></pre>", generator.finalize())
    }
}

/// `a/b/../c.md` → `a/c.md`.
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The same allocator as annexa, so that the ratio compares the work done, not allocators.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let full = args.iter().any(|a| a == "--full");
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [input, output] = paths[..] else {
        eprintln!("usage: floor [--full] IN OUT");
        std::process::exit(2);
    };
    let (input, output) = (Path::new(input), Path::new(output));
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build_global()
        .expect("thread pool");
    let files = markdown_files(input);
    let full = full.then(|| {
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "page.html",
            "<!doctype html><html><head><title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>{{ body | safe }}</main></body></html>",
        )
        .expect("template parses");
        Full {
            tera,
            syntaxes: syntect::parsing::SyntaxSet::load_defaults_newlines(),
            known: files
                .iter()
                .map(|p| p.to_string_lossy().to_string())
                .collect(),
        }
    });
    files.par_iter().for_each(|rel| {
        let text = fs::read_to_string(input.join(rel)).expect("readable");
        let html = match &full {
            Some(full) => full.render(rel, &text),
            None => plain(&text),
        };
        let target = output.join(rel).with_extension("html");
        fs::create_dir_all(target.parent().expect("a parent")).expect("creatable");
        fs::write(target, html).expect("writable");
    });
    eprintln!("floor: {} files", files.len());
}
