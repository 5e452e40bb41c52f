//! Diagnostics: the lint names, their severities, and one finding with its place.

use std::fmt;

/// How serious a finding is, after the project's `[lints]` settings are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails `check` and `build`.
    Error,
    /// Reported; fails `check` only with `--deny-warnings`.
    Warning,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level a project may set for a lint in `[lints]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not report.
    Off,
}

macro_rules! lints {
    ($( $variant:ident = $name:literal, $severity:ident, $doc:literal; )*) => {
        /// Every check annexa runs, by its stable kebab-case name (the README's lint table).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Lint {
            $( #[doc = $doc] $variant, )*
        }

        impl Lint {
            /// All lints, in documentation order.
            pub const ALL: &'static [Lint] = &[$(Lint::$variant),*];

            /// The lint's name as users write it in `[lints]` and see it in output.
            pub fn name(self) -> &'static str {
                match self { $(Lint::$variant => $name,)* }
            }

            /// Severity when `[lints]` does not override it.
            pub fn default_severity(self) -> Severity {
                match self { $(Lint::$variant => Severity::$severity,)* }
            }

            /// One sentence saying when the lint fires.
            pub fn description(self) -> &'static str {
                match self { $(Lint::$variant => $doc,)* }
            }
        }
    };
}

lints! {
    InvalidFrontMatter = "invalid-front-matter", Error, "A document has no or an unterminated `+++` (TOML) or `---` (YAML) block, a syntax error, a value of the wrong type, or a bad date or interval.";
    MissingField = "missing-field", Error, "A document lacks a required field (`title`, `owner`).";
    UnknownField = "unknown-field", Warning, "A key annexa does not know, in front matter or a configuration file.";
    DuplicateId = "duplicate-id", Error, "Two documents (or two risks) share an `id`.";
    UnknownControl = "unknown-control", Error, "A control id that is in no framework in use.";
    LegacyControlId = "legacy-control-id", Error, "An ISO/IEC 27001:2013 Annex A id (`A.9.2.3`) in a document's `controls`; the help names the 2022 control(s) it became.";
    AmbiguousControl = "ambiguous-control", Error, "A bare control id that names controls of two frameworks in use (`6.1`).";
    BrokenLink = "broken-link", Error, "A relative link to a file or document that does not exist.";
    BrokenAnchor = "broken-anchor", Error, "A link's `#anchor` names no heading in its target.";
    ReviewOverdue = "review-overdue", Error, "Today is after a document's next review date.";
    ReviewDueSoon = "review-due-soon", Warning, "A document's next review falls within `due_soon_days`.";
    ReviewDateMissing = "review-date-missing", Warning, "A tracked document has neither `last_reviewed` nor `next_review`.";
    UnmappedControl = "unmapped-control", Warning, "An applicable control that no approved or in-review document maps to.";
    SoaConflict = "soa-conflict", Warning, "A control marked not applicable in the SoA that an approved document maps to.";
    InvalidConfig = "invalid-config", Error, "`annexa.toml`, `soa.toml`, `risks.toml`, a register file or a framework file has a TOML syntax error or a bad value, or is a folder.";
    UnreadableFile = "unreadable-file", Error, "A file or folder cannot be read, or its text or its name is not valid UTF-8.";
    IgnoredFile = "ignored-file", Warning, "A file annexa does not read: not a regular file (a FIFO, socket or device), a symbolic link leading outside the repository, or a Markdown file under `templates/` or `static/`.";
    EmptyDocument = "empty-document", Warning, "A document has front matter but no content.";
    UrlConflict = "url-conflict", Error, "A document would be published at the URL of a page annexa generates (or of another document).";
    ControlWeakCoverage = "control-weak-coverage", Warning, "An applicable control whose only documents are overdue for review or not yet approved.";
    SoaExclusionUnjustified = "soa-exclusion-unjustified", Error, "A control excluded in the SoA without a justification.";
    SoaInclusionUnjustified = "soa-inclusion-unjustified", Warning, "An applicable control with no justification, no reason and no risk treating it.";
    SoaExcludedImplemented = "soa-excluded-implemented", Error, "An excluded control with an implementation stated.";
    SoaUnapproved = "soa-unapproved", Warning, "`soa.toml` has no `[statement]` with its version, `approved_by` and `approved_on`.";
    ClauseExcluded = "clause-excluded", Error, "A clause of the standard (a requirement) marked not applicable: clauses are mandatory.";
    RiskExcludedControl = "risk-excluded-control", Error, "A risk treated by a control the SoA excludes.";
    RiskAcceptanceMissing = "risk-acceptance-missing", Error, "An accepted risk without `accepted_by` and `accepted_on`.";
    RiskAboveAppetite = "risk-above-appetite", Warning, "An accepted or closed risk whose residual score exceeds the appetite.";
    RiskAcceptanceExpired = "risk-acceptance-expired", Error, "A risk's `acceptance_expires` has passed.";
    RiskActionOverdue = "risk-action-overdue", Error, "A risk treatment action past its `due` date and not done.";
    MandatoryDocumentMissing = "mandatory-document-missing", Warning, "An item of the documented information ISO/IEC 27001:2022 requires that no document (naming its clause in `clauses`) and no register satisfies.";
    MandatoryDocumentStale = "mandatory-document-stale", Warning, "An item of mandatory documented information that only drafts, documents in review or documents overdue for review satisfy.";
    AuditOverdue = "audit-overdue", Error, "A planned audit's date has passed and it has no `performed`.";
    AuditReportMissing = "audit-report-missing", Error, "A performed audit names no `report`, or one that does not exist or is not published.";
    AuditorNotIndependent = "auditor-not-independent", Warning, "An audit's auditor owns a document or risk in the audit's scope (ISO/IEC 27001:2022 9.2.2 b).";
    AuditCoverageGap = "audit-coverage-gap", Warning, "Clauses or applicable controls not in the scope of any audit performed within the programme's `cycle`.";
    FindingActionOverdue = "finding-action-overdue", Error, "A corrective action past its `due` date and not done.";
    FindingOpenMajor = "finding-open-major", Warning, "A major nonconformity still open.";
    FindingUnverified = "finding-unverified", Warning, "A closed nonconformity without `verified_by`.";
    EvidenceExpired = "evidence-expired", Error, "A piece of evidence past its expiry.";
    EvidenceExpiring = "evidence-expiring", Warning, "A piece of evidence expiring within `due_soon_days`.";
    ManagementReviewOverdue = "management-review-overdue", Error, "No management review within `interval` of the last one.";
    ManagementReviewIncomplete = "management-review-incomplete", Warning, "The last management review did not cover every input of ISO/IEC 27001:2022 9.3.2.";
    PlaceholderText = "placeholder-text", Warning, "A template placeholder left in a document's text (`{{companyShortName}}`, `[insert …]`, `<insert …>`, `TBD`, `TODO`, `XXX`); an error in an approved document.";
    VagueLanguage = "vague-language", Warning, "Wording in a policy or standard that leaves a requirement open: `where possible`, `as appropriate`, `periodically` or `regularly` with no period, `should` in a list item.";
    ForeignSyntax = "foreign-syntax", Warning, "Another tool's syntax that the site prints as text: pandoc, MkDocs admonitions, Hugo shortcodes, Liquid.";
    RawHtmlRemoved = "raw-html-removed", Warning, "Raw HTML in a document that the sanitiser removes from the page: an element, or attributes.";
    ExternalResource = "external-resource", Warning, "An image, script or other resource from another host, which the site never loads.";
    ChangedAfterApproval = "changed-after-approval", Warning, "An approved document whose body or front matter changed in a commit after its `approved_on` (or `last_reviewed`), and was not approved again.";
}

impl Lint {
    /// Looks a lint up by its name.
    pub fn from_name(name: &str) -> Option<Lint> {
        Lint::ALL.iter().copied().find(|lint| lint.name() == name)
    }

    /// The lints that fire because of today's date, which `build` and `serve` report but do not
    /// stop on: staff keep getting the policies on the day a review or an action falls due.
    pub fn is_date_driven(self) -> bool {
        matches!(
            self,
            Lint::ReviewOverdue
                | Lint::ReviewDueSoon
                | Lint::ReviewDateMissing
                | Lint::RiskAcceptanceExpired
                | Lint::RiskActionOverdue
                | Lint::MandatoryDocumentStale
                | Lint::AuditOverdue
                | Lint::FindingActionOverdue
                | Lint::EvidenceExpired
                | Lint::EvidenceExpiring
                | Lint::ManagementReviewOverdue
        )
    }
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A place in a file: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// One finding: a lint, where it is, what is wrong and, where useful, a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which check produced it.
    pub lint: Lint,
    /// The severity; starts as the lint's default, then `[lints]` applies.
    pub severity: Severity,
    /// The file, relative to the project root with `/` separators, if any.
    pub file: Option<String>,
    /// Where in the file, if the finding has a place.
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// A suggestion such as a did-you-mean.
    pub help: Option<String>,
    /// The edit that certainly resolves it, for `check --fix` and the machine formats.
    pub fix: Option<Fix>,
}

/// A certain edit: replace the text from `start` to `end` (exclusive; on one line) with
/// `replacement`. `check --fix` applies it only when the file still holds `original` there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// Where the text to replace starts.
    pub start: Position,
    /// Just after its last character.
    pub end: Position,
    /// The text written there now.
    pub original: String,
    /// The text to write instead.
    pub replacement: String,
}

impl Fix {
    /// Replaces `original`, which starts at `start` and holds no line break, with `replacement`.
    pub fn replace(start: Position, original: &str, replacement: impl Into<String>) -> Self {
        Fix {
            start,
            end: Position {
                line: start.line,
                column: start.column + original.chars().count() as u32,
            },
            original: original.to_string(),
            replacement: replacement.into(),
        }
    }
}

impl Diagnostic {
    /// A finding of `lint` at its default severity, without a file yet.
    pub fn new(lint: Lint, message: impl Into<String>) -> Self {
        Diagnostic {
            lint,
            severity: lint.default_severity(),
            file: None,
            position: None,
            message: message.into(),
            help: None,
            fix: None,
        }
    }

    /// Sets the file the finding is in.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the position in the file.
    pub fn at(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// Where it is, as `file`, or `file:line:column` when it has a position.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match self.position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file.to_string(),
        })
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the edit that certainly resolves the finding.
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Adds the fix when there is one.
    pub fn with_fix_opt(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    /// Adds a help line when there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// The sort key that orders output: by file, then place, then lint.
    /// Findings at the same place keep the order the lints emitted them in (catalog order for
    /// `unmapped-control`), since the sort is stable.
    fn sort_key(&self) -> (bool, &str, Option<Position>, Lint) {
        (
            self.file.is_none(),
            self.file.as_deref().unwrap_or(""),
            self.position,
            self.lint,
        )
    }
}

/// Applies `[lints]` levels, drops the ones set to `off`, and sorts for stable output.
pub fn finalise(
    mut diagnostics: Vec<Diagnostic>,
    level_of: impl Fn(Lint) -> Option<Level>,
) -> Vec<Diagnostic> {
    diagnostics.retain_mut(|d| match level_of(d.lint) {
        Some(Level::Off) => false,
        Some(Level::Error) => {
            d.severity = Severity::Error;
            true
        }
        Some(Level::Warning) => {
            d.severity = Severity::Warning;
            true
        }
        None => true,
    });
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    diagnostics
}

/// Counts of errors and warnings among diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Error-level diagnostics.
    pub errors: usize,
    /// Warning-level diagnostics.
    pub warnings: usize,
}

impl Tally {
    /// Counts the diagnostics by severity.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

/// The closest of `candidates` to `wanted`, if it is close enough to suggest.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&wanted_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Every one of `candidates` within a few edits of `wanted` (a quarter of its length): a
/// suggestion is certain (a fix) only when it is the one.
pub fn close_matches<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| {
            strsim::normalized_damerau_levenshtein(&wanted_lower, &c.to_lowercase()) >= 0.75
        })
        .collect()
}

/// The closest of `candidates` (paths relative to the root) to the path `wanted`. Paths that
/// share a folder look alike however different their file names are, so a candidate must
/// first have a file name close to the wanted one; then the nearest whole path wins.
pub fn did_you_mean_path<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    path_matches(wanted, candidates)
        .into_iter()
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The one path of `candidates` whose file name is close to that of `wanted`, if only one is:
/// a suggestion certain enough to apply.
pub fn only_path_match<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let matches = path_matches(wanted, candidates);
    match matches.as_slice() {
        [(_, only)] => Some(*only),
        _ => None,
    }
}

/// The candidates with a file name close to that of `wanted`, each with a score.
fn path_matches<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<(f64, &'a str)> {
    fn file_name(path: &str) -> String {
        path.rsplit('/').next().unwrap_or(path).to_lowercase()
    }
    let wanted_lower = wanted.to_lowercase();
    let wanted_name = file_name(wanted);
    candidates
        .into_iter()
        .filter_map(|c| {
            let name_score = strsim::normalized_damerau_levenshtein(&wanted_name, &file_name(c));
            (name_score >= 0.7).then(|| {
                let path_score = strsim::jaro_winkler(&wanted_lower, &c.to_lowercase());
                (name_score + path_score, c)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_suggestions_need_a_similar_file_name() {
        let paths = [
            "policies/a.md",
            "procedures/backups.md",
            "policies/types.md",
        ];
        assert_eq!(
            did_you_mean_path("procedures/backup.md", paths),
            Some("procedures/backups.md")
        );
        assert_eq!(
            did_you_mean_path("procedure/backups.md", paths),
            Some("procedures/backups.md")
        );
        assert_eq!(did_you_mean_path("policies/missing.md", paths), None);
        assert_eq!(did_you_mean_path("policies/nope.md", paths), None);
    }
}
