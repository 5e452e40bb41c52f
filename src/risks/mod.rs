//! `risks.toml`: the risk register — its criteria, risks, acceptance and treatment actions —
//! with control ids resolved against the catalogs in use.

mod parse;

use jiff::civil::Date;
use serde::Serialize;

use crate::action::Action;
use crate::catalog::ControlKey;
use crate::diagnostic::Position;
use crate::tomlread::Located;
pub use parse::{parse, resolve_controls};

/// The file name of the risk register.
pub const RISKS_FILE: &str = "risks.toml";

/// How a risk is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Treatment {
    /// Reduce it with controls.
    Mitigate,
    /// Accept it as it is.
    Accept,
    /// Transfer it (insurance, contract).
    Transfer,
    /// Stop the activity that causes it.
    Avoid,
}

impl Treatment {
    /// Every treatment, in `risks.toml` order.
    pub const ALL: [Treatment; 4] = [
        Treatment::Mitigate,
        Treatment::Accept,
        Treatment::Transfer,
        Treatment::Avoid,
    ];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Treatment::Mitigate => "mitigate",
            Treatment::Accept => "accept",
            Treatment::Transfer => "transfer",
            Treatment::Avoid => "avoid",
        }
    }
}

/// Where a risk stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskStatus {
    /// Identified, treatment not started.
    Open,
    /// Being treated.
    Treating,
    /// Accepted as it is by its owner.
    Accepted,
    /// No longer a risk.
    Closed,
}

impl RiskStatus {
    /// Every status, in `risks.toml` order.
    pub const ALL: [RiskStatus; 4] = [
        RiskStatus::Open,
        RiskStatus::Treating,
        RiskStatus::Accepted,
        RiskStatus::Closed,
    ];

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskStatus::Open => "open",
            RiskStatus::Treating => "treating",
            RiskStatus::Accepted => "accepted",
            RiskStatus::Closed => "closed",
        }
    }
}

/// The band of a risk score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Below `medium`.
    Low,
    /// From `bands.medium`.
    Medium,
    /// From `bands.high`.
    High,
    /// From `bands.critical`.
    Critical,
}

impl Level {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }
}

/// The lowest score of each band above `low`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bands {
    /// Lowest medium score.
    pub medium: u16,
    /// Lowest high score.
    pub high: u16,
    /// Lowest critical score.
    pub critical: u16,
}

/// The risk criteria of `[criteria]` (ISO/IEC 27001:2022 6.1.2 a): the scale, the bands and
/// the appetite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criteria {
    /// Likelihood and impact run from 1 to `scale`.
    pub scale: u8,
    /// Where the bands begin.
    pub bands: Bands,
    /// The highest residual score that may be accepted.
    pub appetite: u16,
}

impl Default for Criteria {
    fn default() -> Self {
        Criteria {
            scale: 5,
            bands: Bands {
                medium: 5,
                high: 10,
                critical: 17,
            },
            appetite: 6,
        }
    }
}

impl Criteria {
    /// The band of `score`.
    pub fn level(&self, score: u16) -> Level {
        match score {
            s if s >= self.bands.critical => Level::Critical,
            s if s >= self.bands.high => Level::High,
            s if s >= self.bands.medium => Level::Medium,
            _ => Level::Low,
        }
    }
}

/// One entry of the risk register.
#[derive(Debug, Clone)]
pub struct Risk {
    /// Unique id (`R-001`).
    pub id: String,
    /// Short title.
    pub title: String,
    /// Longer description.
    pub description: Option<String>,
    /// Risk owner.
    pub owner: Option<String>,
    /// Inherent likelihood, 1 to the scale.
    pub likelihood: Option<u8>,
    /// Inherent impact, 1 to the scale.
    pub impact: Option<u8>,
    /// Chosen treatment, with its place.
    pub treatment: Option<Located<Treatment>>,
    /// Controls that treat it, each with its place in the file.
    pub controls: Vec<Located<ControlKey>>,
    /// Residual likelihood after treatment.
    pub residual_likelihood: Option<u8>,
    /// Residual impact after treatment.
    pub residual_impact: Option<u8>,
    /// Where the risk stands, with its place (the default `open` has the entry's).
    pub status: Located<RiskStatus>,
    /// Who accepted the risk (treatment `accept` or status `accepted`).
    pub accepted_by: Option<String>,
    /// When.
    pub accepted_on: Option<Date>,
    /// When the acceptance lapses and must be renewed.
    pub acceptance_expires: Option<Located<Date>>,
    /// Treatment actions.
    pub actions: Vec<Action>,
    /// Where the entry starts in `risks.toml`.
    pub position: Position,
}

impl Risk {
    /// Likelihood × impact, when both are given.
    pub fn score(&self) -> Option<u16> {
        Some(u16::from(self.likelihood?) * u16::from(self.impact?))
    }

    /// Residual likelihood × residual impact, when both are given.
    pub fn residual_score(&self) -> Option<u16> {
        Some(u16::from(self.residual_likelihood?) * u16::from(self.residual_impact?))
    }

    /// The score the risk is left at: the residual one, else the inherent one.
    pub fn retained_score(&self) -> Option<u16> {
        self.residual_score().or_else(|| self.score())
    }

    /// Whether the risk is accepted: treatment `accept` or status `accepted`.
    pub fn is_accepted(&self) -> bool {
        self.status.value == RiskStatus::Accepted
            || self
                .treatment
                .as_ref()
                .is_some_and(|t| t.value == Treatment::Accept)
    }

    /// The keys of the controls that treat it.
    pub fn control_keys(&self) -> impl Iterator<Item = ControlKey> + '_ {
        self.controls.iter().map(|c| c.value)
    }
}

/// The risk register: its criteria and its risks.
#[derive(Debug, Clone, Default)]
pub struct Register {
    /// `risks.toml` when the project has one.
    pub file: Option<String>,
    /// The scale, bands and appetite.
    pub criteria: Criteria,
    /// The risks in file order.
    pub risks: Vec<Risk>,
}
