//! One handler per operation, plus the 404/405 fallbacks.
//!
//! Each handler reads the body (size, content type, JSON), checks the
//! credential, then validates fields and answers through the generated
//! `unleashx_api::types`. A refusal names a code; its operation's route
//! (`routes`) settles the status from the spec. Routing, counting, latency,
//! injected failures and drift happen in that route, around the handler.
//!
//! [`Handlers`] is the handlers' one place: it implements the catalogue's
//! `EachOperation`, one method per operation, each returning that
//! operation's handler (a closure `|state, headers, body| ..`), so a new operation of the spec does not compile
//! until its handler is written here. A handler that reads or changes stored
//! state takes the store's lock (`state.store()`) for one short synchronous
//! section, or calls a `MockState` method that does.

use std::num::NonZeroU64;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};
use unleashx_api::catalogue::{limits, messages, EachOperation, ErrorCode, OperationId};
use unleashx_api::secret::{ApiToken, LoginToken};
use unleashx_api::types;

use crate::body::{self, credential};
use crate::respond::{error, json, local, Refusal};
use crate::MockState;

/// The request body as axum buffered it (up to the body limit).
pub(crate) type Body = Result<Bytes, BytesRejection>;
type Answer = Result<Response, Refusal>;

/// An operation's handler, given the state, the request's headers and its
/// body: synchronous, since the store's lock is never held across an await;
/// `routes` awaits the body before calling it.
pub(crate) type Handler = fn(MockState, HeaderMap, Body) -> Answer;

/// Every operation's handler; `routes` mounts each at its operation's path
/// and method.
pub(crate) struct Handlers;

impl EachOperation for Handlers {
    type Output = Handler;

    /// `POST /api/login`: step 1 (`username`) issues an OTP, step 2 (`username`, `otp`) logs in.
    fn login(&self) -> Handler {
        |state, headers, body| {
            let obj = body::required(&headers, body)?;
            match obj.get("username") {
                Some(Value::String(s)) if !s.trim().is_empty() => {}
                _ => return Err(ErrorCode::UsernameRequired.into()),
            }
            // The spec's `otp` is an optional string: null or a number is refused.
            if obj.get("otp").is_some_and(|otp| !otp.is_string()) {
                return Err(Refusal::invalid_request());
            }
            let request: types::LoginRequest = serde_json::from_value(Value::Object(obj))
                .map_err(|_| Refusal::invalid_request())?;
            let (auth, message, token) = match &request.otp {
                None => {
                    state.request_otp(&request.username);
                    (Map::new(), messages::LOGIN_OTP_SENT.to_owned(), None)
                }
                Some(otp) => {
                    let session = state.login(&request.username, otp.expose_secret())?;
                    let mut auth = Map::new();
                    auth.insert("email".to_owned(), session.email.into());
                    auth.insert("workspace_name".to_owned(), session.workspace_name.into());
                    let token = LoginToken::new(session.token);
                    (auth, messages::LOGIN_LOGGED_IN.to_owned(), Some(token))
                }
            };
            ok(
                &state,
                &types::LoginResponse {
                    auth,
                    message,
                    token,
                },
            )
        }
    }

    /// `POST /api/v1/global/generate-token` (login token).
    fn generate_token(&self) -> Handler {
        |state, headers, body| {
            body::optional(body)?;
            let token = state.generate_token(token(&state, &headers).as_deref())?;
            ok(
                &state,
                &types::GenerateTokenResponse {
                    message: message(messages::GENERATE_TOKEN),
                    token: ApiToken::new(token),
                },
            )
        }
    }

    /// `GET /api/v1/global/get-token` (login token).
    fn get_token(&self) -> Handler {
        |state, headers, _| {
            let data = state.latest_token(token(&state, &headers).as_deref())?;
            ok(
                &state,
                &types::GetTokenResponse {
                    data,
                    message: message(messages::GET_TOKEN),
                },
            )
        }
    }

    /// `POST /api/v1/global/verify` (API token).
    fn verify_token(&self) -> Handler {
        |state, headers, body| {
            body::optional(body)?;
            state.check_api_token(token(&state, &headers).as_deref())?;
            ok(
                &state,
                &types::VerifyResponse {
                    message: message(messages::VERIFY_TOKEN),
                },
            )
        }
    }

    /// `POST /api/v1/global/users/onboard` (API token).
    fn onboard_user(&self) -> Handler {
        |state, headers, body| {
            let obj = api_token_body(&state, &headers, body, OperationId::OnboardUser)?;
            let request = types::OnboardUserRequest {
                email_id: required_string(&obj, "email_id")?
                    .parse()
                    .map_err(|_| Refusal::invalid_request())?,
                first_name: required_string(&obj, "first_name")?,
                last_name: required_string(&obj, "last_name")?,
                company_name: required_string(&obj, "company_name")?,
            };
            let created = state.onboard(&request)?;
            let customer_salt = types::CustomerId::try_from(created.customer_salt)
                .map_err(|_| Refusal::internal())?;
            ok(
                &state,
                &types::OnboardUserResponse {
                    data: types::OnboardedUser {
                        company_id: created.company_id,
                        customer_salt,
                        registration_id: created.registration_id,
                        user_id: created.user_id,
                        workspace_id: created.workspace_id,
                    },
                    message: message(messages::ONBOARD_USER),
                },
            )
        }
    }

    /// `POST /api/v1/global/users/gettokenbycustomerid` (API token).
    fn get_token_by_customer_id(&self) -> Handler {
        |state, headers, body| {
            let mut obj =
                api_token_body(&state, &headers, body, OperationId::GetTokenByCustomerId)?;
            let days = obj.remove("expiration_days");
            if obj.get("name").is_some_and(Value::is_null) {
                obj.remove("name");
            }
            let mut request: types::GetTokenByCustomerIdRequest =
                serde_json::from_value(Value::Object(obj))
                    .map_err(|_| Refusal::invalid_request())?;
            request.expiration_days = expiration_days(days)?;
            let (token, expires) = state.token_for_customer(
                &request.customer_id,
                request.name.clone(),
                request.expiration_days.map(NonZeroU64::get),
            )?;
            let response = types::GetTokenByCustomerIdResponse {
                customer_api_key: ApiToken::new(token),
                customerid: request.customer_id.to_string(),
                expires,
                message: message(messages::GET_TOKEN_BY_CUSTOMER_ID_DOCUMENTED),
                name: request.name,
            };
            // `name` and `expires` are required and nullable in the spec, so the
            // generated type writes explicit `null`s itself.
            ok(&state, &response)
        }
    }
}

/// A 200 with `value`, changed by the drifts in effect.
fn ok<T: serde::Serialize>(state: &MockState, value: &T) -> Answer {
    let drifts = state.drift_set();
    if drifts == Default::default() {
        return Ok(json(StatusCode::OK, value));
    }
    let value = serde_json::to_value(value).map_err(|_| Refusal::internal())?;
    Ok(json(StatusCode::OK, &drifts.success(value)))
}

fn token(state: &MockState, headers: &HeaderMap) -> Option<String> {
    credential(state.drift_set(), headers)
}

/// The spec's example `message` of a success.
fn message(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// The JSON object body of an API-token operation: read (415, 413, 400 as
/// `body::required` says), the API token checked, `op`'s field aliases folded.
fn api_token_body(
    state: &MockState,
    headers: &HeaderMap,
    body: Body,
    op: OperationId,
) -> Result<body::Object, Refusal> {
    let mut obj = body::required(headers, body)?;
    state.check_api_token(token(state, headers).as_deref())?;
    body::normalize(&mut obj, op);
    Ok(obj)
}

/// A required, non-blank string field.
fn required_string(
    obj: &Map<String, Value>,
    field: &str,
) -> Result<types::NonBlankString, Refusal> {
    match obj.get(field) {
        Some(Value::String(s)) => s.trim().parse().map_err(|_| Refusal::invalid_request()),
        _ => Err(Refusal::invalid_request()),
    }
}

/// The spec's bounds of `expiration_days`.
const MIN_EXPIRATION_DAYS: u64 =
    limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MINIMUM as u64;
const MAX_EXPIRATION_DAYS: u64 =
    limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MAXIMUM as u64;

/// `expiration_days`: absent or `null` is none; otherwise a JSON integer
/// within the spec's bounds.
fn expiration_days(value: Option<Value>) -> Result<Option<NonZeroU64>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .filter(|days| (MIN_EXPIRATION_DAYS..=MAX_EXPIRATION_DAYS).contains(days))
            .and_then(NonZeroU64::new)
            .map(Some)
            .ok_or(Refusal::Spec(ErrorCode::InvalidExpirationDays)),
        Some(_) => Err(ErrorCode::InvalidExpirationDays.into()),
    }
}

/// Any path the API does not have.
pub(crate) async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, local::NOT_FOUND, None)
}

/// A known path with the wrong method (axum adds the `Allow` header).
pub(crate) async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        local::METHOD_NOT_ALLOWED,
        None,
    )
}
