//! Reading `risks.toml`: `[criteria]` and every `[[risks]]` entry, each bad value a diagnostic
//! at its place.

use crate::action::read_actions;
use crate::catalog::{ControlKey, Frameworks};
use crate::diagnostic::{Diagnostic, Lint, Position};
use crate::source::SourceText;
use crate::tomlread::{Fields, Located, TomlSource};

use super::{Bands, Criteria, Register, Risk, RiskStatus, Treatment};

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
    "accepted_by",
    "accepted_on",
    "acceptance_expires",
    "actions",
];

/// Reads `risks.toml`, resolving control ids; problems become diagnostics.
pub fn parse(source: &SourceText, frameworks: &Frameworks, out: &mut Vec<Diagnostic>) -> Register {
    let mut register = Register {
        file: Some(source.path.clone()),
        ..Register::default()
    };
    let src = TomlSource {
        source,
        base: 0,
        lint: Lint::InvalidConfig,
    };
    let Some(table) = src.parse(&source.text, out) else {
        return register;
    };
    let mut top = Fields::new(src, &table, "");
    if let Some((criteria, position)) = top.table_at("criteria", out) {
        register.criteria = read_criteria(src, criteria, position, out);
    }
    let tables = top.tables("risks", out);
    top.finish(&["criteria", "risks"], out);
    for (table, position) in tables {
        let Some(risk) = read_risk(src, table, position, register.criteria, frameworks, out) else {
            continue;
        };
        if let Some(other) = register
            .risks
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(&risk.id))
        {
            out.push(
                Diagnostic::new(
                    Lint::DuplicateId,
                    format!("risk id `{}` is used twice", risk.id),
                )
                .in_file(&source.path)
                .at(risk.position)
                .with_help(format!("`{}` is at line {}", other.id, other.position.line)),
            );
            continue;
        }
        register.risks.push(risk);
    }
    register
}

fn read_risk(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    criteria: Criteria,
    frameworks: &Frameworks,
    out: &mut Vec<Diagnostic>,
) -> Option<Risk> {
    let mut f = Fields::new(src, table, "risks.");
    let id = f.string("id", out);
    let title = f.string("title", out);
    let scale = i64::from(criteria.scale);
    let mut rating =
        |f: &mut Fields<'_, '_>, key: &str| f.integer(key, 1..=scale, out).map(|n| n.value as u8);
    let likelihood = rating(&mut f, "likelihood");
    let impact = rating(&mut f, "impact");
    let residual_likelihood = rating(&mut f, "residual_likelihood");
    let residual_impact = rating(&mut f, "residual_impact");
    let treatment = f.string("treatment", out).and_then(|t| {
        let chosen = src.choose(&t, &Treatment::ALL, Treatment::as_str, "treatment", out)?;
        Some(Located {
            value: chosen,
            position: t.position,
        })
    });
    let status = f
        .string("status", out)
        .and_then(|s| {
            let chosen = src.choose(&s, &RiskStatus::ALL, RiskStatus::as_str, "status", out)?;
            Some(Located {
                value: chosen,
                position: s.position,
            })
        })
        .unwrap_or(Located {
            value: RiskStatus::Open,
            position,
        });
    let controls = f.string_list("controls", out).unwrap_or_default();
    let risk = Risk {
        id: String::new(),
        title: String::new(),
        description: f.string("description", out).map(|d| d.value),
        owner: f.string("owner", out).map(|o| o.value),
        likelihood,
        impact,
        treatment,
        controls: resolve_controls(&controls, frameworks, &src.source.path, out),
        residual_likelihood,
        residual_impact,
        status,
        accepted_by: f
            .string("accepted_by", out)
            .map(|a| a.value.trim().to_string())
            .filter(|a| !a.is_empty()),
        accepted_on: f.date("accepted_on", out).map(|d| d.value),
        acceptance_expires: f.date("acceptance_expires", out),
        actions: read_actions(&mut f, "actions", "risks.", out),
        position,
    };
    f.finish(RISK_KEYS, out);
    let (Some(id), Some(title)) = (id, title) else {
        out.push(
            Diagnostic::new(Lint::MissingField, "a risk needs an `id` and a `title`")
                .in_file(&src.source.path)
                .at(position),
        );
        return None;
    };
    Some(Risk {
        id: id.value,
        title: title.value,
        position: id.position,
        ..risk
    })
}

fn read_criteria(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    out: &mut Vec<Diagnostic>,
) -> Criteria {
    let defaults = Criteria::default();
    let mut f = Fields::new(src, table, "criteria.");
    let scale = f
        .integer("scale", 2..=10, out)
        .map_or(defaults.scale, |n| n.value as u8);
    let top = i64::from(scale) * i64::from(scale);
    let bands = f
        .table_at("bands", out)
        .map(|(table, at)| read_bands(src, table, at, top, out))
        .unwrap_or(defaults.bands);
    let appetite = f
        .integer("appetite", 1..=top, out)
        .map_or(defaults.appetite, |n| n.value as u16);
    f.finish(&["scale", "bands", "appetite"], out);
    if bands.critical > top as u16 {
        out.push(src.error_at(
            position,
            format!(
                "`criteria.bands.critical` ({}) is above the highest score, {top}",
                bands.critical
            ),
        ));
    }
    Criteria {
        scale,
        bands,
        appetite,
    }
}

fn read_bands(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    position: Position,
    top: i64,
    out: &mut Vec<Diagnostic>,
) -> Bands {
    let defaults = Criteria::default().bands;
    let mut f = Fields::new(src, table, "criteria.bands.");
    let mut band = |f: &mut Fields<'_, '_>, key: &str, default: u16| {
        f.integer(key, 2..=top, out)
            .map_or(default, |n| n.value as u16)
    };
    let medium = band(&mut f, "medium", defaults.medium);
    let high = band(&mut f, "high", defaults.high);
    let critical = band(&mut f, "critical", defaults.critical);
    f.finish(&["medium", "high", "critical"], out);
    if !(medium < high && high < critical) {
        out.push(src.error_at(
            position,
            format!(
                "`criteria.bands` must rise: medium ({medium}) < high ({high}) < critical ({critical})"
            ),
        ));
        return defaults;
    }
    Bands {
        medium,
        high,
        critical,
    }
}

/// Resolves written control ids, reporting each unknown or ambiguous one; a control listed
/// twice counts once.
pub fn resolve_controls(
    controls: &[Located<String>],
    frameworks: &Frameworks,
    file: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<Located<ControlKey>> {
    let mut keys: Vec<Located<ControlKey>> = Vec::with_capacity(controls.len());
    for control in controls {
        match frameworks.resolve(&control.value) {
            Ok(key) if !keys.iter().any(|k| k.value == key) => keys.push(Located {
                value: key,
                position: control.position,
            }),
            Ok(_) => {}
            Err(e) => out.push(e.diagnostic(file, control.position)),
        }
    }
    keys
}
