//! The lints of a document's language: placeholders left in, vague wording in policies and
//! standards, other tools' syntax, raw HTML the sanitiser removes, resources from other hosts.

use crate::diagnostic::{Diagnostic, Lint, Severity};
use crate::document::MarkSite;
use crate::frontmatter::{Kind, Status};
use crate::markdown::{Removed, Syntax, What};
use crate::model::{Document, Project};

/// The findings of `lint` made by `finding` from the marks of each document.
fn from_marks(
    project: &Project,
    lint: Lint,
    finding: impl Fn(&Document, &MarkSite) -> Option<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in &project.documents {
        for mark in &doc.marks {
            if let Some(d) = finding(doc, mark) {
                debug_assert_eq!(d.lint, lint);
                out.push(d.in_file(doc.path()).at(mark.position));
            }
        }
    }
    out
}

/// `placeholder-text`: a template placeholder left in the text (`{{companyShortName}}`,
/// `[insert …]`, `<insert …>`, `TBD`, `TODO`, `XXX`); an error in an approved document.
pub fn placeholder_text(project: &Project) -> Vec<Diagnostic> {
    from_marks(project, Lint::PlaceholderText, |doc, mark| {
        if mark.what != What::Placeholder {
            return None;
        }
        let mut d = Diagnostic::new(
            Lint::PlaceholderText,
            format!("placeholder `{}` left in the text", shortened(&mark.text)),
        );
        if doc.meta.status == Status::Approved {
            d.severity = Severity::Error;
            d = d.with_help("replace it with what it stands for: the document is approved");
        } else {
            d = d.with_help("replace it with what it stands for before the document is approved");
        }
        Some(d)
    })
}

/// `vague-language`: in a policy or a standard, a phrase that leaves a requirement open
/// ("where possible"), `periodically` (or `regularly`) with no period, or `should` in
/// a list item or table cell.
pub fn vague_language(project: &Project) -> Vec<Diagnostic> {
    from_marks(project, Lint::VagueLanguage, |doc, mark| {
        let kind = match doc.meta.kind {
            Kind::Policy => "policy",
            Kind::Standard => "standard",
            _ => return None,
        };
        let (message, help) = match mark.what {
            What::Vague => (
                format!("vague wording `{}` in a {kind}", shortened(&mark.text)),
                "say when it applies and who decides, or state the requirement without it",
            ),
            What::Periodically => (
                format!("`{}` with no period in a {kind}", mark.text),
                "say how often: `every 12 months`, `quarterly`",
            ),
            What::Should => (
                format!("`{}` in a requirement of a {kind}", mark.text),
                "write `must` for a requirement, or `may` for a choice",
            ),
            _ => return None,
        };
        Some(Diagnostic::new(Lint::VagueLanguage, message).with_help(help))
    })
}

/// `foreign-syntax`: pandoc, MkDocs, Hugo or Liquid syntax, which the site prints as it is.
pub fn foreign_syntax(project: &Project) -> Vec<Diagnostic> {
    from_marks(project, Lint::ForeignSyntax, |_, mark| {
        let What::Foreign(syntax) = mark.what else {
            return None;
        };
        let (what, help) = match syntax {
            Syntax::PageBreak => (
                "pandoc page break",
                "remove it: a page of the site has no page breaks",
            ),
            Syntax::Attributes => (
                "pandoc attribute block",
                "remove it: annexa does not read attribute blocks",
            ),
            Syntax::FencedDiv => (
                "pandoc fenced div",
                "remove the `:::` lines, or write a block quote",
            ),
            Syntax::Admonition => (
                "MkDocs admonition",
                "write a block quote instead: `> **Note:** …`",
            ),
            Syntax::Shortcode => ("Hugo shortcode", "write the Markdown or HTML it stands for"),
            Syntax::Template => (
                "template code (Liquid, Go templates)",
                "write the text it stands for: annexa runs no template code in documents",
            ),
        };
        Some(
            Diagnostic::new(
                Lint::ForeignSyntax,
                format!(
                    "{what} `{}` is printed on the site as it is",
                    shortened(&mark.text)
                ),
            )
            .with_help(help),
        )
    })
}

/// `raw-html-removed`: raw HTML that the sanitiser takes out of the page.
pub fn raw_html_removed(project: &Project) -> Vec<Diagnostic> {
    from_marks(project, Lint::RawHtmlRemoved, |_, mark| {
        let What::Removed(removed) = &mark.what else {
            return None;
        };
        let tag = shortened(&mark.text);
        let (message, help) = match removed {
            Removed::Element => (
                format!("`{tag}` is removed from the page"),
                "the site keeps only safe HTML elements; to show the angle brackets as text, write `\\<`".to_string(),
            ),
            Removed::ElementAndContent => (
                format!("`{tag}` is removed from the page with all it holds"),
                "the site runs no scripts and takes no styles from documents".to_string(),
            ),
            Removed::Attributes(names) => {
                let list = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let noun = if names.len() == 1 { "attribute" } else { "attributes" };
                (
                    format!("{noun} {list} of `{tag}` removed from the page"),
                    "the site keeps only safe attributes: no event handlers, styles other than `text-align`, or `javascript:` links".to_string(),
                )
            }
        };
        Some(Diagnostic::new(Lint::RawHtmlRemoved, message).with_help(help))
    })
}

/// `external-resource`: an image, script or other resource from another host.
pub fn external_resources(project: &Project) -> Vec<Diagnostic> {
    from_marks(project, Lint::ExternalResource, |_, mark| {
        let What::External(tag) = &mark.what else {
            return None;
        };
        let (what, help) = match tag.as_str() {
            "img" => (
                "image",
                "the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it",
            ),
            "script" => (
                "script",
                "the site runs no scripts from documents and loads nothing from outside: remove it",
            ),
            _ => (
                "resource",
                "the site loads nothing from outside, so it is removed: copy the file into the repository and link to it",
            ),
        };
        Some(
            Diagnostic::new(
                Lint::ExternalResource,
                format!("{what} `{}` is on another host", shortened(&mark.text)),
            )
            .with_help(help),
        )
    })
}

/// `text` on one line (each run of white space one space), cut to 80 characters with `…` when
/// longer.
fn shortened(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn long_text_is_cut_to_eighty_characters_on_one_line() {
        assert_eq!(shortened("a\n  b\tc"), "a b c");
        let long = "x".repeat(80);
        assert_eq!(shortened(&long), long);
        assert_eq!(shortened(&format!("{long}é")), format!("{long}…"));
        assert_eq!(
            shortened(&format!("é{long}")),
            format!("é{}…", "x".repeat(79))
        );
    }
}
