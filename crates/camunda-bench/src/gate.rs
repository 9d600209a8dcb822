//! `cargo run --release -p camunda-bench -- gate [quick]`: the backpressure gate against an
//! overloaded cluster.
//!
//! The in-process server models a cluster at capacity: it works on at most [`CAPACITY`]
//! requests at once ([`WORK`] each) and answers `503 RESOURCE_EXHAUSTED` at once to any request
//! beyond that. [`CALLERS`] tasks create process instances in a loop through one client with
//! the default retry policy, first with the gate off (`LEGACY`), then on (`BALANCED`). For each:
//! completed calls per second, rejected requests per completed call, calls that failed after
//! all retries, p50/p99 latency of completed calls (retries and gate waits included), and the
//! requests in flight at the server (time average and peak, rejected ones included).

use crate::canned;
use crate::floor::Error;
use camunda_sdk::gate::BackpressureProfile;
use camunda_sdk::{CamundaClient, Config, types};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// Requests the server works on at once.
pub const CAPACITY: u64 = 32;
/// How long the server works on an admitted request.
pub const WORK: Duration = Duration::from_millis(10);
/// Concurrent callers.
pub const CALLERS: usize = 200;

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    rejected: AtomicU64,
    /// Requests being read, worked on or answered now.
    in_flight: AtomicU64,
    peak: AtomicU64,
    /// Sum of `in_flight` over the samples, and the number of samples (1 per ms).
    sampled: AtomicU64,
    samples: AtomicU64,
}

impl Counters {
    fn reset(&self) {
        for c in [
            &self.requests,
            &self.rejected,
            &self.peak,
            &self.sampled,
            &self.samples,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }
}

/// Runs both variants and prints one line per figure.
pub fn run(quick: bool) -> Result<(), Error> {
    let seconds = if quick { 3 } else { 10 };
    let counters = Arc::new(Counters::default());
    let addr = start_server(Arc::clone(&counters))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    println!(
        "# gate: server works on {CAPACITY} requests at once ({} ms each, capacity {} calls/s) and answers 503 RESOURCE_EXHAUSTED beyond; {CALLERS} callers creating instances for {seconds} s, default retry policy",
        WORK.as_millis(),
        CAPACITY * 1000 / WORK.as_millis() as u64,
    );
    for (name, profile) in [
        ("gate off (LEGACY)", BackpressureProfile::Legacy),
        ("gate on (BALANCED)", BackpressureProfile::Balanced),
    ] {
        counters.reset();
        let config = Config::builder()
            .rest_address(format!("http://{addr}"))
            .no_auth()
            .backpressure_profile(profile)
            .build()?;
        let client = CamundaClient::new(config)?;
        let run = rt.block_on(load(client.clone(), Duration::from_secs(seconds)))?;
        let c = &counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let secs = run.elapsed.as_secs_f64();
        let done = run.latencies.len() as f64;
        let mean_in_flight = get(&c.sampled) as f64 / get(&c.samples).max(1) as f64;
        println!("{name}: completed calls/s: {:.0}", done / secs);
        println!(
            "{name}: rejected requests per completed call: {:.3} ({} rejected, {} requests)",
            get(&c.rejected) as f64 / done.max(1.0),
            get(&c.rejected),
            get(&c.requests)
        );
        println!("{name}: calls failed after all retries: {}", run.failed);
        println!(
            "{name}: latency p50 / p99: {:.1} / {:.1} ms",
            percentile(&run.latencies, 0.50),
            percentile(&run.latencies, 0.99)
        );
        println!(
            "{name}: requests in flight at the server, mean / peak: {mean_in_flight:.1} / {}",
            get(&c.peak)
        );
        let gate = client.backpressure();
        println!(
            "{name}: gate at the end: limit {}, {} backpressure signals",
            gate.limit
                .map_or_else(|| "open".to_owned(), |l| l.to_string()),
            gate.backpressure_signals
        );
    }
    Ok(())
}

struct Run {
    elapsed: Duration,
    /// Of completed calls, sorted.
    latencies: Vec<Duration>,
    failed: u64,
}

async fn load(client: CamundaClient, duration: Duration) -> Result<Run, Error> {
    let body: types::ProcessInstanceCreationInstruction =
        serde_json::from_value(serde_json::json!({
            "processDefinitionId": "order-process",
            "variables": { "orderId": "A-1042", "amount": 129.5 }
        }))?;
    let body = Arc::new(body);
    let start = Instant::now();
    let until = start + duration;
    let callers: Vec<_> = (0..CALLERS)
        .map(|_| {
            let client = client.clone();
            let body = Arc::clone(&body);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut failed = 0u64;
                while Instant::now() < until {
                    let sent = Instant::now();
                    match client.create_process_instance().body((*body).clone()).await {
                        Ok(_) => latencies.push(sent.elapsed()),
                        Err(_) => failed += 1,
                    }
                }
                (latencies, failed)
            })
        })
        .collect();
    let mut run = Run {
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
        failed: 0,
    };
    for caller in callers {
        let (latencies, failed) = caller.await?;
        run.latencies.extend(latencies);
        run.failed += failed;
    }
    // Callers finish the call they are in when time is up; count the time that took too.
    run.elapsed = start.elapsed();
    run.latencies.sort_unstable();
    Ok(run)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// The overloaded server on its own thread (and single-threaded runtime), as long as the
/// process lives.
fn start_server(counters: Arc<Counters>) -> Result<SocketAddr, Error> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    std::thread::Builder::new()
        .name("gate-bench-server".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                let admitted = Arc::new(tokio::sync::Semaphore::new(CAPACITY as usize));
                let sampler = Arc::clone(&counters);
                tokio::spawn(async move {
                    let mut tick = tokio::time::interval(Duration::from_millis(1));
                    loop {
                        tick.tick().await;
                        let now = sampler.in_flight.load(Ordering::Relaxed);
                        sampler.sampled.fetch_add(now, Ordering::Relaxed);
                        sampler.samples.fetch_add(1, Ordering::Relaxed);
                    }
                });
                while let Ok((stream, _)) = listener.accept().await {
                    let counters = Arc::clone(&counters);
                    let admitted = Arc::clone(&admitted);
                    tokio::spawn(async move {
                        let _ = connection(stream, &counters, &admitted).await;
                    });
                }
            });
        })?;
    Ok(addr)
}

const RESOURCE_EXHAUSTED: &str = r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":503,"detail":"Expected to handle the request, but the partition is overloaded"}"#;

/// One keep-alive connection: every request is answered after [`WORK`] if a slot is free, at
/// once with 503 if not.
async fn connection(
    stream: TcpStream,
    c: &Counters,
    admitted: &tokio::sync::Semaphore,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let created = canned::created_instance();
    let ok = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{created}",
        created.len()
    );
    let busy = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\n\r\n{RESOURCE_EXHAUSTED}",
        RESOURCE_EXHAUSTED.len()
    );
    let mut head = Vec::new();
    let mut body = Vec::new();
    loop {
        head.clear();
        // The head ends at an empty line; only its content length matters here.
        let mut length = 0usize;
        loop {
            let start = head.len();
            if r.read_until(b'\n', &mut head).await? == 0 {
                return Ok(());
            }
            let line = String::from_utf8_lossy(&head[start..]);
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        body.resize(length, 0);
        r.read_exact(&mut body).await?;
        c.requests.fetch_add(1, Ordering::Relaxed);
        let now = c.in_flight.fetch_add(1, Ordering::Relaxed) + 1;
        c.peak.fetch_max(now, Ordering::Relaxed);
        let answer = match admitted.try_acquire() {
            Ok(_slot) => {
                tokio::time::sleep(WORK).await;
                &ok
            }
            Err(_) => {
                c.rejected.fetch_add(1, Ordering::Relaxed);
                &busy
            }
        };
        let written = w.write_all(answer.as_bytes()).await;
        c.in_flight.fetch_sub(1, Ordering::Relaxed);
        written?;
    }
}
