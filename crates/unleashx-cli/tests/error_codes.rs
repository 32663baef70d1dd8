//! Every error code openapi.yaml declares reaches the CLI's JSON error, with
//! the status the spec gives it and the spec's hint: the simulator answers
//! each declared (operation, code) pair by fault injection, and the command
//! that covers the operation reports it. A code added to the spec is covered
//! here with no edit.

mod support;

use std::collections::BTreeSet;

use support::{json_error, run, Sim};
use unleashx_mock::{ErrorCode, Operation};

#[test]
fn every_declared_code_reaches_the_json_error_with_its_status_and_hint() {
    let sim = Sim::start();
    let login = sim.login_token();
    let api = sim.api_token();
    let mut reached = BTreeSet::new();
    for op in Operation::ALL {
        let mut codes: Vec<&ErrorCode> = op.errors().iter().map(|e| &e.code).collect();
        codes.dedup();
        for code in codes {
            let status = op.status_of(code).expect("a declared code has a status");
            sim.server
                .faults()
                .fail_next_with_code(op, 1, code.clone())
                .unwrap_or_else(|e| panic!("{e}"));
            let out = run(sim.covering(op, &login, &api), 3);
            let error = json_error(&out);
            let shown = format!("{op} answering {code}: {error:?}");
            assert_eq!(error["kind"], "api", "{shown}");
            assert_eq!(error["status"].as_u64(), Some(u64::from(status)), "{shown}");
            assert_eq!(error["code"].as_str(), Some(code.as_str()), "{shown}");
            let message = error["message"].as_str().unwrap_or_default();
            let hint = code
                .hint()
                .or(code.description())
                .expect("the spec describes it");
            assert!(message.contains(hint), "no hint from the spec in {shown}");
            reached.insert(code.as_str().to_owned());
        }
    }
    let known: BTreeSet<String> = ErrorCode::KNOWN
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    assert_eq!(
        reached, known,
        "every declared code is answered by some operation"
    );
}
