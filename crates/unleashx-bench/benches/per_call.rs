//! Per-call overhead: sequential calls through the hand-written reqwest call,
//! the generated client and `unleashx`, in one criterion group per
//! (operation, server), against an in-process loopback server.
//!
//! `cargo bench -p unleashx-bench --bench per_call` (about 1.5 minutes);
//! `cargo test -p unleashx-bench --benches` runs each once as a check.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use unleashx_bench::{BenchServer, Callers, Op, ServerKind, Variant};

fn per_call(c: &mut Criterion) {
    // The client runs on this thread (current-thread runtime), the server on
    // its own single-worker runtime: one core each on a 2-core machine.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    for server_kind in [ServerKind::Fixed, ServerKind::Simulator] {
        let server = BenchServer::start(server_kind, 1).expect("the loopback server starts");
        let callers =
            Callers::new(server.base_url(), server.api_token()).expect("the clients build");
        for op in [Op::Verify, Op::Mint] {
            let mut group = c.benchmark_group(format!("{}_{}", op.name(), server_kind.name()));
            for variant in Variant::ALL {
                group.bench_function(variant.name(), |b| {
                    b.to_async(&rt).iter(|| async {
                        callers
                            .call(variant, op)
                            .await
                            .expect("the call succeeds against the loopback server");
                    })
                });
            }
            group.finish();
        }
        let connections = server.connections();
        assert!(
            connections <= 3,
            "each client should reuse one connection, the server accepted {connections}"
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = per_call
}
criterion_main!(benches);
