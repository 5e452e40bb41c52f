//! Shared helpers for the integration tests: the `annexa` command, a builder for throw-away
//! repositories, and a parsed `check --format json` report.
#![allow(dead_code)]

pub mod git;
pub mod site;
pub mod xlsx;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The day most tests check as of.
pub const TODAY: &str = "2026-11-01";

/// A minimal `annexa.toml` that silences the lints that speak of every control of a catalog
/// (`unmapped-control`, `soa-inclusion-unjustified`) and of the SoA's own record
/// (`soa-unapproved`), so that a small repository's report holds only what a test is about
/// (the default ISO catalog has 93 controls). Those lints have tests of their own.
pub const QUIET_CONFIG: &str = "title = \"Test ISMS\"\n\n[lints]\nunmapped-control = \"off\"\nsoa-inclusion-unjustified = \"off\"\nsoa-unapproved = \"off\"\nmandatory-document-missing = \"off\"\n";

/// The real binary, with the environment that could change its output removed.
pub fn annexa() -> Command {
    let mut cmd = Command::cargo_bin("annexa").expect("the annexa binary is built");
    cmd.env_remove("ANNEXA_TODAY")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("NO_COLOR", "1");
    cmd
}

/// `annexa check DIR --today TODAY ARGS…`: its exit code and standard output. Standard error
/// must be empty (the check prints its report on standard output alone).
pub fn check_quietly(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = annexa()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// A static fixture repository under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A repository written into a temporary folder.
pub struct Repo {
    dir: TempDir,
}

impl Repo {
    /// A repository with [`QUIET_CONFIG`] as its `annexa.toml`.
    pub fn new() -> Self {
        Repo::with_config(QUIET_CONFIG)
    }

    /// A repository with this `annexa.toml`.
    pub fn with_config(config: &str) -> Self {
        Repo::empty().file("annexa.toml", config)
    }

    /// An empty folder, without `annexa.toml`.
    pub fn empty() -> Self {
        Repo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// Adds a text file (folders are created as needed).
    pub fn file(self, rel: &str, text: &str) -> Self {
        self.write(rel, text.as_bytes());
        self
    }

    /// Writes a file's bytes (folders are created as needed).
    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// The repository root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `annexa check DIR --today TODAY --format json ARGS…`, parsed.
    pub fn check(&self, args: &[&str]) -> Report {
        let output = annexa()
            .arg("check")
            .arg(self.path())
            .args(["--today", TODAY, "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        Report::parse(&output)
    }
}

/// The 93 control ids of ISO/IEC 27001:2022 Annex A, in the standard's order: A.5.1–A.5.37,
/// A.6.1–A.6.8, A.7.1–A.7.14, A.8.1–A.8.34.
pub fn iso_annex_a_ids() -> Vec<String> {
    [(5, 37), (6, 8), (7, 14), (8, 34)]
        .into_iter()
        .flat_map(|(theme, count)| (1..=count).map(move |n| format!("A.{theme}.{n}")))
        .collect()
}

/// The `[lints]` that silence the SoA's own record and justification lints, for tests of
/// coverage that leave `unmapped-control` on.
pub const SOA_LINTS_OFF: &str = "[lints]\nsoa-inclusion-unjustified = \"off\"\nsoa-unapproved = \"off\"\nmandatory-document-missing = \"off\"\n";

/// A repository for the gap tests, whose `annexa.toml` leaves `unmapped-control` on. Its SoA
/// excludes A.7.1; an approved policy maps A.5.15 and a document in review A.5.19 (both count);
/// a draft maps A.5.16 and a retired policy A.5.17 (neither counts). So of the 92 applicable
/// Annex A controls 2 are documented and 90 are gaps.
pub fn gap_repo() -> Repo {
    let page = |title: &str, extra: &str| {
        format!(
            "+++\ntitle = \"{title}\"\nowner = \"Head of IT\"\nlast_reviewed = 2026-06-01\n{extra}\n+++\n\n# {title}\n"
        )
    };
    Repo::with_config(&format!("title = \"Gaps\"\n\n{SOA_LINTS_OFF}"))
        .file(
            "soa.toml",
            "[controls.\"A.7.1\"]\napplicable = false\njustification = \"No premises.\"\n",
        )
        .file(
            "policies/access-control.md",
            &page(
                "Access Control Policy",
                "id = \"POL-001\"\ncontrols = [\"A.5.15\"]",
            ),
        )
        .file(
            "policies/suppliers.md",
            &page(
                "Supplier Policy",
                "status = \"review\"\ncontrols = [\"A.5.19\"]",
            ),
        )
        .file(
            "procedures/identity.md",
            &page(
                "Identity Procedure",
                "status = \"draft\"\ncontrols = [\"A.5.16\"]",
            ),
        )
        .file(
            "policies/passwords.md",
            &page(
                "Password Policy",
                "status = \"retired\"\ncontrols = [\"A.5.17\"]",
            ),
        )
}

/// A front matter block with a title, an owner and a recent review, then `body`.
pub fn doc(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nowner = \"Head of IT\"\nlast_reviewed = 2026-06-01\n+++\n\n{body}"
    )
}

/// A JSON fix: start (line, column), end (line, column), replacement.
pub type FixSpan = ((u64, u64), (u64, u64), String);

/// One diagnostic of the JSON report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub lint: String,
    pub severity: String,
    pub file: Option<String>,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
    pub help: Option<String>,
    /// The fix: start (line, column), end (line, column), replacement.
    pub fix: Option<FixSpan>,
}

impl Diag {
    /// `lint file:line:col`, the place of a diagnostic in one string.
    pub fn place(&self) -> String {
        let mut s = format!("{} {}", self.lint, self.file.as_deref().unwrap_or("-"));
        if let (Some(l), Some(c)) = (self.line, self.column) {
            s.push_str(&format!(":{l}:{c}"));
        }
        s
    }
}

/// A parsed `annexa check --format json` run.
#[derive(Debug)]
pub struct Report {
    pub code: i32,
    pub diagnostics: Vec<Diag>,
    pub errors: u64,
    pub warnings: u64,
    pub documents: u64,
    pub json: Value,
    pub stderr: String,
}

impl Report {
    /// Parses the output of a JSON check, asserting its shape and that its summary counts
    /// match its diagnostics.
    pub fn parse(output: &Output) -> Report {
        let stdout = String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let json: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{stdout}\nstderr:\n{stderr}"));
        let object = json.as_object().expect("a JSON object");
        assert_eq!(
            keys(&json),
            ["diagnostics", "summary"],
            "top-level keys of {json}"
        );
        let diagnostics: Vec<Diag> = object["diagnostics"]
            .as_array()
            .expect("diagnostics is an array")
            .iter()
            .map(|d| {
                let mut expected_keys = vec![
                    "column", "file", "help", "line", "lint", "message", "severity",
                ];
                if d.get("fix").is_some() {
                    expected_keys.insert(2, "fix");
                    let fix = &d["fix"];
                    assert_eq!(keys(fix), ["end", "replacement", "start"], "keys of {fix}");
                }
                assert_eq!(keys(d), expected_keys, "keys of {d}");
                let text = |k: &str| d[k].as_str().map(str::to_string);
                Diag {
                    lint: text("lint").unwrap(),
                    severity: text("severity").unwrap(),
                    file: text("file"),
                    line: d["line"].as_u64(),
                    column: d["column"].as_u64(),
                    message: text("message").unwrap(),
                    help: text("help"),
                    fix: d.get("fix").map(|f| {
                        let at = |k: &str| {
                            (
                                f[k]["line"].as_u64().unwrap(),
                                f[k]["column"].as_u64().unwrap(),
                            )
                        };
                        (
                            at("start"),
                            at("end"),
                            f["replacement"].as_str().unwrap().to_string(),
                        )
                    }),
                }
            })
            .collect();
        let summary = &object["summary"];
        assert_eq!(
            keys(summary),
            ["documents", "errors", "warnings"],
            "summary keys"
        );
        let count = |severity: &str| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count() as u64
        };
        let errors = summary["errors"].as_u64().unwrap();
        let warnings = summary["warnings"].as_u64().unwrap();
        assert_eq!(errors, count("error"), "summary.errors");
        assert_eq!(warnings, count("warning"), "summary.warnings");
        assert_eq!(
            errors + warnings,
            diagnostics.len() as u64,
            "every severity is error or warning"
        );
        Report {
            code: output
                .status
                .code()
                .expect("exited normally, not by a signal"),
            diagnostics,
            errors,
            warnings,
            documents: summary["documents"].as_u64().unwrap(),
            json,
            stderr,
        }
    }

    /// Every diagnostic as `lint file:line:col`, in report order.
    pub fn places(&self) -> Vec<String> {
        self.diagnostics.iter().map(Diag::place).collect()
    }

    /// The diagnostics of one lint.
    pub fn of(&self, lint: &str) -> Vec<&Diag> {
        self.diagnostics.iter().filter(|d| d.lint == lint).collect()
    }

    /// The diagnostics about one file.
    pub fn in_file(&self, file: &str) -> Vec<&Diag> {
        self.diagnostics
            .iter()
            .filter(|d| d.file.as_deref() == Some(file))
            .collect()
    }

    /// The only diagnostic of `lint`.
    pub fn one(&self, lint: &str) -> &Diag {
        let found = self.of(lint);
        assert_eq!(found.len(), 1, "one {lint} in {:#?}", self.diagnostics);
        found[0]
    }
}

/// The string fields `a` and `b` of each object in a JSON array, in order.
pub fn string_pairs(array: &Value, a: &str, b: &str) -> Vec<(String, String)> {
    array
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|item| {
            let field = |name: &str| item[name].as_str().expect("a string field").to_string();
            (field(a), field(b))
        })
        .collect()
}

/// Owned copies of string pairs, to compare with [`string_pairs`].
pub fn owned_pairs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value
        .as_object()
        .expect("a JSON object")
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

/// Whether this process can read a file its mode forbids (root can), so that a chmod 000
/// test cannot make a file unreadable.
pub fn permissions_are_enforced(path: &Path) -> bool {
    fs::read(path).is_err()
}

/// Copies the folder `from` into `to` (created as needed), files and folders alike.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `annexa ARGS…` (with the environment of [`annexa`]) and waits at most `limit`: a run
/// still going then is killed and the test fails, so that a hang fails the test instead of
/// holding up CI.
pub fn run_within<I, S>(args: I, limit: std::time::Duration) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    use std::process::Stdio;
    // Files, not pipes: a child blocked on a full pipe would look like a hang.
    let out = tempfile::tempfile().unwrap();
    let err = tempfile::tempfile().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annexa"))
        .args(args)
        .env_remove("ANNEXA_TODAY")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(out.try_clone().unwrap())
        .stderr(err.try_clone().unwrap())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("annexa did not finish within {limit:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let read = |mut file: fs::File| {
        use std::io::{Read, Seek};
        let mut bytes = Vec::new();
        file.rewind().unwrap();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    };
    Output {
        status,
        stdout: read(out),
        stderr: read(err),
    }
}
