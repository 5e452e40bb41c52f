//! The built-in catalogs on the site (README, "Control catalogs"): the five kinds of ISO/IEC
//! 27002 attributes on control pages and as control matrix filters, NIST CSF 2.0 in NIST's
//! words, related controls both ways. Builds repositories with the real binary and reads the
//! pages back.

mod common;

use std::path::PathBuf;

use common::site::{Page, assert_built, build, only_element, outer_html, read};
use common::{QUIET_CONFIG, Repo, TODAY};
use tempfile::TempDir;

/// A repository built into a fresh temporary folder.
struct Built {
    _tmp: TempDir,
    out: PathBuf,
}

fn build_ok(repo: &Repo) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_built(&build(repo.path(), &out, TODAY, &[]));
    Built { _tmp: tmp, out }
}

/// A QUIET_CONFIG `annexa.toml` with these frameworks in use.
fn config(frameworks: &[&str]) -> String {
    let list: Vec<String> = frameworks.iter().map(|f| format!("{f:?}")).collect();
    format!("frameworks = [{}]\n{QUIET_CONFIG}", list.join(", "))
}

/// The texts of an HTML fragment, run by run.
fn texts(html: &str) -> Vec<String> {
    Page::parse(html)
        .texts()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// The page of a control: `controls/<framework>/<control>/index.html`.
fn control_page(built: &Built, framework: &str, control: &str) -> String {
    read(
        &built.out,
        &format!("controls/{framework}/{control}/index.html"),
    )
}

/// The attributes of a control page: each kind's label with its values' labels and links.
fn attributes(page: &str) -> Vec<(String, Vec<(String, String)>)> {
    let dl = only_element(page, "the attribute list", |t| {
        t.name == "dl" && t.attr("class") == Some("attributes")
    });
    outer_html(dl, |t| t.name == "div")
        .into_iter()
        .map(|pair| {
            let dt = only_element(pair, "the kind", |t| t.name == "dt");
            let dd = only_element(pair, "the values", |t| t.name == "dd");
            let values = outer_html(dd, |t| t.name == "a")
                .into_iter()
                .map(|a| {
                    let href = Page::parse(a).tags[0].attr("href").unwrap().to_string();
                    (texts(a).join(" "), href)
                })
                .collect();
            (texts(dt).join(" "), values)
        })
        .collect()
}

fn kind(label: &str, values: &[(&str, &str)]) -> (String, Vec<(String, String)>) {
    let filter = label.to_lowercase().replace(' ', "-");
    (
        label.to_string(),
        values
            .iter()
            .map(|(shown, value)| {
                (
                    shown.to_string(),
                    format!("../../../controls/?{filter}={value}"),
                )
            })
            .collect(),
    )
}

#[test]
fn control_pages_show_the_five_kinds_of_attributes_in_words() {
    let built = build_ok(&Repo::new());
    let cia = [
        ("Confidentiality", "confidentiality"),
        ("Integrity", "integrity"),
        ("Availability", "availability"),
    ];
    assert_eq!(
        attributes(&control_page(&built, "iso27001-2022", "a-5-15")),
        [
            kind("Control type", &[("Preventive", "preventive")]),
            kind("Security properties", &cia),
            kind("Cybersecurity concepts", &[("Protect", "protect")]),
            kind(
                "Operational capabilities",
                &[(
                    "Identity and access management",
                    "identity_and_access_management"
                )]
            ),
            kind("Security domains", &[("Protection", "protection")]),
        ]
    );
    // A.5.22's information security assurance is an operational capability, not a domain.
    assert_eq!(
        attributes(&control_page(&built, "iso27001-2022", "a-5-22")),
        [
            kind("Control type", &[("Preventive", "preventive")]),
            kind("Security properties", &cia),
            kind("Cybersecurity concepts", &[("Identify", "identify")]),
            kind(
                "Operational capabilities",
                &[
                    (
                        "Supplier relationships security",
                        "supplier_relationships_security"
                    ),
                    (
                        "Information security assurance",
                        "information_security_assurance"
                    ),
                ]
            ),
            kind(
                "Security domains",
                &[
                    ("Governance and ecosystem", "governance_and_ecosystem"),
                    ("Protection", "protection"),
                    ("Defence", "defence"),
                ]
            ),
        ]
    );
}

/// The matrix's filter form: each select's name and label with its options (value, label).
type Filter = (String, String, Vec<(String, String)>);

fn matrix_filters(matrix: &str) -> Option<Vec<Filter>> {
    let forms = outer_html(matrix, |t| {
        t.name == "form" && t.attr("id") == Some("matrix-filters")
    });
    let form = match forms[..] {
        [] => return None,
        [form] => form,
        _ => panic!("{} filter forms", forms.len()),
    };
    let tag = &Page::parse(form).tags[0];
    assert!(
        tag.attr("hidden").is_some(),
        "the form shows only with JavaScript: {form}"
    );
    let filters = outer_html(form, |t| {
        t.name == "div" && t.attr("class") == Some("filter")
    })
    .into_iter()
    .map(|div| {
        let page = Page::parse(div);
        let select = page.elements("select").next().expect("a select");
        let name = select.attr("name").unwrap().to_string();
        assert_eq!(select.attr("id"), Some(format!("mf-{name}").as_str()));
        let label = only_element(div, "the label", |t| t.name == "label");
        assert_eq!(
            Page::parse(label).tags[0].attr("for"),
            Some(format!("mf-{name}").as_str())
        );
        let options = outer_html(div, |t| t.name == "option")
            .into_iter()
            .map(|o| {
                let value = Page::parse(o).tags[0].attr("value").unwrap().to_string();
                (value, texts(o).join(" "))
            })
            .collect();
        (name, texts(label).join(" "), options)
    })
    .collect();
    Some(filters)
}

fn filter(name: &str, label: &str, options: &[(&str, &str)]) -> Filter {
    (
        name.to_string(),
        label.to_string(),
        std::iter::once(("", "All"))
            .chain(options.iter().copied())
            .map(|(v, l)| (v.to_string(), l.to_string()))
            .collect(),
    )
}

/// The `data-attr-` attributes of the matrix row of `anchor`.
fn row_data(matrix: &str, anchor: &str) -> Vec<(String, String)> {
    let row = only_element(matrix, anchor, |t| {
        t.name == "tr" && t.attr("id") == Some(anchor)
    });
    Page::parse(row).tags[0]
        .attrs
        .iter()
        .filter(|(name, _)| name.starts_with("data-"))
        .cloned()
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn matrix_filters_are_a_select_per_attribute_kind_over_the_values_present() {
    let built = build_ok(&Repo::new());
    let matrix = read(&built.out, "controls/index.html");
    let filters = matrix_filters(&matrix).expect("ISO attributes make filters");
    let names: Vec<(&str, &str)> = filters
        .iter()
        .map(|(n, l, _)| (n.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("control-type", "Control type"),
            ("security-properties", "Security properties"),
            ("cybersecurity-concepts", "Cybersecurity concepts"),
            ("operational-capabilities", "Operational capabilities"),
            ("security-domains", "Security domains"),
        ]
    );
    assert_eq!(
        filters[4],
        filter(
            "security-domains",
            "Security domains",
            &[
                ("defence", "Defence"),
                ("governance_and_ecosystem", "Governance and ecosystem"),
                ("protection", "Protection"),
                ("resilience", "Resilience"),
            ]
        )
    );
    assert_eq!(
        filters[0],
        filter(
            "control-type",
            "Control type",
            &[
                ("corrective", "Corrective"),
                ("detective", "Detective"),
                ("preventive", "Preventive"),
            ]
        )
    );
    assert_eq!(
        filters[3].2.len(),
        1 + 15,
        "all 15 operational capabilities"
    );
    assert_eq!(
        row_data(&matrix, "iso27001-2022-a-5-22"),
        pairs(&[
            ("data-attr-control-type", "preventive"),
            (
                "data-attr-security-properties",
                "confidentiality|integrity|availability"
            ),
            ("data-attr-cybersecurity-concepts", "identify"),
            (
                "data-attr-operational-capabilities",
                "supplier_relationships_security|information_security_assurance"
            ),
            (
                "data-attr-security-domains",
                "governance_and_ecosystem|protection|defence"
            ),
        ])
    );

    // A custom catalog alone: only its kinds, only the values its controls have; a value that
    // is not an identifier is shown as written. Without attributes, a row carries none.
    let acme = "id = \"acme\"\nname = \"Acme\"\n\n\
                [[controls]]\nid = \"CC-1\"\ntitle = \"Encrypted at rest\"\n\
                attributes = { control_type = [\"preventive\"], evidence = [\"KMS configuration\", \"key_rotation_log\"] }\n\n\
                [[controls]]\nid = \"CC-2\"\ntitle = \"Reviewed\"\n\
                attributes = { evidence = \"Access review\" }\n\n\
                [[controls]]\nid = \"CC-3\"\ntitle = \"Plain\"\n";
    let repo = Repo::with_config(&config(&["acme"])).file("frameworks/acme.toml", acme);
    let built = build_ok(&repo);
    let matrix = read(&built.out, "controls/index.html");
    assert_eq!(
        matrix_filters(&matrix).unwrap(),
        [
            filter(
                "control-type",
                "Control type",
                &[("preventive", "Preventive")]
            ),
            filter(
                "evidence",
                "Evidence",
                &[
                    ("Access review", "Access review"),
                    ("key_rotation_log", "Key rotation log"),
                    ("KMS configuration", "KMS configuration"),
                ]
            ),
        ]
    );
    assert_eq!(
        row_data(&matrix, "acme-cc-1"),
        pairs(&[
            ("data-attr-control-type", "preventive"),
            ("data-attr-evidence", "KMS configuration|key_rotation_log"),
        ])
    );
    assert_eq!(row_data(&matrix, "acme-cc-3"), []);
    assert_eq!(
        attributes(&control_page(&built, "acme", "cc-1")),
        [
            kind("Control type", &[("Preventive", "preventive")]),
            kind(
                "Evidence",
                &[
                    ("KMS configuration", "KMS%20configuration"),
                    ("Key rotation log", "key_rotation_log"),
                ]
            ),
        ]
    );

    // No attributes anywhere, no filters.
    let built = build_ok(&Repo::with_config(&config(&["nist-csf-2.0"])));
    assert_eq!(
        matrix_filters(&read(&built.out, "controls/index.html")),
        None
    );
}

#[test]
fn nist_subcategory_pages_are_titled_with_nists_words() {
    let built = build_ok(&Repo::with_config(&config(&[
        "iso27001-2022",
        "nist-csf-2.0",
    ])));
    let page = control_page(&built, "nist-csf-2-0", "pr-aa-01");
    let text = "Identities and credentials for authorized users, services, and hardware are \
                managed by the organization";
    let h1 = only_element(&page, "the heading", |t| t.name == "h1");
    assert_eq!(texts(h1), ["PR.AA-01", text]);
    let kicker = only_element(&page, "the kicker", |t| {
        t.attr("class") == Some("doc-kicker")
    });
    assert_eq!(
        texts(kicker),
        ["NIST Cybersecurity Framework 2.0 · Protect"]
    );
    let lead = only_element(&page, "the lead", |t| t.attr("class") == Some("lead"));
    assert_eq!(
        texts(lead),
        ["Category PR.AA: Identity Management, Authentication, and Access Control"]
    );
    let title = only_element(&page, "the title", |t| t.name == "title");
    assert!(
        texts(title)[0].starts_with(&format!("PR.AA-01 {text}")),
        "{title}"
    );

    // The matrix lists every subcategory, function by function, each titled with its text.
    let matrix = read(&built.out, "controls/index.html");
    let nist = only_element(&matrix, "the NIST section", |t| {
        t.name == "section" && t.attr("id") == Some("nist-csf-2-0")
    });
    let groups: Vec<String> = outer_html(nist, |t| t.name == "h3")
        .into_iter()
        .map(|h| texts(h).join(" "))
        .collect();
    assert_eq!(
        groups,
        [
            "Govern", "Identify", "Protect", "Detect", "Respond", "Recover"
        ]
    );
    let rows = outer_html(nist, |t| {
        t.name == "tr" && t.attr("id").is_some_and(|id| id.starts_with("nist-"))
    });
    assert_eq!(rows.len(), 106, "every CSF 2.0 subcategory");
    let row = only_element(nist, "PR.AA-01's row", |t| {
        t.attr("id") == Some("nist-csf-2-0-pr-aa-01")
    });
    assert_eq!(texts(row)[..2], ["PR.AA-01", text]);
    // GV.OC, the first category, comes first: NIST's order.
    assert_eq!(texts(rows[0])[0], "GV.OC-01");
}

/// The related controls a control page lists: (shown id, title, link).
fn related(page: &str) -> Vec<(String, String, String)> {
    let lists = outer_html(page, |t| {
        t.name == "ul" && t.attr("class") == Some("related")
    });
    let Some(list) = lists.first() else {
        return Vec::new();
    };
    outer_html(list, |t| t.name == "li")
        .into_iter()
        .map(|li| {
            let a = only_element(li, "the link", |t| t.name == "a");
            let href = Page::parse(a).tags[0].attr("href").unwrap().to_string();
            let t = texts(li);
            (t[0].clone(), t[1..].join(" "), href)
        })
        .collect()
}

fn link(id: &str, title: &str, framework: &str, control: &str) -> (String, String, String) {
    (
        id.to_string(),
        title.to_string(),
        format!("../../../controls/{framework}/{control}/"),
    )
}

#[test]
fn control_pages_list_related_controls_both_ways() {
    let acme = "id = \"acme\"\nname = \"Acme commitments\"\n\n\
                [[controls]]\nid = \"CC-1\"\ntitle = \"Customer access is reviewed\"\n\
                related = [\"iso27001-2022:A.5.15\", \"A.5.15\", \"nist-csf-2.0:PR.AA-01\"]\n\n\
                [[controls]]\nid = \"CC-2\"\ntitle = \"Unrelated\"\n";
    let repo = Repo::with_config(&config(&["iso27001-2022", "nist-csf-2.0"]))
        .file("frameworks/acme.toml", acme);
    let built = build_ok(&repo);
    let nist = |id: &str, title: &str| {
        link(
            &format!("nist-csf-2.0:{id}"),
            title,
            "nist-csf-2-0",
            &id.to_lowercase().replace('.', "-"),
        )
    };
    let cc1 = link("acme:CC-1", "Customer access is reviewed", "acme", "cc-1");
    // A.5.15 names the NIST subcategories NIST maps to it; CC-1 names A.5.15 (twice, as two
    // spellings) and shows once.
    assert_eq!(
        related(&control_page(&built, "iso27001-2022", "a-5-15")),
        [
            nist(
                "PR.AA-01",
                "Identities and credentials for authorized users, services, and hardware are \
                 managed by the organization"
            ),
            nist(
                "PR.AA-03",
                "Users, services, and hardware are authenticated"
            ),
            nist(
                "PR.AA-05",
                "Access permissions, entitlements, and authorizations are defined in a policy, \
                 managed, enforced, and reviewed, and incorporate the principles of least \
                 privilege and separation of duties"
            ),
            nist(
                "PR.DS-01",
                "The confidentiality, integrity, and availability of data-at-rest are protected"
            ),
            nist(
                "PR.DS-02",
                "The confidentiality, integrity, and availability of data-in-transit are protected"
            ),
            nist(
                "PR.DS-10",
                "The confidentiality, integrity, and availability of data-in-use are protected"
            ),
            cc1.clone(),
        ]
    );
    // PR.AA-01 names A.5.15 and A.5.15 names it: once. CC-1 names it too.
    let pr_aa_01 = related(&control_page(&built, "nist-csf-2-0", "pr-aa-01"));
    let ids: Vec<&str> = pr_aa_01.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ["A.5.15", "A.5.18", "A.8.2", "A.8.5", "acme:CC-1"]);
    assert_eq!(
        pr_aa_01[0],
        link("A.5.15", "Access control", "iso27001-2022", "a-5-15")
    );
    // The custom control lists what it names, bare in the default framework.
    assert_eq!(
        related(&control_page(&built, "acme", "cc-1")),
        [
            link("A.5.15", "Access control", "iso27001-2022", "a-5-15"),
            nist(
                "PR.AA-01",
                "Identities and credentials for authorized users, services, and hardware are \
                 managed by the organization"
            ),
        ]
    );
    assert_eq!(related(&control_page(&built, "acme", "cc-2")), []);
    let problems = common::site::Site::scan(&built.out).link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
}

/// A document that maps `controls`, with this status.
fn mapping(title: &str, status: &str, controls: &[&str]) -> String {
    let list: Vec<String> = controls.iter().map(|c| format!("{c:?}")).collect();
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"CISO\"\nstatus = \"{status}\"\nlast_reviewed = 2026-06-01\n\
         controls = [{}]\n+++\n\n# {title}\n",
        list.join(", ")
    )
}

/// The rows of a requirements page: (id, coverage shown, the row's class).
fn requirement_rows(page: &str, group: &str) -> Vec<(String, String, String)> {
    let section = only_element(page, group, |t| {
        t.name == "section" && t.attr("id") == Some(group)
    });
    let body = only_element(section, "the table body", |t| t.name == "tbody");
    outer_html(body, |t| t.name == "tr")
        .into_iter()
        .map(|row| {
            let class = Page::parse(row).tags[0].attr("class").unwrap().to_string();
            let cells = outer_html(row, |t| t.name == "td");
            (texts(cells[0]).join(" "), texts(cells[2]).join(" "), class)
        })
        .collect()
}

fn req(id: &str, shown: &str, class: &str) -> (String, String, String) {
    (id.to_string(), shown.to_string(), class.to_string())
}

/// The summary counts of a requirements catalog (label, count).
fn summary_counts(html: &str) -> Vec<(String, String)> {
    let dl = only_element(html, "the counts", |t| {
        t.name == "dl" && t.attr("class") == Some("summary-counts")
    });
    outer_html(dl, |t| t.name == "div")
        .into_iter()
        .map(|d| {
            let t = texts(d);
            (t[0].clone(), t[1].clone())
        })
        .collect()
}

#[test]
fn requirements_have_a_page_of_their_own_where_parents_are_covered_by_their_sub_clauses() {
    let clause = |id: &str| format!("iso27001-2022-clauses:{id}");
    let repo = Repo::with_config(&config(&["iso27001-2022", "iso27001-2022-clauses"]))
        // 6.1's three sub-clauses are covered: so is 6.1, which no document maps.
        .file(
            "policies/risk.md",
            &mapping(
                "Risk Method",
                "approved",
                &[&clause("6.1.1"), &clause("6.1.2"), &clause("6.1.3")],
            ),
        )
        // 7.5.1 alone is covered: 7.5 is a gap.
        .file(
            "policies/documents.md",
            &mapping("Document Control", "approved", &[&clause("7.5.1")]),
        )
        // 9.2.1 covered, 9.2.2 only in review: 9.2 is weak.
        .file(
            "policies/audit.md",
            &mapping("Audit Charter", "approved", &[&clause("9.2.1")]),
        )
        .file(
            "policies/programme.md",
            &mapping("Audit Programme", "review", &[&clause("9.2.2")]),
        );
    let built = build_ok(&repo);
    let page = read(&built.out, "controls/iso27001-2022-clauses/index.html");
    let h1 = only_element(&page, "the heading", |t| t.name == "h1");
    assert_eq!(texts(h1), ["ISO/IEC 27001:2022 clauses: requirements"]);
    let covered = "req req-covered req-depth-0";
    assert_eq!(
        requirement_rows(&page, "iso27001-2022-clauses-6-planning"),
        [
            req("6.1", "Covered all sub-clauses covered", covered),
            req("6.1.1", "Covered", "req req-covered req-depth-1"),
            req("6.1.2", "Covered", "req req-covered req-depth-1"),
            req("6.1.3", "Covered", "req req-covered req-depth-1"),
            req("6.2", "Gap", "req req-gap req-depth-0 row-gap"),
            req("6.3", "Gap", "req req-gap req-depth-0 row-gap"),
        ]
    );
    let rows = requirement_rows(&page, "iso27001-2022-clauses-7-support");
    assert_eq!(
        rows[4..],
        [
            req("7.5", "Gap", "req req-gap req-depth-0 row-gap"),
            req("7.5.1", "Covered", "req req-covered req-depth-1"),
            req("7.5.2", "Gap", "req req-gap req-depth-1 row-gap"),
            req("7.5.3", "Gap", "req req-gap req-depth-1 row-gap"),
        ]
    );
    let rows = requirement_rows(&page, "iso27001-2022-clauses-9-performance-evaluation");
    assert_eq!(
        rows[..4],
        [
            req("9.1", "Gap", "req req-gap req-depth-0 row-gap"),
            req("9.2", "Weak", "req req-weak req-depth-0"),
            req("9.2.1", "Covered", "req req-covered req-depth-1"),
            req("9.2.2", "Weak", "req req-weak req-depth-1"),
        ]
    );
    // Covered: 6.1 and its three, 7.5.1, 9.2.1; weak: 9.2 and 9.2.2; the other 26 are gaps.
    let counts = [
        ("Requirements", "34"),
        ("Covered", "6"),
        ("Weak", "2"),
        ("Gaps", "26"),
    ];
    assert_eq!(summary_counts(&page), pairs(&counts));

    // The matrix titles the catalog as requirements, with the same coverage and a link to the
    // page; its rows are on that page, not among the controls.
    let matrix = read(&built.out, "controls/index.html");
    let section = only_element(&matrix, "the clauses' section", |t| {
        t.name == "section" && t.attr("id") == Some("iso27001-2022-clauses")
    });
    let h2 = only_element(section, "its heading", |t| t.name == "h2");
    assert_eq!(texts(h2), ["ISO/IEC 27001:2022 clauses: requirements"]);
    assert_eq!(summary_counts(section), pairs(&counts));
    let links: Vec<String> = Page::parse(section)
        .elements("a")
        .filter_map(|a| a.attr("href"))
        .map(str::to_string)
        .collect();
    assert_eq!(links, ["../controls/iso27001-2022-clauses/"]);
    assert!(outer_html(section, |t| t.name == "table").is_empty());

    // A parent's page: covered through its sub-clauses, which it lists.
    let parent = control_page(&built, "iso27001-2022-clauses", "6-1");
    let card = only_element(&parent, "the requirement card", |t| {
        t.name == "section" && t.attr("aria-labelledby") == Some("h-req")
    });
    let meta: Vec<String> = texts(card);
    assert_eq!(
        meta[..6],
        [
            "Requirement",
            "Applies",
            "Always: a requirement, not selected in the Statement of Applicability",
            "Coverage",
            "Covered",
            "(all sub-clauses covered)"
        ]
    );
    assert!(
        !parent.contains("soa/#"),
        "a requirement is not in the Statement of Applicability"
    );
    let subs = only_element(&parent, "the sub-clauses", |t| {
        t.name == "ul" && t.attr("class") == Some("related sub-requirements")
    });
    assert_eq!(
        outer_html(subs, |t| t.name == "li")
            .into_iter()
            .map(|li| texts(li).join(" "))
            .collect::<Vec<_>>(),
        [
            "6.1.1 General Covered",
            "6.1.2 Information security risk assessment Covered",
            "6.1.3 Information security risk treatment Covered",
        ]
    );
    // A sub-clause's page names its parent; its way up is the list of requirements.
    let child = control_page(&built, "iso27001-2022-clauses", "9-2-2");
    let card = only_element(&child, "the requirement card", |t| {
        t.name == "section" && t.attr("aria-labelledby") == Some("h-req")
    });
    let text = texts(card).join(" ");
    assert!(text.contains("Part of 9.2 Internal audit"), "{text}");
    assert!(text.contains("Weak."), "{text}");
    let crumbs = only_element(&child, "the breadcrumbs", |t| {
        t.name == "nav" && t.attr("class") == Some("crumbs")
    });
    let hrefs: Vec<String> = Page::parse(crumbs)
        .elements("a")
        .filter_map(|a| a.attr("href"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        hrefs.last().unwrap(),
        "../../../controls/iso27001-2022-clauses/"
    );
    let problems = common::site::Site::scan(&built.out).link_problems();
    assert!(
        problems.is_empty(),
        "link problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_custom_requirements_catalog_gets_its_page_and_a_control_catalog_none() {
    let obligations = "id = \"obligations\"\nname = \"Contract obligations\"\nkind = \"requirements\"\n\n\
                       [[controls]]\nid = \"O.1\"\ntitle = \"Security schedule\"\n\n\
                       [[controls]]\nid = \"O.1.1\"\ntitle = \"Encryption\"\n\n\
                       [[controls]]\nid = \"O.1.2\"\ntitle = \"Access\"\n";
    let repo = Repo::new()
        .file("frameworks/obligations.toml", obligations)
        .file(
            "policies/crypto.md",
            &mapping(
                "Crypto Policy",
                "approved",
                &["obligations:O.1.1", "obligations:O.1.2"],
            ),
        );
    let built = build_ok(&repo);
    let page = read(&built.out, "controls/obligations/index.html");
    assert_eq!(
        requirement_rows(&page, "obligations-requirements"),
        [
            req(
                "O.1",
                "Covered all sub-clauses covered",
                "req req-covered req-depth-0"
            ),
            req("O.1.1", "Covered", "req req-covered req-depth-1"),
            req("O.1.2", "Covered", "req req-covered req-depth-1"),
        ]
    );
    assert!(
        !built.out.join("controls/iso27001-2022/index.html").exists(),
        "a control catalog has the matrix, not a page of its own"
    );
}

#[test]
fn the_matrix_and_the_requirements_page_show_the_same_requirements_summary() {
    let repo = Repo::with_config(&config(&["iso27001-2022", "iso27001-2022-clauses"])).file(
        "policies/a.md",
        "+++\ntitle = \"A\"\nowner = \"O\"\nlast_reviewed = 2026-06-01\ncontrols = [\"iso27001-2022-clauses:4.3\"]\n+++\n\n# A\n",
    );
    let built = build_ok(&repo);
    let summary = |page: &str| {
        let html = read(&built.out, page);
        outer_html(&html, |t| t.attr("class") == Some("summary-strip"))
            .into_iter()
            .map(texts)
            .filter(|t| t.iter().any(|s| s == "Requirements"))
            .collect::<Vec<Vec<String>>>()
    };
    let expected = [vec![
        "2%",
        "1 of 34 requirements covered",
        "Requirements",
        "34",
        "Covered",
        "1",
        "Weak",
        "0",
        "Gaps",
        "33",
    ]];
    assert_eq!(
        summary("controls/iso27001-2022-clauses/index.html"),
        expected
    );
    assert_eq!(summary("controls/index.html"), expected);
}
