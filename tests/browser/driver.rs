//! The WebDriver client and the little file server the browser tests use: chromedriver with
//! one headless Chromium session, driven over plain HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{WAIT, common};

pub(crate) fn program(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "{} not found (the browser tests need it; install chromium and chromium-driver, or set {env})",
        path.display()
    );
    path
}

/// A static file server for `site` under the path prefix `/isms/` (a site built for `/`, so
/// that relative links are what makes it work), on a free loopback port; it runs until the test
/// process ends. Returns the site's base URL.
///
/// It is a few lines over std rather than tiny_http: every response closes its connection.
/// tiny_http 0.12 keeps each keep-alive connection on a pool thread, and a burst of new
/// connections (Chromium opens several at once for a page's scripts) can leave one queued
/// behind a busy thread until an idle connection closes, stalling the page load.
pub fn serve(site: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().unwrap().port();
    let root = site.to_path_buf();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let root = root.clone();
            thread::spawn(move || {
                let _ = answer(&root, stream);
            });
        }
    });
    format!("http://127.0.0.1:{port}/isms/")
}

/// Reads one request from `stream` and answers it.
pub fn answer(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("");
    let (status, headers, body) = respond(root, path);
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The status line, headers and body for a GET of `path`.
pub fn respond(root: &Path, path: &str) -> (&'static str, Vec<(&'static str, String)>, Vec<u8>) {
    let not_found = || {
        (
            "404 Not Found",
            vec![("Content-Type", "text/html; charset=utf-8".to_string())],
            std::fs::read(root.join("404.html")).unwrap_or_default(),
        )
    };
    let Some(rel) = path.strip_prefix("/isms/") else {
        return not_found();
    };
    let rel = common::site::percent_decode(rel);
    if rel.split('/').any(|p| p == "..") {
        return not_found();
    }
    let mut file = root.join(&rel);
    if file.is_dir() {
        if !rel.is_empty() && !rel.ends_with('/') {
            return (
                "301 Moved Permanently",
                vec![("Location", format!("{path}/"))],
                Vec::new(),
            );
        }
        file = file.join("index.html");
    }
    let Ok(bytes) = std::fs::read(&file) else {
        return not_found();
    };
    let kind = match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    };
    ("200 OK", vec![("Content-Type", kind.to_string())], bytes)
}

/// A `file://` URL for a folder, ending in `/`.
pub fn file_url(dir: &Path) -> String {
    let mut url = String::from("file://");
    for byte in dir.to_str().expect("a UTF-8 path").bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url.push('/');
    url
}

pub fn query_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// A small WebDriver client

/// chromedriver with one Chromium session; both end when it is dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: tempfile::TempDir,
    /// Errors the browser logged, with the page they came from.
    errors: Vec<String>,
}

impl Browser {
    // The child is killed and waited for in `Drop`.
    #[allow(clippy::zombie_processes)]
    pub fn start() -> Browser {
        let chromium = program("CHROMIUM", "/usr/bin/chromium");
        let chromedriver = program("CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            profile,
            errors: Vec::new(),
        };
        let started = Instant::now();
        loop {
            if let Ok(status) = browser.call("GET", "/status", None)
                && status["ready"] == json!(true)
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not become ready"
            );
            thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", browser.profile.path().display()),
        ];
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": chromium.to_str().unwrap(),
                        "args": args,
                    },
                    "goog:loggingPrefs": { "browser": "ALL" },
                    "pageLoadStrategy": "normal",
                }
            }
        });
        let session = browser
            .call("POST", "/session", Some(capabilities))
            .unwrap_or_else(|e| panic!("no browser session: {e}"));
        browser.session = session["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        browser
    }

    /// One WebDriver command; its `value`, or the error it answered.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).map_err(|e| e.to_string())?;
        let mut length = None;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
                _ => {}
            }
        }
        let mut bytes = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                reader.read_line(&mut size).map_err(|e| e.to_string())?;
                let size = usize::from_str_radix(size.trim(), 16).map_err(|e| e.to_string())?;
                let mut chunk = vec![0; size + 2];
                reader.read_exact(&mut chunk).map_err(|e| e.to_string())?;
                if size == 0 {
                    break;
                }
                bytes.extend_from_slice(&chunk[..size]);
            }
        } else if let Some(length) = length {
            bytes.resize(length, 0);
            reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
        } else {
            reader.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        }
        let json: Value = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "{status}: not JSON ({e}): {}",
                String::from_utf8_lossy(&bytes)
            )
        })?;
        if status.split_whitespace().nth(1) != Some("200") {
            return Err(format!("{} {}", status.trim(), json["value"]));
        }
        Ok(json["value"].clone())
    }

    pub fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        self.call(method, &path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    /// Opens `url` and waits for it to load; then checks what it logged and loaded.
    pub fn open(&mut self, url: &str) {
        let path = format!("/session/{}/url", self.session);
        if let Err(e) = self.call("POST", &path, Some(json!({ "url": url }))) {
            panic!("cannot open {url}: {e}");
        }
        self.check_page(url);
    }

    /// Runs a script in the page and returns its result.
    pub fn run(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Polls `script` until it returns something other than `null` or `false`.
    pub fn wait_for(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let value = self.run(script);
            if !value.is_null() && value != json!(false) {
                return value;
            }
            assert!(
                started.elapsed() < WAIT,
                "timed out waiting for {what} on {}",
                self.run("return location.href;")
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn element(&self, css: &str) -> String {
        let found = self.command(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    pub fn click(&self, css: &str) {
        let id = self.element(css);
        self.command("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.command(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Collects the errors the browser logged since the last call, and checks that the page
    /// loaded nothing from outside the site (`origin`: the site's URL).
    pub fn check_page(&mut self, origin: &str) {
        let logs = self.command("POST", "/se/log", Some(json!({ "type": "browser" })));
        for entry in logs.as_array().cloned().unwrap_or_default() {
            if entry["level"] == json!("SEVERE") {
                self.errors
                    .push(entry["message"].as_str().unwrap_or("").to_string());
            }
        }
        let site_root = origin
            .find("/isms/")
            .map(|i| &origin[..i + "/isms/".len()])
            .unwrap_or("file://");
        let loaded = self.run(
            "return performance.getEntriesByType('resource').map(function (e) { return e.name; });",
        );
        for name in loaded.as_array().unwrap() {
            let name = name.as_str().unwrap();
            assert!(
                name.starts_with(site_root),
                "{origin} loaded {name}, outside the site"
            );
        }
    }

    /// Fails if any page logged an error.
    pub fn assert_no_errors(&mut self) {
        let here = self.run("return location.href;");
        self.check_page(here.as_str().unwrap());
        assert!(
            self.errors.is_empty(),
            "the browser logged errors:\n{}",
            self.errors.join("\n")
        );
    }

    /// Whether an alert, confirm or prompt dialog is open (a script ran that should not have).
    pub fn dialog_open(&self) -> Option<String> {
        let path = format!("/session/{}/alert/text", self.session);
        self.call("GET", &path, None)
            .ok()
            .map(|v| v.as_str().unwrap_or("").to_string())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = self.call("DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.command(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Runs an asynchronous script (it calls its last argument with its result).
    pub fn run_async(&self, script: &str) -> Value {
        self.command(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Emulates a viewport `width` CSS pixels wide and `prefers-color-scheme: scheme`, for
    /// this and every later page of the session.
    pub fn emulate(&self, width: u32, scheme: &str) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": false }),
        );
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
    }

    /// Opens `url` without checking what it logged (for pages that are meant to log a 404).
    pub fn go(&self, url: &str) {
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    /// Presses keys through the Actions API, whatever has focus (WebDriver key codes:
    /// `\u{E004}` is Tab, `\u{E007}` Enter).
    pub fn press(&self, keys: &[&str]) {
        let mut actions = Vec::new();
        for key in keys {
            actions.push(json!({ "type": "keyDown", "value": key }));
            actions.push(json!({ "type": "keyUp", "value": key }));
        }
        self.command(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        );
        self.command("DELETE", "/actions", None);
    }
}
