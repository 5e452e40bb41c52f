//! Control catalogs (frameworks): the built-in ones compiled in from `catalogs/*.toml`, custom
//! ones from a project's `frameworks/*.toml`, and the resolution of control ids against them.

use std::collections::HashMap;

use toml::de::DeValue;

use crate::diagnostic::{Diagnostic, Lint, did_you_mean};
use crate::source::SourceText;
use crate::tomlread::{Fields, TomlSource};

/// The built-in catalogs: (id, TOML text).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "iso27001-2022",
        include_str!("../catalogs/iso27001-2022.toml"),
    ),
    (
        "iso27001-2022-clauses",
        include_str!("../catalogs/iso27001-2022-clauses.toml"),
    ),
    (
        "nist-csf-2.0",
        include_str!("../catalogs/nist-csf-2.0.toml"),
    ),
];

/// One control of a catalog.
#[derive(Debug, Clone)]
pub struct Control {
    /// The id as the catalog writes it (`A.5.15`).
    pub id: String,
    /// The short title.
    pub title: String,
    /// The theme or group it belongs to (`Organizational`).
    pub group: String,
    /// Optional longer text.
    pub description: Option<String>,
    /// Named attribute lists (ISO/IEC 27002 control type, properties…).
    pub attributes: Vec<(String, Vec<String>)>,
    /// Related controls in other catalogs, as `framework:ID`.
    pub related: Vec<String>,
}

/// What a catalog lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogKind {
    /// Controls to select and justify in the Statement of Applicability (Annex A, NIST CSF).
    Controls,
    /// Requirements that always apply and cannot be excluded (the clauses of ISO/IEC 27001).
    Requirements,
}

impl CatalogKind {
    const ALL: [CatalogKind; 2] = [CatalogKind::Controls, CatalogKind::Requirements];

    fn as_str(self) -> &'static str {
        match self {
            CatalogKind::Controls => "controls",
            CatalogKind::Requirements => "requirements",
        }
    }
}

/// A catalog of controls.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Stable id used in `framework:ID` references and URLs.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// Controls to select, or requirements that always apply.
    pub kind: CatalogKind,
    /// A prefix bare ids may leave out (`A.` so that `5.15` means `A.5.15`).
    pub id_prefix: Option<String>,
    /// Groups in display order.
    pub groups: Vec<String>,
    /// The controls in catalog order.
    pub controls: Vec<Control>,
    /// The file it came from (`frameworks/x.toml`), or `None` for built-ins.
    pub file: Option<String>,
    index: HashMap<String, usize>,
}

impl Catalog {
    /// The index of the control with id `raw` (case ignored, prefix optional).
    pub fn find(&self, raw: &str) -> Option<usize> {
        let wanted = raw.trim().to_lowercase();
        if let Some(&i) = self.index.get(&wanted) {
            return Some(i);
        }
        let prefix = self.id_prefix.as_deref()?.to_lowercase();
        self.index.get(&format!("{prefix}{wanted}")).copied()
    }

    /// The controls of `group`, in catalog order.
    pub fn group_controls<'a>(
        &'a self,
        group: &'a str,
    ) -> impl Iterator<Item = (usize, &'a Control)> {
        self.controls
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.group == group)
    }

    /// The controls one level below control `index` (`6.1.1` below `6.1`), for requirements
    /// whose sub-clauses make up the whole.
    pub fn children(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let prefix = format!("{}.", self.controls[index].id);
        self.controls
            .iter()
            .enumerate()
            .filter(move |(_, c)| {
                c.id.strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.is_empty() && !rest.contains('.'))
            })
            .map(|(i, _)| i)
    }

    /// Whether the SoA selects among these (a control catalog), rather than all applying.
    pub fn is_controls(&self) -> bool {
        self.kind == CatalogKind::Controls
    }

    /// The indices of the controls as the matrix shows them: group by group, in catalog order
    /// within each.
    pub fn in_group_order(&self) -> impl Iterator<Item = usize> + '_ {
        self.groups
            .iter()
            .flat_map(|group| self.group_controls(group).map(|(i, _)| i))
    }

    /// Parses a catalog file, reporting problems; `None` when it is unusable.
    pub fn parse(source: &SourceText, out: &mut Vec<Diagnostic>) -> Option<Catalog> {
        let src = TomlSource {
            source,
            base: 0,
            lint: Lint::InvalidConfig,
        };
        let table = src.parse(&source.text, out)?;
        let mut fields = Fields::new(src, &table, "");
        let id = fields.string("id", out);
        let name = fields.string("name", out);
        let description = fields.string("description", out).map(|d| d.value);
        let _version = fields.string_or_number("version", out);
        let id_prefix = fields.string("id_prefix", out).map(|p| p.value);
        let kind = fields
            .string("kind", out)
            .and_then(|k| src.choose(&k, &CatalogKind::ALL, CatalogKind::as_str, "kind", out))
            .unwrap_or(CatalogKind::Controls);
        let groups = fields.string_list("groups", out).unwrap_or_default();
        let control_tables = fields.tables("controls", out);
        fields.finish(CATALOG_KEYS, out);
        let Some(id) = id else {
            out.push(src.error(
                0,
                "a framework file needs an `id`, such as id = \"acme-controls\"",
            ));
            return None;
        };
        let mut catalog = Catalog {
            name: name.map(|n| n.value).unwrap_or_else(|| id.value.clone()),
            id: id.value,
            description,
            kind,
            id_prefix,
            groups: groups.into_iter().map(|g| g.value).collect(),
            controls: Vec::with_capacity(control_tables.len()),
            file: None,
            index: HashMap::new(),
        };
        for (table, position) in control_tables {
            let mut f = Fields::new(src, table, "controls.");
            let id = f.string("id", out);
            let title = f.string("title", out);
            let group = f.string("group", out).map(|g| g.value);
            let description = f.string("description", out).map(|d| d.value);
            let related = f.string_list("related", out).unwrap_or_default();
            let attributes = f
                .table("attributes", out)
                .map(|t| read_attributes(src, t, out))
                .unwrap_or_default();
            f.finish(CONTROL_KEYS, out);
            let Some(id) = id else {
                out.push(
                    Diagnostic::new(Lint::InvalidConfig, "a control needs an `id`")
                        .in_file(&source.path)
                        .at(position),
                );
                continue;
            };
            let key = id.value.trim().to_lowercase();
            if catalog.index.contains_key(&key) {
                out.push(
                    Diagnostic::new(
                        Lint::DuplicateId,
                        format!("control `{}` is defined twice in this framework", id.value),
                    )
                    .in_file(&source.path)
                    .at(id.position),
                );
                continue;
            }
            catalog.index.insert(key, catalog.controls.len());
            catalog.controls.push(Control {
                title: title.map(|t| t.value).unwrap_or_else(|| id.value.clone()),
                id: id.value.trim().to_string(),
                group: group.unwrap_or_else(|| "Controls".to_string()),
                description,
                attributes,
                related: related.into_iter().map(|r| r.value).collect(),
            });
        }
        for control in &catalog.controls {
            if !catalog.groups.contains(&control.group) {
                catalog.groups.push(control.group.clone());
            }
        }
        Some(catalog)
    }
}

const CATALOG_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "kind",
    "version",
    "id_prefix",
    "groups",
    "controls",
];
const CONTROL_KEYS: &[&str] = &[
    "id",
    "title",
    "group",
    "description",
    "related",
    "attributes",
];

fn read_attributes(
    src: TomlSource<'_>,
    table: &toml::de::DeTable<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<String>)> {
    let mut attributes = Vec::new();
    // In file order: the table iterates its keys sorted.
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in entries {
        let values = match value.get_ref() {
            DeValue::String(s) => vec![s.to_string()],
            DeValue::Array(items) => items
                .iter()
                .filter_map(|i| i.get_ref().as_str().map(str::to_string))
                .collect(),
            _ => {
                out.push(src.error(
                    value.span().start,
                    format!(
                        "attribute `{}` must be a string or an array of strings",
                        key.get_ref()
                    ),
                ));
                continue;
            }
        };
        attributes.push((key.get_ref().to_string(), values));
    }
    attributes
}

/// Identifies one control: which catalog in use, which control in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ControlKey {
    /// Index into [`Frameworks::catalogs`].
    pub framework: usize,
    /// Index into that catalog's controls.
    pub control: usize,
}

/// Why a control id did not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// `unknown-control`, or `ambiguous-control` for a bare id of two catalogs in use.
    pub lint: Lint,
    /// What went wrong.
    pub message: String,
    /// A did-you-mean, or the full ids to choose from.
    pub help: Option<String>,
}

impl Unresolved {
    /// The diagnostic for the id written at `position` of `file`.
    pub fn diagnostic(&self, file: &str, position: crate::diagnostic::Position) -> Diagnostic {
        Diagnostic::new(self.lint, self.message.clone())
            .in_file(file)
            .at(position)
            .with_help_opt(self.help.clone())
    }
}

/// The catalogs in use, the default one first.
#[derive(Debug, Clone, Default)]
pub struct Frameworks {
    /// Catalogs in use, in configuration order; custom ones not named in the config follow.
    pub catalogs: Vec<Catalog>,
}

impl Frameworks {
    /// The catalog with `id` (case ignored).
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.catalogs
            .iter()
            .position(|c| c.id.eq_ignore_ascii_case(id.trim()))
    }

    /// The control behind `key`.
    pub fn control(&self, key: ControlKey) -> &Control {
        &self.catalogs[key.framework].controls[key.control]
    }

    /// `framework:ID` for `key`, unambiguous across catalogs.
    pub fn qualified_id(&self, key: ControlKey) -> String {
        format!(
            "{}:{}",
            self.catalogs[key.framework].id,
            self.control(key).id
        )
    }

    /// The id of `key` as the site and messages show it: bare in the default framework
    /// (`A.5.15`), [qualified](Self::qualified_id) in the others (`nist-csf-2.0:PR.AA-01`).
    pub fn display_id(&self, key: ControlKey) -> String {
        if key.framework == 0 {
            self.control(key).id.clone()
        } else {
            self.qualified_id(key)
        }
    }

    /// Resolves a control reference: `A.5.15`, `5.15` or `framework:ID`. A bare id must name a
    /// control of exactly one catalog in use (`6.1` is both Annex A's A.6.1 and clause 6.1).
    pub fn resolve(&self, raw: &str) -> Result<ControlKey, Unresolved> {
        let raw = raw.trim();
        if let Some((framework, id)) = raw.split_once(':') {
            let Some(f) = self.by_id(framework) else {
                let names = self.catalogs.iter().map(|c| c.id.as_str());
                let help = did_you_mean(framework, names)
                    .map(|n| format!("did you mean `{n}:{id}`?"))
                    .or_else(|| {
                        Some(format!(
                            "frameworks in use: {}; add one to `frameworks` in annexa.toml",
                            self.catalogs
                                .iter()
                                .map(|c| c.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    });
                return Err(Unresolved {
                    lint: Lint::UnknownControl,
                    message: format!("`{raw}`: framework `{framework}` is not in use"),
                    help,
                });
            };
            return self.catalogs[f]
                .find(id)
                .map(|control| ControlKey {
                    framework: f,
                    control,
                })
                .ok_or_else(|| self.unknown(raw, id, Some(f)));
        }
        let mut found = self.catalogs.iter().enumerate().filter_map(|(f, c)| {
            c.find(raw).map(|control| ControlKey {
                framework: f,
                control,
            })
        });
        let Some(first) = found.next() else {
            return Err(self.unknown(raw, raw, None));
        };
        let others: Vec<ControlKey> = found.collect();
        if others.is_empty() {
            return Ok(first);
        }
        let choices: Vec<String> = std::iter::once(first)
            .chain(others)
            .map(|k| format!("`{}`", self.qualified_id(k)))
            .collect();
        Err(Unresolved {
            lint: Lint::AmbiguousControl,
            message: format!("control `{raw}` is in {} frameworks in use", choices.len()),
            help: Some(format!("write the full id: {}", choices.join(" or "))),
        })
    }

    fn unknown(&self, raw: &str, id: &str, only: Option<usize>) -> Unresolved {
        let names = self
            .catalogs
            .iter()
            .enumerate()
            .filter(|(f, _)| only.is_none_or(|o| o == *f));
        let mut candidates: Vec<String> = Vec::new();
        for (f, catalog) in names {
            for control in &catalog.controls {
                candidates.push(if only.is_some() || f == 0 {
                    control.id.clone()
                } else {
                    format!("{}:{}", catalog.id, control.id)
                });
            }
        }
        let help = did_you_mean(id, candidates.iter().map(String::as_str)).map(|c| match only {
            Some(f) => format!("did you mean `{}:{c}`?", self.catalogs[f].id),
            None => format!("did you mean `{c}`?"),
        });
        let where_ = match only {
            Some(f) => format!("framework `{}`", self.catalogs[f].id),
            None => "any framework in use".to_string(),
        };
        Unresolved {
            lint: Lint::UnknownControl,
            message: format!("control `{raw}` is not in {where_}"),
            help,
        }
    }
}

/// Parses a built-in catalog by id; `None` if annexa has no such catalog.
pub fn built_in(id: &str) -> Option<Catalog> {
    let (name, text) = BUILT_IN
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(id))?;
    let source = SourceText::new(format!("<built-in {name}>"), text.to_string());
    let mut out = Vec::new();
    let catalog = Catalog::parse(&source, &mut out);
    debug_assert!(
        out.is_empty(),
        "built-in catalog {name} has problems: {out:?}"
    );
    catalog
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_catalogs_parse_cleanly() {
        for (id, text) in BUILT_IN {
            let source = SourceText::new(*id, text.to_string());
            let mut out = Vec::new();
            let catalog = Catalog::parse(&source, &mut out).unwrap();
            assert!(out.is_empty(), "{id}: {out:?}");
            assert_eq!(&catalog.id, id);
        }
        assert_eq!(built_in("iso27001-2022").unwrap().controls.len(), 93);
        let iso = built_in("iso27001-2022").unwrap();
        let names: Vec<&str> = iso.controls[0]
            .attributes
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "control_type",
                "security_properties",
                "cybersecurity_concepts"
            ],
            "attributes keep the catalog's order"
        );
    }

    #[test]
    fn ids_resolve_with_or_without_prefix_and_framework() {
        let f = Frameworks {
            catalogs: vec![
                built_in("iso27001-2022").unwrap(),
                built_in("nist-csf-2.0").unwrap(),
            ],
        };
        let a515 = f.resolve("A.5.15").unwrap();
        assert_eq!(f.control(a515).title, "Access control");
        assert_eq!(f.resolve("5.15"), Ok(a515));
        assert_eq!(f.resolve("a.5.15"), Ok(a515));
        assert_eq!(f.resolve("iso27001-2022:A.5.15"), Ok(a515));
        assert_eq!(f.resolve("nist-csf-2.0:pr.aa-01").unwrap().framework, 1);
        assert_eq!(f.resolve("PR.AA-01").unwrap().framework, 1);
        let err = f.resolve("A.5.99").unwrap_err();
        assert!(err.message.contains("A.5.99"), "{err:?}");
        let err = f.resolve("iso27001-2013:A.9.1.1").unwrap_err();
        assert!(err.message.contains("not in use"), "{err:?}");
    }

    #[test]
    fn display_ids_are_bare_only_in_the_default_framework() {
        let f = Frameworks {
            catalogs: vec![
                built_in("iso27001-2022").unwrap(),
                built_in("nist-csf-2.0").unwrap(),
            ],
        };
        assert_eq!(f.display_id(f.resolve("5.15").unwrap()), "A.5.15");
        assert_eq!(
            f.display_id(f.resolve("PR.AA-01").unwrap()),
            "nist-csf-2.0:PR.AA-01"
        );
    }
}
