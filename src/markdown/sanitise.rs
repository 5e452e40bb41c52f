//! The one HTML allow-list: the sanitiser the renderer runs on raw HTML (ammonia), and what it
//! removes from a start tag, which the `raw-html-removed` lint reports.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::html::StartTag;
use super::remote_url;

/// The elements annexa adds to ammonia's default tags.
const EXTRA_TAGS: &[&str] = &["input", "figure", "figcaption", "section", "mark"];
/// The attributes kept on every element besides ammonia's (`lang`, `title`).
const EXTRA_GENERIC: &[&str] = &["class", "id", "style"];
/// The attributes kept on some elements besides ammonia's.
const EXTRA_TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("input", &["type", "checked", "disabled", "aria-label"]),
    ("div", &["tabindex", "role", "aria-label"]),
    ("pre", &["tabindex", "role", "aria-label"]),
    ("a", &["aria-label"]),
    ("img", &["width", "height", "loading"]),
    ("td", &["colspan", "rowspan"]),
    ("th", &["colspan", "rowspan"]),
];

/// The sanitiser for HTML made from a document with raw HTML: ammonia's defaults plus what the
/// renderer writes itself (heading ids, highlight classes, task-list checkboxes, scrolling
/// regions, table alignment). No scripts, no event handlers, no `javascript:` URLs, and no image
/// from another host (its `src` is dropped: nothing loads from outside the site).
pub fn sanitiser<'a>() -> ammonia::Builder<'a> {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(EXTRA_GENERIC)
        .add_tags(EXTRA_TAGS)
        .attribute_filter(|element, attribute, value| {
            keeps_value(element, attribute, value).then_some(Cow::Borrowed(value))
        });
    for (tag, attributes) in EXTRA_TAG_ATTRIBUTES {
        builder.add_tag_attributes(tag, *attributes);
    }
    builder
}

/// Whether the sanitiser keeps an allowed attribute with this value (its attribute filter).
fn keeps_value(element: &str, attribute: &str, value: &str) -> bool {
    match (element, attribute) {
        (_, "style") => is_alignment(value),
        ("input", "type") => value == "checkbox",
        (_, "role") => value == "region",
        (_, "tabindex") => value == "0",
        (_, "src") => !remote_url(value),
        _ => true,
    }
}

/// Whether a `style` value is only a text alignment.
fn is_alignment(style: &str) -> bool {
    let normal: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let normal = normal.trim_end_matches(';');
    matches!(
        normal,
        "text-align:left" | "text-align:center" | "text-align:right"
    )
}

/// What the sanitiser allows, taken once from [`sanitiser`] itself.
struct Allowed {
    tags: HashSet<&'static str>,
    clean_content: HashSet<&'static str>,
    generic: HashSet<&'static str>,
    by_tag: HashMap<&'static str, HashSet<&'static str>>,
    schemes: HashSet<&'static str>,
}

static ALLOWED: LazyLock<Allowed> = LazyLock::new(|| {
    let builder = sanitiser();
    Allowed {
        tags: builder.clone_tags(),
        clean_content: builder.clone_clean_content_tags(),
        generic: builder.clone_generic_attributes(),
        by_tag: builder.clone_tag_attributes(),
        schemes: builder.clone_url_schemes(),
    }
});

/// What the sanitiser does to a start tag that it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// The element goes, its text stays.
    Element,
    /// The element goes with all it holds (`script`, `style`).
    ElementAndContent,
    /// These attributes go.
    Attributes(Vec<String>),
}

/// What the sanitiser removes from `tag`, if anything (the attribute that is a remote `src` is
/// not counted: `external-resource` reports it).
pub fn removed(tag: &StartTag) -> Option<Removed> {
    let allowed = &*ALLOWED;
    let name = tag.name.as_str();
    if allowed.clean_content.contains(name) {
        return Some(Removed::ElementAndContent);
    }
    if !allowed.tags.contains(name) {
        return Some(Removed::Element);
    }
    let dropped: Vec<String> = tag
        .attrs
        .iter()
        .filter(|(attr, value)| {
            let listed = allowed.generic.contains(attr.as_str())
                || allowed
                    .by_tag
                    .get(name)
                    .is_some_and(|set| set.contains(attr.as_str()));
            let remote_src = attr == "src" && remote_url(value);
            !remote_src
                && !(listed
                    && keeps_value(name, attr, value)
                    && (!is_url_attribute(name, attr) || allowed_url(&allowed.schemes, value)))
        })
        .map(|(attr, _)| attr.clone())
        .collect();
    (!dropped.is_empty()).then_some(Removed::Attributes(dropped))
}

/// Whether ammonia checks the attribute's value as a URL.
fn is_url_attribute(element: &str, attribute: &str) -> bool {
    matches!(attribute, "href" | "src" | "xlink:href")
        || matches!(
            (element, attribute),
            ("form", "action")
                | ("object", "data")
                | ("button" | "input", "formaction")
                | ("a", "ping")
                | ("video", "poster")
        )
}

/// Whether a URL is relative (rewritten, kept) or has a scheme the sanitiser allows.
fn allowed_url(schemes: &HashSet<&str>, value: &str) -> bool {
    match url_scheme(value) {
        Some(scheme) => schemes.contains(scheme.to_ascii_lowercase().as_str()),
        None => true,
    }
}

/// The scheme of a URL, when it has one (`https` in `https://…`).
fn url_scheme(value: &str) -> Option<&str> {
    let value = value.trim_start_matches(|c: char| c <= ' ');
    let colon = value.find(':')?;
    let scheme = &value[..colon];
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(html: &str) -> StartTag {
        let mut found = Vec::new();
        super::super::HtmlLinks::new().feed(html, &[(0, 0)], &mut found);
        found.remove(0)
    }

    fn attrs(list: &[&str]) -> Option<Removed> {
        Some(Removed::Attributes(
            list.iter().map(|s| s.to_string()).collect(),
        ))
    }

    #[test]
    fn what_is_removed_is_what_ammonia_removes() {
        assert_eq!(
            removed(&tag("<insert email address here>")),
            Some(Removed::Element)
        );
        assert_eq!(
            removed(&tag("<font color=\"red\">")),
            Some(Removed::Element)
        );
        assert_eq!(removed(&tag("<script>")), Some(Removed::ElementAndContent));
        assert_eq!(removed(&tag("<style>")), Some(Removed::ElementAndContent));
        assert_eq!(
            removed(&tag("<div onclick=\"x()\" class=\"a\">")),
            attrs(&["onclick"])
        );
        assert_eq!(
            removed(&tag("<a href=\"javascript:x()\">")),
            attrs(&["href"])
        );
        assert_eq!(
            removed(&tag("<a href=\"https://x\" target=\"_blank\">")),
            attrs(&["target"])
        );
        assert_eq!(removed(&tag("<p style=\"color: red\">")), attrs(&["style"]));
        assert_eq!(removed(&tag("<input type=\"text\">")), attrs(&["type"]));
        assert_eq!(
            removed(&tag("<div role=\"button\" tabindex=\"1\">")),
            attrs(&["role", "tabindex"])
        );
        for kept in [
            "<p style=\"text-align: center\">",
            "<a href=\"../a.md#x\" title=\"t\">",
            "<a href=\"mailto:x@example.com\">",
            "<img src=\"logo.png\" alt=\"Logo\" width=\"20\">",
            "<img src=\"https://cdn.example.com/x.png\" alt=\"x\">",
            "<div class=\"x\" id=\"y\" tabindex=\"0\" role=\"region\">",
            "<input type=\"checkbox\" checked disabled>",
            "<details>",
            "<td colspan=\"2\">",
        ] {
            assert_eq!(removed(&tag(kept)), None, "{kept}");
        }
    }

    #[test]
    fn the_checker_agrees_with_the_sanitiser() {
        for html in [
            "<font>x</font>",
            "<div onclick=\"x()\">x</div>",
            "<a href=\"javascript:x()\">x</a>",
            "<a href=\"https://x\" target=\"_blank\">x</a>",
            "<p style=\"color: red\">x</p>",
            "<img src=\"https://cdn.example.com/x.png\" alt=\"x\">",
        ] {
            let cleaned = sanitiser().clean(html).to_string();
            assert_ne!(cleaned, html, "{html}");
            let src_only = html.contains("cdn.example.com");
            assert_eq!(removed(&tag(html)).is_none(), src_only, "{html}");
            if src_only {
                assert_eq!(cleaned, "<img alt=\"x\">");
            }
        }
        assert_eq!(
            sanitiser()
                .clean("<p style=\"text-align: center\" title=\"t\">x</p>")
                .to_string(),
            "<p style=\"text-align: center\" title=\"t\">x</p>"
        );
    }

    #[test]
    fn schemes_are_read_like_urls() {
        assert_eq!(url_scheme("https://x"), Some("https"));
        assert_eq!(url_scheme(" JavaScript:x"), Some("JavaScript"));
        assert_eq!(url_scheme("a.md#x:y"), None);
        assert_eq!(url_scheme("../x:y"), None);
        assert_eq!(url_scheme("1x:y"), None);
        assert_eq!(url_scheme(":x"), None);
    }
}
