//! Codegen time alone, and how it grows with the spec.
//!
//! ```text
//! codegen_time [--spec openapi.yaml] [--runs N] [--scales 1,10,100] [--quick]
//! ```
//!
//! For each scale `k` the spec's operations are copied `k - 1` more times
//! under `/bench{i}` + their path with operationIds suffixed `_{i}`
//! (same component schemas), written as JSON (valid YAML), then parsed with
//! `Spec::parse` and generated with `generate_client` (and, as build.rs
//! does, `generate_httpmock`) `N` times. Prints medians and time per operation.

use std::process::ExitCode;
use std::time::Instant;

use serde_json::Value;
use unleashx_bench::stats::summarize;
use unleashx_bench::BoxError;

/// Codegen time alone, and how it grows with the spec.
#[derive(Debug, clap::Parser)]
#[command(name = "codegen_time")]
struct Cli {
    /// The spec to scale.
    #[arg(long = "spec", default_value = "openapi.yaml")]
    spec_path: String,
    /// Runs per scale (default: 15 at 1, 7 up to 10, 3 above).
    #[arg(long)]
    runs: Option<usize>,
    /// Scales, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 10, 100])]
    scales: Vec<usize>,
    /// One run, scales 1 and 10.
    #[arg(long)]
    quick: bool,
}

fn main() -> ExitCode {
    unleashx_bench::exit("codegen_time", run(clap::Parser::parse()))
}

fn run(cli: Cli) -> Result<(), BoxError> {
    let Cli {
        spec_path,
        mut runs,
        mut scales,
        quick,
    } = cli;
    if quick {
        runs = Some(1);
        scales = vec![1, 10];
    }
    let load_start = Instant::now();
    let spec = unleashx_codegen::Spec::load(spec_path.as_ref())?;
    let load_ms = load_start.elapsed().as_secs_f64() * 1e3;
    let base = spec.raw().clone();
    let ops_per_copy = spec.document().operations().count();
    println!("spec {spec_path}: {ops_per_copy} operations; first Spec::load {load_ms:.1} ms");
    println!("| scale | operations | spec KiB | runs | parse ms (median, min..max) | generate_client ms (median, min..max) | generate_httpmock ms (median) | client µs/operation | total ms (median) | generated client KiB |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for &scale in &scales {
        let doc = scaled(&base, scale)?;
        let text = serde_json::to_string_pretty(&doc)?;
        let n = runs.unwrap_or(match scale {
            0..=1 => 15,
            2..=10 => 7,
            _ => 3,
        });
        let (mut parse, mut client, mut mock, mut total) = (vec![], vec![], vec![], vec![]);
        let (mut out_len, mut ops) = (0, 0);
        for _ in 0..n.max(1) {
            let t0 = Instant::now();
            let spec = unleashx_codegen::Spec::parse(&text, "scaled.json")?;
            let t1 = Instant::now();
            let out = unleashx_codegen::generate_client(&spec)?;
            let t2 = Instant::now();
            let m = unleashx_codegen::generate_httpmock(&spec, "crate")?;
            let t3 = Instant::now();
            std::hint::black_box(&m);
            out_len = out.len();
            ops = spec.document().operations().count();
            parse.push((t1 - t0).as_secs_f64() * 1e3);
            client.push((t2 - t1).as_secs_f64() * 1e3);
            mock.push((t3 - t2).as_secs_f64() * 1e3);
            total.push((t3 - t0).as_secs_f64() * 1e3);
        }
        let (p, c, m, t) = (
            summarize(&parse),
            summarize(&client),
            summarize(&mock),
            summarize(&total),
        );
        println!(
            "| {scale}x | {ops} | {:.0} | {} | {:.1} ({:.1}..{:.1}) | {:.1} ({:.1}..{:.1}) | {:.1} | {:.0} | {:.1} | {:.0} |",
            text.len() as f64 / 1024.0,
            p.n,
            p.median,
            p.min,
            p.max,
            c.median,
            c.min,
            c.max,
            m.median,
            c.median * 1e3 / ops as f64,
            t.median,
            out_len as f64 / 1024.0
        );
    }
    Ok(())
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The spec with its operations present `scale` times in all.
fn scaled(base: &Value, scale: usize) -> Result<Value, BoxError> {
    let paths = base
        .get("paths")
        .and_then(Value::as_object)
        .ok_or("the spec has no paths")?;
    let mut out = paths.clone();
    for i in 1..scale {
        for (path, item) in paths {
            let mut item = item.clone();
            let ops = item.as_object_mut().into_iter().flatten();
            for (_, op) in ops.filter(|(key, _)| METHODS.contains(&key.as_str())) {
                if let Some(Value::String(id)) = op.get_mut("operationId") {
                    id.push_str(&format!("_{i}"));
                }
            }
            out.insert(format!("/bench{i}{path}"), item);
        }
    }
    let mut doc = base.clone();
    doc["paths"] = Value::Object(out);
    Ok(doc)
}
