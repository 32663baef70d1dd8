//! Codegen turns progenitor's panics into errors without silencing panics
//! anywhere else, even with several threads generating at once.
//!
//! Its own test binary: it installs a panic hook for the whole process.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use unleashx_codegen::{generate_client, Spec};

/// Passes the spec checks, then makes progenitor 0.15 panic (`todo!` on a
/// JSON response without a schema).
const PANICS_IN_PROGENITOR: &str = r#"
openapi: 3.0.3
info: {title: panics, version: '1'}
x-unleashx-error-codes:
  BROKEN: {description: The one error code, documented: true}
paths:
  /api/a:
    get:
      operationId: a
      x-unleashx-retry: safe
      responses:
        '200':
          description: JSON without a schema
          content:
            application/json: {}
        '400':
          description: An error
          x-unleashx-error-codes: [BROKEN]
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Failure'}
components:
  schemas:
    Failure: {type: object, properties: {message: {type: string}}}
"#;

const CODEGEN_THREADS: usize = 4;
const OTHER_THREADS: usize = 2;
const ROUNDS: usize = 50;

/// The message of every panic the process's hook was given.
static REPORTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

#[test]
fn codegen_panics_are_caught_and_panics_elsewhere_still_reported() {
    // Records every panic; prints all but the deliberate ones below.
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let m = message(info.payload());
        if !(m.starts_with("elsewhere") || m == "after codegen") {
            default(info);
        }
        REPORTED.lock().unwrap_or_else(|e| e.into_inner()).push(m);
    }));
    let spec = Spec::parse(PANICS_IN_PROGENITOR, "panics.yaml").unwrap();
    let generate = |spec: &Spec| {
        let err = generate_client(spec).expect_err("progenitor panics on this spec");
        // The message of progenitor's `todo!`: the panic path, not an `Err`.
        assert!(
            err.to_string()
                .contains("progenitor could not generate the client: not yet implemented"),
            "{err}"
        );
    };
    // Once before the threads start, so that the whole run sees one hook.
    generate(&spec);

    // Other threads panic for as long as the codegen threads run.
    let done = AtomicBool::new(false);
    let started = AtomicUsize::new(0);
    thread::scope(|s| {
        let codegen = (0..CODEGEN_THREADS)
            .map(|_| {
                s.spawn(|| {
                    for _ in 0..ROUNDS {
                        generate(&spec);
                    }
                })
            })
            .collect::<Vec<_>>();
        for _ in 0..OTHER_THREADS {
            s.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    let n = started.fetch_add(1, Ordering::SeqCst);
                    let joined = thread::spawn(move || panic!("elsewhere {n}")).join();
                    assert!(joined.is_err());
                }
            });
        }
        for handle in codegen {
            handle.join().unwrap();
        }
        done.store(true, Ordering::SeqCst);
    });
    let after = thread::spawn(|| panic!("after codegen")).join();
    assert!(after.is_err());

    let reported = REPORTED.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let missing = (0..started.load(Ordering::SeqCst))
        .map(|n| format!("elsewhere {n}"))
        .filter(|m| !reported.contains(m))
        .collect::<Vec<_>>();
    assert!(
        missing.is_empty(),
        "{} of {} panics outside codegen were silenced: {missing:?}",
        missing.len(),
        started.load(Ordering::SeqCst)
    );
    assert!(reported.iter().any(|m| m == "after codegen"));
    let codegen = reported
        .iter()
        .filter(|m| !m.starts_with("elsewhere") && *m != "after codegen")
        .collect::<Vec<_>>();
    assert!(
        codegen.is_empty(),
        "panics inside codegen reached the hook: {codegen:?}"
    );
}
