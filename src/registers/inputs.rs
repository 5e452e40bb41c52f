//! The inputs a management review shall consider (ISO/IEC 27001:2022 9.3.2), compiled in from
//! `catalogs/iso27001-2022-review-inputs.toml`.

use std::sync::OnceLock;

/// One input: `a` to `g`, with `d`'s trends `d.1` to `d.4`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewInput {
    /// The item as the standard letters it (`a`, `d.3`).
    pub item: String,
    /// A short description.
    pub title: String,
}

impl ReviewInput {
    /// Whether it is covered by itself (every input but `d`, which its trends cover).
    pub fn has_parts(&self) -> bool {
        all().iter().any(|i| i.parent() == Some(self.item.as_str()))
    }

    /// The input this one is part of (`d` for `d.2`).
    pub fn parent(&self) -> Option<&str> {
        self.item.split_once('.').map(|(p, _)| p)
    }
}

const TEXT: &str = include_str!("../../catalogs/iso27001-2022-review-inputs.toml");

/// Every input, in the standard's order.
pub fn all() -> &'static [ReviewInput] {
    static INPUTS: OnceLock<Vec<ReviewInput>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let table: toml::Table = toml::from_str(TEXT).expect("the review inputs are valid TOML");
        table["inputs"]
            .as_array()
            .expect("`inputs` is an array")
            .iter()
            .map(|entry| ReviewInput {
                item: entry["item"].as_str().expect("an item").to_string(),
                title: entry["title"].as_str().expect("a title").to_string(),
            })
            .collect()
    })
}

/// The input written `item` (case and spaces ignored).
pub fn find(item: &str) -> Option<&'static ReviewInput> {
    let wanted = item.trim().to_ascii_lowercase();
    all().iter().find(|i| i.item == wanted)
}

/// The inputs `covered` leaves out, in the standard's order: each input without parts that is
/// not listed, and an input with parts (`d`) unless every part is listed, whether or not it is
/// listed itself.
pub fn missing<'a>(covered: impl Fn(&str) -> bool + 'a) -> Vec<&'static ReviewInput> {
    let parts_covered = |parent: &str| {
        all()
            .iter()
            .filter(|i| i.parent() == Some(parent))
            .all(|i| covered(&i.item))
    };
    all()
        .iter()
        .filter(|i| {
            if i.has_parts() {
                !parts_covered(&i.item)
            } else {
                !covered(&i.item)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inputs_are_a_to_g_with_four_trends() {
        let items: Vec<&str> = all().iter().map(|i| i.item.as_str()).collect();
        assert_eq!(
            items,
            [
                "a", "b", "c", "d", "d.1", "d.2", "d.3", "d.4", "e", "f", "g"
            ]
        );
        assert_eq!(
            find(" D.2 ").unwrap().title,
            "Trends: monitoring and measurement results"
        );
    }

    #[test]
    fn d_is_covered_only_by_its_four_trends() {
        let names =
            |m: Vec<&ReviewInput>| -> Vec<String> { m.iter().map(|i| i.item.clone()).collect() };
        let some = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(
            names(missing(|i| some.contains(&i))),
            ["d", "d.1", "d.2", "d.3", "d.4"]
        );
        let all_d = ["a", "b", "c", "d.1", "d.2", "d.3", "d.4", "e", "f", "g"];
        assert!(missing(|i| all_d.contains(&i)).is_empty());
        let three = ["d.1", "d.2", "d.3"];
        assert_eq!(
            names(missing(|i| three.contains(&i))),
            ["a", "b", "c", "d", "d.4", "e", "f", "g"]
        );
    }
}
