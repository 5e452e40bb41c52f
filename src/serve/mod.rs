//! Serve: the build pipeline driven by a file watcher, behind a small HTTP server. Each change
//! is rebuilt (only the pages it affects, when only documents changed) into a private folder,
//! and open browsers reload. Content errors show as an overlay; the server never stops for them.

mod folders;
pub mod http;
mod overlay;
pub mod pool;
mod preview;
mod search_writer;

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use jiff::civil::Date;
use notify::{EventKind, RecursiveMode};

use crate::error::Fatal;
use crate::load;
use crate::text::terminal;
pub use preview::{Change, Preview, RebuildReport, Scope};

/// Options of `annexa serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The project folder, or `None` to search from the current folder.
    pub dir: Option<PathBuf>,
    /// Address to listen on.
    pub bind: String,
    /// Port to listen on (0 picks a free one).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// A fixed day for reviews; `None` follows the clock.
    pub today: Option<Date>,
}

/// Runs the preview server until Ctrl-C. `log` receives one line per event.
pub fn serve(options: &ServeOptions, log: &mut dyn std::io::Write) -> Result<(), Fatal> {
    let root = load::find_root(options.dir.as_deref())?;
    let addr = listen_address(&options.bind, options.port)?;
    let listener = pool::listen(addr, pool::POOL.send_timeout).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Fatal::new(format!(
                "port {} on {} is already in use: stop the other server or choose another port with --port {}",
                options.port,
                options.bind,
                options.port.saturating_add(1)
            ))
        } else {
            Fatal::new(format!("cannot listen on {addr}: {e}"))
        }
    })?;
    let bound = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| addr.to_string());

    // Watch before the first build, so that no save is missed.
    let (tx, rx) = mpsc::channel();
    let mut debouncer = notify_debouncer_full::new_debouncer(Duration::from_millis(20), None, tx)
        .map_err(|e| Fatal::new(format!("cannot watch files: {e}")))?;
    debouncer
        .watch(&root, RecursiveMode::Recursive)
        .map_err(|e| Fatal::new(format!("cannot watch `{}`: {e}", root.display())))?;

    // Ctrl-C, SIGTERM and SIGHUP end the watch loop, so that the preview folder is removed.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst))
            .map_err(|e| Fatal::new(format!("cannot handle Ctrl-C: {e}")))?;
    }
    let shared = Arc::new(http::Shared::default());
    let mut preview = Preview::new(&root, options.today)?;
    let report = preview.rebuild(Change::Full, &shared);
    let _ = write!(log, "{}", report.diagnostics.as_deref().unwrap_or(""));
    let _ = writeln!(log, "{}", report.summary());

    pool::start(listener, &shared, pool::POOL)
        .map_err(|e| Fatal::new(format!("cannot start the HTTP server: {e}")))?;
    if !is_loopback(addr.ip()) {
        let shown = if options.bind == addr.ip().to_string() {
            options.bind.clone()
        } else {
            format!("{} ({})", terminal(&options.bind), addr.ip())
        };
        let _ = writeln!(
            log,
            "warning: listening on {shown}: anyone who can reach this machine can read the preview"
        );
    }
    let url = format!("http://{bound}/");
    let _ = writeln!(
        log,
        "annexa: serving {} at {url} (Ctrl-C to stop)",
        terminal(&root.display().to_string())
    );
    if options.open {
        open_browser(&url);
    }

    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(15));
                shared.ping();
            }
        });
    }
    watch(&root, &rx, &mut preview, &shared, &stop, log);
    drop(debouncer);
    let _ = writeln!(log, "annexa: stopped");
    Ok(())
}

/// The address that `bind` and `port` name: an IP address (`127.0.0.1`, `::1`, `[::1]`), or
/// what the system's resolver makes of anything else: a host name (`localhost`), or an IPv4
/// address in one of the short or numeric forms of `inet_aton` (`127.1`, `2130706433`), which
/// Rust's own parser refuses. The first address wins.
fn listen_address(bind: &str, port: u16) -> Result<SocketAddr, Fatal> {
    let literal = bind
        .strip_prefix('[')
        .and_then(|b| b.strip_suffix(']'))
        .unwrap_or(bind);
    if let Ok(ip) = literal.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    let not_an_address = |why: String| {
        Fatal::new(format!(
            "`{bind}` is not an address to listen on{why}: give an IP address such as 127.0.0.1 or ::1, or a host name"
        ))
    };
    // Only what can be a host name goes to the resolver (which may ask DNS).
    let host_name = !bind.is_empty()
        && bind
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !host_name {
        return Err(not_an_address(String::new()));
    }
    (bind, port)
        .to_socket_addrs()
        .map_err(|e| not_an_address(format!(" ({e})")))?
        .next()
        .ok_or_else(|| not_an_address(" (it resolves to no address)".into()))
}

/// Whether only this machine can reach `ip`: 127.0.0.0/8, ::1, or ::ffff:127.0.0.0/104.
fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(command)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Rebuilds on every burst of changes from `rx` until `stop` is set.
fn watch(
    root: &Path,
    rx: &mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    preview: &mut Preview,
    shared: &Arc<http::Shared>,
    stop: &AtomicBool,
    log: &mut dyn std::io::Write,
) {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut head = HeadWatch::new(root);
    while !stop.load(Ordering::SeqCst) {
        let received = rx.recv_timeout(Duration::from_millis(200));
        for note in shared.take_notes() {
            let _ = writeln!(log, "{note}");
        }
        if head.moved() {
            let report = preview.rebuild(Change::Full, shared);
            let _ = writeln!(
                log,
                "annexa: new commit; {}",
                report.summary().trim_start_matches("annexa: ")
            );
        }
        let Ok(first) = received else {
            continue;
        };
        let mut batches = vec![first];
        // A batch comes after 20 ms without events; one that follows at once belongs to the
        // same burst (a checkout, an editor's save-and-rename): take it too.
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
            batches.push(more);
        }
        let mut paths = Vec::new();
        for batch in batches.into_iter().flatten() {
            for event in batch {
                if matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                ) {
                    paths.extend(event.paths.iter().cloned());
                }
            }
        }
        let Some(change) = preview.classify(&canonical_root, root, &paths) else {
            continue;
        };
        let report = preview.rebuild(change, shared);
        let _ = write!(log, "{}", report.diagnostics.as_deref().unwrap_or(""));
        let _ = writeln!(log, "{}", report.summary());
    }
}

/// The commit `HEAD` names, looked at between bursts of file changes: `.git/HEAD` and the ref
/// it points to (or `packed-refs`) are read, a few small files, no process. A new commit, a
/// checkout or a reset rebuilds the site with the new history.
struct HeadWatch {
    repo: Option<crate::history::Repo>,
    head: Option<String>,
}

impl HeadWatch {
    fn new(root: &Path) -> Self {
        let repo = crate::history::Repo::discover_cached(root);
        let head = repo.as_ref().and_then(|r| r.head());
        HeadWatch { repo, head }
    }

    /// Whether `HEAD` names another commit than when last asked.
    fn moved(&mut self) -> bool {
        let Some(repo) = &self.repo else {
            return false;
        };
        let head = repo.head();
        if head == self.head {
            return false;
        }
        self.head = head;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_judged_on_the_resolved_address() {
        for (bind, ip) in [
            ("127.0.0.1", "127.0.0.1"),
            ("127.1", "127.0.0.1"),
            ("127.0.1", "127.0.0.1"),
            ("2130706433", "127.0.0.1"),
            ("127.200.3.4", "127.200.3.4"),
            ("::1", "::1"),
            ("[::1]", "::1"),
            ("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
            ("localhost", ""),
        ] {
            let addr = listen_address(bind, 8000).unwrap();
            assert_eq!(addr.port(), 8000);
            if !ip.is_empty() {
                assert_eq!(addr.ip().to_string(), ip, "{bind}");
            }
            assert!(is_loopback(addr.ip()), "{bind}");
        }
        for bind in ["0.0.0.0", "::", "10.0.0.1", "128.0.0.1", "::ffff:10.0.0.1"] {
            assert!(
                !is_loopback(listen_address(bind, 0).unwrap().ip()),
                "{bind}"
            );
        }
    }
}
