//! Bounded load against an in-process loopback server (127.0.0.1 only).
//!
//! ```text
//! load seq  [--server fixed|sim] [--op verify|mint] [--rounds R] [--calls N] [--quick]
//! load conc --variant raw|generated|unleashx [--server fixed|sim] [--inflight K]
//!           [--calls N] [--client-threads T] [--max-secs S] [--quick]
//! ```
//!
//! `seq`: sequential calls, the three variants interleaved round by round (the
//! order rotates every round), so that noise from other processes hits all
//! three alike; prints per-call medians and the paired ratios to raw.
//!
//! `conc`: `N` calls with `K` in flight over one client; prints one JSON line
//! with throughput, latency percentiles, the TCP connections the server
//! accepted and the peak RSS (VmHWM, server included). Run it once per
//! variant, alternating, from `scripts/bench-load.sh`.
//!
//! Every loop is bounded by a call count and by `--max-secs`.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use unleashx_bench::stats::{median, percentile, summarize};
use unleashx_bench::{
    peak_rss_kib, rss_kib, BenchServer, BoxError, Callers, Op, ServerKind, Variant,
};

const USAGE: &str = "usage: load seq [--server fixed|sim] [--op verify|mint] [--rounds R] [--calls N] [--warmup W] [--variants raw,generated,unleashx] [--quick]
       load conc --variant raw|generated|unleashx [--server fixed|sim] [--inflight K] [--calls N] [--client-threads T] [--max-secs S] [--quick]";

struct Args {
    flags: HashMap<String, String>,
    quick: bool,
}

impl Args {
    fn parse(args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut flags = HashMap::new();
        let mut quick = false;
        let mut args = args.peekable();
        while let Some(a) = args.next() {
            if a == "--quick" {
                quick = true;
                continue;
            }
            let Some(name) = a.strip_prefix("--") else {
                return Err(format!("unexpected argument {a:?}"));
            };
            let value = args
                .next()
                .ok_or_else(|| format!("--{name} needs a value"))?;
            flags.insert(name.to_owned(), value);
        }
        Ok(Self { flags, quick })
    }

    fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, String>
    where
        T::Err: std::fmt::Display,
    {
        match self.flags.get(name) {
            None => Ok(default),
            Some(v) => v.parse().map_err(|e| format!("--{name} {v:?}: {e}")),
        }
    }

    fn check_known(&self, known: &[&str]) -> Result<(), String> {
        for k in self.flags.keys() {
            if !known.contains(&k.as_str()) {
                return Err(format!("unknown flag --{k}"));
            }
        }
        Ok(())
    }
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let mode = argv.next().unwrap_or_default();
    let result = Args::parse(argv)
        .map_err(BoxError::from)
        .and_then(|args| match mode.as_str() {
            "seq" => seq(&args),
            "conc" => conc(&args),
            _ => Err(USAGE.into()),
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("load: {e}");
            ExitCode::from(2)
        }
    }
}

fn seq(args: &Args) -> Result<(), BoxError> {
    args.check_known(&[
        "server", "op", "rounds", "calls", "max-secs", "warmup", "variants",
    ])?;
    let variants: Vec<Variant> = match args.flags.get("variants") {
        None => Variant::ALL.to_vec(),
        Some(list) => list
            .split(',')
            .map(str::parse)
            .collect::<Result<_, String>>()?,
    };
    let server_kind: ServerKind = args.get("server", ServerKind::Fixed)?;
    let op: Op = args.get("op", Op::Verify)?;
    let rounds: usize = args.get("rounds", if args.quick { 3 } else { 15 })?;
    let calls: usize = args.get("calls", if args.quick { 100 } else { 2000 })?;
    let warmup: usize = args.get("warmup", if args.quick { 20 } else { 500 })?;
    let max_secs: u64 = args.get("max-secs", 120)?;
    let server = BenchServer::start(server_kind, 1)?;
    let callers = Callers::new(server.base_url(), server.api_token())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(max_secs);
    // per variant: per-round microseconds per call
    let mut per_round: HashMap<&'static str, Vec<f64>> = HashMap::new();
    rt.block_on(async {
        for &v in &variants {
            for _ in 0..warmup {
                callers.call(v, op).await?;
            }
        }
        for round in 0..rounds {
            if Instant::now() > deadline {
                eprintln!("load: --max-secs reached after {round} rounds");
                break;
            }
            for k in 0..variants.len() {
                let v = variants[(round + k) % variants.len()];
                let start = Instant::now();
                for _ in 0..calls {
                    callers.call(v, op).await?;
                }
                let us = start.elapsed().as_secs_f64() * 1e6 / calls as f64;
                per_round.entry(v.name()).or_default().push(us);
            }
        }
        Ok::<(), BoxError>(())
    })?;
    let raw = per_round.get("raw").cloned().unwrap_or_default();
    println!(
        "seq server={} op={} rounds={} calls/round/variant={} connections={}",
        server_kind.name(),
        op.name(),
        raw.len(),
        calls,
        server.connections()
    );
    println!("variant    median_us  q1_us    q3_us    min_us   max_us   ratio_to_raw(median of paired, min..max)  overhead_us(median paired)");
    for &v in &variants {
        let xs = per_round.get(v.name()).cloned().unwrap_or_default();
        let s = summarize(&xs);
        let ratios: Vec<f64> = xs.iter().zip(&raw).map(|(x, r)| x / r).collect();
        let diffs: Vec<f64> = xs.iter().zip(&raw).map(|(x, r)| x - r).collect();
        let rs = summarize(&ratios);
        println!(
            "{:<10} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}   {:.3} ({:.3}..{:.3})                       {:+.2}",
            v.name(),
            s.median,
            s.q1,
            s.q3,
            s.min,
            s.max,
            rs.median,
            rs.min,
            rs.max,
            median(&diffs)
        );
    }
    Ok(())
}

fn conc(args: &Args) -> Result<(), BoxError> {
    args.check_known(&[
        "server",
        "variant",
        "inflight",
        "calls",
        "client-threads",
        "server-threads",
        "max-secs",
        "op",
        "warmup-calls",
    ])?;
    let server_kind: ServerKind = args.get("server", ServerKind::Fixed)?;
    let variant: Variant = args.get("variant", Variant::Raw)?;
    let op: Op = args.get("op", Op::Verify)?;
    let inflight: usize = args.get("inflight", 64)?;
    let calls: u64 = args.get("calls", if args.quick { 500 } else { 20_000 })?;
    let client_threads: usize = args.get("client-threads", 1)?;
    let server_threads: usize = args.get("server-threads", 1)?;
    let max_secs: u64 = args.get("max-secs", 60)?;
    if inflight == 0 || client_threads == 0 {
        return Err("--inflight and --client-threads must be at least 1".into());
    }
    let server = BenchServer::start(server_kind, server_threads)?;
    let callers = Arc::new(Callers::new(server.base_url(), server.api_token())?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(client_threads)
        .enable_all()
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(max_secs);
    let errors = Arc::new(AtomicU64::new(0));
    let rss_before = rss_kib().unwrap_or(0);
    // Ramp-up: connections are opened here; hyper-util's pool races a new
    // connect against waiting for an idle connection and keeps both.
    let warmup: u64 = args.get("warmup-calls", (4 * inflight) as u64)?;
    rt.block_on(phase(
        &callers, variant, op, inflight, warmup, deadline, &errors,
    ));
    let connections_warmup = server.connections();
    let start = Instant::now();
    let latencies = rt.block_on(phase(
        &callers, variant, op, inflight, calls, deadline, &errors,
    ));
    let secs = start.elapsed().as_secs_f64();
    let done = latencies.len() as u64;
    let errors = errors.load(Ordering::Relaxed);
    let connections = server.connections();
    let peak = peak_rss_kib().unwrap_or(0);
    println!(
        "{{\"mode\":\"conc\",\"variant\":\"{}\",\"server\":\"{}\",\"op\":\"{}\",\"inflight\":{inflight},\"calls\":{done},\"errors\":{errors},\"secs\":{secs:.3},\"rps\":{:.1},\"p50_us\":{:.1},\"p99_us\":{:.1},\"connections\":{connections},\"connections_after_warmup\":{connections_warmup},\"peak_open_connections\":{},\"rss_before_kib\":{rss_before},\"peak_rss_kib\":{peak},\"client_threads\":{client_threads},\"server_threads\":{server_threads}}}",
        variant.name(),
        server_kind.name(),
        op.name(),
        done as f64 / secs,
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        server.peak_open_connections(),
    );
    if errors > 0 {
        return Err(format!("{errors} calls failed").into());
    }
    if done < calls {
        return Err(format!("only {done} of {calls} calls ran before --max-secs").into());
    }
    Ok(())
}

/// `calls` calls of `op` through `variant`, `inflight` at a time, stopping at
/// `deadline`; returns each call's latency in microseconds.
async fn phase(
    callers: &Arc<Callers>,
    variant: Variant,
    op: Op,
    inflight: usize,
    calls: u64,
    deadline: Instant,
    errors: &Arc<AtomicU64>,
) -> Vec<f64> {
    let next = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::with_capacity(inflight);
    for _ in 0..inflight {
        let callers = Arc::clone(callers);
        let next = Arc::clone(&next);
        let errors = Arc::clone(errors);
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < calls && Instant::now() < deadline {
                let t = Instant::now();
                if callers.call(variant, op).await.is_err() {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                lat.push(t.elapsed().as_secs_f64() * 1e6);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        if let Ok(lat) = t.await {
            all.extend(lat);
        }
    }
    all
}
