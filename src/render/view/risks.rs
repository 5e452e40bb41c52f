//! The views of the risk register: each risk with its scores and levels, and the heat map.

use serde::Serialize;

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
    /// Residual likelihood.
    pub residual_likelihood: Option<u8>,
    /// Residual impact.
    pub residual_impact: Option<u8>,
    /// Residual score.
    pub residual_score: Option<u16>,
    /// Residual level.
    pub residual_level: Option<Level>,
    /// Treatment.
    pub treatment: Option<Treatment>,
    /// `open`, `treating`, `accepted` or `closed`.
    pub status: RiskStatus,
    /// Controls that treat it.
    pub controls: Vec<ControlRefView>,
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
        residual_likelihood: risk.residual_likelihood,
        residual_impact: risk.residual_impact,
        residual_score: risk.residual_score(),
        residual_level: risk.residual_score().map(level),
        treatment: risk.treatment.as_ref().map(|t| t.value),
        status: risk.status.value,
        controls: risk
            .control_keys()
            .map(|k| control_ref(project, k))
            .collect(),
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
