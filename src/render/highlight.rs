//! Code highlighting with syntect, to CSS classes (`hl-…`); each distinct line is parsed once
//! per parser state, so blocks and lines that recur cost little after the first.

use std::cell::RefCell;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{
    ParseState, ScopeStack, ScopeStackOp, SyntaxDefinition, SyntaxReference, SyntaxSet,
    SyntaxSetBuilder,
};
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntaxes that syntect's built-in set lacks, compiled in from `syntaxes/`.
const EXTRA_SYNTAXES: &[(&str, &str)] = &[
    ("TOML", include_str!("syntaxes/toml.sublime-syntax")),
    ("HCL", include_str!("syntaxes/hcl.sublime-syntax")),
];

/// Fence names that mean a language under another name.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("console", "bash"),
    ("shell-session", "bash"),
    ("terraform", "hcl"),
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn extra_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut builder = SyntaxSetBuilder::new();
        for (name, source) in EXTRA_SYNTAXES {
            match SyntaxDefinition::load_from_str(source, true, None) {
                Ok(definition) => builder.add(definition),
                Err(e) => debug_assert!(false, "the {name} syntax does not load: {e}"),
            }
        }
        builder.build()
    })
}

/// The syntax for a fence's language name, and the set it belongs to.
fn find_syntax(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    if lang.is_empty() {
        return None;
    }
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, name)| name);
    [extra_syntaxes(), syntaxes()]
        .into_iter()
        .find_map(|set| set.find_syntax_by_token(token).map(|s| (s, set)))
}

/// The HTML of a fenced code block: `<pre><code>` with highlighted spans when the language is
/// known, escaped text otherwise. The block is a region named `name` (escaped HTML) that the
/// keyboard can reach, so a long line can be scrolled to without a mouse.
pub fn code_block(lang: &str, code: &str, name: &str) -> String {
    let lang_class = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        .collect::<String>();
    let pre = format!("<pre class=\"code\" tabindex=\"0\" role=\"region\" aria-label=\"{name}\">");
    let open = if lang_class.is_empty() {
        format!("{pre}<code>")
    } else {
        format!("{pre}<code class=\"language-{lang_class}\">")
    };
    let body = find_syntax(lang)
        .and_then(|(syntax, set)| highlighted_spans(syntax, set, code))
        .unwrap_or_else(|| escape(code));
    format!("{open}{body}</code></pre>\n")
}

/// The code as HTML spans classed by syntax scope, as syntect's `ClassedHTMLGenerator` writes
/// them, or `None` when the syntax fails on it.
fn highlighted_spans(
    syntax: &'static SyntaxReference,
    set: &SyntaxSet,
    code: &str,
) -> Option<String> {
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 4);
    let mut open_spans = 0;
    for line in LinesWithEndings::from(code) {
        let ops = parse_line(syntax, set, &mut state, line)?;
        let (spans, delta) =
            line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes).ok()?;
        html.push_str(&spans);
        open_spans += delta;
    }
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// A line parsed once: the parser's state before and after it, and its scope operations.
struct ParsedLine {
    syntax: &'static SyntaxReference,
    before: ParseState,
    after: ParseState,
    ops: Vec<(usize, ScopeStackOp)>,
}

/// Lines kept per thread before the cache starts over.
const MAX_PARSED_LINES: usize = 50_000;

thread_local! {
    /// Lines already parsed on this thread, by text. A line's scope operations depend only on
    /// the syntax, the parser's state before the line and its text (the caching syntect's
    /// `ParseState` documents), and lines recur across code blocks: keys, commands, boilerplate.
    static PARSED_LINES: RefCell<FxHashMap<Box<str>, Vec<ParsedLine>>> = RefCell::default();
}

/// `state.parse_line(line)`, answered from the cache when this line was parsed from the same
/// state before.
fn parse_line(
    syntax: &'static SyntaxReference,
    set: &SyntaxSet,
    state: &mut ParseState,
    line: &str,
) -> Option<Vec<(usize, ScopeStackOp)>> {
    PARSED_LINES.with_borrow_mut(|cache| {
        let known = cache.get(line).and_then(|parsed| {
            parsed
                .iter()
                .find(|p| std::ptr::eq(p.syntax, syntax) && p.before == *state)
        });
        if let Some(parsed) = known {
            state.clone_from(&parsed.after);
            return Some(parsed.ops.clone());
        }
        let before = state.clone();
        let ops = state.parse_line(line, set).ok()?;
        if cache.len() >= MAX_PARSED_LINES {
            cache.clear();
        }
        cache.entry(line.into()).or_default().push(ParsedLine {
            syntax,
            before,
            after: state.clone(),
            ops: ops.clone(),
        });
        Some(ops)
    })
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    pulldown_cmark_escape::escape_html(&mut out, text).ok();
    out
}

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default();
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| css_for_theme_with_class_style(t, CLASS_STYLE).ok())
        .unwrap_or_default();
    format!(
        "/* Code highlighting (generated by annexa from syntect themes, each colour darkened or\n   lightened to 4.5:1 on the code background). Each theme applies only in its own colour\n   scheme, so neither's selectors can win in the other's; print is light. */\n@media print, (prefers-color-scheme: light) {{\n{}\n}}\n@media screen and (prefers-color-scheme: dark) {{\n{}\n}}\n",
        legible(&strip_background(&light), LIGHT_CODE_BG),
        legible(&strip_background(&dark), DARK_CODE_BG)
    )
}

/// The code block backgrounds of the default theme (`--bg-subtle`), light and dark.
const LIGHT_CODE_BG: [u8; 3] = [0xf6, 0xf8, 0xfa];
const DARK_CODE_BG: [u8; 3] = [0x16, 0x1b, 0x22];

/// The contrast every highlighted colour gets on its background: WCAG AA's 4.5:1, with room
/// for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// `css` with each `color: #rrggbb` moved towards black (on a light background) or white (on
/// a dark one) until it has [`MIN_CONTRAST`] against `background`.
fn legible(css: &str, background: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for line in css.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let hex = trimmed
            .strip_prefix("color: #")
            .and_then(|rest| rest.get(..6))
            .and_then(parse_hex);
        match hex {
            Some(colour) => {
                let indent = &line[..line.len() - trimmed.len()];
                let [r, g, b] = with_contrast(colour, background);
                let rest = &trimmed["color: #".len() + 6..];
                out.push_str(&format!("{indent}color: #{r:02x}{g:02x}{b:02x}{rest}"));
            }
            None => out.push_str(line),
        }
    }
    out
}

fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// `colour`, mixed with black or white in small steps until it is legible on `background`.
fn with_contrast(colour: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let target = if luminance(background) > 0.5 {
        0.0
    } else {
        255.0
    };
    let mut mixed = colour;
    for step in 0..=50 {
        let t = f64::from(step) / 50.0;
        mixed = colour.map(|c| (f64::from(c) * (1.0 - t) + target * t).round() as u8);
        if contrast(mixed, background) >= MIN_CONTRAST {
            break;
        }
    }
    mixed
}

/// WCAG's relative luminance of an sRGB colour.
fn luminance(colour: [u8; 3]) -> f64 {
    let [r, g, b] = colour.map(|c| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// WCAG's contrast ratio of two colours.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Drops the themes' own page background so the site's code block colours apply.
fn strip_background(css: &str) -> String {
    css.lines()
        .filter(|l| !l.trim_start().starts_with("background-color"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What syntect's own generator writes for `code`.
    fn generator_spans(lang: &str, code: &str) -> String {
        let (syntax, set) = find_syntax(lang).expect("a known language");
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, set, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .expect("parses");
        }
        generator.finalize()
    }

    #[test]
    fn cached_lines_highlight_like_syntect_s_generator() {
        // The same lines in different parser states: inside and outside a heredoc, a block
        // comment and a multi-line string; then every block again, answered from the cache.
        let blocks = [
            ("bash", "echo done\ncat <<EOF\necho done\nEOF\necho done\n"),
            ("rust", "let a = 1;\n/*\nlet a = 1;\n*/\nlet a = 1;\n"),
            ("python", "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n"),
            (
                "yaml",
                "key: value\nlist:\n  - key: value\ntext: |\n  key: value\n",
            ),
            ("toml", "a = 1\nt = '''\na = 1\n'''\na = 1\n"),
        ];
        for _ in 0..2 {
            for (lang, code) in blocks {
                let (syntax, set) = find_syntax(lang).expect("a known language");
                let cached = highlighted_spans(syntax, set, code).expect("highlights");
                assert_eq!(cached, generator_spans(lang, code), "{lang}: {code}");
            }
        }
    }

    #[test]
    fn extra_syntaxes_load_and_highlight() {
        for (name, source) in EXTRA_SYNTAXES {
            SyntaxDefinition::load_from_str(source, true, None)
                .unwrap_or_else(|e| panic!("the {name} syntax: {e}"));
        }
        let toml = code_block(
            "toml",
            "# c\n[a.b]\nkey = \"v\\n\" # x\nn = 1_000\nd = 2026-01-10\nok = true\n[[arr]]\nt = '''\nx\n'''\n",
            "Code 1",
        );
        for class in [
            "hl-comment",
            "hl-entity hl-name hl-section",
            "hl-string",
            "hl-constant hl-character hl-escape",
            "hl-constant hl-numeric",
            "hl-constant hl-other hl-datetime",
            "hl-constant hl-language hl-boolean",
        ] {
            assert!(toml.contains(class), "{class} in {toml}");
        }
        let hcl = code_block(
            "terraform",
            "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"${var.name}-logs\" # c\n  count  = 2\n  policy = <<EOF\n{}\nEOF\n}\n",
            "Code 2",
        );
        for class in [
            "hl-storage hl-type",
            "hl-entity hl-other hl-attribute-name",
            "hl-string",
            "hl-interpolation",
            "hl-constant hl-numeric",
            "hl-comment",
            "hl-heredoc",
        ] {
            assert!(hcl.contains(class), "{class} in {hcl}");
        }
        assert!(code_block("shell", "echo \"$HOME\"\n", "Code 1").contains("hl-"));
        assert!(!code_block("nosuchlanguage", "<x>\n", "Code 1").contains("hl-"));
        assert!(code_block("nosuchlanguage", "<x>\n", "Code 1").contains("&lt;x&gt;"));
    }

    #[test]
    fn every_highlight_colour_has_4_5_to_1_on_its_background() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media screen and").unwrap();
        for (part, background) in [(light, LIGHT_CODE_BG), (dark, DARK_CODE_BG)] {
            let colours: Vec<[u8; 3]> = part
                .lines()
                .filter_map(|l| {
                    l.trim()
                        .strip_prefix("color: #")?
                        .get(..6)
                        .and_then(parse_hex)
                })
                .collect();
            assert!(colours.len() > 5, "{part}");
            for colour in colours {
                assert!(contrast(colour, background) >= 4.5, "{colour:?} in {part}");
            }
        }
        assert!(
            !css.contains("no-preference"),
            "an invalid media query: {css}"
        );
    }
}
