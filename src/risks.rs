//! `risks.toml`: the risk register, with control ids resolved against the catalogs in use.

use serde::Serialize;

use crate::catalog::{ControlKey, Frameworks};
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

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
    /// Scores 1 to 4.
    Low,
    /// Scores 5 to 9.
    Medium,
    /// Scores 10 to 16.
    High,
    /// Scores 17 to 25.
    Critical,
}

impl Level {
    /// The band of `score` (likelihood × impact, 1 to 25).
    pub fn of(score: u8) -> Level {
        match score {
            0..=4 => Level::Low,
            5..=9 => Level::Medium,
            10..=16 => Level::High,
            _ => Level::Critical,
        }
    }

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
    /// Inherent likelihood, 1 to 5.
    pub likelihood: Option<u8>,
    /// Inherent impact, 1 to 5.
    pub impact: Option<u8>,
    /// Chosen treatment.
    pub treatment: Option<Treatment>,
    /// Controls that treat it.
    pub controls: Vec<ControlKey>,
    /// Residual likelihood after treatment, 1 to 5.
    pub residual_likelihood: Option<u8>,
    /// Residual impact after treatment, 1 to 5.
    pub residual_impact: Option<u8>,
    /// Where the risk stands.
    pub status: RiskStatus,
    /// Where the entry starts in `risks.toml`.
    pub position: Position,
}

impl Risk {
    /// Likelihood × impact, when both are given.
    pub fn score(&self) -> Option<u8> {
        Some(self.likelihood? * self.impact?)
    }

    /// Residual likelihood × residual impact, when both are given.
    pub fn residual_score(&self) -> Option<u8> {
        Some(self.residual_likelihood? * self.residual_impact?)
    }
}

const RISK_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "owner",
    "likelihood",
    "impact",
    "treatment",
    "controls",
    "residual_likelihood",
    "residual_impact",
    "status",
];

/// Reads `risks.toml`, resolving control ids; problems become diagnostics.
pub fn parse(source: &SourceText, frameworks: &Frameworks, out: &mut Vec<Diagnostic>) -> Vec<Risk> {
    let src = TomlSource {
        source,
        base: 0,
        lint: Lint::InvalidConfig,
    };
    let Some(table) = src.parse(&source.text, out) else {
        return Vec::new();
    };
    let mut top = Fields::new(src, &table, "");
    let tables = top.tables("risks", out);
    top.finish(&["risks"], out);
    let mut risks: Vec<Risk> = Vec::with_capacity(tables.len());
    for (table, position) in tables {
        let mut f = Fields::new(src, table, "risks.");
        let id = f.string("id", out);
        let title = f.string("title", out);
        let score = |f: &mut Fields<'_, '_>, key: &str, out: &mut Vec<Diagnostic>| {
            f.integer(key, 1..=5, out).map(|n| n.value as u8)
        };
        let likelihood = score(&mut f, "likelihood", out);
        let impact = score(&mut f, "impact", out);
        let residual_likelihood = score(&mut f, "residual_likelihood", out);
        let residual_impact = score(&mut f, "residual_impact", out);
        let treatment = f
            .string("treatment", out)
            .and_then(|t| src.choose(&t, &Treatment::ALL, Treatment::as_str, "treatment", out));
        let status = f
            .string("status", out)
            .and_then(|s| src.choose(&s, &RiskStatus::ALL, RiskStatus::as_str, "status", out))
            .unwrap_or(RiskStatus::Open);
        let controls = f.string_list("controls", out).unwrap_or_default();
        let risk = Risk {
            id: String::new(),
            title: String::new(),
            description: f.string("description", out).map(|d| d.value),
            owner: f.string("owner", out).map(|o| o.value),
            likelihood,
            impact,
            treatment,
            controls: resolve_controls(&controls, frameworks, &source.path, out),
            residual_likelihood,
            residual_impact,
            status,
            position,
        };
        f.finish(RISK_KEYS, out);
        let (Some(id), Some(title)) = (id, title) else {
            out.push(
                Diagnostic::new(Lint::MissingField, "a risk needs an `id` and a `title`")
                    .in_file(&source.path)
                    .at(position),
            );
            continue;
        };
        if risks.iter().any(|r| r.id.eq_ignore_ascii_case(&id.value)) {
            out.push(
                Diagnostic::new(
                    Lint::DuplicateId,
                    format!("risk id `{}` is used twice", id.value),
                )
                .in_file(&source.path)
                .at(id.position),
            );
            continue;
        }
        risks.push(Risk {
            id: id.value,
            title: title.value,
            ..risk
        });
    }
    risks
}

/// Resolves written control ids, reporting each unknown one as `unknown-control`.
pub fn resolve_controls(
    controls: &[Located<String>],
    frameworks: &Frameworks,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<ControlKey> {
    let mut keys = Vec::with_capacity(controls.len());
    for control in controls {
        match frameworks.resolve(&control.value) {
            Ok(key) if !keys.contains(&key) => keys.push(key),
            Ok(_) => {}
            Err(e) => out.push(
                Diagnostic::new(Lint::UnknownControl, e.message)
                    .in_file(file)
                    .at(control.position)
                    .with_help_opt(e.help),
            ),
        }
    }
    keys
}
