//! The preview's threads around tiny_http: the listener, one dispatcher, annexa's own pool of
//! workers with a bounded queue, the 503 answerers, and an accept loop that restarts.
//!
//! tiny_http reads each connection in a thread of its own and queues the requests it parsed,
//! without bound; writing the answer is up to whoever takes the request. Here one dispatcher
//! takes them and hands them to a fixed pool of workers through a bounded queue ([`POOL`]);
//! when that is full, the request is answered 503 with `Retry-After: 1` at once, by a thread
//! of its own. Every socket has a send timeout (set on the listener, which the accepted
//! sockets inherit), so a client that stops reading holds a worker for a few seconds, never
//! for good. Every answer closes its connection (see `http::send`), and when tiny_http's
//! accept loop ends, another takes over the socket (`accept_forever`). What tiny_http leaves
//! unbounded (header size, connection count, read timeouts) is in README, "Limits of the
//! preview server".

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiny_http::{Request, Response};

use super::http::{Shared, handle, header, send, text_response};

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::io::Write;

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
}
