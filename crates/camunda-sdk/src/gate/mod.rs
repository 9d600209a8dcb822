//! The client-wide backpressure gate: an AIMD limit on the requests a client has in flight.
//!
//! A cluster under load answers `RESOURCE_EXHAUSTED` (503, 429). Retrying each request on its own
//! keeps every caller's request in flight against a cluster that asked for less; the gate instead
//! shares one limit between all clones of a client:
//!
//! - The limit starts open (no limit). The first backpressure signal sets it to `initial_max`
//!   cut by `soft_factor`; every later signal cuts it
//!   again, by `severe_factor` once `severe_threshold` cuts came in a row without a success in
//!   between, never below `floor`. Only one cut per generation: a signal from a request that was
//!   admitted before the last cut says nothing about the new limit, so a burst of 200 rejections
//!   cuts once, not 200 times.
//! - Each success while the limit is reached (and each successful activation) raises it by
//!   `recovery_step / limit`, so by `recovery_step` per limit's worth of successes: additive
//!   increase. After
//!   `unlimited_after_healthy` without a signal the gate opens fully again.
//! - A caller that finds the limit reached waits in a FIFO queue of at most `max_waiters`, for
//!   at most its request timeout; past either bound it gets [`Error::Throttled`].
//! - Job completion, failure and BPMN errors are exempt: they free cluster capacity, and a worker
//!   must never wait behind its own results. Job activations pass the gate (so a throttled worker
//!   polls less) but give their permit back once sent: a long poll holds a connection, not
//!   cluster work.

mod config;

pub use config::{BackpressureConfig, BackpressureProfile};
pub(crate) use config::{ENV_KNOBS, from_env};

use crate::{Error, Result};
use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// What the gate looks like now, from [`crate::CamundaClient::backpressure`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GateStats {
    /// The profile in use.
    pub profile: BackpressureProfile,
    /// The most requests admitted at once, or `None` while the gate is open (no recent
    /// backpressure, or the `LEGACY` profile).
    pub limit: Option<usize>,
    /// Requests holding a permit now (exempt operations and sent activations do not).
    pub in_flight: usize,
    /// Callers waiting for a permit.
    pub waiting: usize,
    /// Backpressure answers seen since the client was made.
    pub backpressure_signals: u64,
    /// Requests the gate refused ([`Error::Throttled`]).
    pub throttled: u64,
}

/// How an operation passes the gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Takes a permit for the whole attempt.
    Gated,
    /// Waits for a permit but gives it back once the request is on its way (long poll).
    Admission,
    /// Never waits: frees cluster capacity.
    Exempt,
}

/// Operation ids, not an inventory flag: the set is a policy of this module, not a property of
/// the API, and three ids do not justify a generated field.
fn class(operation: &str) -> Class {
    match operation {
        "completeJob" | "failJob" | "throwJobError" => Class::Exempt,
        "activateJobs" => Class::Admission,
        _ => Class::Gated,
    }
}

tokio::task_local! {
    /// Time the current task's requests spent waiting for the gate (see [`metered`]).
    static WAITED: std::cell::Cell<Duration>;
}

/// Runs `f`, returning also how long the gate made the requests inside it wait.
pub(crate) async fn metered<F: Future>(f: F) -> (F::Output, Duration) {
    WAITED
        .scope(std::cell::Cell::new(Duration::ZERO), async {
            let out = f.await;
            (out, WAITED.with(std::cell::Cell::get))
        })
        .await
}

/// The gate shared by every clone of one client.
#[derive(Debug)]
pub(crate) struct Gate {
    cfg: BackpressureConfig,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// `None`: open.
    limit: Option<f64>,
    in_use: usize,
    queue: VecDeque<(u64, oneshot::Sender<u64>)>,
    next_id: u64,
    /// Bumped by every cut; a permit remembers the generation it was admitted in.
    generation: u64,
    /// Cuts since the last success of the current generation.
    consecutive: u32,
    last_signal: Option<Instant>,
    signals: u64,
    throttled: u64,
}

impl State {
    fn cap(&self) -> Option<usize> {
        self.limit.map(|l| (l as usize).max(1))
    }

    fn has_room(&self) -> bool {
        self.cap().is_none_or(|cap| self.in_use < cap)
    }

    /// Hands free permits to waiters, oldest first.
    fn dispatch(&mut self) {
        while self.has_room() {
            let Some((_, grant)) = self.queue.pop_front() else {
                return;
            };
            self.in_use += 1;
            if grant.send(self.generation).is_err() {
                self.in_use -= 1;
            }
        }
    }

    fn set_limit(&mut self, limit: Option<f64>, why: &'static str) {
        let before = self.cap();
        self.limit = limit;
        let after = self.cap();
        if before != after {
            let (from, to) = (show(before), show(after));
            if after.is_some_and(|a| before.is_none_or(|b| a < b)) {
                tracing::info!(target: "camunda_sdk::backpressure", from, to, why, in_flight = self.in_use, waiting = self.queue.len(), "backpressure limit lowered");
            } else {
                tracing::debug!(target: "camunda_sdk::backpressure", from, to, why, "backpressure limit raised");
            }
        }
        self.dispatch();
    }
}

fn show(cap: Option<usize>) -> String {
    cap.map_or_else(|| "open".to_owned(), |c| c.to_string())
}

/// The outcome of one attempt, as the gate sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signal {
    Backpressure,
    Success,
    Other,
}

impl Gate {
    pub fn new(cfg: BackpressureConfig) -> Self {
        Gate {
            cfg,
            state: Mutex::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn stats(&self) -> GateStats {
        let s = self.lock();
        GateStats {
            profile: self.cfg.profile,
            limit: s.cap(),
            in_flight: s.in_use,
            waiting: s.queue.len(),
            backpressure_signals: s.signals,
            throttled: s.throttled,
        }
    }

    /// Runs one attempt of `operation` under the gate: waits for a permit (at most `wait`),
    /// sends, tells the gate how it went, gives the permit back.
    ///
    /// The attempt is made once the permit is held: a future passed in would be kept next to
    /// the wait for the permit, doubling the size of every request's future.
    pub async fn run<T, Fut: Future<Output = Result<T>>>(
        &self,
        operation: &'static str,
        wait: Duration,
        attempt: impl FnOnce() -> Fut,
    ) -> Result<T> {
        let class = class(operation);
        let generation = match class {
            Class::Exempt => self.lock().generation,
            _ => self.acquire(operation, wait).await?,
        };
        let holds = class == Class::Gated;
        if class == Class::Admission {
            self.release();
        }
        // Give the permit back even when the caller drops the attempt half way.
        let guard = Release(holds.then_some(self));
        let result = attempt().await;
        let signal = match &result {
            Ok(_) => Signal::Success,
            Err(e) if e.is_backpressure() => Signal::Backpressure,
            Err(_) => Signal::Other,
        };
        // Exempt calls are not what the limit limits: their backpressure counts, their
        // successes do not raise it.
        if class != Class::Exempt || signal == Signal::Backpressure {
            self.report_with(generation, signal, class == Class::Admission, Instant::now);
        }
        drop(guard);
        result
    }

    /// A permit's generation, or [`Error::Throttled`].
    async fn acquire(&self, operation: &'static str, wait: Duration) -> Result<u64> {
        let (id, rx) = {
            let mut s = self.lock();
            // The clock only matters to a gate that is throttling.
            if s.limit.is_some() {
                self.maybe_open(&mut s, Instant::now());
            }
            if !self.cfg.enabled() || (s.queue.is_empty() && s.has_room()) {
                s.in_use += 1;
                return Ok(s.generation);
            }
            if s.queue.len() >= self.cfg.max_waiters as usize {
                s.throttled += 1;
                return Err(throttled(operation, Duration::ZERO, &s, true));
            }
            let (tx, rx) = oneshot::channel();
            s.next_id += 1;
            let id = s.next_id;
            s.queue.push_back((id, tx));
            (id, rx)
        };
        let started = Instant::now();
        let mut waiter = Waiter {
            gate: self,
            id,
            rx,
            done: false,
        };
        let granted = match tokio::time::timeout(wait, &mut waiter.rx).await {
            Ok(Ok(generation)) => Some(generation),
            Ok(Err(_)) => None,
            Err(_) => {
                let mut s = self.lock();
                if let Some(pos) = s.queue.iter().position(|(i, _)| *i == id) {
                    s.queue.remove(pos);
                }
                // A grant may have raced the deadline: then the permit is ours after all.
                waiter.rx.try_recv().ok()
            }
        };
        waiter.done = true;
        let waited = started.elapsed();
        let _ = WAITED.try_with(|w| w.set(w.get() + waited));
        match granted {
            Some(generation) => Ok(generation),
            None => {
                let mut s = self.lock();
                s.throttled += 1;
                Err(throttled(operation, waited, &s, false))
            }
        }
    }

    fn release(&self) {
        let mut s = self.lock();
        s.in_use = s.in_use.saturating_sub(1);
        s.dispatch();
    }

    fn maybe_open(&self, s: &mut State, now: Instant) {
        if s.limit.is_some()
            && s.last_signal
                .is_none_or(|t| now.duration_since(t) >= self.cfg.unlimited_after_healthy)
        {
            s.consecutive = 0;
            s.set_limit(None, "no backpressure for a while");
        }
    }

    /// The AIMD step for one outcome of a request admitted in `generation`.
    /// `passed` says the request waited its turn at the limit even if it holds no permit now
    /// (an activation), so its success counts as the limit binding.
    #[cfg(test)]
    fn report(&self, generation: u64, signal: Signal, passed: bool, now: Instant) {
        self.report_with(generation, signal, passed, || now);
    }

    /// [`Gate::report`], reading the clock only when the outcome needs it (an open gate's
    /// success does not: one clock read less per request).
    fn report_with(
        &self,
        generation: u64,
        signal: Signal,
        passed: bool,
        now: impl FnOnce() -> Instant,
    ) {
        let mut s = self.lock();
        let cfg = &self.cfg;
        match signal {
            Signal::Other => {}
            Signal::Backpressure => {
                s.signals += 1;
                s.last_signal = Some(now());
                if !cfg.enabled() || generation != s.generation {
                    return;
                }
                let base = s.limit.unwrap_or(f64::from(cfg.initial_max));
                s.consecutive += 1;
                let keep = if s.consecutive >= cfg.severe_threshold {
                    cfg.severe_factor
                } else {
                    cfg.soft_factor
                };
                let cut = (base * f64::from(keep) / 100.0).max(f64::from(cfg.floor));
                s.generation += 1;
                s.set_limit(Some(cut), "backpressure");
            }
            Signal::Success => {
                if generation == s.generation {
                    s.consecutive = 0;
                }
                if s.limit.is_some() {
                    self.maybe_open(&mut s, now());
                }
                let (Some(limit), Some(cap)) = (s.limit, s.cap()) else {
                    return;
                };
                // Grow only while the limit is what holds callers back.
                if passed || s.in_use + s.queue.len() >= cap {
                    let grown = limit + f64::from(cfg.recovery_step) / limit;
                    s.set_limit(Some(grown), "successes");
                }
            }
        }
    }

    /// The most jobs a worker should ask for in one activation now: the limit while the gate
    /// throttles, else `None`.
    pub fn activation_cap(&self) -> Option<usize> {
        self.lock().cap()
    }
}

fn throttled(operation: &'static str, waited: Duration, s: &State, queue_full: bool) -> Error {
    Error::Throttled {
        operation,
        waited,
        limit: s.cap().unwrap_or(0),
        waiting: s.queue.len(),
        queue_full,
    }
}

/// Gives a held permit back when dropped.
struct Release<'a>(Option<&'a Gate>);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        if let Some(gate) = self.0 {
            gate.release();
        }
    }
}

/// A place in the queue; leaving it (a timeout, or the caller dropping the request) takes the
/// place out, or gives back a permit granted but never used.
struct Waiter<'a> {
    gate: &'a Gate,
    id: u64,
    rx: oneshot::Receiver<u64>,
    done: bool,
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let mut s = self.gate.lock();
        if let Some(pos) = s.queue.iter().position(|(i, _)| *i == self.id) {
            s.queue.remove(pos);
        } else if self.rx.try_recv().is_ok() {
            s.in_use = s.in_use.saturating_sub(1);
            s.dispatch();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(cfg: BackpressureConfig) -> Gate {
        Gate::new(cfg)
    }

    /// Admits `n` gated requests and returns their generation.
    fn admit(g: &Gate, n: usize) -> u64 {
        let mut s = g.lock();
        s.in_use += n;
        s.generation
    }

    #[test]
    fn first_signal_cuts_from_the_initial_max_once_per_generation() {
        let g = gate(BackpressureConfig::default());
        let gen0 = admit(&g, 200);
        let now = Instant::now();
        g.report(gen0, Signal::Backpressure, false, now);
        // 64 kept at 80 %.
        assert_eq!(g.stats().limit, Some(51));
        // The other 199 answers of the same burst do not cut again.
        for _ in 0..199 {
            g.report(gen0, Signal::Backpressure, false, now);
        }
        assert_eq!(g.stats().limit, Some(51));
        assert_eq!(g.stats().backpressure_signals, 200);
    }

    #[test]
    fn cuts_in_a_row_turn_severe_and_stop_at_the_floor() {
        let g = gate(BackpressureConfig::default().initial_max(10).floor(3));
        admit(&g, 10);
        let now = Instant::now();
        let mut limits = Vec::new();
        for _ in 0..8 {
            let generation = g.lock().generation;
            g.report(generation, Signal::Backpressure, false, now);
            limits.push(g.stats().limit.unwrap());
        }
        // 10 → 8 → 6.4 (soft, soft), then severe: 3.2, then the floor.
        assert_eq!(limits, vec![8, 6, 3, 3, 3, 3, 3, 3]);
    }

    #[test]
    fn a_success_between_cuts_keeps_them_soft() {
        let g = gate(
            BackpressureConfig::default()
                .initial_max(50)
                .severe_threshold(2),
        );
        admit(&g, 50);
        let now = Instant::now();
        for _ in 0..3 {
            let generation = g.lock().generation;
            g.report(generation, Signal::Backpressure, false, now);
            g.report(generation + 1, Signal::Success, false, now);
        }
        // 50 · 0.8³ = 25.6 (a severe cut would have made it 16).
        assert_eq!(g.stats().limit, Some(25));
    }

    #[test]
    fn successes_grow_the_limit_by_the_step_per_window_only_while_it_binds() {
        let g = gate(BackpressureConfig::default().initial_max(10));
        let generation = admit(&g, 10);
        let now = Instant::now();
        g.report(generation, Signal::Backpressure, false, now);
        assert_eq!(g.stats().limit, Some(8));
        // Eight requests in flight: the limit binds; 8 successes add about 1.
        g.lock().in_use = 8;
        for _ in 0..9 {
            g.report(generation + 1, Signal::Success, false, now);
        }
        assert_eq!(g.stats().limit, Some(9));
        // Two in flight: the limit is not what holds anyone back, so it stays.
        g.lock().in_use = 2;
        for _ in 0..100 {
            g.report(generation + 1, Signal::Success, false, now);
        }
        assert_eq!(g.stats().limit, Some(9));
        // Quiet for the healthy period: open.
        let later = now + BackpressureConfig::default().unlimited_after_healthy;
        g.report(generation + 1, Signal::Success, false, later);
        assert_eq!(g.stats().limit, None);
    }

    #[test]
    fn legacy_counts_but_never_limits() {
        let g = gate(BackpressureConfig::profile(BackpressureProfile::Legacy));
        let generation = admit(&g, 5);
        g.report(generation, Signal::Backpressure, false, Instant::now());
        let stats = g.stats();
        assert_eq!((stats.limit, stats.backpressure_signals), (None, 1));
    }

    #[test]
    fn classes_follow_the_operation() {
        for id in ["completeJob", "failJob", "throwJobError"] {
            assert_eq!(class(id), Class::Exempt, "{id}");
        }
        assert_eq!(class("activateJobs"), Class::Admission);
        assert_eq!(class("createProcessInstance"), Class::Gated);
        // The ids are the generated ones (a renamed operation would silently lose its class).
        use crate::generated::ops;
        for (op, id) in [
            (&ops::COMPLETE_JOB, "completeJob"),
            (&ops::FAIL_JOB, "failJob"),
            (&ops::THROW_JOB_ERROR, "throwJobError"),
            (&ops::ACTIVATE_JOBS, "activateJobs"),
        ] {
            assert_eq!(op.id, id);
        }
    }
}
