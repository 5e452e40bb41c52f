//! Reads back the spreadsheets annexa writes: an XLSX file is a zip of XML parts, read here with
//! `zip` (the crate rust_xlsxwriter itself writes with) and `roxmltree`, so that a test sees each
//! cell as a spreadsheet program does: its type, its text and whether it holds a formula.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One cell as the sheet stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's `t` attribute: `s` for a shared string, `inlineStr`, `str` (a formula's
    /// text), `n` or absent for a number.
    pub kind: String,
    /// Its text: the string itself, or the number as written.
    pub text: String,
    /// Whether it holds a formula (`<f>`).
    pub formula: bool,
}

/// The first worksheet of a workbook, with the parts around it.
#[derive(Debug)]
pub struct Workbook {
    /// Cells by (row, column), both from 0.
    pub cells: BTreeMap<(u32, u32), Cell>,
    /// The worksheet's XML, for its panes, columns and filter.
    pub sheet_xml: String,
    /// `docProps/core.xml`.
    pub core_xml: String,
    /// The names of the zip's entries, in order.
    pub entries: Vec<String>,
}

impl Workbook {
    /// Reads `path`.
    pub fn read(path: &Path) -> Workbook {
        let file = std::fs::File::open(path)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(file).expect("an XLSX file is a zip");
        let entries = zip
            .file_names()
            .map(|n| n.expect("an entry name").into_owned())
            .collect();
        let mut part = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap_or_else(|e| panic!("{name} in the workbook: {e}"))
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let shared_xml = part("xl/sharedStrings.xml");
        let sheet_xml = part("xl/worksheets/sheet1.xml");
        let core_xml = part("docProps/core.xml");
        let shared_doc = roxmltree::Document::parse(&shared_xml).expect("sharedStrings.xml");
        let shared: Vec<String> = shared_doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("si"))
            .map(|si| text_of(si))
            .collect();
        let sheet = roxmltree::Document::parse(&sheet_xml).expect("sheet1.xml");
        let mut cells = BTreeMap::new();
        for c in sheet.descendants().filter(|n| n.has_tag_name("c")) {
            let (row, col) = position(c.attribute("r").expect("a cell reference"));
            let kind = c.attribute("t").unwrap_or("n").to_string();
            let child = |name: &str| c.children().find(|n| n.has_tag_name(name));
            let value = child("v").and_then(|v| v.text()).unwrap_or_default();
            let text = match kind.as_str() {
                "s" => shared[value.parse::<usize>().expect("a string index")].clone(),
                "inlineStr" => child("is").map(text_of).unwrap_or_default(),
                _ => value.to_string(),
            };
            let formula = child("f").is_some();
            cells.insert(
                (row, col),
                Cell {
                    kind,
                    text,
                    formula,
                },
            );
        }
        Workbook {
            cells,
            sheet_xml,
            core_xml,
            entries,
        }
    }

    /// The texts of row `row` (from 0), from column A to its last cell; an absent cell is "".
    pub fn row(&self, row: u32) -> Vec<String> {
        let last = self
            .cells
            .range((row, 0)..=(row, u32::MAX))
            .map(|((_, c), _)| *c)
            .next_back();
        let Some(last) = last else {
            return Vec::new();
        };
        (0..=last)
            .map(|col| {
                self.cells
                    .get(&(row, col))
                    .map(|c| c.text.clone())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// How many rows hold a cell.
    pub fn rows(&self) -> u32 {
        self.cells.keys().map(|(r, _)| r + 1).max().unwrap_or(0)
    }
}

/// The text of a string item: its `<t>` runs, joined.
fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|t| t.text())
        .collect()
}

/// `B3` → (2, 1).
fn position(reference: &str) -> (u32, u32) {
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    let row: u32 = reference[letters.len()..].parse().expect("a row number");
    (row - 1, col)
}
