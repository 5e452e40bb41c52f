//! The views of the risk register: each risk with its scores and levels, and the heat map.

use jiff::civil::Date;
use serde::Serialize;

use crate::action::Action;
use crate::model::Project;
use crate::risks::{Criteria, Level, Risk, RiskStatus, Treatment};
use crate::routes::slug;

use super::{ControlRefView, control_ref};

/// A risk of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskView {
    /// Id.
    pub id: String,
    /// Anchor on the risks page.
    pub anchor: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Inherent likelihood, when given.
    pub likelihood: Option<u8>,
    /// Inherent impact.
    pub impact: Option<u8>,
    /// Likelihood × impact.
    pub score: Option<u16>,
    /// The band of `score`: `low`, `medium`, `high`, `critical`.
    pub level: Option<Level>,
    /// The band's label (`High`).
    pub level_label: Option<&'static str>,
    /// Residual likelihood.
    pub residual_likelihood: Option<u8>,
    /// Residual impact.
    pub residual_impact: Option<u8>,
    /// Residual score.
    pub residual_score: Option<u16>,
    /// Residual level.
    pub residual_level: Option<Level>,
    /// The residual band's label.
    pub residual_level_label: Option<&'static str>,
    /// Treatment.
    pub treatment: Option<Treatment>,
    /// `open`, `treating`, `accepted` or `closed`.
    pub status: RiskStatus,
    /// Controls that treat it.
    pub controls: Vec<ControlRefView>,
    /// Whether it is accepted (treatment `accept` or status `accepted`).
    pub accepted: bool,
    /// Who accepted it.
    pub accepted_by: Option<String>,
    /// When (`YYYY-MM-DD`).
    pub accepted_on: Option<String>,
    /// When the acceptance lapses.
    pub acceptance_expires: Option<String>,
    /// Whether the acceptance has lapsed by today.
    pub acceptance_expired: bool,
    /// The acceptance in one line (`Accepted by CISO on 2026-01-10, until 2027-01-10`), when
    /// the risk is accepted or an acceptance is recorded.
    pub acceptance: Option<String>,
    /// Treatment actions, in file order.
    pub actions: Vec<ActionView>,
}

/// A treatment action of a risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionView {
    /// Its id (`RT-1`).
    pub id: String,
    /// What is to be done.
    pub action: String,
    /// Who does it.
    pub owner: Option<String>,
    /// When it is due (`YYYY-MM-DD`).
    pub due: Option<String>,
    /// When it was done.
    pub done: Option<String>,
    /// `open`, `overdue` (open and past its due date) or `done`.
    pub state: &'static str,
    /// The state's label: `Open`, `Overdue`, `Done`.
    pub state_label: &'static str,
    /// The action in one line, as the exports write it:
    /// `RT-1 Fit badge readers (due 2026-09-30, open)`.
    pub summary: String,
}

/// The state of an action on `today`: `open`, `overdue` or `done`, with its label.
pub fn action_state(action: &Action, today: Date) -> (&'static str, &'static str) {
    if action.done.is_some() {
        ("done", "Done")
    } else if action.is_overdue(today) {
        ("overdue", "Overdue")
    } else {
        ("open", "Open")
    }
}

/// An action in one line: `RT-1 Fit badge readers (due 2026-09-30, open)`; `overdue` for an
/// open action past its due date, `done 2026-09-12` once done.
pub fn action_summary(action: &Action, today: Date) -> String {
    let state = match action.done {
        Some(done) => format!("done {done}"),
        None => action_state(action, today).0.to_string(),
    };
    let due = match action.due {
        Some(due) => format!("due {due}, "),
        None => String::new(),
    };
    format!("{} {} ({due}{state})", action.id, action.action)
}

/// The view of an action on `today`.
pub(super) fn action_view(action: &Action, today: Date) -> ActionView {
    let (state, state_label) = action_state(action, today);
    ActionView {
        id: action.id.clone(),
        action: action.action.clone(),
        owner: action.owner.clone(),
        due: action.due.map(|d| d.to_string()),
        done: action.done.map(|d| d.to_string()),
        state,
        state_label,
        summary: action_summary(action, today),
    }
}

/// The label of a band.
pub fn level_label(level: Level) -> &'static str {
    match level {
        Level::Low => "Low",
        Level::Medium => "Medium",
        Level::High => "High",
        Level::Critical => "Critical",
    }
}

/// The acceptance of `risk` in one line, when it is accepted or an acceptance is recorded:
/// who accepted it and when, and until when.
pub fn acceptance_line(risk: &Risk, today: Date) -> Option<String> {
    let recorded = risk.accepted_by.is_some()
        || risk.accepted_on.is_some()
        || risk.acceptance_expires.is_some();
    if !risk.is_accepted() && !recorded {
        return None;
    }
    let mut line = String::from("Accepted");
    match &risk.accepted_by {
        Some(by) => line.push_str(&format!(" by {by}")),
        None => line.push_str(" (by whom not recorded)"),
    }
    if let Some(on) = risk.accepted_on {
        line.push_str(&format!(" on {on}"));
    }
    match &risk.acceptance_expires {
        Some(expires) if expires.value < today => {
            line.push_str(&format!(", expired on {}", expires.value));
        }
        Some(expires) => line.push_str(&format!(", until {}", expires.value)),
        None => line.push_str(", no expiry date"),
    }
    Some(line)
}

/// A band of the criteria with the scores that fall in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandView {
    /// `low`, `medium`, `high` or `critical`.
    pub level: Level,
    /// `Low`…
    pub label: &'static str,
    /// The lowest score of the band that likelihood × impact can reach.
    pub from: u16,
    /// The highest such score.
    pub to: u16,
}

/// The risk criteria as the register page states them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriteriaView {
    /// Likelihood and impact run from 1 to `scale`.
    pub scale: u8,
    /// 1 to `scale`, for the heat map's columns.
    pub impacts: Vec<u8>,
    /// The bands that scores on the scale reach, lowest first.
    pub bands: Vec<BandView>,
    /// The highest residual score that may be accepted.
    pub appetite: u16,
}

/// The criteria's bands and scale for the register page: each band with the lowest and
/// highest score a product of two ratings can reach in it (with the default bands on a 5-point
/// scale: low 1–4, medium 5–9, high 10–16, critical 20–25); a band no product reaches is left
/// out.
pub fn criteria_view(criteria: &Criteria) -> CriteriaView {
    let scale = u16::from(criteria.scale);
    let mut scores: Vec<u16> = (1..=scale)
        .flat_map(|l| (1..=scale).map(move |i| l * i))
        .collect();
    scores.sort_unstable();
    scores.dedup();
    let bands = [Level::Low, Level::Medium, Level::High, Level::Critical]
        .into_iter()
        .filter_map(|level| {
            let mut reached = scores
                .iter()
                .copied()
                .filter(|&s| criteria.level(s) == level);
            let from = reached.next()?;
            let to = reached.next_back().unwrap_or(from);
            Some(BandView {
                level,
                label: level_label(level),
                from,
                to,
            })
        })
        .collect();
    CriteriaView {
        scale: criteria.scale,
        impacts: (1..=criteria.scale).collect(),
        bands,
        appetite: criteria.appetite,
    }
}

/// One cell of the risk heat map: a likelihood × impact combination.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatCellView {
    /// Impact, 1 to the scale.
    pub impact: u8,
    /// Likelihood × impact.
    pub score: u16,
    /// The band of the score.
    pub level: Level,
    /// Indices into `site.risks` of the risks rated here before treatment.
    pub inherent: Vec<usize>,
    /// Indices into `site.risks` of the risks rated here after treatment.
    pub residual: Vec<usize>,
}

/// A row of the risk heat map: one likelihood, impacts 1 to 5.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeatRowView {
    /// Likelihood, 1 to the scale.
    pub likelihood: u8,
    /// Cells by impact, 1 first.
    pub cells: Vec<HeatCellView>,
}

/// The view of one risk.
pub fn risk_view(project: &Project, risk: &Risk) -> RiskView {
    let level = |score: u16| project.risk_criteria.level(score);
    let today = project.today;
    RiskView {
        id: risk.id.clone(),
        anchor: slug(&risk.id),
        title: risk.title.clone(),
        description: risk.description.clone(),
        owner: risk.owner.clone(),
        likelihood: risk.likelihood,
        impact: risk.impact,
        score: risk.score(),
        level: risk.score().map(level),
        level_label: risk.score().map(|s| level_label(level(s))),
        residual_likelihood: risk.residual_likelihood,
        residual_impact: risk.residual_impact,
        residual_score: risk.residual_score(),
        residual_level: risk.residual_score().map(level),
        residual_level_label: risk.residual_score().map(|s| level_label(level(s))),
        treatment: risk.treatment.as_ref().map(|t| t.value),
        status: risk.status.value,
        controls: risk
            .control_keys()
            .map(|k| control_ref(project, k))
            .collect(),
        accepted: risk.is_accepted(),
        accepted_by: risk.accepted_by.clone(),
        accepted_on: risk.accepted_on.map(|d| d.to_string()),
        acceptance_expires: risk
            .acceptance_expires
            .as_ref()
            .map(|d| d.value.to_string()),
        acceptance_expired: risk
            .acceptance_expires
            .as_ref()
            .is_some_and(|d| d.value < today),
        acceptance: acceptance_line(risk, today),
        actions: risk.actions.iter().map(|a| action_view(a, today)).collect(),
    }
}

/// The heat map of `risks` on the criteria's scale, highest likelihood first; empty without
/// risks.
pub fn risk_heatmap(risks: &[RiskView], criteria: &Criteria) -> Vec<HeatRowView> {
    if risks.is_empty() {
        return Vec::new();
    }
    let scale = criteria.scale;
    (1..=scale)
        .rev()
        .map(|likelihood| HeatRowView {
            likelihood,
            cells: (1..=scale)
                .map(|impact| {
                    let at =
                        |l: Option<u8>, i: Option<u8>| l == Some(likelihood) && i == Some(impact);
                    let score = u16::from(likelihood) * u16::from(impact);
                    HeatCellView {
                        impact,
                        score,
                        level: criteria.level(score),
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
