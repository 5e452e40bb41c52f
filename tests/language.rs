//! The policy-language lints (`placeholder-text`, `vague-language`, `foreign-syntax`,
//! `raw-html-removed`, `external-resource`) and `ignored-file` for Markdown that is not
//! published, each on a small repository, with the exact human output; and realistic policy
//! prose on which none of them fires.

mod common;

use common::{QUIET_CONFIG, Repo, TODAY, doc};

/// `annexa check` in human format: exit code and standard output.
fn human(repo: &Repo) -> (i32, String) {
    common::check_quietly(repo.path(), &[])
}

/// A front matter block of a draft, then `body`.
fn draft(title: &str, kind: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"CISO\"\nkind = \"{kind}\"\nstatus = \"draft\"\n+++\n\n{body}"
    )
}

#[test]
fn placeholders_are_errors_in_approved_documents_and_warnings_in_drafts() {
    let repo = Repo::new()
        .file(
            "policies/access.md",
            &doc(
                "Access",
                "# {{companyShortName}} Access Policy\n\nWrite to [insert email address here] or <insert email address here>.\n\nOwner: TBD. The {{ name }} field.\n\nIn code `TODO {{x}}` is fine, and so is:\n\n```\nTODO [insert here] {{ x }}\n```\n",
            ),
        )
        .file(
            "records/signoff.md",
            &draft("Sign-off", "record", "# Sign-off\n\nSigned by XXX on [date]; TODO: add the FIXME list.\n"),
        );
    let (code, out) = human(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "\
error[placeholder-text]: placeholder `{{companyShortName}}` left in the text
  --> policies/access.md:7:3
   = help: replace it with what it stands for: the document is approved

error[placeholder-text]: placeholder `[insert email address here]` left in the text
  --> policies/access.md:9:10
   = help: replace it with what it stands for: the document is approved

error[placeholder-text]: placeholder `<insert email address here>` left in the text
  --> policies/access.md:9:41
   = help: replace it with what it stands for: the document is approved

error[placeholder-text]: placeholder `TBD` left in the text
  --> policies/access.md:11:8
   = help: replace it with what it stands for: the document is approved

error[placeholder-text]: placeholder `{{ name }}` left in the text
  --> policies/access.md:11:17
   = help: replace it with what it stands for: the document is approved

warning[placeholder-text]: placeholder `XXX` left in the text
  --> records/signoff.md:10:11
   = help: replace it with what it stands for before the document is approved

warning[placeholder-text]: placeholder `[date]` left in the text
  --> records/signoff.md:10:18
   = help: replace it with what it stands for before the document is approved

warning[placeholder-text]: placeholder `TODO` left in the text
  --> records/signoff.md:10:26
   = help: replace it with what it stands for before the document is approved

warning[placeholder-text]: placeholder `FIXME` left in the text
  --> records/signoff.md:10:40
   = help: replace it with what it stands for before the document is approved

annexa: 5 errors: 5 placeholder-text; 4 warnings: 4 placeholder-text; 2 documents
"
    );
}

#[test]
fn placeholder_text_is_configurable_like_any_lint() {
    let config = format!("{QUIET_CONFIG}placeholder-text = \"warning\"\n");
    let repo = Repo::with_config(&config).file("policies/a.md", &doc("A", "# A\n\nOwner: TBD.\n"));
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[placeholder-text]: placeholder `TBD` left in the text
  --> policies/a.md:9:8
   = help: replace it with what it stands for: the document is approved

annexa: 0 errors; 1 warning: 1 placeholder-text; 1 document
"
    );
    let config = format!("{QUIET_CONFIG}placeholder-text = \"off\"\n");
    let repo = Repo::with_config(&config).file("policies/a.md", &doc("A", "# A\n\nOwner: TBD.\n"));
    assert_eq!(
        human(&repo),
        (0, "annexa: 0 errors; 0 warnings; 1 document\n".to_string())
    );
}

const VAGUE: &str = "# Access\n\nLaptops are encrypted where possible, and As\nAppropriate.\n\n- Passwords should be long.\n- Should an account be shared, it is closed.\n- If a laptop should be lost, IT wipes it.\n- If a laptop is lost, the user should tell IT.\n- Access is reviewed periodically.\n- Logs are reviewed periodically, at least every 6 months.\n- Keys are rotated periodically (quarterly).\n- Why should users care?\n- [ ] Decide whether we should buy tokens\n\nStaff should lock their screens, and `should` in code is no requirement.\n\n> Controls should be proportionate, as appropriate.\n\n## Where possible\n\n| Who | What |\n|---|---|\n| Users | should report incidents |\n";

#[test]
fn vague_language_in_a_policy() {
    let repo = Repo::new().file("policies/access.md", &doc("Access", VAGUE));
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[vague-language]: vague wording `where possible` in a policy
  --> policies/access.md:9:23
   = help: say when it applies and who decides, or state the requirement without it

warning[vague-language]: vague wording `As Appropriate` in a policy
  --> policies/access.md:9:43
   = help: say when it applies and who decides, or state the requirement without it

warning[vague-language]: `should` in a requirement of a policy
  --> policies/access.md:12:13
   = help: write `must` for a requirement, or `may` for a choice

warning[vague-language]: `should` in a requirement of a policy
  --> policies/access.md:15:33
   = help: write `must` for a requirement, or `may` for a choice

warning[vague-language]: `periodically` with no period in a policy
  --> policies/access.md:16:22
   = help: say how often: `every 12 months`, `quarterly`

warning[vague-language]: `should` in a requirement of a policy
  --> policies/access.md:30:11
   = help: write `must` for a requirement, or `may` for a choice

annexa: 0 errors; 6 warnings: 6 vague-language; 1 document
"
    );
}

#[test]
fn vague_language_is_for_policies_and_standards_only() {
    let repo = Repo::new()
        .file("procedures/access.md", &doc("Access", VAGUE))
        .file("records/access.md", &doc("Access", VAGUE))
        .file(
            "standards/crypto.md",
            &doc("Crypto", "# Crypto\n\n- Keys are rotated periodically.\n"),
        );
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[vague-language]: `periodically` with no period in a standard
  --> standards/crypto.md:9:20
   = help: say how often: `every 12 months`, `quarterly`

annexa: 0 errors; 1 warning: 1 vague-language; 3 documents
"
    );
}

#[test]
fn vague_phrases_are_extended_in_annexa_toml() {
    let config = format!(
        "{QUIET_CONFIG}\n[language]\nvague_phrases = [\"best  endeavours\", \"as (needed)\", \" \"]\n"
    );
    let repo = Repo::with_config(&config).file(
        "policies/a.md",
        &doc(
            "A",
            "# A\n\nIT makes best endeavours to patch as (needed) and where possible.\n",
        ),
    );
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[vague-language]: vague wording `best endeavours` in a policy
  --> policies/a.md:9:10
   = help: say when it applies and who decides, or state the requirement without it

warning[vague-language]: vague wording `as (needed)` in a policy
  --> policies/a.md:9:35
   = help: say when it applies and who decides, or state the requirement without it

warning[vague-language]: vague wording `where possible` in a policy
  --> policies/a.md:9:51
   = help: say when it applies and who decides, or state the requirement without it

annexa: 0 errors; 3 warnings: 3 vague-language; 1 document
"
    );
}

#[test]
fn the_language_table_reports_unknown_keys_and_wrong_types() {
    let config = format!("{QUIET_CONFIG}\n[language]\nvague_phrase = [\"x\"]\n");
    let repo = Repo::with_config(&config).file("policies/a.md", &doc("A", "# A\n"));
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[unknown-field]: unknown key `language.vague_phrase`
  --> annexa.toml:10:1
   = help: did you mean `language.vague_phrases`?

annexa: 0 errors; 1 warning: 1 unknown-field; 1 document
"
    );
    let config = format!("{QUIET_CONFIG}\n[language]\nvague_phrases = \"x\"\n");
    let repo = Repo::with_config(&config).file("policies/a.md", &doc("A", "# A\n"));
    let report = repo.check(&[]);
    assert_eq!(report.places(), ["invalid-config annexa.toml:10:17"]);
}

#[test]
fn foreign_syntax_of_pandoc_mkdocs_hugo_and_liquid() {
    let body = "# Scope {#scope .unnumbered}\n\n\\pagebreak\n\n!!! note \"Heads up\"\n    Text.\n\n::: warning\nCareful.\n:::\n\n{{< figure src=\"x.png\" >}} {{% notice %}} {% include x.html %}\n\n{{ site.title }}, {{ page.title | upcase }}, {{ .Title }} and {{ owner }}.\n\n`\\newpage {{< x >}}` in code is fine.\n";
    let repo = Repo::new().file("procedures/a.md", &doc("A", body));
    let (code, out) = human(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "\
warning[foreign-syntax]: pandoc attribute block `{#scope .unnumbered}` is printed on the site as it is
  --> procedures/a.md:7:9
   = help: remove it: annexa does not read attribute blocks

warning[foreign-syntax]: pandoc page break `\\pagebreak` is printed on the site as it is
  --> procedures/a.md:9:1
   = help: remove it: a page of the site has no page breaks

warning[foreign-syntax]: MkDocs admonition `!!! note \"Heads up\"` is printed on the site as it is
  --> procedures/a.md:11:1
   = help: write a block quote instead: `> **Note:** …`

warning[foreign-syntax]: pandoc fenced div `::: warning` is printed on the site as it is
  --> procedures/a.md:14:1
   = help: remove the `:::` lines, or write a block quote

warning[foreign-syntax]: pandoc fenced div `:::` is printed on the site as it is
  --> procedures/a.md:16:1
   = help: remove the `:::` lines, or write a block quote

warning[foreign-syntax]: Hugo shortcode `{{< figure src=\"x.png\" >}}` is printed on the site as it is
  --> procedures/a.md:18:1
   = help: write the Markdown or HTML it stands for

warning[foreign-syntax]: Hugo shortcode `{{% notice %}}` is printed on the site as it is
  --> procedures/a.md:18:28
   = help: write the Markdown or HTML it stands for

warning[foreign-syntax]: template code (Liquid, Go templates) `{% include x.html %}` is printed on the site as it is
  --> procedures/a.md:18:43
   = help: write the text it stands for: annexa runs no template code in documents

warning[foreign-syntax]: template code (Liquid, Go templates) `{{ site.title }}` is printed on the site as it is
  --> procedures/a.md:20:1
   = help: write the text it stands for: annexa runs no template code in documents

warning[foreign-syntax]: template code (Liquid, Go templates) `{{ page.title | upcase }}` is printed on the site as it is
  --> procedures/a.md:20:19
   = help: write the text it stands for: annexa runs no template code in documents

warning[foreign-syntax]: template code (Liquid, Go templates) `{{ .Title }}` is printed on the site as it is
  --> procedures/a.md:20:46
   = help: write the text it stands for: annexa runs no template code in documents

error[placeholder-text]: placeholder `{{ owner }}` left in the text
  --> procedures/a.md:20:63
   = help: replace it with what it stands for: the document is approved

annexa: 1 error: 1 placeholder-text; 11 warnings: 11 foreign-syntax; 1 document
"
    );
}

#[test]
fn raw_html_the_sanitiser_removes_is_reported_where_it_is() {
    let body = "# A\n\n<div onclick=\"steal()\" class=\"note\">Note</div>\n\nSee <a href=\"javascript:alert(1)\" target=\"_blank\">this</a>, <font color=\"red\">red</font> and <Company Name>, a placeholder.\n\n<style>p { color: red }</style>\n\n<p style=\"text-align: center\">Kept</p> <!-- <font>comment</font> --> <br> <kbd>Ctrl</kbd>\n";
    let repo = Repo::new().file("procedures/a.md", &doc("A", body));
    let (code, out) = human(&repo);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "\
warning[raw-html-removed]: attribute `onclick` of `<div onclick=\"steal()\" class=\"note\">` removed from the page
  --> procedures/a.md:9:1
   = help: the site keeps only safe attributes: no event handlers, styles other than `text-align`, or `javascript:` links

warning[raw-html-removed]: attributes `href`, `target` of `<a href=\"javascript:alert(1)\" target=\"_blank\">` removed from the page
  --> procedures/a.md:11:5
   = help: the site keeps only safe attributes: no event handlers, styles other than `text-align`, or `javascript:` links

warning[raw-html-removed]: `<font color=\"red\">` is removed from the page
  --> procedures/a.md:11:61
   = help: the site keeps only safe HTML elements; to show the angle brackets as text, write `\\<`

error[placeholder-text]: placeholder `<Company Name>` left in the text
  --> procedures/a.md:11:94
   = help: replace it with what it stands for: the document is approved

warning[raw-html-removed]: `<style>` is removed from the page with all it holds
  --> procedures/a.md:13:1
   = help: the site runs no scripts and takes no styles from documents

annexa: 1 error: 1 placeholder-text; 4 warnings: 4 raw-html-removed; 1 document
"
    );
}

#[test]
fn external_images_and_scripts_are_reported_and_images_render_as_links() {
    let body = "# A\n\n![Logo](https://cdn.example.com/logo.png) ![](//cdn.example.com/blank.png)\n[![Badge](https://img.example.com/b.svg)](https://ci.example.com/)\n\n<img src=\"https://cdn.example.com/x.png\" alt=\"Diagram\"> <img src=\"HTTP://cdn.example.com/y.png\">\n<script src=\"https://evil.example/x.js\"></script>\n\n![Local](logo.png)\n\n<iframe src=\"https://maps.example.com/embed?q=office\"></iframe>\n";
    let repo = Repo::new()
        .file("procedures/a.md", &doc("A", body))
        .file("procedures/logo.png", "png");
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[external-resource]: image `https://cdn.example.com/logo.png` is on another host
  --> procedures/a.md:9:1
   = help: the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it

warning[external-resource]: image `//cdn.example.com/blank.png` is on another host
  --> procedures/a.md:9:43
   = help: the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it

warning[external-resource]: image `https://img.example.com/b.svg` is on another host
  --> procedures/a.md:10:2
   = help: the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it

warning[external-resource]: image `https://cdn.example.com/x.png` is on another host
  --> procedures/a.md:12:1
   = help: the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it

warning[external-resource]: image `HTTP://cdn.example.com/y.png` is on another host
  --> procedures/a.md:12:57
   = help: the site loads nothing from outside, so it is shown as a link to it: copy the image into the repository to show it

warning[external-resource]: script `https://evil.example/x.js` is on another host
  --> procedures/a.md:13:1
   = help: the site runs no scripts from documents and loads nothing from outside: remove it

warning[external-resource]: resource `https://maps.example.com/embed?q=office` is on another host
  --> procedures/a.md:17:1
   = help: the site loads nothing from outside, so it is removed: copy the file into the repository and link to it

annexa: 0 errors; 7 warnings: 7 external-resource; 1 document
"
    );
    let out = tempfile::tempdir().unwrap();
    common::site::assert_built(&common::site::build(repo.path(), out.path(), TODAY, &[]));
    let page = common::site::read(out.path(), "procedures/a/index.html");
    let start = page
        .find("<p><a href=\"https://cdn")
        .expect("the first paragraph");
    let end = start + page[start..].find("</main>").unwrap_or(page.len() - start);
    let body_html: Vec<&str> = page[start..end].lines().take(5).collect();
    assert_eq!(
        body_html,
        [
            "<p><a href=\"https://cdn.example.com/logo.png\" rel=\"noopener noreferrer\">Logo</a> <a href=\"//cdn.example.com/blank.png\" rel=\"noopener noreferrer\">//cdn.example.com/blank.png</a>",
            "<a href=\"https://ci.example.com/\" rel=\"noopener noreferrer\">Badge</a></p>",
            "<p><a href=\"https://cdn.example.com/x.png\" rel=\"noopener noreferrer\">Diagram</a> <a href=\"HTTP://cdn.example.com/y.png\" rel=\"noopener noreferrer\">HTTP://cdn.example.com/y.png</a></p>",
            "",
            "<p><img src=\"../../procedures/logo.png\" alt=\"Local\"></p>",
        ]
    );
    assert!(!page.contains("evil.example"), "{page}");
}

#[test]
fn markdown_under_templates_and_static_is_an_ignored_file() {
    let repo = Repo::new()
        .file("policies/a.md", &doc("A", "# A\n"))
        .file(
            "templates/policy-template.md",
            "# {{companyShortName}} policy\n",
        )
        .file("templates/drafts/old.md", "# Old\n")
        .file("templates/.hidden/x.md", "# Hidden\n")
        .file("templates/page.html", "{{ content }}\n")
        .file("static/notes.md", "# Notes\n")
        .file("static/logo.png", "png");
    let (code, out) = human(&repo);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "\
warning[ignored-file]: `static/notes.md` is a Markdown file under `static/`, so it is copied to the site as it is, not published as a page
  --> static/notes.md
   = help: `static/` holds files copied to the site as they are: move the document out of it to publish it as a page

warning[ignored-file]: `templates/drafts/old.md` is a Markdown file under `templates/`, so it is not published
  --> templates/drafts/old.md
   = help: `templates/` holds theme templates: move the document out of it to publish it as a page

warning[ignored-file]: `templates/policy-template.md` is a Markdown file under `templates/`, so it is not published
  --> templates/policy-template.md
   = help: `templates/` holds theme templates: move the document out of it to publish it as a page

annexa: 0 errors; 3 warnings: 3 ignored-file; 1 document
"
    );
}

/// Policy prose as public templates write it: none of the language lints fires on it.
const REALISTIC_POLICY: &str = "# Information Security Policy

## Purpose

This policy sets out how Acme Ltd protects the confidentiality, integrity and availability of the
information it holds. It applies to all employees, contractors and third parties with access to
Acme systems, wherever they work.

## Policy statements

- All staff must complete security awareness training within 30 days of joining and every 12
  months after that.
- Passwords must be at least 14 characters long and must not be reused across systems.
- Access rights are reviewed quarterly by the system owner; privileged access is reviewed monthly.
- Laptops use full-disk encryption. USB storage is blocked by default.
- Backups are tested periodically, at least twice a year.
- Security incidents must be reported to <security@acme.example> or the
  [incident procedure](../procedures/incident.md) within 24 hours.
- Exceptions must be approved in writing by the CISO and recorded in the risk register.
- **Must** and **shall** state a requirement. **Should** states a recommendation.
- If a supplier should fail an assessment, the contract owner decides the next steps.

## Roles

| Role | Responsibility |
|---|---|
| CISO | Owns this policy and reviews it every year. |
| Line managers | Make sure their staff complete training.<br>Report leavers on their last day. |

## Enforcement

Any employee found to have violated this policy may be subject to disciplinary action, up to and
including termination of employment. Staff who are unsure how the policy applies should ask the
CISO. Press <kbd>Ctrl</kbd>+<kbd>L</kbd> to lock the screen.

See ISO/IEC 27001:2022, A.5.1 (Policies for information security), and the
[Acme ISMS](https://isms.acme.example/) for the full list. The [Enter] key confirms a dialog;
a user name looks like `j.smith`, and dates are written 2026-01-31.

<details>
<summary>Version history</summary>

Version 2.0 (2026-01-31): rewritten for ISO/IEC 27001:2022.

</details>
";

#[test]
fn realistic_policy_prose_raises_no_language_finding() {
    let repo = Repo::new()
        .file(
            "policies/information-security.md",
            &doc("Information Security", REALISTIC_POLICY),
        )
        .file("procedures/incident.md", &doc("Incident", "# Incident\n"));
    assert_eq!(
        human(&repo),
        (0, "annexa: 0 errors; 0 warnings; 2 documents\n".to_string())
    );
}
