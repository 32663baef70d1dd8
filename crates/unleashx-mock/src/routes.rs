//! The axum router: the six operations at the spec's paths, JSON 404/405
//! fallbacks, the body limit and the `x-request-id` header.

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::body::BODY_LIMIT;
use crate::{handlers, MockState, Operation};

/// The header carrying a per-response id (`req-1`, `req-2`, ...).
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

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
    Router::new()
        .route(Operation::Login.path(), post(handlers::login))
        .route(
            Operation::GenerateToken.path(),
            post(handlers::generate_token),
        )
        .route(Operation::GetToken.path(), get(handlers::get_token))
        .route(Operation::VerifyToken.path(), post(handlers::verify_token))
        .route(Operation::OnboardUser.path(), post(handlers::onboard_user))
        .route(
            Operation::GetTokenByCustomerId.path(),
            post(handlers::get_token_by_customer_id),
        )
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), request_id))
        .with_state(state)
}

async fn request_id(State(state): State<MockState>, request: Request, next: Next) -> Response {
    let id = state.next_request_id();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&format!("req-{id}")) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}
