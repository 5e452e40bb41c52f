//! The preview's HTTP side: the listener and annexa's own pool of workers around tiny_http,
//! safe mapping of request paths to files of the site, content types, the live-reload script
//! and error overlay injected into HTML, and Server-Sent Events.
//!
//! tiny_http reads each connection in a thread of its own and queues the requests it parsed,
//! without bound; writing the answer is up to whoever takes the request. Here one dispatcher
//! takes them and hands them to a fixed pool of workers through a bounded queue ([`POOL`]);
//! when that is full, the request is answered 503 with `Retry-After: 1` at once, by a thread
//! of its own. Every socket has a send timeout (set on the listener, which the accepted
//! sockets inherit), so a client that stops reading holds a worker for a few seconds, never
//! for good. Every answer closes its connection (see `send`), and when tiny_http's accept
//! loop ends, another takes over the socket (`accept_forever`). What tiny_http leaves
//! unbounded (header size, connection count, read timeouts) is in README, "Limits of the
//! preview server".

use std::fs;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tiny_http::{Header, Request, Response, StatusCode};

/// How many workers answer requests, how many requests may wait for one, and how long one
/// write to a client may wait for room in the socket's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    /// Worker threads.
    pub workers: usize,
    /// Requests that wait for a worker; one more is answered 503 with `Retry-After: 1`.
    pub queue: usize,
    /// The socket's `SO_SNDTIMEO`.
    pub send_timeout: Duration,
}

/// The pool of `annexa serve`. A client that requested a page and stops reading holds a
/// worker until the send timeout ends the write: a few times 2 s, as each `send` that moves
/// some bytes may wait that long. 2 s is far longer than any browser on this machine or the
/// local network takes to read, and short enough that clients that never read do not keep
/// the workers. While fewer than 32 clients do that at once, the others are answered at once.
/// The queue holds twice as many requests as there are workers: on a busy machine the workers
/// may all be slow to take the next request, and the requests of 64 clients at once then
/// wait in the queue rather than be refused.
pub const POOL: Pool = Pool {
    workers: 32,
    queue: 64,
    send_timeout: Duration::from_secs(2),
};

/// Threads that answer 503, and the requests that may wait for them.
const BUSY_THREADS: usize = 2;
const BUSY_QUEUE: usize = 64;

/// A listener on `addr` whose accepted sockets time out a write after `send_timeout` and send
/// small writes at once (`TCP_NODELAY`): both options are set on the listening socket, and a
/// socket accepted from it inherits them (Linux; the BSDs and macOS alike). `SO_RCVTIMEO` is
/// not set: on the listener it would make `accept` time out, which ends tiny_http's accept
/// loop.
pub fn listen(addr: SocketAddr, send_timeout: Duration) -> io::Result<TcpListener> {
    let listener = TcpListener::bind(addr)?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = listener.as_raw_fd();
        let timeout = libc::timeval {
            tv_sec: send_timeout.as_secs() as libc::time_t,
            tv_usec: send_timeout.subsec_micros() as libc::suseconds_t,
        };
        set_option(fd, libc::SOL_SOCKET, libc::SO_SNDTIMEO, &timeout)?;
        set_option(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            &(1 as libc::c_int),
        )?;
    }
    Ok(listener)
}

#[cfg(unix)]
fn set_option<T>(
    fd: std::os::fd::RawFd,
    level: libc::c_int,
    name: libc::c_int,
    value: &T,
) -> io::Result<()> {
    // SAFETY: `value` points to a live `T` of the size given, on a socket this process owns.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            (value as *const T).cast(),
            std::mem::size_of::<T>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Serves `shared` on `listener` (made by [`listen`]) from now on, in threads of its own:
/// tiny_http's accept loop, the dispatcher, the `pool`'s workers and the 503 answerers.
pub fn start(listener: TcpListener, shared: &Arc<Shared>, pool: Pool) -> io::Result<()> {
    let (work, work_rx) = mpsc::sync_channel::<Request>(pool.queue);
    let (busy, busy_rx) = mpsc::sync_channel::<Request>(BUSY_QUEUE);
    let work_rx = Arc::new(Mutex::new(work_rx));
    for _ in 0..pool.workers {
        let work_rx = Arc::clone(&work_rx);
        let shared = Arc::clone(shared);
        std::thread::Builder::new()
            .name("annexa-http".into())
            .spawn(move || {
                while let Some(request) = next(&work_rx) {
                    // A panic answers 500 (tiny_http answers a dropped request) and the worker
                    // goes on: the pool never shrinks.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        handle(request, &shared)
                    }));
                }
            })?;
    }
    let busy_rx = Arc::new(Mutex::new(busy_rx));
    for _ in 0..BUSY_THREADS {
        let busy_rx = Arc::clone(&busy_rx);
        std::thread::Builder::new()
            .name("annexa-busy".into())
            .spawn(move || {
                while let Some(request) = next(&busy_rx) {
                    send(request, busy_response());
                }
            })?;
    }
    std::thread::Builder::new()
        .name("annexa-dispatch".into())
        .spawn({
            let shared = Arc::clone(shared);
            move || accept_forever(listener, &work, &busy, &shared)
        })?;
    Ok(())
}

/// The next request of a queue shared by several threads; `None` once the queue is closed.
fn next(queue: &Mutex<Receiver<Request>>) -> Option<Request> {
    queue.lock().ok()?.recv().ok()
}

/// Hands every request to the workers, or to the 503 answerers when the workers' queue is
/// full. tiny_http's accept loop ends on the first error of `accept`, and its thread panics
/// when it cannot clone an accepted socket (out of file descriptors): then a new server takes
/// over the same listening socket, and the old one's queue is drained (the connections it
/// accepted go on) until no request came for 30 s.
fn accept_forever(
    listener: TcpListener,
    work: &SyncSender<Request>,
    busy: &SyncSender<Request>,
    shared: &Shared,
) {
    let mut pause = Duration::from_millis(100);
    loop {
        let (server, accepting) = match serve_on(&listener) {
            Ok(started) => started,
            Err(e) => {
                shared.note(format!(
                    "annexa: cannot accept connections ({e}); trying again"
                ));
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(5));
                continue;
            }
        };
        let started = Instant::now();
        let error = dispatch(&server, work, busy, &Until::AcceptEnds(accepting));
        shared.note(format!(
            "annexa: accepting connections failed ({error}); accepting again"
        ));
        let (work, busy) = (work.clone(), busy.clone());
        let _ = std::thread::Builder::new()
            .name("annexa-drain".into())
            .spawn(move || dispatch(&server, &work, &busy, &Until::Idle(Duration::from_secs(30))));
        // Failing again at once (still out of file descriptors), wait longer each time.
        pause = if started.elapsed() > Duration::from_secs(10) {
            Duration::from_millis(100)
        } else {
            (pause * 2).min(Duration::from_secs(5))
        };
        std::thread::sleep(pause);
    }
}

/// A tiny_http server accepting on (a clone of) `listener`, and a watch on its accept thread.
fn serve_on(listener: &TcpListener) -> io::Result<(tiny_http::Server, Accepting)> {
    let given = listener.try_clone()?;
    let accepting = Accepting::of(&given);
    let server = tiny_http::Server::from_listener(given, None)
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok((server, accepting))
}

/// tiny_http's accept thread, seen from outside: it holds the listening socket it was given
/// until it ends, on an error of `accept` (which it hands to `recv`) or a panic (which it
/// does not). A socket is known by its device and inode: the descriptor's number may be
/// reused once closed, but not for this socket, which nothing else clones meanwhile.
struct Accepting {
    #[cfg(unix)]
    fd: std::os::fd::RawFd,
    #[cfg(unix)]
    id: Option<(u64, u64)>,
}

impl Accepting {
    fn of(listener: &TcpListener) -> Self {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let fd = listener.as_raw_fd();
            Accepting {
                fd,
                id: socket_id(fd),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = listener;
            Accepting {}
        }
    }

    /// Whether the accept thread has ended (never known where not Unix).
    fn ended(&self) -> bool {
        #[cfg(unix)]
        {
            self.id.is_some() && socket_id(self.fd) != self.id
        }
        #[cfg(not(unix))]
        {
            false
        }
    }
}

#[cfg(unix)]
fn socket_id(fd: std::os::fd::RawFd) -> Option<(u64, u64)> {
    let mut stat = std::mem::MaybeUninit::<libc::stat>::zeroed();
    // SAFETY: fstat writes a `stat` into the buffer, or fails on a closed descriptor.
    if unsafe { libc::fstat(fd, stat.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: fstat succeeded, so it filled the buffer.
    let stat = unsafe { stat.assume_init() };
    #[allow(clippy::unnecessary_cast)]
    Some((stat.st_dev as u64, stat.st_ino as u64))
}

/// When [`dispatch`] stops, besides an error of the server.
enum Until {
    /// The server's accept thread ends.
    AcceptEnds(Accepting),
    /// No request came for this long.
    Idle(Duration),
}

/// Hands the requests of `server` on until it fails or `until`; returns why it stopped.
fn dispatch(
    server: &tiny_http::Server,
    work: &SyncSender<Request>,
    busy: &SyncSender<Request>,
    until: &Until,
) -> io::Error {
    let mut last = Instant::now();
    loop {
        let request = match server.recv_timeout(Duration::from_millis(500)) {
            Ok(Some(request)) => {
                last = Instant::now();
                Some(request)
            }
            Ok(None) => None,
            Err(e) => return e,
        };
        if let Some(request) = request {
            match work.try_send(request) {
                Ok(()) => {}
                // Waits when the 503 answerers are behind too: tiny_http's queue holds the rest.
                Err(TrySendError::Full(request)) => {
                    if busy.send(request).is_err() {
                        return io::Error::other("the 503 answerers stopped");
                    }
                }
                Err(TrySendError::Disconnected(_)) => {
                    return io::Error::other("the workers stopped");
                }
            }
        }
        match until {
            Until::AcceptEnds(accepting) if accepting.ended() => {
                return io::Error::other("its accept thread stopped");
            }
            Until::Idle(limit) if last.elapsed() >= *limit => {
                return io::Error::new(io::ErrorKind::TimedOut, "idle");
            }
            _ => {}
        }
    }
}

/// The answer when every worker is busy and the queue is full.
pub fn busy_response() -> Response<std::io::Cursor<Vec<u8>>> {
    text_response(503, "annexa is busy: try again in a second\n")
        .with_header(header("Retry-After", "1"))
        .with_header(header("Cache-Control", "no-store"))
}

/// The path of the live-reload event stream.
pub const EVENTS_PATH: &str = "/_annexa/events";

/// What the server currently serves.
#[derive(Debug, Default)]
pub struct Served {
    /// The folder of the last site that rendered, if any.
    pub dir: Option<PathBuf>,
    /// An error overlay (HTML) to show on every page while the content has errors.
    pub overlay: Option<String>,
}

/// State shared by the request workers, the watcher and the reload broadcaster.
#[derive(Default)]
pub struct Shared {
    /// The site and overlay.
    pub served: RwLock<Served>,
    /// Open live-reload connections.
    pub listeners: Mutex<Vec<Box<dyn Write + Send>>>,
    /// Lines for the log from the server's threads, which the log's owner writes out (the log
    /// is one locked stream: no other thread may write to stderr).
    pub notes: Mutex<Vec<String>>,
}

impl Shared {
    /// Adds a line for the log (of the last 64, if nobody writes them out).
    pub fn note(&self, line: String) {
        if let Ok(mut notes) = self.notes.lock() {
            if notes.len() >= 64 {
                notes.remove(0);
            }
            notes.push(line);
        }
    }

    /// The lines for the log since the last call.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes
            .lock()
            .map(|mut notes| std::mem::take(&mut *notes))
            .unwrap_or_default()
    }

    /// Tells every open browser to reload; drops connections that are gone.
    pub fn broadcast_reload(&self) {
        self.send("data: reload\n\n");
    }

    /// Sends a comment line so dead connections are noticed and proxies keep the stream open.
    pub fn ping(&self) {
        self.send(": ping\n\n");
    }

    fn send(&self, message: &str) {
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.retain_mut(|w| {
                w.write_all(message.as_bytes())
                    .and_then(|_| w.flush())
                    .is_ok()
            });
        }
    }
}

/// Answers one request.
pub fn handle(request: Request, shared: &Arc<Shared>) {
    let url = request.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (url.clone(), None),
    };
    if path == EVENTS_PATH {
        open_event_stream(request, shared);
        return;
    }
    if !matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        send(request, text_response(405, "method not allowed"));
        return;
    }
    let served = shared
        .served
        .read()
        .map(|s| (s.dir.clone(), s.overlay.clone()));
    let Ok((dir, overlay)) = served else {
        send(request, text_response(500, "internal error"));
        return;
    };
    let Some(dir) = dir else {
        let page = overlay.unwrap_or_else(|| "<p>Building…</p>".to_string());
        send(
            request,
            html_response(200, inject(&error_page(), Some(&page))),
        );
        return;
    };
    let response = match resolve(&dir, &path) {
        Resolved::File(file) => file_response(&file, overlay.as_deref()),
        Resolved::Redirect(target) => {
            let location = match &query {
                Some(q) => format!("{target}?{}", utf8_percent_encode(q, QUERY)),
                None => target,
            };
            debug_assert!(is_same_origin_path(&location), "{location}");
            Response::from_data(Vec::new())
                .with_status_code(StatusCode(301))
                .with_header(header("Location", &location))
        }
        Resolved::NotFound => not_found(&dir, overlay.as_deref()),
        Resolved::Forbidden => text_response(403, "forbidden"),
    };
    send(request, response);
}

/// Answers `request` with `response`, and asks the client to close the connection after it
/// (`Connection: close`). tiny_http keeps a thread for each open connection, and hands a
/// connection accepted while some of its threads wait for work to one of them, later: in a
/// burst of new connections (a browser loading a page), the ones over wait in its queue until
/// another connection closes. Browsers keep idle connections open for minutes; closed after
/// each answer, the threads come back at once, and so do the connections waiting for one. (On
/// this machine a new connection costs next to nothing.)
///
/// tiny_http's `Response` drops a `Connection` header, so the answer is written here, as the
/// event stream is: status line, the response's headers, `Content-Length`, `Connection:
/// close`, then the body (none for HEAD).
fn send(request: Request, response: Response<std::io::Cursor<Vec<u8>>>) {
    use std::fmt::Write as _;
    let head_only = *request.method() == tiny_http::Method::Head;
    let version = request.http_version().clone();
    let status = response.status_code();
    let mut head = format!(
        "HTTP/{}.{} {} {}\r\n",
        version.0,
        version.1,
        status.0,
        status.default_reason_phrase()
    );
    for h in response.headers() {
        let _ = write!(head, "{}: {}\r\n", h.field, h.value);
    }
    let body = response.into_reader().into_inner();
    let _ = write!(
        head,
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut writer = request.into_writer();
    // A client that stopped reading makes a write fail after the send timeout: nothing to do.
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| {
            if head_only {
                Ok(())
            } else {
                writer.write_all(&body)
            }
        })
        .and_then(|()| writer.flush());
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A file inside the site.
    File(PathBuf),
    /// A folder requested without its trailing slash: the path to redirect to, on this origin
    /// (one leading slash, each segment percent-encoded, a trailing slash).
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path that tries to leave the site or is malformed.
    Forbidden,
}

/// Maps a request path to a file of the site in `dir`, refusing anything that could leave it:
/// `..`, encoded or double-encoded dots and slashes, backslashes, NUL bytes, and symlinks
/// pointing outside.
pub fn resolve(dir: &Path, raw_path: &str) -> Resolved {
    let Ok(decoded) = percent_decode_str(raw_path).decode_utf8() else {
        return Resolved::Forbidden;
    };
    let lower = decoded.to_ascii_lowercase();
    if decoded.contains(['\0', '\\'])
        || lower.contains("%2e")
        || lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || !decoded.starts_with('/')
    {
        return Resolved::Forbidden;
    }
    let mut file = dir.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.contains(':') {
            return Resolved::Forbidden;
        }
        file.push(segment);
    }
    let Ok(canonical_dir) = dir.canonicalize() else {
        return Resolved::NotFound;
    };
    let Ok(canonical) = file.canonicalize() else {
        return Resolved::NotFound;
    };
    if !canonical.starts_with(&canonical_dir) {
        return Resolved::Forbidden;
    }
    if canonical.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(folder_location(&decoded));
        }
        let index = canonical.join("index.html");
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    Resolved::File(canonical)
}

/// What a path segment of a `Location` must encode: besides controls, space and non-ASCII
/// (always encoded), the characters that would end the path or change its meaning.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// What the query of a `Location` must encode: it is kept as the client sent it (escapes and
/// all), except for controls (a bare LF or CR could end the header), space and quotes.
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`');

/// The redirect target of a folder requested without its trailing slash: its segments (empty
/// ones dropped, so `//policies` leads to `/policies/`, never to `//policies/`, which a
/// browser reads as the host `policies`), each percent-encoded, after one slash.
fn folder_location(decoded: &str) -> String {
    let mut location = String::from("/");
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        location.extend(utf8_percent_encode(segment, SEGMENT));
        location.push('/');
    }
    location
}

/// Whether a `Location` value is a path on this origin: one leading slash, then neither a
/// second slash nor a backslash (which browsers read as a slash), and only URL characters.
pub fn is_same_origin_path(location: &str) -> bool {
    location.starts_with('/')
        && !location[1..].starts_with(['/', '\\'])
        && location.bytes().all(|b| b.is_ascii_graphic())
}

/// The Content-Type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

fn file_response(file: &Path, overlay: Option<&str>) -> Response<std::io::Cursor<Vec<u8>>> {
    let Ok(bytes) = fs::read(file) else {
        return text_response(404, "not found");
    };
    let kind = content_type(file);
    if kind.starts_with("text/html") {
        return html_response(200, inject(&String::from_utf8_lossy(&bytes), overlay));
    }
    Response::from_data(bytes)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

fn not_found(dir: &Path, overlay: Option<&str>) -> Response<std::io::Cursor<Vec<u8>>> {
    let page = fs::read_to_string(dir.join("404.html"))
        .unwrap_or_else(|_| "<!doctype html><title>Not found</title><h1>Not found</h1>".into());
    // 404.html links relative to the site root; served for a deeper path, it needs a base.
    let page = page.replacen("<head>", "<head><base href=\"/\">", 1);
    html_response(404, inject(&page, overlay))
}

fn html_response(status: u16, html: String) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(html.into_bytes())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn error_page() -> String {
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>annexa: errors</title></head><body><main><h1>The site could not be built</h1></main></body></html>".to_string()
}

/// The script that reloads the page when the site changes, keeping the scroll position.
const RELOAD_SCRIPT: &str = r#"<script>
(function () {
  var key = "annexa-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, parseInt(saved, 10) || 0); });
  }
  var source = new EventSource("/_annexa/events");
  source.onmessage = function (event) {
    if (event.data === "reload") {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    }
  };
})();
</script>"#;

/// Adds the live-reload script, and the error overlay when there is one, to an HTML page.
pub fn inject(html: &str, overlay: Option<&str>) -> String {
    let mut extra = String::from(RELOAD_SCRIPT);
    if let Some(overlay) = overlay {
        extra.push_str(overlay);
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

fn open_event_stream(request: Request, shared: &Arc<Shared>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_ok()
        && let Ok(mut listeners) = shared.listeners.lock()
    {
        listeners.push(writer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("index.html"), "x").unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/index.html"), "y").unwrap();
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%252e%252e/etc/passwd",
            "/sub/..%2f..%2fetc",
            "/..\\etc",
            "/a%00b",
            "etc/passwd",
            "/C:/Windows",
        ] {
            assert_eq!(resolve(dir.path(), bad), Resolved::Forbidden, "{bad}");
        }
        // A symlink inside the site that points outside it is refused too.
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "s").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                outside.path().join("secret.txt"),
                dir.path().join("link.txt"),
            )
            .unwrap();
            assert_eq!(resolve(dir.path(), "/link.txt"), Resolved::Forbidden);
        }
        assert_eq!(
            resolve(dir.path(), "/sub"),
            Resolved::Redirect("/sub/".into())
        );
        assert!(matches!(resolve(dir.path(), "/sub/"), Resolved::File(_)));
        assert_eq!(resolve(dir.path(), "/nope"), Resolved::NotFound);
    }

    #[test]
    fn redirects_name_the_folder_after_one_slash_each_segment_encoded() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("my docs/é?#%")).unwrap();
        for (probe, location) in [
            ("/my%20docs", "/my%20docs/"),
            ("//my%20docs", "/my%20docs/"),
            ("///my docs", "/my%20docs/"),
            ("/%2F%2Fmy%20docs", "/my%20docs/"),
            (
                "//my%20docs//%C3%A9%3F%23%25",
                "/my%20docs/%C3%A9%3F%23%25/",
            ),
        ] {
            assert_eq!(
                resolve(dir.path(), probe),
                Resolved::Redirect(location.into()),
                "{probe}"
            );
            assert!(is_same_origin_path(location), "{location}");
        }
        for bad in [
            "//evil.com",
            "/\\evil.com",
            "http://evil.com",
            "",
            "/a b",
            "/a\nb",
        ] {
            assert!(!is_same_origin_path(bad), "{bad}");
        }
        assert_eq!(
            utf8_percent_encode("a=%41&b\nc d", QUERY).to_string(),
            "a=%41&b%0Ac%20d"
        );
    }

    /// A site of a 6 MB file (more than the socket buffers hold) and a small page, served by
    /// `pool` on a free port.
    fn pool_on_a_site(pool: Pool) -> (tempfile::TempDir, SocketAddr) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("big.txt"), vec![b'x'; 6_000_000]).unwrap();
        fs::write(dir.path().join("small.txt"), "small").unwrap();
        let shared = Arc::new(Shared::default());
        shared.served.write().unwrap().dir = Some(dir.path().to_path_buf());
        let listener = listen(SocketAddr::from(([127, 0, 0, 1], 0)), pool.send_timeout).unwrap();
        let addr = listener.local_addr().unwrap();
        start(listener, &shared, pool).unwrap();
        (dir, addr)
    }

    /// A client that asks for the big file and reads none of it, once the server writes to it.
    fn non_reader(addr: SocketAddr) -> std::net::TcpStream {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .write_all(b"GET /big.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        stream
    }

    fn pending(stream: &std::net::TcpStream) -> usize {
        use std::os::fd::AsRawFd;
        let mut n: libc::c_int = 0;
        // SAFETY: FIONREAD writes one int through the pointer, on a socket we own.
        assert_eq!(
            unsafe { libc::ioctl(stream.as_raw_fd(), libc::FIONREAD, &mut n) },
            0
        );
        n as usize
    }

    fn until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if done() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// The whole answer to `GET path` as HTTP/1.0, within `limit`.
    fn fetch(addr: SocketAddr, path: &str, limit: Duration) -> io::Result<String> {
        use std::io::Read;
        let mut stream = std::net::TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(limit))?;
        write!(stream, "GET {path} HTTP/1.0\r\n\r\n")?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer)
    }

    /// The lines of an answer's head.
    fn head(answer: &str) -> Vec<&str> {
        answer
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .split("\r\n")
            .collect()
    }

    #[test]
    fn a_full_queue_is_answered_503_with_retry_after_at_once() {
        let (_site, addr) = pool_on_a_site(Pool {
            workers: 1,
            queue: 1,
            send_timeout: Duration::from_secs(10),
        });
        // One client holds the worker; of the next two, one waits in the queue and the other
        // is answered 503.
        let first = non_reader(addr);
        assert!(until(Duration::from_secs(5), || pending(&first) > 0));
        let more = [non_reader(addr), non_reader(addr)];
        let busy = |s: &std::net::TcpStream| {
            let mut start = [0; 12];
            s.set_nonblocking(true).unwrap();
            let peeked = s.peek(&mut start);
            s.set_nonblocking(false).unwrap();
            matches!(peeked, Ok(12)) && &start == b"HTTP/1.1 503"
        };
        assert!(until(Duration::from_secs(5), || more.iter().any(busy)));
        let asked = std::time::Instant::now();
        let answer = fetch(addr, "/small.txt", Duration::from_secs(5)).unwrap();
        assert!(
            asked.elapsed() < Duration::from_secs(1),
            "{:?}",
            asked.elapsed()
        );
        assert_eq!(
            head(&answer),
            [
                "HTTP/1.0 503 Service Unavailable",
                "Content-Type: text/plain; charset=utf-8",
                "Retry-After: 1",
                "Cache-Control: no-store",
                "Content-Length: 38",
                "Connection: close",
            ]
        );
        assert!(answer.ends_with("\r\n\r\nannexa is busy: try again in a second\n"));
    }

    /// A client that stops reading holds its worker until the send timeout ends the write:
    /// then the next request is answered. Without the timeout it never would be.
    #[test]
    fn a_client_that_never_reads_releases_its_worker_after_the_send_timeout() {
        let timeout = Duration::from_millis(300);
        let (_site, addr) = pool_on_a_site(Pool {
            workers: 1,
            queue: 4,
            send_timeout: timeout,
        });
        let stuck = non_reader(addr);
        assert!(until(Duration::from_secs(5), || pending(&stuck) > 0));
        let asked = std::time::Instant::now();
        let answer = fetch(addr, "/small.txt", Duration::from_secs(10)).unwrap();
        let took = asked.elapsed();
        assert_eq!(
            head(&answer),
            [
                "HTTP/1.0 200 OK",
                "Content-Type: text/plain; charset=utf-8",
                "Cache-Control: no-store",
                "Content-Length: 5",
                "Connection: close",
            ]
        );
        assert!(took < 10 * timeout, "{took:?}");
        // The big file was cut off: far less of it arrived.
        assert!(pending(&stuck) < 3_000_000);
    }

    /// The head written by hand is what tiny_http would write, with `Connection: close`; HEAD
    /// gets the head alone, with the length of the body it would have.
    #[test]
    fn answers_close_their_connection_and_head_has_no_body() {
        use std::io::Read;
        let (_site, addr) = pool_on_a_site(Pool {
            workers: 1,
            queue: 1,
            send_timeout: Duration::from_secs(2),
        });
        let answer = fetch(addr, "/small.txt", Duration::from_secs(5)).unwrap();
        assert!(answer.starts_with("HTTP/1.0 200 OK\r\n"), "{answer}");
        assert!(
            answer.ends_with("\r\nConnection: close\r\n\r\nsmall"),
            "{answer}"
        );
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        // A kept-alive HTTP/1.1 request is answered `Connection: close` all the same.
        stream
            .write_all(b"HEAD /small.txt HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut head = [0; 256];
        let mut got = 0;
        while !head[..got].ends_with(b"\r\n\r\n") {
            got += stream.read(&mut head[got..]).unwrap();
        }
        assert_eq!(
            String::from_utf8_lossy(&head[..got]),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
        );
        stream.set_nonblocking(true).unwrap();
        assert!(stream.read(&mut head).is_err(), "a body after HEAD");
    }

    #[test]
    fn injection_goes_before_body_end() {
        let html = inject(
            "<html><body><p>x</p></body></html>",
            Some("<div id=\"o\"></div>"),
        );
        assert!(html.ends_with("<div id=\"o\"></div></body></html>"));
        assert!(html.contains("EventSource"));
    }
}
