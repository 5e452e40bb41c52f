//! Writes a deterministic synthetic ISMS repository for benchmarks:
//! `cargo run --release --example gen-corpus -- --docs 10000 --out DIR [--seed 1]
//! [--findings N] [--evidence N]`.
//!
//! Each document has realistic front matter (owner, review dates that are current on
//! 2026-11-01, one to four Annex A controls), headings, lists, a table, a small fenced code block,
//! about 950 words (8 KB; 81 MB at 10,000 documents, like the corpus the performance targets measured other
//! tools on), and two to five relative links with anchors to other documents. The
//! repository checks clean with `annexa check DIR --today 2026-11-01`.
//!
//! `--findings N` and `--evidence N` add the ISMS registers: `findings.toml` with N findings
//! (two corrective actions each, done or due after the reference date), `evidence.toml` with N
//! items (valid on 2026-11-01), `audits.toml` with one audit per 20 findings (at least one,
//! performed, by an auditor who owns nothing) and `management-reviews.toml` with one review
//! that covered every input. They add no error; an `audit-coverage-gap` warning names the
//! controls the audits' random scopes leave out.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// xorshift64*: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const OWNERS: &[&str] = &[
    "Chief Information Security Officer",
    "Head of IT",
    "Head of Platform Engineering",
    "People Operations Lead",
    "Data Protection Officer",
    "Security Engineering Manager",
    "Office Manager",
    "Head of Customer Support",
];
const SUBJECTS: &[&str] = &[
    "The system owner",
    "Each team lead",
    "The security team",
    "Every employee",
    "The service desk",
    "The platform team",
    "Line management",
    "The data protection officer",
    "Third-party suppliers",
    "The change advisory board",
];
const VERBS: &[&str] = &[
    "reviews",
    "approves",
    "records",
    "monitors",
    "encrypts",
    "tests",
    "documents",
    "escalates",
    "restricts",
    "verifies",
    "retains",
    "classifies",
];
const OBJECTS: &[&str] = &[
    "privileged access rights",
    "backup restore results",
    "customer personal data",
    "security incidents",
    "firewall rule changes",
    "vulnerability scan findings",
    "supplier assurance reports",
    "production deployments",
    "audit log integrity",
    "encryption key rotation",
    "remote access sessions",
    "asset inventory records",
];
const QUALIFIERS: &[&str] = &[
    "at least quarterly",
    "within five working days",
    "before go-live",
    "every twelve months",
    "after each significant change",
    "in the ticketing system",
    "with a second approver",
    "according to the classification scheme",
    "within 24 hours of detection",
    "on request of the auditor",
];
const SECTIONS: &[&str] = &[
    "Purpose",
    "Scope",
    "Roles and responsibilities",
    "Requirements",
    "Exceptions",
    "Review",
];

fn sentence(rng: &mut Rng) -> String {
    format!(
        "{} {} {} {}.",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(QUALIFIERS)
    )
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

fn doc_path(i: usize) -> String {
    format!("policies/group-{:03}/policy-{i:05}.md", i / 100)
}

fn front_matter(i: usize, rng: &mut Rng) -> String {
    let controls: Vec<String> = (0..1 + rng.below(4))
        .map(|_| {
            let (theme, count) = [(5, 37), (6, 8), (7, 14), (8, 34)][rng.below(4)];
            format!("\"A.{theme}.{}\"", 1 + rng.below(count))
        })
        .collect();
    let month = 1 + rng.below(10);
    let day = 1 + rng.below(28);
    format!(
        "+++\ntitle = \"Policy {i:05}: {} {}\"\nowner = \"{}\"\nid = \"POL-{i:05}\"\nkind = \"policy\"\nversion = \"1.{}\"\napprover = \"Chief Executive Officer\"\nclassification = \"internal\"\neffective = 2026-{month:02}-{day:02}\nlast_reviewed = 2026-{month:02}-{day:02}\nreview_interval = \"12 months\"\ncontrols = [{}]\ntags = [\"{}\", \"synthetic\"]\nsummary = \"{}\"\n+++\n\n# Policy {i:05}\n\n",
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(OWNERS),
        rng.below(9),
        controls.join(", "),
        rng.pick(&[
            "access", "backup", "supplier", "incident", "privacy", "network"
        ]),
        sentence(rng),
    )
}

fn document(i: usize, docs: usize, rng: &mut Rng) -> String {
    let mut text = front_matter(i, rng);
    for (s, section) in SECTIONS.iter().enumerate() {
        let _ = writeln!(
            text,
            "## {section}\n\n{}\n\n{}\n",
            paragraph(rng, 5),
            paragraph(rng, 5)
        );
        if s == 1 {
            for _ in 0..2 + rng.below(4) {
                let target = rng.below(docs);
                let anchor = ["purpose", "scope", "requirements", "review"][rng.below(4)];
                let rel = relative(&doc_path(i), &doc_path(target));
                let _ = writeln!(
                    text,
                    "- See [policy {target:05}]({rel}#{anchor}) for {}.",
                    rng.pick(OBJECTS)
                );
            }
            text.push('\n');
        }
        if s == 3 {
            text.push_str("| Control | Frequency | Evidence |\n|---|---|---|\n");
            for _ in 0..8 {
                let _ = writeln!(
                    text,
                    "| {} | {} | {} |",
                    rng.pick(OBJECTS),
                    rng.pick(QUALIFIERS),
                    rng.pick(VERBS)
                );
            }
            text.push('\n');
            for r in 1..=3 {
                let _ = writeln!(text, "### Requirement {r}\n\n{}\n", paragraph(rng, 8));
            }
            let _ = writeln!(
                text,
                "```yaml\n# {}\nretention_days: {}\nencryption: aes-256-gcm\nkey_rotation_days: {}\nreview: quarterly\n```\n",
                rng.pick(OBJECTS),
                30 + rng.below(335),
                30 + rng.below(335)
            );
        }
    }
    text
}

fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.matches('/').count()].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Clauses whose sub-clauses are every clause of ISO/IEC 27001:2022, for the first audit.
const ALL_CLAUSES: &str = "\"4.1\", \"4.2\", \"4.3\", \"4.4\", \"5.1\", \"5.2\", \"5.3\", \"6.1\", \"6.2\", \"6.3\", \"7.1\", \"7.2\", \"7.3\", \"7.4\", \"7.5\", \"8.1\", \"8.2\", \"8.3\", \"9.1\", \"9.2\", \"9.3\", \"10.1\", \"10.2\"";

/// Annex A control ids, for the registers' scopes.
fn annex_a(n: usize) -> String {
    let (theme, count) = [(5, 37), (6, 8), (7, 14), (8, 34)][n % 4];
    format!("A.{theme}.{}", 1 + (n / 4) % count)
}

/// The four register files, with `findings` findings and `evidence` evidence items.
fn registers(
    out: &Path,
    docs: usize,
    findings: usize,
    evidence: usize,
    rng: &mut Rng,
) -> std::io::Result<()> {
    let audits = (findings / 20).max(1);
    let mut text = String::from("[programme]\ncycle = \"3 years\"\n");
    for a in 0..audits {
        let scope: Vec<String> = (0..6)
            .map(|_| format!("\"{}\"", annex_a(rng.below(400))))
            .collect();
        let _ = write!(
            text,
            "\n[[audits]]\nid = \"IA-{a:04}\"\ntitle = \"Audit of {}\"\nscope = [{}]\nclauses = [{}]\nplanned = 2026-03-02\nperformed = 2026-03-{:02}\nauditor = \"Independent Auditor\"\nreport = \"{}\"\n",
            rng.pick(OBJECTS),
            scope.join(", "),
            if a == 0 { ALL_CLAUSES } else { "\"9.1\"" },
            3 + rng.below(25),
            doc_path(a % docs.max(1))
        );
    }
    fs::write(out.join("audits.toml"), text)?;
    let mut text = String::new();
    for f in 0..findings {
        let closed = f % 3 == 0;
        let _ = write!(
            text,
            "[[findings]]\nid = \"NC-{f:05}\"\nraised = 2026-0{}-1{}\nsource = \"IA-{:04}\"\nkind = \"{}\"\ncontrols = [\"{}\"]\ndescription = \"{}\"\nowner = \"Owner {}\"\ncause = \"{}\"\n\
             actions = [{{ id = \"CA-{f:05}-1\", action = \"{}\", due = 2026-09-30, done = 2026-09-2{} }}, {{ id = \"CA-{f:05}-2\", action = \"{}\", due = 2027-0{}-15{} }}]\n",
            1 + rng.below(8),
            rng.below(9),
            f / 20 % audits,
            ["minor", "observation", "opportunity"][rng.below(3)],
            annex_a(rng.below(400)),
            paragraph(rng, 1).trim(),
            rng.below(40),
            paragraph(rng, 1).trim(),
            rng.pick(VERBS),
            rng.below(9),
            rng.pick(VERBS),
            1 + rng.below(9),
            if closed { ", done = 2026-10-01" } else { "" },
        );
        if closed {
            text.push_str("closed = 2026-10-15\nverified_by = \"Independent Auditor\"\n");
        }
        text.push('\n');
    }
    fs::write(out.join("findings.toml"), text)?;
    let mut text = String::new();
    for e in 0..evidence {
        let _ = write!(
            text,
            "[[evidence]]\nid = \"EV-{e:05}\"\ntitle = \"{} {}\"\ncontrols = [\"{}\", \"{}\"]\nowner = \"Owner {}\"\ncollected = 2026-10-{:02}\nvalid_for = \"{} months\"\nlocation = \"https://evidence.example.com/{e}\"\n\n",
            rng.pick(QUALIFIERS),
            rng.pick(OBJECTS),
            annex_a(rng.below(400)),
            annex_a(rng.below(400)),
            rng.below(40),
            1 + rng.below(28),
            3 + rng.below(10)
        );
    }
    fs::write(out.join("evidence.toml"), text)?;
    fs::write(
        out.join("management-reviews.toml"),
        "[[reviews]]\ndate = 2026-06-18\ninputs = [\"a\", \"b\", \"c\", \"d.1\", \"d.2\", \"d.3\", \"d.4\", \"e\", \"f\", \"g\"]\n",
    )
}

/// Writes a corpus of `docs` documents into `out`.
fn generate(docs: usize, out: &Path, seed: u64) -> std::io::Result<()> {
    fs::create_dir_all(out)?;
    fs::write(
        out.join("annexa.toml"),
        "title = \"Synthetic ISMS\"\norganisation = \"Synthetic Ltd\"\nframeworks = [\"iso27001-2022\"]\n\n[reviews]\ndue_soon_days = 0\n",
    )?;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for i in 0..docs {
        let path = out.join(doc_path(i));
        fs::create_dir_all(path.parent().expect("a parent"))?;
        fs::write(&path, document(i, docs, &mut rng))?;
    }
    Ok(())
}

fn main() {
    let mut docs = 1000;
    let mut out = PathBuf::from("corpus");
    let mut seed: u64 = 1;
    let (mut findings, mut evidence) = (0, 0);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--docs" => docs = value.parse().expect("--docs takes a number"),
            "--out" => out = PathBuf::from(value),
            "--seed" => seed = value.parse().expect("--seed takes a number"),
            "--findings" => findings = value.parse().expect("--findings takes a number"),
            "--evidence" => evidence = value.parse().expect("--evidence takes a number"),
            _ => {
                eprintln!(
                    "usage: gen-corpus --docs N --out DIR [--seed S] [--findings N] [--evidence N]"
                );
                std::process::exit(2);
            }
        }
    }
    let mut rng = Rng(seed.wrapping_add(7).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let written = generate(docs, &out, seed).and_then(|()| {
        if findings + evidence > 0 {
            registers(&out, docs, findings, evidence, &mut rng)
        } else {
            Ok(())
        }
    });
    if let Err(e) = written {
        eprintln!("gen-corpus: {e}");
        std::process::exit(1);
    }
    eprintln!("gen-corpus: wrote {docs} documents to {}", out.display());
}
