//! The axum router: every operation of the catalogue at the spec's path and
//! method, JSON 404/405 fallbacks, the body limit and the `x-request-id` header.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use unleashx_api::catalogue::{Method, OperationId};

use crate::body::BODY_LIMIT;
use crate::drift::Drifts;
use crate::handlers::{self, Body, Handlers};
use crate::respond::{error, Refusal};
use crate::MockState;

/// The header carrying a per-response id (`req-1`, `req-2`, ...): the one
/// the client reads first ([`unleashx_api::headers::REQUEST_ID`]).
pub use unleashx_api::headers::REQUEST_ID as REQUEST_ID_HEADER;

/// The simulator as an axum [`Router`], for serving it yourself (benchmarks,
/// a custom listener). [`MockServer`](crate::MockServer) serves exactly this.
///
/// ```
/// use unleashx_mock::{router, Clock, Fixtures, MockState};
///
/// let state = MockState::new(&Fixtures::default(), Clock::system())?;
/// let app: axum::Router = router(state);
/// # drop(app);
/// # Ok::<(), unleashx_mock::FixturesError>(())
/// ```
pub fn router(state: MockState) -> Router {
    let mut app = Router::new();
    for op in OperationId::ALL {
        app = app.route(
            op.path(),
            handler(op).route_layer(middleware::from_fn_with_state(
                (state.clone(), op),
                operation,
            )),
        );
    }
    app.fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), request_id))
        .with_state(state)
}

/// `op`'s handler at its method.
fn handler(op: OperationId) -> MethodRouter<MockState> {
    let handler = op.dispatch(&Handlers);
    on(
        method_filter(op.method()),
        move |State(state): State<MockState>, headers: HeaderMap, body: Body| async move {
            handler(state, headers, body)
        },
    )
}

fn method_filter(method: Method) -> MethodFilter {
    match method {
        Method::Get => MethodFilter::GET,
        Method::Put => MethodFilter::PUT,
        Method::Post => MethodFilter::POST,
        Method::Delete => MethodFilter::DELETE,
        Method::Options => MethodFilter::OPTIONS,
        Method::Head => MethodFilter::HEAD,
        Method::Patch => MethodFilter::PATCH,
        Method::Trace => MethodFilter::TRACE,
    }
}

/// Around every operation's handler: counts the request (and holds it in the
/// in-flight count until answered), waits the injected latency, answers an
/// injected failure that targets it, and turns a handler's
/// [`Refusal`] into the API's error with the status the spec gives its code
/// on this operation; the drifts in effect change the reply last.
async fn operation(
    State((state, op)): State<(MockState, OperationId)>,
    request: Request,
    next: Next,
) -> Response {
    let call = state.count(op);
    let delay = state.faults().latency_of(op);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let drifts = state.drift_set();
    let request = match state.faults().answer(op, call.number, request).await {
        Ok((_, Some(fault))) => {
            let (status, code) = drifts.error(fault.status, fault.code);
            return error(status, &code, fault.retry_after);
        }
        Ok((request, None)) => request,
        Err(refusal) => return refuse(op, drifts, refusal),
    };
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<Refusal>() {
        Some(refusal) => refuse(op, drifts, refusal),
        None => response,
    }
}

fn refuse(op: OperationId, drifts: Drifts, refusal: Refusal) -> Response {
    let (status, code) = refusal.resolve(op);
    let (status, code) = drifts.error(status, code);
    error(status, &code, None)
}

async fn request_id(State(state): State<MockState>, request: Request, next: Next) -> Response {
    let id = state.next_request_id();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&format!("req-{id}")) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}
