//! ISO/IEC 27001:2013 Annex A ids and the 2022 controls each became, from the compiled-in
//! `catalogs/iso27001-2013-to-2022.csv` (ISO/IEC 27002:2022 Annex B).

use std::sync::OnceLock;

/// One 2013 control: its id, its title and the 2022 control ids it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legacy {
    /// The 2013 id, `A.9.2.3`.
    pub id: String,
    /// The 2013 title.
    pub title: String,
    /// The 2022 ids (`A.8.2`), one or more.
    pub became: Vec<String>,
}

const MAPPING: &str = include_str!("../catalogs/iso27001-2013-to-2022.csv");

/// Every 2013 control, in the CSV's order.
pub fn all() -> &'static [Legacy] {
    static ALL: OnceLock<Vec<Legacy>> = OnceLock::new();
    ALL.get_or_init(|| {
        csv::Reader::from_reader(MAPPING.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| Legacy {
                id: r[0].to_string(),
                title: r[1].to_string(),
                became: r[2].split(';').map(|s| s.trim().to_string()).collect(),
            })
            .collect()
    })
}

/// The 2013 control `written` names: only an `A.`-prefixed three-level id (`A.9.2.3`, case
/// aside). Bare three-level ids are clauses (`9.2.2`) and are never taken for 2013 ids.
pub fn find(written: &str) -> Option<&'static Legacy> {
    let written = written.trim();
    let rest = written
        .strip_prefix("A.")
        .or_else(|| written.strip_prefix("a."))?;
    if rest.split('.').count() != 3 {
        return None;
    }
    all().iter().find(|l| l.id[2..].eq_ignore_ascii_case(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mapping_has_every_2013_control() {
        assert_eq!(all().len(), 114);
        assert_eq!(find("A.9.2.3").unwrap().became, ["A.8.2"]);
        assert_eq!(find("a.18.2.3").unwrap().became, ["A.5.36", "A.8.8"]);
        assert_eq!(find("9.2.3"), None);
        assert_eq!(find("A.5.1"), None);
    }
}
