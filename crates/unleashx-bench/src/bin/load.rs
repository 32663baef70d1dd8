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

/// Bounded load against an in-process loopback server.
#[derive(Debug, clap::Parser)]
#[command(name = "load")]
enum Cli {
    /// Sequential calls, the variants interleaved round by round.
    Seq(SeqArgs),
    /// `--calls` calls with `--inflight` in flight over one client.
    Conc(ConcArgs),
}

/// `load seq`.
#[derive(Debug, clap::Args)]
struct SeqArgs {
    /// The server: `fixed` or `sim`.
    #[arg(long, default_value = "fixed")]
    server: ServerKind,
    /// The operation: `verify` or `mint`.
    #[arg(long, default_value = "verify")]
    op: Op,
    /// Rounds (default 15; 3 with --quick).
    #[arg(long)]
    rounds: Option<usize>,
    /// Calls per round and variant (default 2000; 100 with --quick).
    #[arg(long)]
    calls: Option<usize>,
    /// Warm-up calls per variant (default 500; 20 with --quick).
    #[arg(long)]
    warmup: Option<usize>,
    /// The variants, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    variants: Vec<Variant>,
    /// The time limit, in seconds.
    #[arg(long, default_value_t = 120)]
    max_secs: u64,
    /// Fewer rounds and calls.
    #[arg(long)]
    quick: bool,
}

/// `load conc`.
#[derive(Debug, clap::Args)]
struct ConcArgs {
    /// The server: `fixed` or `sim`.
    #[arg(long, default_value = "fixed")]
    server: ServerKind,
    /// The variant: `raw`, `generated` or `unleashx`.
    #[arg(long, default_value = "raw")]
    variant: Variant,
    /// The operation: `verify` or `mint`.
    #[arg(long, default_value = "verify")]
    op: Op,
    /// Calls in flight.
    #[arg(long, default_value_t = 64)]
    inflight: usize,
    /// Calls measured (default 20000; 500 with --quick).
    #[arg(long)]
    calls: Option<u64>,
    /// Client runtime threads.
    #[arg(long, default_value_t = 1)]
    client_threads: usize,
    /// Server runtime threads.
    #[arg(long, default_value_t = 1)]
    server_threads: usize,
    /// The time limit, in seconds.
    #[arg(long, default_value_t = 60)]
    max_secs: u64,
    /// Warm-up calls (default 4 × --inflight).
    #[arg(long)]
    warmup_calls: Option<u64>,
    /// Fewer calls.
    #[arg(long)]
    quick: bool,
}

fn main() -> ExitCode {
    let result = match clap::Parser::parse() {
        Cli::Seq(args) => seq(&args),
        Cli::Conc(args) => conc(&args),
    };
    unleashx_bench::exit("load", result)
}

fn seq(args: &SeqArgs) -> Result<(), BoxError> {
    let variants: Vec<Variant> = if args.variants.is_empty() {
        Variant::ALL.to_vec()
    } else {
        args.variants.clone()
    };
    let (server_kind, op, max_secs) = (args.server, args.op, args.max_secs);
    let rounds = args.rounds.unwrap_or(if args.quick { 3 } else { 15 });
    let calls = args.calls.unwrap_or(if args.quick { 100 } else { 2000 });
    let warmup = args.warmup.unwrap_or(if args.quick { 20 } else { 500 });
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

fn conc(args: &ConcArgs) -> Result<(), BoxError> {
    let (server_kind, variant, op, inflight) = (args.server, args.variant, args.op, args.inflight);
    let calls = args.calls.unwrap_or(if args.quick { 500 } else { 20_000 });
    let (client_threads, server_threads, max_secs) =
        (args.client_threads, args.server_threads, args.max_secs);
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
    let warmup: u64 = args.warmup_calls.unwrap_or((4 * inflight) as u64);
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
