//! Routes: the one table of every page and file annexa generates, with its URL, template and
//! place in the navigation. Rendering, the `url-conflict` lint, the nav of `base.html` and the
//! footer's export links all read [`ROUTES`]; adding a page is one row here, one view function
//! and one template.

use crate::catalog::{ControlKey, Frameworks};

/// Which generated page or file a route is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RouteId {
    /// The dashboard, at the site root.
    Dashboard,
    /// The document register.
    Documents,
    /// A document's page (at its source path; not generated from the table).
    Document,
    /// The control matrix.
    Controls,
    /// A control's page.
    Control,
    /// The list of a requirements catalog's requirements (the ISO/IEC 27001 clauses).
    Requirements,
    /// The Statement of Applicability.
    Soa,
    /// The reviews page.
    Reviews,
    /// The risk register.
    Risks,
    /// Certification readiness: the mandatory documented information and the Stage 1 verdicts.
    Readiness,
    /// The audit pack document, printable (the same as `annexa pack`'s).
    AuditPack,
    /// The list of owners.
    Owners,
    /// An owner's page.
    Owner,
    /// The search page.
    Search,
    /// The listing of a folder's documents (for links to a folder).
    Folder,
    /// The change report since `[changes] since`.
    Changes,
    /// The internal audit programme.
    Audits,
    /// An audit's page.
    Audit,
    /// The findings: nonconformities, observations, opportunities.
    Findings,
    /// A finding's page.
    Finding,
    /// The evidence register.
    Evidence,
    /// An evidence item's page.
    EvidenceItem,
    /// The page a web server shows for a missing URL.
    NotFound,
    /// `exports/documents.json`.
    DocumentsJson,
    /// `exports/soa.csv`.
    SoaCsv,
    /// `exports/soa.xlsx`.
    SoaXlsx,
    /// `exports/risks.csv`.
    RisksCsv,
    /// `exports/risks.xlsx`.
    RisksXlsx,
    /// `exports/control-matrix.csv`.
    MatrixCsv,
    /// `exports/audits.csv`.
    AuditsCsv,
    /// `exports/findings.csv`.
    FindingsCsv,
    /// `exports/evidence.csv`.
    EvidenceCsv,
    /// `exports/reviews.ics`.
    ReviewsIcs,
    /// The theme's stylesheets, scripts and icons.
    Assets,
    /// The search index files.
    SearchIndex,
}

/// When a nav entry is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// On every site.
    Always,
    /// Only when the project has a risk register with risks.
    WithRisks,
    /// Only when `audits.toml` has audits.
    WithAudits,
    /// Only when `findings.toml` has findings.
    WithFindings,
    /// Only when `evidence.toml` has evidence.
    WithEvidence,
}

/// Which optional registers a site has entries in, for the nav entries shown only with them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shown {
    /// Risks in `risks.toml`.
    pub risks: bool,
    /// Audits in `audits.toml`.
    pub audits: bool,
    /// Findings in `findings.toml`.
    pub findings: bool,
    /// Evidence in `evidence.toml`.
    pub evidence: bool,
}

impl Shown {
    /// Whether an entry shown `when` is shown.
    pub fn allows(self, when: When) -> bool {
        match when {
            When::Always => true,
            When::WithRisks => self.risks,
            When::WithAudits => self.audits,
            When::WithFindings => self.findings,
            When::WithEvidence => self.evidence,
        }
    }
}

/// A route's entry in the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nav {
    /// The link text.
    pub label: &'static str,
    /// The expansion of an abbreviated label (`SoA`), shown as its `<abbr>` title.
    pub expansion: Option<&'static str>,
    /// When it is shown.
    pub when: When,
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// Which page or file.
    pub id: RouteId,
    /// The URL relative to the site root; `{name}` parts stand for an entry's own part
    /// (`controls/{framework}/{control}/`). A pattern ending in `{file}` owns its folder.
    pub pattern: &'static str,
    /// The template that renders it (`None` for files written by the exports or the index).
    pub template: Option<&'static str>,
    /// Its title (a page of one entry takes the entry's name instead).
    pub title: &'static str,
    /// The nav section it belongs to (the nav entry marked current on it).
    pub section: &'static str,
    /// Its own nav entry, if it has one.
    pub nav: Option<Nav>,
}

const fn page(
    id: RouteId,
    pattern: &'static str,
    template: &'static str,
    title: &'static str,
    section: &'static str,
    nav: Option<Nav>,
) -> Route {
    Route {
        id,
        pattern,
        template: Some(template),
        title,
        section,
        nav,
    }
}

const fn file(id: RouteId, pattern: &'static str, title: &'static str) -> Route {
    Route {
        id,
        pattern,
        template: None,
        title,
        section: "",
        nav: None,
    }
}

const fn nav(label: &'static str) -> Option<Nav> {
    Some(Nav {
        label,
        expansion: None,
        when: When::Always,
    })
}

/// Every page and file annexa generates, in nav order, then the pages of entries and the files.
pub const ROUTES: &[Route] = &[
    page(
        RouteId::Dashboard,
        "",
        "index.html",
        "Dashboard",
        "dashboard",
        nav("Dashboard"),
    ),
    page(
        RouteId::Documents,
        "documents/",
        "documents.html",
        "Documents",
        "documents",
        nav("Documents"),
    ),
    page(
        RouteId::Controls,
        "controls/",
        "controls.html",
        "Controls",
        "controls",
        nav("Controls"),
    ),
    page(
        RouteId::Soa,
        "soa/",
        "soa.html",
        "Statement of Applicability",
        "soa",
        Some(Nav {
            label: "SoA",
            expansion: Some("Statement of Applicability"),
            when: When::Always,
        }),
    ),
    page(
        RouteId::Reviews,
        "reviews/",
        "reviews.html",
        "Reviews",
        "reviews",
        nav("Reviews"),
    ),
    page(
        RouteId::Risks,
        "risks/",
        "risks.html",
        "Risks",
        "risks",
        Some(Nav {
            label: "Risks",
            expansion: None,
            when: When::WithRisks,
        }),
    ),
    page(
        RouteId::Audits,
        "audits/",
        "audits.html",
        "Internal audits",
        "audits",
        Some(Nav {
            label: "Audits",
            expansion: None,
            when: When::WithAudits,
        }),
    ),
    page(
        RouteId::Findings,
        "findings/",
        "findings.html",
        "Findings",
        "findings",
        Some(Nav {
            label: "Findings",
            expansion: None,
            when: When::WithFindings,
        }),
    ),
    page(
        RouteId::Evidence,
        "evidence/",
        "evidence.html",
        "Evidence",
        "evidence",
        Some(Nav {
            label: "Evidence",
            expansion: None,
            when: When::WithEvidence,
        }),
    ),
    page(
        RouteId::Readiness,
        "readiness/",
        "readiness.html",
        "Certification readiness",
        "readiness",
        nav("Readiness"),
    ),
    page(
        RouteId::Owners,
        "owners/",
        "owners.html",
        "Owners",
        "owners",
        nav("Owners"),
    ),
    page(
        RouteId::Search,
        "search/",
        "search.html",
        "Search",
        "search",
        nav("Search"),
    ),
    page(
        RouteId::AuditPack,
        "audit-pack/",
        "audit-pack.html",
        "Audit pack",
        "readiness",
        None,
    ),
    page(
        RouteId::Changes,
        "changes/",
        "changes.html",
        "Changes",
        "dashboard",
        None,
    ),
    page(
        RouteId::Document,
        "{path}/",
        "document.html",
        "",
        "documents",
        None,
    ),
    page(
        RouteId::Control,
        "controls/{framework}/{control}/",
        "control.html",
        "",
        "controls",
        None,
    ),
    page(
        RouteId::Requirements,
        "controls/{framework}/",
        "requirements.html",
        "",
        "controls",
        None,
    ),
    page(
        RouteId::Owner,
        "owners/{owner}/",
        "owner.html",
        "",
        "owners",
        None,
    ),
    page(
        RouteId::Audit,
        "audits/{audit}/",
        "audit.html",
        "",
        "audits",
        None,
    ),
    page(
        RouteId::Finding,
        "findings/{finding}/",
        "finding.html",
        "",
        "findings",
        None,
    ),
    page(
        RouteId::EvidenceItem,
        "evidence/{item}/",
        "evidence-item.html",
        "",
        "evidence",
        None,
    ),
    page(
        RouteId::Folder,
        "{folder}/",
        "folder.html",
        "",
        "documents",
        None,
    ),
    page(
        RouteId::NotFound,
        "404.html",
        "404.html",
        "Page not found",
        "",
        None,
    ),
    file(
        RouteId::DocumentsJson,
        "exports/documents.json",
        "documents.json",
    ),
    file(RouteId::SoaCsv, "exports/soa.csv", "soa.csv"),
    file(RouteId::SoaXlsx, "exports/soa.xlsx", "soa.xlsx"),
    file(
        RouteId::MatrixCsv,
        "exports/control-matrix.csv",
        "control-matrix.csv",
    ),
    file(RouteId::RisksCsv, "exports/risks.csv", "risks.csv"),
    file(RouteId::AuditsCsv, "exports/audits.csv", "audits.csv"),
    file(RouteId::FindingsCsv, "exports/findings.csv", "findings.csv"),
    file(RouteId::EvidenceCsv, "exports/evidence.csv", "evidence.csv"),
    file(RouteId::RisksXlsx, "exports/risks.xlsx", "risks.xlsx"),
    file(RouteId::ReviewsIcs, "exports/reviews.ics", "reviews.ics"),
    file(RouteId::Assets, "_assets/{file}", "theme assets"),
    file(RouteId::SearchIndex, "search/{file}", "search index"),
];

/// The row of `id`.
pub fn route(id: RouteId) -> &'static Route {
    ROUTES
        .iter()
        .find(|r| r.id == id)
        .expect("every route id has a row")
}

/// The URL of a page or file without parts of its own (`soa/`, `exports/soa.csv`).
pub fn url(id: RouteId) -> &'static str {
    let pattern = route(id).pattern;
    debug_assert!(!pattern.contains('{'), "{pattern} needs an entry");
    pattern
}

/// The file a route's URL is written to: `index.html` inside a folder URL.
pub fn file_of(url: &str) -> String {
    if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// A generated page of one project: a fixed page, or the page of one entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Page {
    /// A page without parts of its own (dashboard, register, matrix…, the 404 page).
    Fixed(RouteId),
    /// A control's page.
    Control(ControlKey),
    /// A requirements catalog's list of requirements, by its index in the catalogs in use.
    Requirements(usize),
    /// An owner's page, by the owner's slug.
    Owner(String),
    /// A folder's listing, by the folder's path.
    Folder(String),
    /// An audit's page, by the slug of its id.
    Audit(String),
    /// A finding's page, by the slug of its id.
    Finding(String),
    /// An evidence item's page, by the slug of its id.
    Evidence(String),
}

impl Page {
    /// The route the page follows.
    pub fn route(&self) -> &'static Route {
        route(match self {
            Page::Fixed(id) => *id,
            Page::Control(_) => RouteId::Control,
            Page::Requirements(_) => RouteId::Requirements,
            Page::Owner(_) => RouteId::Owner,
            Page::Folder(_) => RouteId::Folder,
            Page::Audit(_) => RouteId::Audit,
            Page::Finding(_) => RouteId::Finding,
            Page::Evidence(_) => RouteId::EvidenceItem,
        })
    }

    /// The page's URL, relative to the site root.
    pub fn url(&self, frameworks: &Frameworks) -> String {
        match self {
            Page::Fixed(id) => url(*id).to_string(),
            Page::Control(key) => control_url(frameworks, *key),
            Page::Requirements(framework) => requirements_url(frameworks, *framework),
            Page::Owner(slug) => owner_slug_url(slug),
            Page::Folder(folder) => crate::publish::folder_url(folder),
            Page::Audit(slug) => format!("{}{slug}/", url(RouteId::Audits)),
            Page::Finding(slug) => format!("{}{slug}/", url(RouteId::Findings)),
            Page::Evidence(slug) => format!("{}{slug}/", url(RouteId::Evidence)),
        }
    }
}

/// The folders whose every file annexa writes (`_assets/`, `search/`'s index folders are
/// written whole): a document there would mix with them.
pub fn owned_folders() -> impl Iterator<Item = &'static str> {
    ROUTES
        .iter()
        .filter_map(|r| r.pattern.strip_suffix("{file}"))
}

/// The generated files of fixed names (the exports).
pub fn fixed_files() -> impl Iterator<Item = &'static str> {
    ROUTES
        .iter()
        .filter(|r| r.template.is_none() && !r.pattern.contains('{'))
        .map(|r| r.pattern)
}

/// The nav entries shown on a site, with their URLs and sections.
pub fn nav_entries(shown: Shown) -> impl Iterator<Item = (&'static Route, Nav)> {
    ROUTES.iter().filter_map(move |r| {
        let nav = r.nav?;
        shown.allows(nav.when).then_some((r, nav))
    })
}

/// The page URL of an audit (`audits/ia-2026-02/`).
pub fn audit_url(id: &str) -> String {
    Page::Audit(slug(id)).url(&Frameworks::default())
}

/// The page URL of a finding (`findings/nc-2026-03/`).
pub fn finding_url(id: &str) -> String {
    Page::Finding(slug(id)).url(&Frameworks::default())
}

/// The page URL of an evidence item (`evidence/ev-014/`).
pub fn evidence_url(id: &str) -> String {
    Page::Evidence(slug(id)).url(&Frameworks::default())
}

/// A URL-safe slug: lower case letters and digits, other runs become one hyphen.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// The page URL of a control.
pub fn control_url(frameworks: &Frameworks, key: ControlKey) -> String {
    let catalog = &frameworks.catalogs[key.framework];
    format!(
        "controls/{}/{}/",
        slug(&catalog.id),
        slug(&catalog.controls[key.control].id)
    )
}

/// The page URL of a requirements catalog's list (`controls/iso27001-2022-clauses/`).
pub fn requirements_url(frameworks: &Frameworks, framework: usize) -> String {
    format!("controls/{}/", slug(&frameworks.catalogs[framework].id))
}

/// The page URL of an owner.
pub fn owner_url(owner: &str) -> String {
    owner_slug_url(&slug(owner))
}

/// The page URL of the owner whose name slugs to `slug`.
fn owner_slug_url(slug: &str) -> String {
    format!("{}{slug}/", url(RouteId::Owners))
}

/// The document register filtered by one value (`documents/?owner=Head%20of%20IT`).
pub fn register_url(key: &str, value: &str) -> String {
    const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let value = percent_encoding::utf8_percent_encode(value, QUERY_VALUE);
    format!("{}?{key}={value}", url(RouteId::Documents))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_id_has_one_row() {
        let mut ids: Vec<RouteId> = ROUTES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ROUTES.len());
    }

    #[test]
    fn the_nav_follows_the_table() {
        let labels = |shown| -> Vec<&str> { nav_entries(shown).map(|(_, n)| n.label).collect() };
        let all = Shown {
            risks: true,
            audits: true,
            findings: true,
            evidence: true,
        };
        assert_eq!(
            labels(all),
            [
                "Dashboard",
                "Documents",
                "Controls",
                "SoA",
                "Reviews",
                "Risks",
                "Audits",
                "Findings",
                "Evidence",
                "Readiness",
                "Owners",
                "Search"
            ]
        );
        assert_eq!(
            labels(Shown::default()),
            [
                "Dashboard",
                "Documents",
                "Controls",
                "SoA",
                "Reviews",
                "Readiness",
                "Owners",
                "Search"
            ]
        );
    }

    #[test]
    fn files_and_folders_of_the_table() {
        assert_eq!(owned_folders().collect::<Vec<_>>(), ["_assets/", "search/"]);
        assert_eq!(
            fixed_files().collect::<Vec<_>>(),
            [
                "exports/documents.json",
                "exports/soa.csv",
                "exports/soa.xlsx",
                "exports/control-matrix.csv",
                "exports/risks.csv",
                "exports/audits.csv",
                "exports/findings.csv",
                "exports/evidence.csv",
                "exports/risks.xlsx",
                "exports/reviews.ics"
            ]
        );
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("soa/"), "soa/index.html");
        assert_eq!(file_of("404.html"), "404.html");
    }

    #[test]
    fn a_control_url_is_made_of_the_slugs_of_its_catalog_and_id() {
        let frameworks = Frameworks {
            catalogs: vec![crate::catalog::built_in("iso27001-2022").unwrap()],
        };
        let key = frameworks.resolve("A.5.15").unwrap();
        assert_eq!(
            control_url(&frameworks, key),
            "controls/iso27001-2022/a-5-15/"
        );
        assert_eq!(
            Page::Control(key).url(&frameworks),
            "controls/iso27001-2022/a-5-15/"
        );
    }

    #[test]
    fn urls_of_entries() {
        assert_eq!(owner_url("Head of IT"), "owners/head-of-it/");
        assert_eq!(
            register_url("owner", "Head of IT"),
            "documents/?owner=Head%20of%20IT"
        );
        assert_eq!(slug("  A.5.15 "), "a-5-15");
        assert_eq!(slug("!!!"), "x");
        let none = Frameworks { catalogs: vec![] };
        assert_eq!(
            Page::Folder("policies/hr".into()).url(&none),
            "policies/hr/"
        );
        assert_eq!(Page::Owner("jo".into()).url(&none), "owners/jo/");
        assert_eq!(audit_url("IA-2026-02"), "audits/ia-2026-02/");
        assert_eq!(finding_url("NC-2026-03"), "findings/nc-2026-03/");
        assert_eq!(evidence_url("EV-014"), "evidence/ev-014/");
        let clauses = Frameworks {
            catalogs: vec![crate::catalog::built_in("iso27001-2022-clauses").unwrap()],
        };
        assert_eq!(
            Page::Requirements(0).url(&clauses),
            "controls/iso27001-2022-clauses/"
        );
    }
}
