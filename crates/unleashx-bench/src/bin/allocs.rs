//! Heap allocations per call on the client side, per variant and operation.
//!
//! ```text
//! allocs [--calls N] [--server fixed|sim] [--quick]
//! ```
//!
//! A counting global allocator counts allocations made on the thread that
//! runs the client (a current-thread runtime on the main thread); the
//! server runs on its own thread and is not counted. Deterministic, so
//! unlike timings it is not disturbed by other processes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::ExitCode;

use unleashx_bench::{BenchServer, BoxError, Callers, Op, ServerKind, Variant};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn note(size: usize) {
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = ALLOCS.try_with(|a| a.set(a.get() + 1));
            let _ = BYTES.try_with(|b| b.set(b.get() + size as u64));
        }
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are const-initialized thread-locals that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap allocations per call on the client side, per variant and operation.
#[derive(Debug, clap::Parser)]
#[command(name = "allocs")]
struct Cli {
    /// Calls measured per variant and operation.
    #[arg(long, default_value_t = 2000)]
    calls: u64,
    /// The server: `fixed` (canned answers) or `sim` (the simulator).
    #[arg(long, default_value = "fixed")]
    server: ServerKind,
    /// 100 calls.
    #[arg(long)]
    quick: bool,
}

fn main() -> ExitCode {
    unleashx_bench::exit("allocs", run(clap::Parser::parse()))
}

fn run(cli: Cli) -> Result<(), BoxError> {
    let calls = if cli.quick { 100 } else { cli.calls };
    let server_kind = cli.server;
    let server = BenchServer::start(server_kind, 1)?;
    let callers = Callers::new(server.base_url(), server.api_token())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    println!("| server | operation | variant | allocations/call | bytes allocated/call | extra allocations vs raw |");
    println!("|---|---|---|---|---|---|");
    for op in [Op::Verify, Op::Mint] {
        let mut raw = 0.0;
        for variant in Variant::ALL {
            let (allocs, bytes) = rt.block_on(async {
                for _ in 0..100 {
                    callers.call(variant, op).await?;
                }
                ALLOCS.with(|a| a.set(0));
                BYTES.with(|b| b.set(0));
                COUNTING.with(|c| c.set(true));
                for _ in 0..calls {
                    callers.call(variant, op).await?;
                }
                COUNTING.with(|c| c.set(false));
                Ok::<_, BoxError>((ALLOCS.with(Cell::get), BYTES.with(Cell::get)))
            })?;
            let per_call = allocs as f64 / calls as f64;
            if variant == Variant::Raw {
                raw = per_call;
            }
            println!(
                "| {} | {} | {} | {:.1} | {:.0} | {:+.1} |",
                server_kind.name(),
                op.name(),
                variant.name(),
                per_call,
                bytes as f64 / calls as f64,
                per_call - raw
            );
        }
    }
    Ok(())
}
