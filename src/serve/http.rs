//! The preview's HTTP answers: safe mapping of request paths to files of the site, content
//! types, redirects on the same origin, the live-reload script and error overlay injected into
//! HTML, and Server-Sent Events. The threads that take requests are in `pool`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use tiny_http::{Header, Request, Response, StatusCode};

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
pub(super) fn send(request: Request, response: Response<std::io::Cursor<Vec<u8>>>) {
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

pub(super) fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

pub(super) fn header(name: &str, value: &str) -> Header {
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
