//! What the docs promise is wiped is wiped: every heap block freed while a
//! handle and its secrets are built, cloned and dropped is checked for the
//! secret's bytes by a global allocator that looks before it frees.
//!
//! Its own test binary (the allocator is process-wide), one test (the count
//! is too).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Never written by the test itself into memory it frees: it reaches the heap
/// only through the types under test.
const CANARY: &str = "zeroize-canary-5f1c9a7e3b2d48e6a0c4f7b19d3e8a62";

struct Watching;

static WATCH: AtomicBool = AtomicBool::new(false);
static FREED_WITH_CANARY: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WATCH.load(Ordering::SeqCst) && layout.size() >= CANARY.len() {
            // The block is still ours until System frees it.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()) {
                FREED_WITH_CANARY.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A move to a new block leaves the old one behind unwiped: count it.
        if WATCH.load(Ordering::SeqCst) && layout.size() >= CANARY.len() {
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if block.windows(CANARY.len()).any(|w| w == CANARY.as_bytes()) {
                FREED_WITH_CANARY.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

/// How many freed blocks held the canary while `f` ran.
fn leaks(f: impl FnOnce()) -> usize {
    FREED_WITH_CANARY.store(0, Ordering::SeqCst);
    WATCH.store(true, Ordering::SeqCst);
    f();
    WATCH.store(false, Ordering::SeqCst);
    FREED_WITH_CANARY.load(Ordering::SeqCst)
}

#[test]
fn secrets_and_the_token_header_are_wiped_when_dropped() {
    let client = unleashx::Client::new("http://127.0.0.1:1").unwrap();
    // The allocator sees what it must: a plain String holding it is reported.
    assert_eq!(leaks(|| drop(String::from(CANARY))), 1);

    type Case<'a> = (&'static str, Box<dyn Fn() + 'a>);
    let cases: [Case; 6] = [
        (
            "ApiToken",
            Box::new(|| drop(unleashx::ApiToken::new(CANARY))),
        ),
        (
            "LoginToken",
            Box::new(|| drop(unleashx::LoginToken::new(CANARY))),
        ),
        ("Otp", Box::new(|| drop(unleashx::Otp::new(CANARY)))),
        (
            "unleashx_api::auth::Auth",
            Box::new(|| {
                let auth = unleashx_api::auth::Auth::token(CANARY).unwrap();
                drop(auth.clone());
                drop(auth);
            }),
        ),
        (
            "ApiClient",
            Box::new(|| {
                let api = client.with_api_token(CANARY).unwrap();
                let other = api.clone();
                drop(api.with_api_token(CANARY).unwrap());
                drop(api);
                drop(other);
            }),
        ),
        (
            "LoginSession",
            Box::new(|| {
                let session = client.with_login_token(CANARY).unwrap();
                drop(session.clone());
                drop(session);
            }),
        ),
    ];
    let mut failed = Vec::new();
    for (what, case) in &cases {
        let n = leaks(case);
        if n > 0 {
            failed.push(format!("{what}: {n} freed block(s) still held the secret"));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
