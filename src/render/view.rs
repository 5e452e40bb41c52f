//! Views: the model as the templates see it, built once per build. URLs are relative to the
//! site root without a leading `/` (templates prefix them with `root`, the way back to the root
//! from the current page), so the site works under any base URL and from disk.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::catalog::ControlKey;
use crate::frontmatter::{Kind, Status};
use crate::history::Change;
use crate::model::{ControlStatus, Document, Project};
use crate::review::ReviewState;
use crate::risks::Risk;
use crate::routes::{self, control_url, owner_url, register_url, slug};

/// A link: text and a root-relative URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    /// Visible text.
    pub label: String,
    /// Root-relative URL.
    pub url: String,
}

/// A control as listed on a document or a risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlRefView {
    /// The id as shown (`A.5.15`, or `nist-csf-2.0:PR.AA-01` outside the default framework).
    pub id: String,
    /// The control title.
    pub title: String,
    /// The control page.
    pub url: String,
}

/// Everything a template needs about one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocView {
    /// Position in `site.documents`.
    pub index: usize,
    /// The page URL (`policies/access-control/`).
    pub url: String,
    /// The source path (`policies/access-control.md`).
    pub path: String,
    /// Title.
    pub title: String,
    /// `id`, or empty.
    pub id: String,
    /// The folder it lives in (`policies`, `policies/hr`), or empty at the root.
    pub folder: String,
    /// Kind name.
    pub kind: &'static str,
    /// Kind for display ("Policy").
    pub kind_label: &'static str,
    /// Status name.
    pub status: &'static str,
    /// Status for display ("In review").
    pub status_label: &'static str,
    /// Owner, or empty.
    pub owner: String,
    /// The owner's page, or empty.
    pub owner_url: String,
    /// Approver, or empty.
    pub approver: String,
    /// Version, or empty.
    pub version: String,
    /// Classification, or empty.
    pub classification: String,
    /// Effective date, or empty.
    pub effective: String,
    /// Last review date, or empty.
    pub last_reviewed: String,
    /// Next review date, or empty.
    pub next_review: String,
    /// Review interval as written, or empty.
    pub review_interval: String,
    /// `overdue`, `due-soon`, `ok`, `missing` or `not-tracked`.
    pub review_state: &'static str,
    /// Days to the next review (negative when overdue), when tracked and dated.
    pub days_left: Option<i64>,
    /// A human phrase for the review state ("Overdue by 32 days").
    pub review_label: String,
    /// The latest of `last_reviewed` and `effective` up to today, or empty.
    pub last_activity: String,
    /// What happened then: `reviewed` or `effective`, or empty.
    pub last_activity_kind: &'static str,
    /// Listed controls that resolved.
    pub controls: Vec<ControlRefView>,
    /// Tags.
    pub tags: Vec<String>,
    /// Tags as links to the register filtered by each.
    pub tag_links: Vec<LinkView>,
    /// Summary, or empty.
    pub summary: String,
    /// Link to the source file in the repository browser, or empty.
    pub source_url: String,
}

/// One control with its SoA decision, documents and risks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlView {
    /// Which control it is.
    #[serde(skip)]
    pub key: ControlKey,
    /// The id as the catalog writes it.
    pub id: String,
    /// The title.
    pub title: String,
    /// Theme or group.
    pub group: String,
    /// The group's anchor on the matrix page.
    pub group_anchor: String,
    /// Optional description.
    pub description: String,
    /// The control page URL.
    pub url: String,
    /// Its row anchor on the matrix and SoA pages (`iso27001-2022-a-5-15`).
    pub anchor: String,
    /// Whether it applies.
    pub applicable: bool,
    /// Whether the SoA mentions it.
    pub in_soa: bool,
    /// `not-applicable`, `implemented`, `partial`, `planned`, `not-implemented`, `documented`, `gap`.
    pub status: &'static str,
    /// A label for the status.
    pub status_label: &'static str,
    /// The SoA justification, or empty.
    pub justification: String,
    /// Indices into `site.documents` of every document that lists it.
    pub documents: Vec<usize>,
    /// How many of them count for coverage (approved or in review).
    pub counting_documents: usize,
    /// Indices into `site.risks`.
    pub risks: Vec<usize>,
    /// Related controls in other catalogs in use.
    pub related: Vec<ControlRefView>,
    /// Related ids in catalogs not in use, shown as text.
    pub related_elsewhere: Vec<String>,
    /// Attribute name and values (ISO/IEC 27002 attributes).
    pub attributes: Vec<(String, String)>,
}

/// A group (theme) of a framework's controls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    /// Group name.
    pub name: String,
    /// Its anchor id on the matrix page.
    pub anchor: String,
    /// Controls in catalog order.
    pub controls: Vec<ControlView>,
}

/// Counts of a framework's controls by status.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CoverageView {
    /// All controls.
    pub total: usize,
    /// Applicable controls.
    pub applicable: usize,
    /// Excluded in the SoA.
    pub not_applicable: usize,
    /// Applicable controls with at least one approved or in-review document.
    pub documented: usize,
    /// Applicable controls with no such document.
    pub gaps: usize,
    /// `documented` as a whole percentage of `applicable`.
    pub percent: usize,
    /// SoA implementation states: implemented, partial, planned, not-implemented.
    pub implemented: usize,
    /// Stated `partial`.
    pub partial: usize,
    /// Stated `planned`.
    pub planned: usize,
    /// Stated `not-implemented`.
    pub not_implemented: usize,
}

/// A framework in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkView {
    /// Catalog id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Description, or empty.
    pub description: String,
    /// Its section anchor on the matrix and SoA pages.
    pub anchor: String,
    /// Coverage counts.
    pub coverage: CoverageView,
    /// Groups in order.
    pub groups: Vec<GroupView>,
}

/// An owner and their documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnerView {
    /// The owner as written.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// The owner page.
    pub url: String,
    /// The document register filtered to this owner.
    pub register_url: String,
    /// Indices into `site.documents`, by next review.
    pub documents: Vec<usize>,
    /// How many of them are overdue.
    pub overdue: usize,
    /// How many are due soon.
    pub due_soon: usize,
}

/// A risk of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskView {
    /// Id.
    pub id: String,
    /// Anchor on the risks page.
    pub anchor: String,
    /// Title.
    pub title: String,
    /// Description, or empty.
    pub description: String,
    /// Owner, or empty.
    pub owner: String,
    /// Inherent likelihood, impact and score, when given.
    pub likelihood: Option<u8>,
    /// Inherent impact.
    pub impact: Option<u8>,
    /// Likelihood × impact.
    pub score: Option<u8>,
    /// `low`, `medium`, `high`, `critical`, or empty.
    pub level: &'static str,
    /// Residual likelihood.
    pub residual_likelihood: Option<u8>,
    /// Residual impact.
    pub residual_impact: Option<u8>,
    /// Residual score.
    pub residual_score: Option<u8>,
    /// Residual level.
    pub residual_level: &'static str,
    /// Treatment, or empty.
    pub treatment: &'static str,
    /// `open` or `closed`.
    pub status: String,
    /// Controls that treat it.
    pub controls: Vec<ControlRefView>,
}

/// One cell of the risk heat map: a likelihood × impact combination.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatCellView {
    /// Impact, 1 to 5.
    pub impact: u8,
    /// Likelihood × impact.
    pub score: u8,
    /// `low`, `medium`, `high` or `critical`.
    pub level: &'static str,
    /// Indices into `site.risks` of the risks rated here before treatment.
    pub inherent: Vec<usize>,
    /// Indices into `site.risks` of the risks rated here after treatment.
    pub residual: Vec<usize>,
}

/// A row of the risk heat map: one likelihood, impacts 1 to 5.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRowView {
    /// Likelihood, 1 to 5.
    pub likelihood: u8,
    /// Cells by impact, 1 first.
    pub cells: Vec<HeatCellView>,
}

/// One count of a breakdown, with its share of the whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountView {
    /// Machine name (`approved`, `policy`, `overdue`), for CSS classes and filters.
    pub name: String,
    /// Display label.
    pub label: String,
    /// How many.
    pub count: usize,
    /// Share of the whole in percent, rounded (0 to 100).
    pub percent: usize,
}

/// Counts for the dashboard.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatsView {
    /// All documents.
    pub documents: usize,
    /// By status: draft, review, approved, retired.
    pub by_status: Vec<CountView>,
    /// By kind, for kinds present.
    pub by_kind: Vec<CountView>,
    /// Documents with review tracking (approved or in review).
    pub tracked: usize,
    /// Tracked documents by review state: overdue, due-soon, ok, missing (shares of `tracked`).
    pub by_review: Vec<CountView>,
    /// Overdue reviews.
    pub overdue: usize,
    /// Reviews due soon.
    pub due_soon: usize,
    /// Tracked documents reviewed on time.
    pub current: usize,
    /// Tracked documents without a review date.
    pub missing: usize,
}

/// Review lists for the dashboard and the reviews page (indices into `site.documents`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReviewsView {
    /// Overdue, most overdue first.
    pub overdue: Vec<usize>,
    /// Due within the window, soonest first.
    pub due_soon: Vec<usize>,
    /// Tracked but undated.
    pub missing: Vec<usize>,
    /// Recently reviewed or made effective, newest first (at most 8).
    pub recent: Vec<usize>,
    /// The due-soon window in days.
    pub window_days: u32,
}

/// A document's latest change in the Git history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeView {
    /// Index into `site.documents`.
    pub index: usize,
    /// Commit date (`YYYY-MM-DD`).
    pub date: String,
    /// Commit subject.
    pub subject: String,
}

/// Site-wide data: set once as Tera's global context `site`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Organisation, or empty.
    pub organisation: String,
    /// The configured base URL.
    pub base_url: String,
    /// The day reviews are computed for.
    pub today: String,
    /// `annexa <version>`.
    pub generator: String,
    /// Every document, sorted by path. Left out of the serialised view: the renderer
    /// serialises each document once and shares the values (see `pages::site_values`).
    #[serde(skip_serializing)]
    pub documents: Vec<DocView>,
    /// Frameworks in use, the default first.
    pub frameworks: Vec<FrameworkView>,
    /// Owners by name.
    pub owners: Vec<OwnerView>,
    /// The risk register.
    pub risks: Vec<RiskView>,
    /// The risk heat map, likelihood 5 first; empty without risks.
    pub risk_heatmap: Vec<HeatRowView>,
    /// Review lists.
    pub reviews: ReviewsView,
    /// Dashboard counts.
    pub stats: StatsView,
    /// Values for the register filters.
    pub filters: Vec<FilterView>,
    /// The latest changes to documents in the Git history (empty without Git).
    pub recent_changes: Vec<ChangeView>,
    /// The main navigation, from the route table.
    pub nav: Vec<NavView>,
    /// The exports, from the route table, for the footer.
    pub exports: Vec<LinkView>,
}

/// An entry of the main navigation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NavView {
    /// The link text.
    pub label: &'static str,
    /// The expansion of an abbreviated label, or `None`.
    pub expansion: Option<&'static str>,
    /// Root-relative URL.
    pub url: &'static str,
    /// The section whose pages mark it current.
    pub section: &'static str,
}

fn nav(has_risks: bool) -> Vec<NavView> {
    routes::nav_entries(has_risks)
        .map(|(route, nav)| NavView {
            label: nav.label,
            expansion: nav.expansion,
            url: route.pattern,
            section: route.section,
        })
        .collect()
}

fn exports() -> Vec<LinkView> {
    routes::fixed_files()
        .map(|file| LinkView {
            label: file.rsplit('/').next().unwrap_or(file).to_string(),
            url: file.to_string(),
        })
        .collect()
}

/// One filter of the document register: a select over the distinct values documents have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterView {
    /// The query parameter and `data-` attribute it filters on (`kind`, `owner`…).
    pub name: &'static str,
    /// The select's label.
    pub label: &'static str,
    /// The label of the option that shows everything.
    pub all: &'static str,
    /// The values present, sorted, with their labels.
    pub options: Vec<OptionView>,
}

/// One option of a register filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionView {
    /// The value matched against documents.
    pub value: String,
    /// What the option shows.
    pub label: String,
}

fn control_ref(project: &Project, key: ControlKey) -> ControlRefView {
    let control = project.frameworks.control(key);
    ControlRefView {
        id: project.frameworks.display_id(key),
        title: control.title.clone(),
        url: control_url(&project.frameworks, key),
    }
}

fn review_label(doc: &Document) -> String {
    let days = doc.review.days_left.unwrap_or(0);
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    match doc.review.state {
        ReviewState::Overdue => format!("Overdue by {} {}", -days, plural(-days)),
        ReviewState::DueSoon if days == 0 => "Due today".to_string(),
        ReviewState::DueSoon => format!("Due in {days} {}", plural(days)),
        ReviewState::Ok => "Current".to_string(),
        ReviewState::Missing => "No review date".to_string(),
        ReviewState::NotTracked => "Not tracked".to_string(),
    }
}

/// The later of a document's last review and its effective date, up to today.
fn last_activity(project: &Project, doc: &Document) -> Option<(jiff::civil::Date, &'static str)> {
    let reviewed = doc
        .meta
        .last_reviewed
        .as_ref()
        .map(|l| (l.value, "reviewed"));
    let effective = doc.meta.effective.map(|d| (d, "effective"));
    reviewed
        .into_iter()
        .chain(effective)
        .filter(|(d, _)| *d <= project.today)
        .max_by_key(|(d, _)| *d)
}

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Policy => "Policy",
        Kind::Procedure => "Procedure",
        Kind::Standard => "Standard",
        Kind::Guideline => "Guideline",
        Kind::Plan => "Plan",
        Kind::Record => "Record",
        Kind::Other => "Other",
    }
}

fn doc_status_label(status: Status) -> &'static str {
    match status {
        Status::Draft => "Draft",
        Status::Review => "In review",
        Status::Approved => "Approved",
        Status::Retired => "Retired",
    }
}

fn doc_view(project: &Project, index: usize, doc: &Document) -> DocView {
    let meta = &doc.meta;
    let activity = last_activity(project, doc);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    DocView {
        index,
        url: doc.url.clone(),
        path: doc.path().to_string(),
        title: doc.title.clone(),
        id: meta
            .id
            .as_ref()
            .map(|i| i.value.clone())
            .unwrap_or_default(),
        folder: doc
            .path()
            .rsplit_once('/')
            .map(|(folder, _)| folder.to_string())
            .unwrap_or_default(),
        kind: meta.kind.as_str(),
        kind_label: kind_label(meta.kind),
        status: meta.status.as_str(),
        status_label: doc_status_label(meta.status),
        owner: text(&meta.owner),
        owner_url: meta.owner.as_deref().map(owner_url).unwrap_or_default(),
        approver: text(&meta.approver),
        version: text(&meta.version),
        classification: text(&meta.classification),
        effective: meta.effective.map(|d| d.to_string()).unwrap_or_default(),
        last_reviewed: meta
            .last_reviewed
            .as_ref()
            .map(|d| d.value.to_string())
            .unwrap_or_default(),
        next_review: doc.review.next.map(|d| d.to_string()).unwrap_or_default(),
        review_interval: meta
            .review_interval
            .map(|i| i.to_string())
            .unwrap_or_default(),
        review_state: doc.review.state.as_str(),
        days_left: doc.review.days_left,
        review_label: review_label(doc),
        last_activity: activity.map(|(d, _)| d.to_string()).unwrap_or_default(),
        last_activity_kind: activity.map(|(_, k)| k).unwrap_or(""),
        controls: doc
            .controls
            .iter()
            .filter_map(|c| c.key.as_ref().ok())
            .map(|&key| control_ref(project, key))
            .collect(),
        tags: meta.tags.clone(),
        tag_links: meta
            .tags
            .iter()
            .map(|t| LinkView {
                label: t.clone(),
                url: register_url("tag", t),
            })
            .collect(),
        summary: text(&meta.summary),
        source_url: project
            .config
            .repo_url
            .as_ref()
            .map(|base| format!("{base}/{}", doc.path()))
            .unwrap_or_default(),
    }
}

fn status_label(status: ControlStatus) -> &'static str {
    use crate::soa::Implementation::*;
    match status {
        ControlStatus::NotApplicable => "Not applicable",
        ControlStatus::Stated(Implemented) => "Implemented",
        ControlStatus::Stated(Partial) => "Partial",
        ControlStatus::Stated(Planned) => "Planned",
        ControlStatus::Stated(NotImplemented) => "Not implemented",
        ControlStatus::Documented => "Documented",
        ControlStatus::Gap => "Gap",
    }
}

fn control_view(project: &Project, key: ControlKey) -> ControlView {
    let control = project.frameworks.control(key);
    let entry = project.soa_entry(key);
    let status = project.control_status(key);
    let mut related = Vec::new();
    let mut related_elsewhere = Vec::new();
    for r in &control.related {
        match project.frameworks.resolve(r) {
            Ok(k) => related.push(control_ref(project, k)),
            Err(_) => related_elsewhere.push(r.clone()),
        }
    }
    ControlView {
        key,
        id: control.id.clone(),
        title: control.title.clone(),
        group: control.group.clone(),
        group_anchor: format!(
            "{}-{}",
            slug(&project.frameworks.catalogs[key.framework].id),
            slug(&control.group)
        ),
        description: control.description.clone().unwrap_or_default(),
        url: control_url(&project.frameworks, key),
        anchor: format!(
            "{}-{}",
            slug(&project.frameworks.catalogs[key.framework].id),
            slug(&control.id)
        ),
        applicable: project.soa.is_applicable(key),
        in_soa: entry.is_some(),
        status: status.as_str(),
        status_label: status_label(status),
        justification: entry
            .and_then(|e| e.justification.clone())
            .unwrap_or_default(),
        documents: project.documents_for(key).to_vec(),
        counting_documents: project.counting_documents_for(key).count(),
        risks: project.risks_for(key).to_vec(),
        related,
        related_elsewhere,
        attributes: control
            .attributes
            .iter()
            .map(|(name, values)| (name.replace('_', " "), values.join(", ")))
            .collect(),
    }
}

fn framework_view(project: &Project, framework: usize) -> FrameworkView {
    let catalog = &project.frameworks.catalogs[framework];
    let mut coverage = CoverageView::default();
    let groups: Vec<GroupView> = catalog
        .groups
        .iter()
        .map(|group| GroupView {
            name: group.clone(),
            anchor: format!("{}-{}", slug(&catalog.id), slug(group)),
            controls: catalog
                .group_controls(group)
                .map(|(control, _)| control_view(project, ControlKey { framework, control }))
                .collect(),
        })
        .filter(|g| !g.controls.is_empty())
        .collect();
    for control in groups.iter().flat_map(|g| &g.controls) {
        coverage.total += 1;
        if !control.applicable {
            coverage.not_applicable += 1;
            continue;
        }
        coverage.applicable += 1;
        if control.counting_documents > 0 {
            coverage.documented += 1;
        } else {
            coverage.gaps += 1;
        }
        match control.status {
            "implemented" => coverage.implemented += 1,
            "partial" => coverage.partial += 1,
            "planned" => coverage.planned += 1,
            "not-implemented" => coverage.not_implemented += 1,
            _ => {}
        }
    }
    coverage.percent = (coverage.documented * 100)
        .checked_div(coverage.applicable)
        .unwrap_or(100);
    FrameworkView {
        id: catalog.id.clone(),
        name: catalog.name.clone(),
        description: catalog.description.clone().unwrap_or_default(),
        anchor: slug(&catalog.id),
        coverage,
        groups,
    }
}

fn risk_level(score: Option<u8>) -> &'static str {
    match score {
        None => "",
        Some(0..=4) => "low",
        Some(5..=9) => "medium",
        Some(10..=16) => "high",
        Some(_) => "critical",
    }
}

fn risk_view(project: &Project, risk: &Risk) -> RiskView {
    RiskView {
        id: risk.id.clone(),
        anchor: slug(&risk.id),
        title: risk.title.clone(),
        description: risk.description.clone().unwrap_or_default(),
        owner: risk.owner.clone().unwrap_or_default(),
        likelihood: risk.likelihood,
        impact: risk.impact,
        score: risk.score(),
        level: risk_level(risk.score()),
        residual_likelihood: risk.residual_likelihood,
        residual_impact: risk.residual_impact,
        residual_score: risk.residual_score(),
        residual_level: risk_level(risk.residual_score()),
        treatment: risk.treatment.map(|t| t.as_str()).unwrap_or(""),
        status: risk.status.clone(),
        controls: risk
            .controls
            .iter()
            .map(|&k| control_ref(project, k))
            .collect(),
    }
}

fn risk_heatmap(risks: &[RiskView]) -> Vec<HeatRowView> {
    if risks.is_empty() {
        return Vec::new();
    }
    (1..=5u8)
        .rev()
        .map(|likelihood| HeatRowView {
            likelihood,
            cells: (1..=5u8)
                .map(|impact| {
                    let at =
                        |l: Option<u8>, i: Option<u8>| l == Some(likelihood) && i == Some(impact);
                    HeatCellView {
                        impact,
                        score: likelihood * impact,
                        level: risk_level(Some(likelihood * impact)),
                        inherent: (0..risks.len())
                            .filter(|&r| at(risks[r].likelihood, risks[r].impact))
                            .collect(),
                        residual: (0..risks.len())
                            .filter(|&r| at(risks[r].residual_likelihood, risks[r].residual_impact))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

fn owners(docs: &[DocView], project: &Project) -> Vec<OwnerView> {
    let mut by_slug: BTreeMap<String, OwnerView> = BTreeMap::new();
    // Owners are few and documents many: slug each name once.
    let mut slugs: rustc_hash::FxHashMap<&str, String> = Default::default();
    for (i, doc) in project.documents.iter().enumerate() {
        let Some(owner) = &doc.meta.owner else {
            continue;
        };
        let slug = slugs
            .entry(owner.as_str())
            .or_insert_with(|| slug(owner))
            .clone();
        let view = by_slug.entry(slug.clone()).or_insert_with(|| OwnerView {
            name: owner.clone(),
            url: owner_url(owner),
            register_url: register_url("owner", owner),
            slug,
            documents: Vec::new(),
            overdue: 0,
            due_soon: 0,
        });
        view.documents.push(i);
        match doc.review.state {
            ReviewState::Overdue => view.overdue += 1,
            ReviewState::DueSoon => view.due_soon += 1,
            _ => {}
        }
    }
    let mut owners: Vec<OwnerView> = by_slug.into_values().collect();
    for owner in &mut owners {
        let key = |i: usize| (docs[i].next_review.is_empty(), &docs[i].next_review, i);
        owner.documents.sort_by(|&a, &b| key(a).cmp(&key(b)));
    }
    owners.sort_by_key(|o| o.name.to_lowercase());
    owners
}

fn reviews(project: &Project) -> ReviewsView {
    let docs = &project.documents;
    let by_state = |state: ReviewState| {
        let mut list: Vec<usize> = (0..docs.len())
            .filter(|&i| docs[i].review.state == state)
            .collect();
        list.sort_by_key(|&i| (docs[i].review.days_left, i));
        list
    };
    let mut recent: Vec<(jiff::civil::Date, usize)> = docs
        .iter()
        .enumerate()
        .filter_map(|(i, d)| last_activity(project, d).map(|(date, _)| (date, i)))
        .collect();
    recent.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ReviewsView {
        overdue: by_state(ReviewState::Overdue),
        due_soon: by_state(ReviewState::DueSoon),
        missing: by_state(ReviewState::Missing),
        recent: recent.into_iter().take(8).map(|(_, i)| i).collect(),
        window_days: project.config.reviews.due_soon_days,
    }
}

fn count_view(name: &str, label: &str, count: usize, whole: usize) -> CountView {
    CountView {
        name: name.to_string(),
        label: label.to_string(),
        count,
        percent: (count * 100 + whole / 2).checked_div(whole).unwrap_or(0),
    }
}

fn stats(project: &Project, reviews: &ReviewsView) -> StatsView {
    let docs = &project.documents;
    let total = docs.len();
    let by_status = Status::ALL
        .iter()
        .map(|s| {
            let n = docs.iter().filter(|d| d.meta.status == *s).count();
            count_view(s.as_str(), doc_status_label(*s), n, total)
        })
        .collect();
    let by_kind = Kind::ALL
        .iter()
        .map(|k| {
            let n = docs.iter().filter(|d| d.meta.kind == *k).count();
            count_view(k.as_str(), kind_label(*k), n, total)
        })
        .filter(|c| c.count > 0)
        .collect();
    let current = docs
        .iter()
        .filter(|d| d.review.state == ReviewState::Ok)
        .count();
    let tracked = reviews.overdue.len() + reviews.due_soon.len() + current + reviews.missing.len();
    let by_review = vec![
        count_view("overdue", "Overdue", reviews.overdue.len(), tracked),
        count_view("due-soon", "Due soon", reviews.due_soon.len(), tracked),
        count_view("ok", "Current", current, tracked),
        count_view("missing", "No review date", reviews.missing.len(), tracked),
    ];
    StatsView {
        documents: total,
        by_status,
        by_kind,
        tracked,
        by_review,
        overdue: reviews.overdue.len(),
        due_soon: reviews.due_soon.len(),
        current,
        missing: reviews.missing.len(),
    }
}

/// Each non-empty value once, with the label it first came with, sorted ignoring case (values
/// that differ only in case stay apart, in the order they came).
fn distinct_options(values: &mut dyn Iterator<Item = (String, String)>) -> Vec<OptionView> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut options: Vec<OptionView> = values
        .filter(|(value, _)| !value.is_empty() && seen.insert(value.clone()))
        .map(|(value, label)| OptionView { value, label })
        .collect();
    options.sort_by_cached_key(|o| o.value.to_lowercase());
    options
}

fn filters(docs: &[DocView]) -> Vec<FilterView> {
    let filter =
        |name, label, all, values: &mut dyn Iterator<Item = (String, String)>| FilterView {
            name,
            label,
            all,
            options: distinct_options(values),
        };
    let same = |v: &String| (v.clone(), v.clone());
    vec![
        filter(
            "kind",
            "Kind",
            "All kinds",
            &mut docs
                .iter()
                .map(|d| (d.kind.to_string(), d.kind_label.to_string())),
        ),
        filter(
            "owner",
            "Owner",
            "All owners",
            &mut docs.iter().map(|d| same(&d.owner)),
        ),
        filter(
            "status",
            "Status",
            "All statuses",
            &mut docs
                .iter()
                .map(|d| (d.status.to_string(), d.status_label.to_string())),
        ),
        filter(
            "tag",
            "Tag",
            "All tags",
            &mut docs.iter().flat_map(|d| d.tags.iter().map(same)),
        ),
        filter(
            "folder",
            "Folder",
            "All folders",
            &mut docs
                .iter()
                .map(|d| (d.folder.clone(), format!("{}/", d.folder))),
        ),
    ]
}

/// A folder's listing page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FolderView {
    /// The folder's path (`policies/hr`).
    pub path: String,
    /// The page URL (`policies/hr/`).
    pub url: String,
    /// Indices into `site.documents` of the documents below it, in path order.
    pub documents: Vec<usize>,
    /// The document register filtered to this folder.
    pub register_url: String,
}

impl FolderView {
    /// The listing of `folder`, one of the project's listed folders.
    pub fn new(project: &Project, folder: &str) -> Self {
        FolderView {
            path: folder.to_string(),
            url: crate::publish::folder_url(folder),
            documents: project
                .site
                .folder_documents
                .get(folder)
                .cloned()
                .unwrap_or_default(),
            register_url: register_url("folder", folder),
        }
    }
}

impl SiteView {
    /// The framework and view of the control `key`, when the matrix shows it.
    pub fn control(&self, key: ControlKey) -> Option<(&FrameworkView, &ControlView)> {
        let framework = self.frameworks.get(key.framework)?;
        let control = framework
            .groups
            .iter()
            .flat_map(|g| &g.controls)
            .find(|c| c.key == key)?;
        Some((framework, control))
    }

    /// Builds the views of a whole project.
    pub fn new(project: &Project, history: &[Change]) -> Self {
        use rayon::prelude::*;
        let (documents, (frameworks, reviews)) = rayon::join(
            || {
                project
                    .documents
                    .par_iter()
                    .enumerate()
                    .map(|(i, d)| doc_view(project, i, d))
                    .collect::<Vec<DocView>>()
            },
            || {
                rayon::join(
                    || {
                        (0..project.frameworks.catalogs.len())
                            .map(|f| framework_view(project, f))
                            .collect()
                    },
                    || reviews(project),
                )
            },
        );
        let risks: Vec<RiskView> = project
            .risks
            .iter()
            .map(|r| risk_view(project, r))
            .collect();
        let (owners, filters) = rayon::join(|| owners(&documents, project), || filters(&documents));
        let config = &project.config;
        SiteView {
            title: config.title.clone(),
            organisation: config.organisation.clone().unwrap_or_default(),
            base_url: config.base_url.clone(),
            today: project.today.to_string(),
            generator: format!("annexa {}", env!("CARGO_PKG_VERSION")),
            owners,
            risk_heatmap: risk_heatmap(&risks),
            risks,
            stats: stats(project, &reviews),
            filters,
            recent_changes: recent_changes(project, history),
            nav: nav(!project.risks.is_empty()),
            exports: exports(),
            reviews,
            frameworks,
            documents,
        }
    }
}

/// The latest changes to documents in the Git history, newest first (at most 8).
fn recent_changes(project: &Project, history: &[Change]) -> Vec<ChangeView> {
    history
        .iter()
        .filter_map(|change| {
            Some(ChangeView {
                index: project.document_by_path(&change.path)?,
                date: change.date.clone(),
                subject: change.subject.clone(),
            })
        })
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::distinct_options;

    #[test]
    fn filter_options_are_distinct_and_sorted_ignoring_case() {
        let values = [
            ("Foo", "first"),
            ("bar", "bar"),
            ("foo", "lower"),
            ("", "empty"),
            ("Foo", "again"),
            ("bar", "again"),
        ];
        let options =
            distinct_options(&mut values.iter().map(|(v, l)| (v.to_string(), l.to_string())));
        let got: Vec<(&str, &str)> = options
            .iter()
            .map(|o| (o.value.as_str(), o.label.as_str()))
            .collect();
        assert_eq!(got, [("bar", "bar"), ("Foo", "first"), ("foo", "lower")]);
    }
}
