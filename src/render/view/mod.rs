//! Views: the model as the templates see it, built once per build. URLs are relative to the
//! site root without a leading `/` (templates prefix them with `root`, the way back to the root
//! from the current page), so the site works under any base URL and from disk.

mod changes;
mod controls;
mod document;
mod history;
mod pack;
mod readiness;
mod registers;
mod requirements;
mod risks;
mod soa;

use serde::Serialize;

use crate::catalog::ControlKey;
use crate::model::Project;
use crate::routes::{self, control_url, owner_url, register_url};
pub use changes::{ChangeItemView, ChangeSectionView, ChangesView, changes_view};
pub use controls::{
    AttributeFilterView, AttributeView, ControlView, CoverageView, FrameworkView, GroupView,
    ReasonView, attribute_filters, coverage_label, framework_view, humanise, implementation_label,
    reason_label,
};
pub use document::{DocView, doc_status_label, doc_view, kind_label};
pub use history::{AsOfView, HistoryRowView, HistoryView, as_of_view, commit_url, history_view};
pub use pack::{PackDocView, PackView, pack_view};
pub use readiness::{
    ItemView, ReadinessView, RequirementView as StageRequirementView, SatisfierView, readiness_view,
};
pub use registers::{
    AuditView, ClauseView, ControlRecordsView, EvidenceView, FindingView, PathView, RecordRefView,
    audit_state, audit_view, evidence_state, evidence_view, finding_view,
    kind_label as finding_kind_label,
};
pub use requirements::{RequirementView, RequirementsCoverageView, SubRequirementView};
pub use risks::{
    ActionView, BandView, CriteriaView, HeatCellView, HeatRowView, RiskView, action_summary,
    criteria_view, level_label, risk_heatmap, risk_view,
};
pub use soa::{StatementView, statement_view};

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
    /// Organisation.
    pub organisation: Option<String>,
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
    /// The SoA's version and approval.
    pub statement: StatementView,
    /// Owners by name.
    pub owners: Vec<OwnerView>,
    /// The risk register.
    pub risks: Vec<RiskView>,
    /// The risk heat map, highest likelihood first; empty without risks.
    pub risk_heatmap: Vec<HeatRowView>,
    /// The risk criteria: scale, bands and appetite.
    pub risk_criteria: CriteriaView,
    /// Review lists.
    pub reviews: ReviewsView,
    /// Dashboard counts.
    pub stats: StatsView,
    /// Values for the register filters.
    pub filters: Vec<FilterView>,
    /// The control matrix's filters: one per kind of attribute the controls have.
    pub control_filters: Vec<AttributeFilterView>,
    /// The latest changes to documents in the Git history (empty without Git).
    pub recent_changes: Vec<ChangeView>,
    /// Whether `evidence.toml` has items (the matrix then shows which controls are ready).
    pub has_evidence: bool,
    /// Whether the Git history was read (the site then has history sections).
    pub has_history: bool,
    /// `[changes] since`, when set (the dashboard links the change report).
    pub changes_since: Option<String>,
    /// For a site built as it stood at a commit (`--at`): that commit, for the banner.
    pub as_of: Option<AsOfView>,
    /// The main navigation, from the route table.
    pub nav: Vec<NavView>,
    /// The exports, from the route table, for the footer.
    pub exports: Vec<LinkView>,
    /// Certification readiness (the dashboard's headline, `/readiness/`, the audit pack).
    pub readiness: ReadinessView,
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

fn nav(project: &Project) -> Vec<NavView> {
    let registers = &project.registers;
    let shown = routes::Shown {
        risks: !project.risks.is_empty(),
        audits: !registers.audits.audits.is_empty(),
        findings: !registers.findings.findings.is_empty(),
        evidence: !registers.evidence.items.is_empty(),
    };
    routes::nav_entries(shown)
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

/// How a control is referred to on a document, a risk or another control.
pub fn control_ref(project: &Project, key: ControlKey) -> ControlRefView {
    let control = project.frameworks.control(key);
    ControlRefView {
        id: project.frameworks.display_id(key),
        title: control.title.clone(),
        url: control_url(&project.frameworks, key),
    }
}

fn owners(project: &Project) -> Vec<OwnerView> {
    project
        .summary
        .owners
        .iter()
        .map(|o| OwnerView {
            name: o.name.clone(),
            slug: o.slug.clone(),
            url: owner_url(&o.name),
            register_url: register_url("owner", &o.name),
            documents: o.documents.clone(),
            overdue: o.overdue,
            due_soon: o.due_soon,
        })
        .collect()
}

fn reviews(project: &Project) -> ReviewsView {
    let groups = &project.summary.reviews;
    ReviewsView {
        overdue: groups.overdue.clone(),
        due_soon: groups.due_soon.clone(),
        missing: groups.missing.clone(),
        recent: groups.recent.clone(),
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

fn stats(project: &Project) -> StatsView {
    let summary = &project.summary;
    let total = project.documents.len();
    let groups = &summary.reviews;
    let tracked = groups.tracked();
    let (overdue, due_soon, current, missing) = (
        groups.overdue.len(),
        groups.due_soon.len(),
        groups.current.len(),
        groups.missing.len(),
    );
    StatsView {
        documents: total,
        by_status: summary
            .by_status
            .iter()
            .map(|&(s, n)| count_view(s.as_str(), doc_status_label(s), n, total))
            .collect(),
        by_kind: summary
            .by_kind
            .iter()
            .map(|&(k, n)| count_view(k.as_str(), kind_label(k), n, total))
            .collect(),
        tracked,
        by_review: vec![
            count_view("overdue", "Overdue", overdue, tracked),
            count_view("due-soon", "Due soon", due_soon, tracked),
            count_view("ok", "Current", current, tracked),
            count_view("missing", "No review date", missing, tracked),
        ],
        overdue,
        due_soon,
        current,
        missing,
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
            &mut docs.iter().filter_map(|d| d.owner.as_ref()).map(same),
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
    /// Indices into `site.documents` of the documents directly in it, in path order.
    pub documents: Vec<usize>,
    /// Its subfolders that hold documents, with their listing pages.
    pub subfolders: Vec<LinkView>,
    /// The document register filtered to this folder (documents at any depth).
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
            subfolders: project
                .site
                .folder_children
                .get(folder)
                .into_iter()
                .flatten()
                .map(|child| LinkView {
                    label: format!("{}/", child.rsplit('/').next().unwrap_or(child)),
                    url: crate::publish::folder_url(child),
                })
                .collect(),
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
    pub fn new(project: &Project) -> Self {
        use rayon::prelude::*;
        let (documents, frameworks) = rayon::join(
            || {
                project
                    .documents
                    .par_iter()
                    .enumerate()
                    .map(|(i, d)| doc_view(project, i, d))
                    .collect::<Vec<DocView>>()
            },
            || {
                (0..project.frameworks.catalogs.len())
                    .map(|f| framework_view(project, f))
                    .collect::<Vec<FrameworkView>>()
            },
        );
        let risks: Vec<RiskView> = project
            .risks
            .iter()
            .map(|r| risk_view(project, r))
            .collect();
        let config = &project.config;
        SiteView {
            title: config.title.clone(),
            organisation: config.organisation.clone(),
            base_url: config.base_url.clone(),
            today: project.today.to_string(),
            generator: format!("annexa {}", env!("CARGO_PKG_VERSION")),
            owners: owners(project),
            risk_heatmap: risk_heatmap(&risks, &project.risk_criteria),
            risk_criteria: criteria_view(&project.risk_criteria),
            risks,
            stats: stats(project),
            filters: filters(&documents),
            control_filters: attribute_filters(&frameworks),
            recent_changes: recent_changes(project),
            has_evidence: !project.registers.evidence.items.is_empty(),
            has_history: project.history.is_some(),
            changes_since: config.changes_since.as_ref().map(|s| s.value.clone()),
            as_of: as_of_view(project),
            nav: nav(project),
            exports: exports(),
            statement: statement_view(project),
            readiness: readiness_view(project),
            reviews: reviews(project),
            frameworks,
            documents,
        }
    }
}

/// The latest changes to documents in the Git history, newest first (at most 8).
fn recent_changes(project: &Project) -> Vec<ChangeView> {
    let Some(history) = &project.history else {
        return Vec::new();
    };
    history
        .recent(usize::MAX)
        .into_iter()
        .filter_map(|(path, commit)| {
            Some(ChangeView {
                index: project.document_by_path(path)?,
                date: commit.date.to_string(),
                subject: commit.subject.clone(),
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
