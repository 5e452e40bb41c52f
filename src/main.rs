//! The `annexa` command line: parses arguments, runs a command, maps the result to an exit code
//! (0 clean, 1 content errors, 2 annexa could not run).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use annexa::commands::{
    self, At, BuildOptions, ChangesOptions, CheckOptions, Outcome, ReviewsOptions,
};
use annexa::error::Fatal;
use annexa::history::Point;
use annexa::render::changes::ChangesFormat;
use annexa::report::Format;
use annexa::review::Interval;
use annexa::reviews::{ReviewFilter, ReviewFormat};
use clap::{Args, Parser, Subcommand};
use jiff::civil::Date;

/// Publish and check an ISO/IEC 27001 ISMS kept as Markdown in Git.
///
/// annexa reads a repository of Markdown documents with TOML front matter (policies,
/// procedures, standards, records), an annexa.toml, and optionally soa.toml and risks.toml.
/// It checks links, control ids and review dates, and builds a static intranet site with a
/// control matrix, a Statement of Applicability and full-text search.
///
/// Exit codes: 0 success, 1 the content has errors, 2 annexa could not run.
#[derive(Parser, Debug)]
#[command(name = "annexa", version, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the static site (default output: output_dir of annexa.toml, "public").
    ///
    /// Runs every lint first, printing each error in full and the warnings as counts by lint
    /// (`annexa check` lists them). Any error-level diagnostic stops the build with exit 1, except
    /// those that come from today's date (overdue reviews, expired risk acceptances, overdue
    /// actions), and the previous output is left untouched; so does a failure while
    /// writing. The output folder is replaced only if it is empty or holds nothing but what
    /// annexa wrote there (listed in its .annexa-site), unless --force.
    Build(BuildArgs),
    /// Run every lint and print diagnostics and a summary counting by lint.
    ///
    /// Of each lint, at most ten diagnostics without a line are shown (--verbose: all). Exits 1 when any error-level diagnostic is found (with --deny-warnings, any warning too).
    Check(CheckArgs),
    /// List overdue and upcoming reviews, for CI reports and reminders.
    ///
    /// Lists reviews that are overdue (most overdue first), due within --within, and tracked
    /// documents without a review date. Exits 1 when a listed review is overdue (unless
    /// review-overdue is set below "error" in [lints]).
    Reviews(ReviewsArgs),
    /// Build, serve and watch: a live preview that reloads open browsers on every save.
    ///
    /// The preview is built into a private temporary folder (never the output folder). Content
    /// errors show as an overlay on every page until fixed; the server keeps running.
    Serve(ServeArgs),
    /// The change report between two points of the Git history.
    ///
    /// Documents added, removed and renamed; bodies (sections touched, lines added and
    /// removed) and metadata changed; SoA decisions changed; risks added, closed and re-scored;
    /// control coverage gained and lost. A date means the last commit on or before that day on
    /// the current branch.
    Changes(ChangesArgs),
    /// Write the audit pack: a zip to send an auditor before Stage 1.
    ///
    /// The printable pack document (cover, contents, the mandatory documents in full, the SoA,
    /// the risk register and treatment plan, the registers), soa.xlsx, the CSV exports,
    /// documents.json and MANIFEST.txt (SHA-256 of each). Exit codes as for build; findings
    /// that come from today's date never stop it. Refuses to replace a file that is not a pack
    /// annexa wrote.
    Pack(PackArgs),
    /// Scaffold a new ISMS repository into an empty folder or a new Git repository (only .git,
    /// README, LICENSE, .gitignore, .github/); refuses a folder holding anything else.
    ///
    /// Writes the mandatory documented information of ISO/IEC 27001:2022 as drafts, each with
    /// what an auditor expects of it, an SoA listing every Annex A control, the registers
    /// (risks, audits, findings, management reviews) and a GitHub Actions workflow.
    Init(InitArgs),
}

#[derive(Args, Debug)]
struct PackArgs {
    /// The ISMS repository (the folder of annexa.toml); default: the current folder or a parent.
    dir: Option<PathBuf>,
    /// The zip to write (default: audit-pack-DATE.zip in the current folder).
    #[arg(short, long, value_name = "FILE.zip")]
    output: Option<PathBuf>,
    #[command(flatten)]
    day: DayArg,
}

#[derive(Args, Debug)]
struct AtArg {
    /// Run on the ISMS as it stood at this commit, branch, tag or date (the last commit on or
    /// before that day), read from Git's objects; --today defaults to its date.
    #[arg(long, value_name = "REF|DATE", value_parser = parse_point)]
    at: Option<Point>,
}

#[derive(Args, Debug)]
struct ChangesArgs {
    /// The ISMS repository (the folder of annexa.toml); default: the current folder or a parent.
    dir: Option<PathBuf>,
    /// The earlier point: a commit, branch, tag, or a date as YYYY-MM-DD.
    #[arg(long, value_name = "REF|DATE", value_parser = parse_point)]
    since: Point,
    /// The later point (default: HEAD).
    #[arg(long, value_name = "REF|DATE", value_parser = parse_point)]
    until: Option<Point>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ChangesFormat::Human)]
    format: ChangesFormat,
}

#[derive(Args, Debug)]
struct DayArg {
    /// Compute reviews as of this date (YYYY-MM-DD) instead of today, for reproducible output.
    #[arg(long, env = "ANNEXA_TODAY", value_name = "DATE", value_parser = parse_date)]
    today: Option<Date>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// The ISMS repository (the folder of annexa.toml); default: the current folder or a parent.
    dir: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    day: DayArg,
    /// Fail (exit 1) on warnings as well as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Apply every certain fix (a link or anchor with one candidate, a misspelt or 2013
    /// control id with one 2022 control, a quoted date), then report what is left.
    #[arg(long)]
    fix: bool,
    /// With --fix: print the fixes as a unified diff, change nothing.
    #[arg(long, requires = "fix")]
    dry_run: bool,
    /// With --fix: fix files that have uncommitted changes in Git too.
    #[arg(long, requires = "fix")]
    allow_dirty: bool,
    /// Show every diagnostic (human output caps line-less ones at ten per lint).
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    at: AtArg,
}

#[derive(Args, Debug)]
struct BuildArgs {
    /// The ISMS repository (the folder of annexa.toml); default: the current folder or a parent.
    dir: Option<PathBuf>,
    /// Output folder (default: output_dir of annexa.toml, relative to the repository).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// Path prefix the site is served under, e.g. /isms/ (overrides base_url).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Replace the output folder even if it holds files annexa did not write.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    day: DayArg,
    #[command(flatten)]
    at: AtArg,
}

#[derive(Args, Debug)]
struct ReviewsArgs {
    /// The ISMS repository (the folder of annexa.toml); default: the current folder or a parent.
    dir: Option<PathBuf>,
    /// List reviews due within this period: 30d, 6w, 3m, "2 months"…
    #[arg(long, default_value = "30d", value_name = "PERIOD", value_parser = parse_interval)]
    within: Interval,
    /// Only documents whose owner contains NAME (case-insensitive).
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReviewFormat::Table)]
    format: ReviewFormat,
    #[command(flatten)]
    day: DayArg,
    #[command(flatten)]
    at: AtArg,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// The ISMS repository (the folder of annexa.toml); default: the current folder or a parent.
    dir: Option<PathBuf>,
    /// Address to listen on; anything but loopback makes the preview reachable by others.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: String,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    #[command(flatten)]
    day: DayArg,
}

#[derive(Args, Debug)]
struct InitArgs {
    /// Where to create the repository (created if absent); default: the current folder.
    dir: Option<PathBuf>,
    /// Only the settings, an SoA to fill in and one draft policy.
    #[arg(long)]
    minimal: bool,
    #[command(flatten)]
    day: DayArg,
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|e| format!("expected a date as YYYY-MM-DD: {e}"))
}

fn parse_point(text: &str) -> Result<Point, String> {
    Point::parse(text)
}

impl AtArg {
    fn with(&self, day: &DayArg) -> Option<At> {
        self.at.clone().map(|point| At {
            point,
            today: day.today,
        })
    }
}

fn parse_interval(text: &str) -> Result<Interval, String> {
    text.parse::<Interval>().map_err(|e| e.to_string())
}

impl DayArg {
    fn date(&self) -> Date {
        self.today.unwrap_or_else(annexa::pipeline::system_today)
    }
}

/// Where a command's report goes. Text for people goes through `anstream`, which drops
/// annexa's colours where they would not show (a pipe, `NO_COLOR`). Machine formats go to
/// the plain stdout, byte for byte: `anstream` would strip an escape sequence that is part of
/// a file name from a pipe, and pass it raw to a terminal.
fn report_stream(for_people: bool) -> Box<dyn Write> {
    if for_people {
        Box::new(anstream::stdout().lock())
    } else {
        Box::new(std::io::stdout().lock())
    }
}

fn run(cli: Cli) -> Result<Outcome, Fatal> {
    let for_people = match &cli.command {
        Command::Check(args) => args.format == Format::Human,
        Command::Reviews(args) => args.format == ReviewFormat::Table,
        Command::Changes(args) => args.format == ChangesFormat::Human,
        Command::Build(_) | Command::Serve(_) | Command::Init(_) | Command::Pack(_) => true,
    };
    let mut stdout = report_stream(for_people);
    let outcome = match cli.command {
        Command::Build(args) => commands::build(
            &BuildOptions {
                dir: args.dir.as_deref(),
                out: args.output.as_deref(),
                base_url: args.base_url.as_deref(),
                today: args.day.date(),
                force: args.force,
                at: args.at.with(&args.day),
            },
            &mut anstream::stderr(),
        ),
        Command::Check(args) => commands::check(
            &CheckOptions {
                dir: args.dir.as_deref(),
                today: args.day.date(),
                format: args.format,
                deny_warnings: args.deny_warnings,
                fix: args.fix.then_some(annexa::fix::FixMode {
                    dry_run: args.dry_run,
                    allow_dirty: args.allow_dirty,
                }),
                verbose: args.verbose,
                at: args.at.with(&args.day),
            },
            &mut stdout,
            &mut anstream::stderr(),
        ),
        Command::Reviews(args) => {
            let today = args.day.date();
            let within_days = args.within.days_from(today).ok_or_else(|| {
                Fatal::new(format!(
                    "`--within {}` from {today} reaches past {}, the last date annexa can compute",
                    args.within,
                    annexa::review::LAST_DATE
                ))
            })?;
            commands::reviews(
                &ReviewsOptions {
                    dir: args.dir.as_deref(),
                    today,
                    filter: ReviewFilter {
                        within_days,
                        owner: args.owner,
                    },
                    format: args.format,
                    at: args.at.with(&args.day),
                },
                &mut stdout,
                &mut anstream::stderr(),
            )
        }
        Command::Changes(args) => commands::changes(
            &ChangesOptions {
                dir: args.dir.as_deref(),
                since: args.since,
                until: args.until,
                format: args.format,
            },
            &mut stdout,
        ),
        Command::Serve(args) => annexa::serve::serve(
            &annexa::serve::ServeOptions {
                dir: args.dir,
                bind: args.bind,
                port: args.port,
                open: args.open,
                today: args.day.today,
            },
            &mut anstream::stderr(),
        )
        .map(|()| Outcome::Clean),
        Command::Pack(args) => annexa::pack::pack(
            &annexa::pack::PackOptions {
                dir: args.dir.as_deref(),
                out: args.output.as_deref(),
                today: args.day.date(),
            },
            &mut anstream::stderr(),
        ),
        Command::Init(args) => {
            let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
            let kind = if args.minimal {
                annexa::scaffold::Scaffold::Minimal
            } else {
                annexa::scaffold::Scaffold::Full
            };
            commands::init(&dir, kind, args.day.date(), &mut stdout)
        }
    };
    let _ = stdout.flush();
    outcome
}

/// Lets a command whose output is piped into `head` end quietly when the pipe closes, as Unix
/// tools do. Not for `serve`, which must survive browsers closing connections.
fn die_quietly_on_closed_pipes() {
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread is started.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// mimalloc: a build allocates and frees millions of small strings from two threads, where
/// glibc's per-thread heaps grow a page at a time (about 10% of a build's time, measured).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process (Linux), as `MIMALLOC_ALLOW_THP=0` would.
/// mimalloc asks for them on the regions it maps, and a build then zeroes and holds 2 MB at a
/// time where it touches a few pages: at 10,000 documents, a rebuild after one edit peaked at
/// 232 MB instead of 251 MB without them and a build from nothing at 218 MB instead of 236 MB,
/// in the same time within the machine's spread (paired runs, benches/README.md, seventeenth
/// session).
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only how this process's
    // memory is backed, before any thread is started.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    without_huge_pages();
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve(_)) {
        die_quietly_on_closed_pipes();
    }
    match run(cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(fatal) => {
            let mut stderr = anstream::stderr().lock();
            let red = anstyle::Style::new()
                .fg_color(Some(anstyle::AnsiColor::Red.into()))
                .bold();
            // The message quotes user text (paths, arguments): its control characters are
            // shown as escapes, so that the only escape sequences are annexa's colours.
            let _ = writeln!(
                stderr,
                "{red}error{red:#}: {}",
                annexa::text::terminal(&fatal.0)
            );
            ExitCode::from(2)
        }
    }
}
