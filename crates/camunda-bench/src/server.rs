//! A small in-process HTTP/1.1 server with keep-alive that answers canned responses instantly.
//!
//! It runs on its own thread with a single-threaded Tokio runtime, so its CPU time can be told
//! apart from the client's (see [`Server::cpu_seconds`]).

use crate::canned;
use crate::cpu;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Counters the server keeps; read them with [`Server::stats`].
#[derive(Debug, Default)]
pub struct State {
    connections: AtomicU64,
    requests: AtomicU64,
    activations: AtomicU64,
    completions: AtomicU64,
    /// Jobs handed out by activations in job mode.
    handed_out: AtomicU64,
    max_in_flight: AtomicU64,
    /// Jobs left to hand out; negative means canned mode (every activation gets 32 jobs).
    jobs_left: AtomicI64,
    next_key: AtomicU64,
}

/// A snapshot of the server's counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// TCP connections accepted.
    pub connections: u64,
    /// HTTP requests answered.
    pub requests: u64,
    /// `POST /v2/jobs/activation` requests.
    pub activations: u64,
    /// `POST /v2/jobs/{key}/completion` requests.
    pub completions: u64,
    /// Jobs handed out (job mode).
    pub handed_out: u64,
    /// The most jobs handed out and not yet completed at any time (job mode).
    pub max_in_flight: u64,
}

/// Reads the server's counters; cheap to clone.
#[derive(Clone, Debug)]
pub struct Probe(Arc<State>);

impl Probe {
    /// The counters now.
    pub fn stats(&self) -> Stats {
        let s = &self.0;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Stats {
            connections: get(&s.connections),
            requests: get(&s.requests),
            activations: get(&s.activations),
            completions: get(&s.completions),
            handed_out: get(&s.handed_out),
            max_in_flight: get(&s.max_in_flight),
        }
    }
}

struct Canned {
    topology: Vec<u8>,
    created: Vec<u8>,
    search: Vec<u8>,
    jobs: Vec<u8>,
}

/// The running server. Dropping it (or [`Server::stop`]) shuts it down.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    tid: String,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server on 127.0.0.1 with a port chosen by the OS.
    pub fn start() -> io::Result<Server> {
        let state = Arc::new(State {
            jobs_left: AtomicI64::new(-1),
            next_key: AtomicU64::new(2_251_799_813_700_000),
            ..State::default()
        });
        let canned = Arc::new(Canned {
            topology: response(200, canned::topology().as_bytes()),
            created: response(200, canned::created_instance().as_bytes()),
            search: response(200, canned::search_page(100).as_bytes()),
            jobs: response(
                200,
                canned::activated_jobs(2_251_799_813_690_000, 32).as_bytes(),
            ),
        });
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let (shutdown, mut stopped) = oneshot::channel::<()>();
        let (tid_tx, tid_rx) = std::sync::mpsc::channel();
        let st = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("bench-server".into())
            .spawn(move || {
                let _ = tid_tx.send(cpu::current_thread_id());
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                rt.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("listener");
                    loop {
                        tokio::select! {
                            _ = &mut stopped => break,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else { continue };
                                st.connections.fetch_add(1, Ordering::Relaxed);
                                let st = Arc::clone(&st);
                                let canned = Arc::clone(&canned);
                                tokio::spawn(async move {
                                    let _ = serve(stream, &st, &canned).await;
                                });
                            }
                        }
                    }
                });
                // Dropping the runtime drops every connection task.
            })?;
        let tid = tid_rx
            .recv()
            .map_err(|_| io::Error::other("server thread did not start"))?;
        Ok(Server {
            addr,
            state,
            tid,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The counters now.
    pub fn stats(&self) -> Stats {
        self.probe().stats()
    }

    /// A cheap handle that reads the counters from anywhere.
    pub fn probe(&self) -> Probe {
        Probe(Arc::clone(&self.state))
    }

    /// Job mode: activations hand out what they ask for (`maxJobsToActivate`), with fresh keys,
    /// until `total` jobs have been handed out, then empty answers. Resets the job counters.
    pub fn serve_jobs(&self, total: u64) {
        let s = &self.state;
        s.activations.store(0, Ordering::Relaxed);
        s.completions.store(0, Ordering::Relaxed);
        s.handed_out.store(0, Ordering::Relaxed);
        s.max_in_flight.store(0, Ordering::Relaxed);
        s.jobs_left
            .store(i64::try_from(total).unwrap_or(i64::MAX), Ordering::Relaxed);
    }

    /// Canned mode: every activation gets the same 32 jobs.
    pub fn serve_canned(&self) {
        self.state.jobs_left.store(-1, Ordering::Relaxed);
    }

    /// CPU seconds the server thread has used.
    pub fn cpu_seconds(&self) -> f64 {
        cpu::thread_cpu_seconds(&self.tid).unwrap_or(0.0)
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

fn response(status: u16, body: &[u8]) -> Vec<u8> {
    let reason = match status {
        200 => "OK",
        204 => "No Content",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let mut out = if status == 204 {
        format!("HTTP/1.1 {status} {reason}\r\n\r\n").into_bytes()
    } else {
        format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes()
    };
    out.extend_from_slice(body);
    out
}

const NO_CONTENT: &[u8] = b"HTTP/1.1 204 No Content\r\n\r\n";

/// What a request line asks for (decided without allocating, so the server adds nothing to
/// the client's allocation counts).
#[derive(Clone, Copy)]
enum Route {
    Topology,
    Create,
    Search,
    Activate,
    Complete,
    NotFound,
}

impl Route {
    fn of(request_line: &str) -> Route {
        let mut parts = request_line.split_ascii_whitespace();
        match (parts.next().unwrap_or(""), parts.next().unwrap_or("")) {
            ("GET", "/v2/topology") => Route::Topology,
            ("POST", "/v2/process-instances") => Route::Create,
            ("POST", "/v2/process-instances/search") => Route::Search,
            ("POST", "/v2/jobs/activation") => Route::Activate,
            ("POST", p) if p.starts_with("/v2/jobs/") && p.ends_with("/completion") => {
                Route::Complete
            }
            _ => Route::NotFound,
        }
    }
}

/// One keep-alive connection: read a request, answer it, repeat until the peer closes.
async fn serve(stream: TcpStream, state: &State, canned: &Canned) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::with_capacity(16 * 1024, r);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let route = Route::of(&line);
        let mut content_length = 0usize;
        let mut close = false;
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        body.resize(content_length, 0);
        r.read_exact(&mut body).await?;
        state.requests.fetch_add(1, Ordering::Relaxed);
        let owned;
        let answer: &[u8] = match route {
            Route::Topology => &canned.topology,
            Route::Create => &canned.created,
            Route::Search => &canned.search,
            Route::Activate => {
                state.activations.fetch_add(1, Ordering::Relaxed);
                match activate(state, &body) {
                    Some(answer) => {
                        owned = answer;
                        &owned
                    }
                    None => &canned.jobs,
                }
            }
            Route::Complete => {
                state.completions.fetch_add(1, Ordering::Relaxed);
                NO_CONTENT
            }
            Route::NotFound => {
                owned = response(404, br#"{"title":"Not Found","status":404}"#);
                &owned
            }
        };
        w.write_all(answer).await?;
        if close {
            return Ok(());
        }
    }
}

/// Job mode: hands out up to `maxJobsToActivate` fresh jobs; `None` in canned mode.
fn activate(state: &State, body: &[u8]) -> Option<Vec<u8>> {
    if state.jobs_left.load(Ordering::Relaxed) < 0 {
        return None;
    }
    let asked = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            v.get("maxJobsToActivate")
                .and_then(serde_json::Value::as_i64)
        })
        .unwrap_or(0)
        .max(0);
    // Take up to `asked` from what is left.
    let mut left = state.jobs_left.load(Ordering::Relaxed);
    let n = loop {
        let n = asked.min(left).max(0);
        match state
            .jobs_left
            .compare_exchange(left, left - n, Ordering::Relaxed, Ordering::Relaxed)
        {
            Ok(_) => break n,
            Err(now) => left = now,
        }
    };
    let n = u64::try_from(n).unwrap_or(0);
    let first = state.next_key.fetch_add(n, Ordering::Relaxed);
    let handed = state.handed_out.fetch_add(n, Ordering::Relaxed) + n;
    let in_flight = handed.saturating_sub(state.completions.load(Ordering::Relaxed));
    state.max_in_flight.fetch_max(in_flight, Ordering::Relaxed);
    let n = usize::try_from(n).unwrap_or(0);
    Some(response(200, canned::activated_jobs(first, n).as_bytes()))
}
