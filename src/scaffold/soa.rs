//! The scaffold's `soa.toml`: every control of the built-in Annex A catalog, commented out,
//! with its decision and justification to write.

use std::fmt::Write;

use crate::catalog;

/// The id of the catalog the scaffold's SoA lists.
const ANNEX_A: &str = "iso27001-2022";

/// `soa.toml`: `head` (its guidance and `[statement]`), then every control of Annex A, theme by
/// theme, as a commented-out entry to fill in.
pub fn soa(head: &str) -> String {
    let catalog = catalog::built_in(ANNEX_A).expect("Annex A is built in");
    let mut out = head.to_string();
    for group in &catalog.groups {
        let _ = write!(out, "\n# {group} controls\n");
        for (_, control) in catalog.group_controls(group) {
            let _ = write!(
                out,
                "\n# [controls.\"{}\"]   # {}\n# reasons = []         # risk | legal | regulatory | contract | business\n# justification = \"\"\n",
                control.id, control.title
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_is_listed_once_in_catalog_order() {
        let text = soa("[statement]\n");
        let catalog = catalog::built_in(ANNEX_A).unwrap();
        let listed: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# [controls.\""))
            .map(|l| &l[..l.find('"').unwrap()])
            .collect();
        let ids: Vec<&str> = catalog
            .in_group_order()
            .map(|i| catalog.controls[i].id.as_str())
            .collect();
        assert_eq!(listed, ids);
        assert_eq!(listed.len(), 93);
        assert!(text.contains(
            "\n# Organizational controls\n\n# [controls.\"A.5.1\"]   # Policies for information security\n# reasons = []"
        ));
    }

    #[test]
    fn uncommented_it_is_toml_with_one_entry_per_control() {
        let text = soa("[statement]\nversion = \"0.1\"\n");
        let uncommented: String = text
            .lines()
            .map(|l| {
                l.strip_prefix("# [")
                    .map_or(l.to_string(), |r| format!("[{r}"))
            })
            .map(|l| match l.strip_prefix("# ") {
                Some(r) if r.starts_with("reasons") || r.starts_with("justification") => {
                    format!("{r}\n")
                }
                _ => format!("{l}\n"),
            })
            .collect();
        let value: toml::Table = toml::from_str(&uncommented).unwrap();
        assert_eq!(value["controls"].as_table().unwrap().len(), 93);
    }
}
