//! Tests of the prose reader: what each kind of mark is, and where.

use super::*;

/// The marks of `body` read as a whole: (what, text, offset).
fn marks(body: &str, phrases: &[&str]) -> Vec<(What, String, usize)> {
    let scan = Scan {
        vague_phrases: phrases.iter().map(|p| p.to_string()).collect(),
    };
    let vague = vague_regex(&scan);
    let mut prose = Prose::new(&vague);
    for (event, range) in
        pulldown_cmark::Parser::new_ext(body, crate::markdown::options()).into_offset_iter()
    {
        prose.event(body, &event, range);
    }
    prose.finish();
    let mut found: Vec<_> = prose
        .marks
        .into_iter()
        .map(|m| (m.what, m.text, m.offset))
        .collect();
    found.sort_by_key(|m| m.2);
    found
}

fn texts(body: &str) -> Vec<(What, String)> {
    marks(body, &[])
        .into_iter()
        .map(|(w, t, _)| (w, t))
        .collect()
}

fn one(what: What, text: &str) -> Vec<(What, String)> {
    vec![(what, text.to_string())]
}

#[test]
fn double_braces_are_placeholders_or_template_code() {
    assert_eq!(braces("{{companyShortName}}"), What::Placeholder);
    assert_eq!(braces("{{ company-name }}"), What::Placeholder);
    assert_eq!(braces("{{}}"), What::Placeholder);
    assert_eq!(braces("{{ site.title }}"), What::Foreign(Syntax::Template));
    assert_eq!(braces("{{ x | upcase }}"), What::Foreign(Syntax::Template));
    assert_eq!(braces("{{ .Title }}"), What::Foreign(Syntax::Template));
    assert_eq!(braces("{{ two words }}"), What::Foreign(Syntax::Template));
    assert_eq!(braces("{% if x %}"), What::Foreign(Syntax::Template));
    assert_eq!(braces("{{< figure >}}"), What::Foreign(Syntax::Shortcode));
    assert_eq!(braces("{{% notice %}}"), What::Foreign(Syntax::Shortcode));
    assert_eq!(braces("{{< figure }}"), What::Foreign(Syntax::Template));
    assert_eq!(braces("{{% notice }}"), What::Foreign(Syntax::Template));
}

#[test]
fn placeholders_are_found_at_their_offsets_outside_code() {
    assert_eq!(texts("A <!-- TODO: {{x}} --> b.\n\n<!-- TBD -->\n"), []);
    let body = "A {{x}} b `{{y}}` [insert logo] TBD.\n\n```\nTODO\n```\n";
    assert_eq!(
        marks(body, &[]),
        [
            (What::Placeholder, "{{x}}".to_string(), 2),
            (What::Placeholder, "[insert logo]".to_string(), 18),
            (What::Placeholder, "TBD".to_string(), 32),
        ]
    );
    for text in [
        "[your company]",
        "[Enter the date]",
        "[fill in the name]",
        "[Specify it]",
        "[describe the scope]",
        "[Company Name]",
        "[organization]",
        "[Organisation name]",
        "[client]",
        "[customer name]",
        "[Name]",
        "[date]",
        "TBC",
        "TODO",
        "FIXME",
        "XXX",
    ] {
        assert_eq!(
            texts(&format!("A {text} b\n")),
            one(What::Placeholder, text)
        );
    }
    for plain in [
        "Press [Enter] to go on.",
        "Click [Add user].",
        "See [1] and [your].",
        "A todo list, tbd in lower case, XXXL and TBDs.",
        "[Name of the game]",
    ] {
        assert_eq!(texts(plain), [], "{plain}");
    }
}

#[test]
fn foreign_syntax_is_found_once() {
    assert_eq!(
        texts("\\newpage and \\clearpage\n"),
        [
            (What::Foreign(Syntax::PageBreak), "\\newpage".to_string()),
            (What::Foreign(Syntax::PageBreak), "\\clearpage".to_string()),
        ]
    );
    assert_eq!(texts("\\pagebreaking news\n"), []);
    assert_eq!(
        texts("Text {: .note}\n"),
        one(What::Foreign(Syntax::Attributes), "{: .note}")
    );
    assert_eq!(texts("A set {x} and {1.5}\n"), []);
    assert_eq!(
        texts("??? tip\n"),
        one(What::Foreign(Syntax::Admonition), "??? tip")
    );
    assert_eq!(
        texts("???+ tip\n"),
        one(What::Foreign(Syntax::Admonition), "???+ tip")
    );
    assert_eq!(texts("Why??? Really!!! ok\n"), []);
    assert_eq!(texts("A ::: in a line\n"), []);
    assert_eq!(
        texts("{{<figure src=\"x.png\">}}\n"),
        one(
            What::Foreign(Syntax::Shortcode),
            "{{<figure src=\"x.png\">}}"
        )
    );
    // `{ .Title }` inside `{{ .Title }}` is not an attribute block as well.
    assert_eq!(
        texts("{{ .Title }}\n"),
        one(What::Foreign(Syntax::Template), "{{ .Title }}")
    );
}

#[test]
fn vague_phrases_are_whole_words_in_any_case_over_line_breaks() {
    assert_eq!(
        marks("If\nFeasible, IT acts.\n", &[]),
        [(What::Vague, "If\nFeasible".to_string(), 0)]
    );
    assert_eq!(texts("Done where possibly.\n"), []);
    assert_eq!(texts("Done somewhere possible.\n"), []);
    assert_eq!(texts("As required, IT acts.\n"), []);
    assert_eq!(
        marks("As required, IT acts.\n", &["as  required"]),
        [(What::Vague, "As required".to_string(), 0)]
    );
    assert_eq!(marks("Done (asap).\n", &["(asap)"]).len(), 1);
    assert_eq!(marks("Done x(asap)y.\n", &["(asap)"]).len(), 1);
    assert_eq!(marks("Done.\n", &["", "  "]), []);
}

#[test]
fn periodically_needs_a_period_in_its_sentence() {
    for with in [
        "Reviewed periodically (annually).",
        "Reviewed periodically, every 6 months.",
        "Reviewed periodically and at least once a year.",
        "Reviewed periodically, each quarter.",
        "Reviewed periodically: 12 months at most.",
        "Reviewed periodically, at least twice.",
        "Every year, it is reviewed periodically.",
    ] {
        assert_eq!(texts(with), [], "{with}");
    }
    assert_eq!(
        texts("Reviewed annually. Tested periodically.\n"),
        one(What::Periodically, "periodically")
    );
    assert_eq!(
        texts("Tested periodically. Reviewed annually.\n"),
        one(What::Periodically, "periodically")
    );
    assert_eq!(
        texts("Tested periodically; reviewed annually.\n"),
        one(What::Periodically, "periodically")
    );
    assert_eq!(
        texts("Audited periodically. Patched Regularly.\n"),
        [
            (What::Periodically, "periodically".to_string()),
            (What::Periodically, "Regularly".to_string()),
        ]
    );
    assert_eq!(texts("No forced periodic changes.\n"), []);
    assert_eq!(texts("Patched regularly, at least monthly.\n"), []);
    assert_eq!(texts("A regular user, periodicals.\n"), []);
}

#[test]
fn should_is_read_in_list_items_and_table_cells() {
    let should = || one(What::Should, "should");
    assert_eq!(texts("- Users should log out.\n"), should());
    assert_eq!(texts("| a |\n|---|\n| Users should log out |\n"), should());
    assert_eq!(texts("Users should log out.\n"), []);
    assert_eq!(texts("# Users should log out\n"), []);
    assert_eq!(texts("- # Users should log out\n"), []);
    assert_eq!(texts("> - Users should log out.\n"), []);
    assert_eq!(texts("- [ ] Users should log out.\n"), []);
    assert_eq!(texts("- [x] Done.\n  - Users should log out.\n"), should());
    assert_eq!(texts("- Should users log out, lock.\n"), []);
    assert_eq!(texts("- Done. Should users log out, lock.\n"), []);
    assert_eq!(texts("- should users log out.\n"), should());
    assert_eq!(texts("- Why should users log out?\n"), []);
    assert_eq!(texts("- If users should leave, lock.\n"), []);
    assert_eq!(texts("- Unless users should leave, lock.\n"), []);
    assert_eq!(texts("- In case users should leave, lock.\n"), []);
    assert_eq!(texts("- If users leave, they should lock.\n"), should());
    assert_eq!(texts("- Users shoulder it.\n"), []);
    assert_eq!(texts("- Users `should` log out.\n"), []);
    // Emphasis and links do not end the item's text.
    assert_eq!(texts("- *Users* should [log out](x.md).\n"), should());
}

#[test]
fn sentences_end_at_stops_followed_by_space() {
    let text = "One. Two e.g. three; four! Five? 1.5 six";
    let at = |word: &str| {
        let start = text.find(word).unwrap();
        &text[sentence_around(text, start..start + word.len())]
    };
    assert_eq!(at("One"), "One.");
    assert_eq!(at("Two"), " Two e.g.");
    assert_eq!(at("four"), " four!");
    assert_eq!(at("Five"), " Five?");
    assert_eq!(at("six"), " 1.5 six");
}

#[test]
fn offsets_in_escaped_text_are_the_text_start() {
    // `\*` makes a text event that is not the body byte for byte.
    let body = "A \\* TBD\n";
    let found = marks(body, &[]);
    assert_eq!(found.len(), 1);
    assert!(
        body.is_char_boundary(found[0].2) && found[0].2 <= 6,
        "{found:?}"
    );
    assert_eq!(body_offset(&[(0, 10, true), (4, 20, false)], 2), 12);
    assert_eq!(body_offset(&[(0, 10, true), (4, 20, false)], 6), 20);
    assert_eq!(body_offset(&[], 6), 0);
}
