//! `cargo run --release -p camunda-bench [-- quick]`: prints one line per figure,
//! `name: value unit (ratio)`, so runs can be compared line by line.
//!
//! Sections: per-call overhead (SDK async and blocking against the raw reqwest floor that
//! decodes into plain structs) with allocations per call, attribution (the floor decoding into
//! the SDK's types, with a per-request timeout), worker throughput (jobs/s, CPU per job,
//! activations per job, against a floor worker), and decoding alone. See the README's
//! "Performance" section.
//!
//! `cargo run --release -p camunda-bench -- decode-only <search|activate|topology|create>
//! <sdk|plain> [reps]` only decodes a canned body `reps` times, and `-- calls-only
//! <get_topology|create_process_instance|...> <floor|sdk> [calls]` only makes sequential calls
//! (both for `valgrind --tool=callgrind`); `-- worker-only <floor|async> <in flight> [jobs]`
//! makes one worker run (for callgrind with `--separate-threads=yes`: the server is thread 2);
//! `-- workers-only [quick]` runs the worker section alone.

use camunda_bench::canned;
use camunda_bench::cpu;
use camunda_bench::floor::{self, Floor};
use camunda_bench::plain;
use camunda_bench::server::{Probe, Server};
use camunda_sdk::worker::{JobWorkerConfig, Outcome};
use camunda_sdk::{Config, RetryPolicy, blocking, types};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = floor::Error;

/// Counts every allocation of the process (the server thread's too: its canned answers are
/// built once, so a call's count is the client's).
#[global_allocator]
static GLOBAL: &stats_alloc::StatsAlloc<std::alloc::System> = &stats_alloc::INSTRUMENTED_SYSTEM;

/// Allocations (`alloc` + `realloc`) so far.
fn allocations() -> usize {
    let s = GLOBAL.stats();
    s.allocations + s.reallocations
}

/// Iteration counts are multiplied by this (`quick` divides them by 5).
struct Scale(f64);

impl Scale {
    fn n(&self, base: usize) -> usize {
        ((base as f64 * self.0) as usize).max(16)
    }
}

fn main() -> Result<(), Error> {
    // The SDK gives its own client a crypto provider; the floor's bare reqwest clients need a
    // process-wide one (the SDK's build of reqwest has rustls without a default provider).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("decode-only") {
        return decode_only(&args[2..]);
    }
    let quick = std::env::args().any(|a| a == "quick");
    if std::env::args().any(|a| a == "gate") {
        return camunda_bench::gate::run(quick);
    }
    let scale = Scale(if quick { 0.2 } else { 1.0 });
    let rounds = if quick { 3 } else { 5 };

    let server = Server::start()?;
    let url = server.url();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if args.get(1).map(String::as_str) == Some("calls-only") {
        return calls_only(&rt, &server, &args[2..]);
    }
    if args.get(1).map(String::as_str) == Some("worker-only") {
        return worker_only(&rt, &server, &args[2..]);
    }
    if args.get(1).map(String::as_str) == Some("workers-only") {
        println!("# workers only; load average {} at start", load_average());
        workers(&rt, &server, &scale, if quick { 1 } else { 3 })?;
        println!("# load average {} at end", load_average());
        drop(rt);
        server.stop();
        return Ok(());
    }
    println!(
        "# camunda-bench: {} cores, load average {} at start, server {url}",
        std::thread::available_parallelism().map_or(0, usize::from),
        load_average()
    );

    let bodies = Arc::new(Bodies::new()?);
    per_call(&rt, &server, &bodies, &scale, rounds)?;
    workers(&rt, &server, &scale, if quick { 1 } else { 3 })?;
    decode(&scale, rounds)?;

    println!("# load average {} at end", load_average());
    drop(rt);
    server.stop();
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn config(url: &str) -> Result<Config, Error> {
    Ok(Config::builder().rest_address(url).no_auth().build()?)
}

/// The request bodies: the SDK's types for the SDK, plain structs for the floors (the same
/// JSON).
struct Bodies {
    create: types::ProcessInstanceCreationInstruction,
    search: types::ProcessInstanceSearchQuery,
    activate: types::JobActivationRequest,
    plain_create: plain::CreateInstance,
    plain_search: plain::Search,
    plain_activate: plain::Activate,
}

fn create_json() -> serde_json::Value {
    serde_json::json!({
        "processDefinitionId": "order-process",
        "variables": { "orderId": "A-1042", "amount": 129.5 }
    })
}

impl Bodies {
    fn new() -> Result<Bodies, Error> {
        let serde_json::Value::Object(variables) = create_json()["variables"].clone() else {
            return Err("variables are an object".into());
        };
        Ok(Bodies {
            create: serde_json::from_value(create_json())?,
            search: serde_json::from_value(serde_json::json!({
                "filter": { "processDefinitionId": "order-process" },
                "page": { "limit": 100 }
            }))?,
            activate: activation_request(32)?,
            plain_create: plain::CreateInstance {
                process_definition_id: "order-process".into(),
                variables,
            },
            plain_search: plain::Search {
                filter: plain::SearchFilter {
                    process_definition_id: "order-process".into(),
                },
                page: plain::SearchPage { limit: 100 },
            },
            plain_activate: plain_activation(32),
        })
    }
}

/// What the SDK's worker sends (type, worker name, 5 min job timeout, 20 s long poll).
/// An activation through the builder's setters, sending the same request as `activation_request`.
async fn activate(
    c: &camunda_sdk::CamundaClient,
    body: &types::JobActivationRequest,
) -> camunda_sdk::Result<types::JobActivationResult> {
    // The model is reused for every call, as the floor reuses its body: borrowed, not copied.
    c.activate_jobs(
        body.type_.as_str(),
        Duration::from_millis(body.timeout as u64),
        body.max_jobs_to_activate,
    )
    .body_ref(body)
    .await
}

fn activation_request(max: usize) -> Result<types::JobActivationRequest, Error> {
    Ok(serde_json::from_value(serde_json::json!({
        "type": "payment",
        "worker": "camunda-rs-worker",
        "timeout": 300_000,
        "requestTimeout": 20_000,
        "maxJobsToActivate": max,
    }))?)
}

/// [`activation_request`] as the floor sends it.
fn plain_activation(max: usize) -> plain::Activate {
    plain::Activate {
        job_type: "payment".into(),
        worker: "camunda-rs-worker".into(),
        timeout: 300_000,
        request_timeout: 20_000,
        max_jobs_to_activate: i64::try_from(max).unwrap_or(i64::MAX),
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Topology,
    Create,
    Search,
    Activate,
    /// `calls-only` only: the create request made with the builder's setters instead of the
    /// reused model `body_ref` borrows (what a caller who builds each request pays).
    CreateBySetters,
}

impl Op {
    const ALL: [Op; 4] = [Op::Topology, Op::Create, Op::Search, Op::Activate];

    fn name(self) -> &'static str {
        match self {
            Op::Topology => "get_topology",
            Op::Create => "create_process_instance",
            Op::Search => "search_process_instances",
            Op::Activate => "activate_jobs",
            Op::CreateBySetters => "create_process_instance_by_setters",
        }
    }

    /// The size of the future the SDK's `send()` boxes for this call.
    fn future_size(self, c: &camunda_sdk::CamundaClient, b: &Bodies) -> usize {
        match self {
            Op::Topology => std::mem::size_of_val(&*c.get_topology().send()),
            Op::Create => {
                std::mem::size_of_val(&*c.create_process_instance().body_ref(&b.create).send())
            }
            Op::CreateBySetters => std::mem::size_of_val(
                &*c.create_process_instance()
                    .process_definition_id("order-process")
                    .variables(&b.plain_create.variables)
                    .send(),
            ),
            Op::Search => {
                std::mem::size_of_val(&*c.search_process_instances().body_ref(&b.search).send())
            }
            Op::Activate => std::mem::size_of_val(
                &*c.activate_jobs("payment", Duration::from_secs(300), 32)
                    .send(),
            ),
        }
    }

    /// Calls per round, sequential (concurrent rounds make twice as many).
    fn calls(self) -> usize {
        match self {
            Op::Topology | Op::Create | Op::CreateBySetters => 2000,
            Op::Search => 300,
            Op::Activate => 500,
        }
    }

    async fn floor(self, f: &Floor, b: &Bodies) -> Result<(), Error> {
        if f.clones_request() {
            match self {
                Op::Topology => {}
                Op::Create | Op::CreateBySetters => drop(black_box(b.create.clone())),
                Op::Search => drop(black_box(b.search.clone())),
                Op::Activate => drop(black_box(b.activate.clone())),
            }
        }
        match (self, f.sdk_types()) {
            (Op::Topology, false) => drop(black_box(f.get_topology().await?)),
            (Op::Create | Op::CreateBySetters, false) => {
                drop(black_box(f.create_process_instance(&b.plain_create).await?))
            }
            (Op::Search, false) => drop(black_box(
                f.search_process_instances(&b.plain_search).await?,
            )),
            (Op::Activate, false) => drop(black_box(f.activate_jobs(&b.plain_activate).await?)),
            (Op::Topology, true) => drop(black_box(f.typed_get_topology().await?)),
            (Op::Create | Op::CreateBySetters, true) => drop(black_box(
                f.typed_create_process_instance(&b.plain_create).await?,
            )),
            (Op::Search, true) => drop(black_box(
                f.typed_search_process_instances(&b.plain_search).await?,
            )),
            (Op::Activate, true) => {
                drop(black_box(f.typed_activate_jobs(&b.plain_activate).await?))
            }
        }
        Ok(())
    }

    async fn sdk(self, c: &camunda_sdk::CamundaClient, b: &Bodies) -> Result<(), Error> {
        match self {
            Op::Topology => drop(black_box(c.get_topology().await?)),
            Op::Create => drop(black_box(
                c.create_process_instance().body_ref(&b.create).await?,
            )),
            Op::CreateBySetters => drop(black_box(
                c.create_process_instance()
                    .process_definition_id("order-process")
                    .variables(&b.plain_create.variables)
                    .await?,
            )),
            Op::Search => drop(black_box(
                c.search_process_instances().body_ref(&b.search).await?,
            )),
            Op::Activate => drop(black_box(activate(c, &b.activate).await?)),
        }
        Ok(())
    }

    fn blocking(self, c: &blocking::CamundaClient, b: &Bodies) -> Result<(), Error> {
        match self {
            Op::Topology => drop(black_box(c.get_topology().send()?)),
            Op::Create | Op::CreateBySetters => drop(black_box(
                c.create_process_instance().body_ref(&b.create).send()?,
            )),
            Op::Search => drop(black_box(
                c.search_process_instances().body_ref(&b.search).send()?,
            )),
            Op::Activate => drop(black_box(
                c.activate_jobs("", Duration::ZERO, 0)
                    .body_ref(&b.activate)
                    .send()?,
            )),
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// `Clients::floors[i]`.
    Floor(usize),
    Async,
    Blocking,
}

/// `n` calls split over `concurrency` tasks (or threads, for the blocking client); seconds.
fn time_calls(
    rt: &tokio::runtime::Runtime,
    variant: Variant,
    clients: &Clients,
    bodies: &Arc<Bodies>,
    op: Op,
    n: usize,
    concurrency: usize,
) -> Result<f64, Error> {
    let per = n / concurrency;
    let start = Instant::now();
    match variant {
        Variant::Blocking => {
            let results: Vec<Result<(), Error>> = std::thread::scope(|s| {
                let threads: Vec<_> = (0..concurrency)
                    .map(|_| {
                        s.spawn(|| {
                            for _ in 0..per {
                                op.blocking(&clients.blocking, bodies)?;
                            }
                            Ok(())
                        })
                    })
                    .collect();
                threads
                    .into_iter()
                    .map(|t| t.join().unwrap_or_else(|_| Err("thread panicked".into())))
                    .collect()
            });
            results.into_iter().collect::<Result<(), Error>>()?;
        }
        Variant::Floor(_) | Variant::Async => {
            rt.block_on(async {
                let tasks: Vec<_> = (0..concurrency)
                    .map(|_| {
                        let floor = match variant {
                            Variant::Floor(i) => clients.floors[i].clone(),
                            _ => clients.floors[0].clone(),
                        };
                        let sdk = clients.sdk.clone();
                        let bodies = Arc::clone(bodies);
                        tokio::spawn(async move {
                            for _ in 0..per {
                                if variant != Variant::Async {
                                    op.floor(&floor, &bodies).await?;
                                } else {
                                    op.sdk(&sdk, &bodies).await?;
                                }
                            }
                            Ok::<(), Error>(())
                        })
                    })
                    .collect();
                for t in tasks {
                    t.await??;
                }
                Ok::<(), Error>(())
            })?;
        }
    }
    Ok(start.elapsed().as_secs_f64() / (per * concurrency) as f64)
}

struct Clients {
    /// The plain floor first, then the attribution variants ([`ATTRIBUTION`]).
    floors: Vec<Floor>,
    sdk: camunda_sdk::CamundaClient,
    blocking: blocking::CamundaClient,
}

/// The floor variants after the plain floor, in `Clients::floors` order.
const ATTRIBUTION: [&str; 4] = [
    "floor+sdk_types",
    "floor+timeout",
    "floor+sdk_types+timeout",
    "floor+request_clone",
];

/// Allocations per call of `variant` (sequential calls, after warm-up).
fn allocations_per_call(
    rt: &tokio::runtime::Runtime,
    variant: Variant,
    clients: &Clients,
    bodies: &Arc<Bodies>,
    op: Op,
) -> Result<f64, Error> {
    const CALLS: usize = 200;
    let before = allocations();
    time_calls(rt, variant, clients, bodies, op, CALLS, 1)?;
    Ok((allocations() - before) as f64 / CALLS as f64)
}

/// Per-call overhead: each operation, sequential and 16 concurrent, through the floor, the
/// async SDK and the blocking SDK, in interleaved rounds; the fastest round of each counts.
fn per_call(
    rt: &tokio::runtime::Runtime,
    server: &Server,
    bodies: &Arc<Bodies>,
    scale: &Scale,
    rounds: usize,
) -> Result<(), Error> {
    let url = server.url();
    let timeout = Duration::from_secs(30);
    let clients = {
        let _guard = rt.enter();
        Clients {
            floors: vec![
                Floor::new(&url)?,
                Floor::new(&url)?.decoding_sdk_types(),
                Floor::new(&url)?.with_request_timeout(timeout),
                Floor::new(&url)?
                    .decoding_sdk_types()
                    .with_request_timeout(timeout),
                Floor::new(&url)?.cloning_request(),
            ],
            sdk: camunda_sdk::CamundaClient::new(config(&url)?)?
                .with_retry_policy(RetryPolicy::none()),
            blocking: blocking::CamundaClient::new(config(&url)?)?
                .with_retry_policy(RetryPolicy::none()),
        }
    };
    server.serve_canned();
    const VARIANTS: [Variant; 3] = [Variant::Floor(0), Variant::Async, Variant::Blocking];
    for (mode, concurrency) in [("seq", 1), ("c16", 16)] {
        for op in Op::ALL {
            let n = scale.n(op.calls()) * if concurrency > 1 { 2 } else { 1 };
            // Warm up: open the connections, fill the allocator's caches.
            for v in VARIANTS {
                time_calls(
                    rt,
                    v,
                    &clients,
                    bodies,
                    op,
                    (n / 10).max(concurrency),
                    concurrency,
                )?;
            }
            let conns_before = server.stats().connections;
            let mut best = [f64::INFINITY; 3];
            for round in 0..rounds {
                // Rotate the order so no variant always runs first after a pause.
                for i in 0..3 {
                    let v = (i + round) % 3;
                    let t = time_calls(rt, VARIANTS[v], &clients, bodies, op, n, concurrency)?;
                    best[v] = best[v].min(t);
                }
            }
            let conns = server.stats().connections - conns_before;
            let [floor_t, async_t, blocking_t] = best;
            let name = format!("call.{}.{mode}", op.name());
            println!("{name}.floor: {:.0} req/s", 1.0 / floor_t);
            println!(
                "{name}.sdk_async: {:.0} req/s (SDK/floor {:.3})",
                1.0 / async_t,
                async_t / floor_t
            );
            println!(
                "{name}.sdk_blocking: {:.0} req/s (SDK/floor {:.3}, blocking/async {:.3})",
                1.0 / blocking_t,
                blocking_t / floor_t,
                blocking_t / async_t
            );
            if conns > 0 {
                println!("{name}.new_connections: {conns} connections (opened after warm-up)");
            }
            if concurrency == 1 {
                let floor = allocations_per_call(rt, Variant::Floor(0), &clients, bodies, op)?;
                let typed = allocations_per_call(rt, Variant::Floor(1), &clients, bodies, op)?;
                let sdk = allocations_per_call(rt, Variant::Async, &clients, bodies, op)?;
                println!(
                    "{name}.allocations: {sdk:.1} per call (floor {floor:.1}, floor+sdk_types {typed:.1}, SDK/floor {:.2})",
                    sdk / floor
                );
            }
        }
    }
    attribution(rt, &clients, bodies, scale, rounds)
}

/// Where the SDK's per-call time goes: the floor with one step of the SDK added at a time
/// (decoding into the SDK's types; a per-request timeout), sequential calls.
fn attribution(
    rt: &tokio::runtime::Runtime,
    clients: &Clients,
    bodies: &Arc<Bodies>,
    scale: &Scale,
    rounds: usize,
) -> Result<(), Error> {
    let mut variants: Vec<(Variant, &str)> = vec![(Variant::Floor(0), "floor")];
    for (i, label) in ATTRIBUTION.iter().enumerate() {
        variants.push((Variant::Floor(i + 1), label));
    }
    variants.push((Variant::Async, "sdk_async"));
    for op in Op::ALL {
        let n = scale.n(op.calls());
        for (v, _) in &variants {
            time_calls(rt, *v, clients, bodies, op, n / 10, 1)?;
        }
        let mut best = vec![f64::INFINITY; variants.len()];
        for round in 0..rounds {
            for i in 0..variants.len() {
                let v = (i + round) % variants.len();
                let t = time_calls(rt, variants[v].0, clients, bodies, op, n, 1)?;
                best[v] = best[v].min(t);
            }
        }
        for (i, (_, label)) in variants.iter().enumerate().skip(1) {
            println!(
                "attribution.{}.seq.{label}: {:.2} µs/call (vs floor {:+.2} µs, {:.3})",
                op.name(),
                best[i] * 1e6,
                (best[i] - best[0]) * 1e6,
                best[i] / best[0]
            );
        }
    }
    Ok(())
}

/// One worker run's figures.
struct WorkerRun {
    jobs_per_s: f64,
    requests_per_s: f64,
    cpu_us_per_job: f64,
    activations_per_1000: f64,
    connections: u64,
    max_in_flight: u64,
}

impl WorkerRun {
    fn better(self, other: Option<WorkerRun>) -> WorkerRun {
        match other {
            Some(o) if o.jobs_per_s > self.jobs_per_s => o,
            _ => self,
        }
    }
}

/// Client CPU: the process's minus the server thread's.
fn client_cpu(server: &Server) -> f64 {
    cpu::process_cpu_seconds().unwrap_or(0.0) - server.cpu_seconds()
}

fn measure_run(
    server: &Server,
    total: u64,
    run: impl FnOnce() -> Result<(Instant, f64), Error>,
) -> Result<WorkerRun, Error> {
    let before = server.stats();
    server.serve_jobs(total);
    let cpu0 = client_cpu(server);
    let t0 = Instant::now();
    let (t1, cpu1) = run()?;
    let secs = (t1 - t0).as_secs_f64();
    let stats = server.stats();
    server.serve_canned();
    if stats.completions < total {
        return Err(format!("only {} of {total} jobs completed", stats.completions).into());
    }
    let per_1000 = |x: f64| x * 1000.0 / total as f64;
    Ok(WorkerRun {
        jobs_per_s: total as f64 / secs,
        requests_per_s: (stats.activations + stats.completions) as f64 / secs,
        cpu_us_per_job: (cpu1 - cpu0) * 1e6 / total as f64,
        activations_per_1000: per_1000(stats.activations as f64),
        connections: stats.connections - before.connections,
        max_in_flight: stats.max_in_flight,
    })
}

/// Waits until the server has seen `total` completions; returns when and the client CPU then.
async fn wait_for_completions(
    probe: &Probe,
    total: u64,
    server_cpu: impl Fn() -> f64,
) -> (Instant, f64) {
    while probe.stats().completions < total {
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
    let t = Instant::now();
    (t, cpu::process_cpu_seconds().unwrap_or(0.0) - server_cpu())
}

fn worker_config(max: usize) -> JobWorkerConfig {
    JobWorkerConfig::new("payment")
        .max_jobs_active(max)
        .activation_batch_size(32)
}

/// `worker-only <floor|async> <in flight> [jobs]`: one worker run and nothing else, for
/// instruction counts per job under callgrind.
fn worker_only(
    rt: &tokio::runtime::Runtime,
    server: &Server,
    args: &[String],
) -> Result<(), Error> {
    let usage = "usage: camunda-bench worker-only <floor|async> <in flight> [jobs]";
    let (Some(via), Some(max)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    let max: usize = max.parse()?;
    let total: u64 = args.get(2).map_or(Ok(2_000), |n| n.parse())?;
    let url = server.url();
    let batch = 32.min(max);
    let a0 = allocations();
    let run = match via.as_str() {
        "floor" => measure_run(server, total, || {
            let floor = Floor::new(&url)?;
            rt.block_on(floor.run_worker(&plain_activation(batch), max, batch))?;
            Ok((Instant::now(), client_cpu(server)))
        })?,
        "async" => measure_run(server, total, || {
            let probe = server.probe();
            rt.block_on(async {
                let client = camunda_sdk::CamundaClient::new(config(&url)?)?;
                let handle = client
                    .create_job_worker(worker_config(max), |_job| async { Outcome::complete() });
                let done = wait_for_completions(&probe, total, || server.cpu_seconds()).await;
                handle.shutdown(Duration::from_secs(10)).await;
                Ok::<_, Error>(done)
            })
        })?,
        _ => return Err(usage.into()),
    };
    println!(
        "{total} jobs through the {via} worker at {max} in flight: {:.0} jobs/s, {:.1} µs CPU/job, 1 activation per {:.1} jobs; {:.1} allocations per job (set-up included)",
        run.jobs_per_s,
        run.cpu_us_per_job,
        1000.0 / run.activations_per_1000,
        (allocations() - a0) as f64 / total as f64
    );
    Ok(())
}

/// Worker throughput at 10, 32 and 256 in flight: the floor worker, the async SDK worker and
/// the blocking SDK worker, each on a fresh client, with an instant handler.
fn workers(
    rt: &tokio::runtime::Runtime,
    server: &Server,
    scale: &Scale,
    rounds: usize,
) -> Result<(), Error> {
    let url = server.url();
    for max in [10usize, 32, 256] {
        let total = scale.n(20_000) as u64;
        let batch = 32.min(max);
        let mut floor_best: Option<WorkerRun> = None;
        let mut async_best: Option<WorkerRun> = None;
        let mut blocking_best: Option<WorkerRun> = None;
        for _ in 0..rounds {
            // Floor.
            let req = plain_activation(batch);
            let run = measure_run(server, total, || {
                let floor = Floor::new(&url)?;
                rt.block_on(floor.run_worker(&req, max, batch))?;
                Ok((Instant::now(), client_cpu(server)))
            })?;
            floor_best = Some(run.better(floor_best));

            // Async SDK worker.
            let run = measure_run(server, total, || {
                let probe = server.probe();
                rt.block_on(async {
                    let client = camunda_sdk::CamundaClient::new(config(&url)?)?;
                    let handle = client.create_job_worker(worker_config(max), |_job| async {
                        Outcome::complete()
                    });
                    let done = wait_for_completions(&probe, total, || server.cpu_seconds()).await;
                    handle.shutdown(Duration::from_secs(10)).await;
                    Ok::<_, Error>(done)
                })
            })?;
            async_best = Some(run.better(async_best));

            // Blocking SDK worker.
            let run = measure_run(server, total, || {
                let probe = server.probe();
                let client = blocking::CamundaClient::new(config(&url)?)?;
                client.create_job_worker(worker_config(max), |_job| Outcome::complete())?;
                let mut done = None;
                client.run_workers_until(async {
                    done = Some(wait_for_completions(&probe, total, || server.cpu_seconds()).await);
                })?;
                done.ok_or_else(|| "the blocking worker did not finish".into())
            })?;
            blocking_best = Some(run.better(blocking_best));
        }
        let (Some(f), Some(a), Some(b)) = (floor_best, async_best, blocking_best) else {
            continue;
        };
        // Attribution: the floor worker over a client with the SDK's pool setting
        // (`pool_max_idle_per_host(32)`, config.rs), which closes idle connections beyond 32.
        let pool32 = if max > 32 {
            let req = plain_activation(batch);
            Some(measure_run(server, total, || {
                let http = reqwest::Client::builder()
                    .pool_max_idle_per_host(32)
                    .build()?;
                let floor = Floor::with_client(&url, http);
                rt.block_on(floor.run_worker(&req, max, batch))?;
                Ok((Instant::now(), client_cpu(server)))
            })?)
        } else {
            None
        };
        let name = format!("worker.{max}");
        println!(
            "{name}.floor: {:.0} jobs/s ({:.1} µs CPU/job; 1 activation per {:.1} jobs; {} connections)",
            f.jobs_per_s,
            f.cpu_us_per_job,
            1000.0 / f.activations_per_1000,
            f.connections
        );
        if let Some(p) = pool32 {
            println!(
                "{name}.floor_pool32: {:.0} jobs/s (vs floor {:.3}; {} connections opened, floor {}; {:.1} µs CPU/job)",
                p.jobs_per_s,
                p.jobs_per_s / f.jobs_per_s,
                p.connections,
                f.connections,
                p.cpu_us_per_job
            );
        }
        for (flavour, r) in [("async", &a), ("blocking", &b)] {
            println!(
                "{name}.{flavour}: {:.0} jobs/s (worker/floor {:.3}; {:.1} µs CPU/job, worker/floor {:.2}; 1 activation per {:.1} jobs; requests/s worker/floor {:.3}; {} connections; max {} jobs in flight at the server)",
                r.jobs_per_s,
                r.jobs_per_s / f.jobs_per_s,
                r.cpu_us_per_job,
                r.cpu_us_per_job / f.cpu_us_per_job,
                1000.0 / r.activations_per_1000,
                r.requests_per_s / f.requests_per_s,
                r.connections,
                r.max_in_flight
            );
        }
    }
    Ok(())
}

/// A canned answer body and how to decode it into the plain and the SDK types.
struct DecodeCase {
    name: &'static str,
    body: Vec<u8>,
    plain: fn(&[u8]) -> Result<(), Error>,
    sdk: fn(&[u8]) -> Result<(), Error>,
}

fn decode_into<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), Error> {
    drop(black_box(serde_json::from_slice::<T>(black_box(body))?));
    Ok(())
}

fn decode_cases() -> [DecodeCase; 4] {
    [
        DecodeCase {
            name: "topology",
            body: canned::topology().into_bytes(),
            plain: decode_into::<plain::Topology>,
            sdk: decode_into::<types::TopologyResponse>,
        },
        DecodeCase {
            name: "create",
            body: canned::created_instance().into_bytes(),
            plain: decode_into::<plain::CreatedInstance>,
            sdk: decode_into::<types::CreateProcessInstanceResult>,
        },
        DecodeCase {
            name: "search",
            body: canned::search_page(100).into_bytes(),
            plain: decode_into::<plain::SearchResult>,
            sdk: decode_into::<types::ProcessInstanceSearchQueryResult>,
        },
        DecodeCase {
            name: "activate",
            body: canned::activated_jobs(2_251_799_813_690_000, 32).into_bytes(),
            plain: decode_into::<plain::Activated>,
            sdk: decode_into::<types::JobActivationResult>,
        },
    ]
}

/// Decoding alone: each canned body into the plain types and the SDK's, best of `rounds`
/// batches, with allocations per decode.
fn decode(scale: &Scale, rounds: usize) -> Result<(), Error> {
    for case in decode_cases() {
        let reps = scale.n(2_000_000 / case.body.len().max(1)).max(50);
        let mut best = [f64::INFINITY; 2];
        let mut allocs = [0.0; 2];
        for _ in 0..rounds {
            for (i, f) in [case.plain, case.sdk].into_iter().enumerate() {
                let a0 = allocations();
                let t = Instant::now();
                for _ in 0..reps {
                    f(&case.body)?;
                }
                best[i] = best[i].min(t.elapsed().as_secs_f64() / reps as f64);
                allocs[i] = (allocations() - a0) as f64 / reps as f64;
            }
        }
        println!(
            "decode.{}: {:.2} µs (plain floor {:.2} µs, SDK/floor {:.3}; {:.0} allocations, floor {:.0}; {} bytes)",
            case.name,
            best[1] * 1e6,
            best[0] * 1e6,
            best[1] / best[0],
            allocs[1],
            allocs[0],
            case.body.len()
        );
    }
    Ok(())
}

/// `decode-only <case> <sdk|plain> [reps]`: decodes one canned body `reps` times and nothing
/// else, for instruction counts under callgrind.
fn decode_only(args: &[String]) -> Result<(), Error> {
    let usage =
        "usage: camunda-bench decode-only <topology|create|search|activate> <sdk|plain> [reps]";
    let (Some(name), Some(into)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    let reps: usize = args.get(2).map_or(Ok(100), |r| r.parse())?;
    let case = decode_cases()
        .into_iter()
        .find(|c| c.name == name)
        .ok_or(usage)?;
    let f = match into.as_str() {
        "sdk" => case.sdk,
        "plain" => case.plain,
        _ => return Err(usage.into()),
    };
    let a0 = allocations();
    for _ in 0..reps {
        f(&case.body)?;
    }
    println!(
        "decoded {name} into {into} types {reps} times, {:.1} allocations each",
        (allocations() - a0) as f64 / reps as f64
    );
    Ok(())
}

/// `calls-only <op> <floor|sdk> [calls]`: sequential calls of one operation against the canned
/// server and nothing else, for instruction counts under callgrind.
fn calls_only(rt: &tokio::runtime::Runtime, server: &Server, args: &[String]) -> Result<(), Error> {
    let usage = "usage: camunda-bench calls-only <op> <floor|floor+request_clone|sdk> [calls]";
    let (Some(name), Some(via)) = (args.first(), args.get(1)) else {
        return Err(usage.into());
    };
    let calls: usize = args.get(2).map_or(Ok(200), |r| r.parse())?;
    let op = Op::ALL
        .into_iter()
        .chain([Op::CreateBySetters])
        .find(|o| o.name() == name)
        .ok_or(usage)?;
    let variant = match via.as_str() {
        "floor" => Variant::Floor(0),
        "floor+request_clone" => Variant::Floor(1),
        "sdk" => Variant::Async,
        _ => return Err(usage.into()),
    };
    let url = server.url();
    let clients = {
        let _guard = rt.enter();
        Clients {
            floors: vec![Floor::new(&url)?, Floor::new(&url)?.cloning_request()],
            sdk: camunda_sdk::CamundaClient::new(config(&url)?)?
                .with_retry_policy(RetryPolicy::none()),
            blocking: blocking::CamundaClient::new(config(&url)?)?
                .with_retry_policy(RetryPolicy::none()),
        }
    };
    let bodies = Arc::new(Bodies::new()?);
    let per_call = allocations_per_call(rt, variant, &clients, &bodies, op)?;
    time_calls(rt, variant, &clients, &bodies, op, calls, 1)?;
    let size = op.future_size(&clients.sdk, &bodies);
    println!(
        "{calls} calls of {name} through {via}; {per_call:.1} allocations per call; the SDK's future for it is {size} bytes"
    );
    Ok(())
}
