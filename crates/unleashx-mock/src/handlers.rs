//! One handler per operation, plus the 404/405 fallbacks.
//!
//! Each handler counts the request, applies injected latency and failures,
//! reads the body (size, content type, JSON), checks the credential, then
//! validates fields and answers through the generated `unleashx_api::types`.

use std::borrow::Cow;
use std::num::NonZeroU64;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{Map, Value};
use unleashx_api::secret::{ApiToken, LoginToken};
use unleashx_api::types;

use crate::body::{self, token_header};
use crate::faults::code_for;
use crate::respond::{code, json, Failure};
use crate::state::NewUser;
use crate::{MockState, Operation};

type Body = Result<Bytes, BytesRejection>;
type Answer = Result<Response, Failure>;

/// Counts the request, waits the injected latency, and answers an injected failure if one is pending.
async fn enter(state: &MockState, op: Operation) -> Result<(), Failure> {
    state.count(op);
    let delay = state.faults().latency_of(op);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match state.faults().take(op) {
        Some(fault) => Err(Failure {
            status: fault.status,
            code: Cow::Owned(code_for(fault.status)),
            retry_after: fault.retry_after,
        }),
        None => Ok(()),
    }
}

fn ok<T: serde::Serialize>(value: &T) -> Answer {
    Ok(json(StatusCode::OK, value))
}

/// `POST /api/login`: step 1 (`username`) issues an OTP, step 2 (`username`, `otp`) logs in.
pub(crate) async fn login(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    enter(&state, Operation::Login).await?;
    let obj = body::required(&headers, body)?;
    match obj.get("username") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => return Err(Failure::bad_request(code::USERNAME_REQUIRED)),
    }
    // The spec's `otp` is an optional string: null or a number is refused.
    match obj.get("otp") {
        None | Some(Value::String(_)) => {}
        Some(_) => return Err(Failure::invalid_request()),
    }
    let request: types::LoginRequest =
        serde_json::from_value(Value::Object(obj)).map_err(|_| Failure::invalid_request())?;
    match &request.otp {
        None => {
            state.request_otp(&request.username);
            ok(&types::LoginResponse {
                auth: Map::new(),
                message: "OTP_SENT".to_owned(),
                token: None,
            })
        }
        Some(otp) => {
            let session = state.login(&request.username, otp.expose_secret())?;
            let mut auth = Map::new();
            auth.insert("email".to_owned(), Value::String(session.email));
            auth.insert(
                "workspace_name".to_owned(),
                Value::String(session.workspace_name),
            );
            ok(&types::LoginResponse {
                auth,
                message: "LOGGEDIN".to_owned(),
                token: Some(LoginToken::new(session.token)),
            })
        }
    }
}

/// `POST /api/v1/global/generate-token` (login token).
pub(crate) async fn generate_token(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    enter(&state, Operation::GenerateToken).await?;
    body::optional(body)?;
    let token = state.generate_token(token_header(&headers).as_deref())?;
    ok(&types::GenerateTokenResponse {
        message: Some("API token generated successfully".to_owned()),
        token: ApiToken::new(token),
    })
}

/// `GET /api/v1/global/get-token` (login token).
pub(crate) async fn get_token(State(state): State<MockState>, headers: HeaderMap) -> Answer {
    enter(&state, Operation::GetToken).await?;
    let latest = state.latest_token(token_header(&headers).as_deref())?;
    ok(&types::GetTokenResponse {
        data: types::ApiTokenDetails {
            email: latest.email,
            token: ApiToken::new(latest.token),
            workspace_name: latest.workspace_name,
        },
        message: Some("API token details fetched successfully".to_owned()),
    })
}

/// `POST /api/v1/global/verify` (API token).
pub(crate) async fn verify_token(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    enter(&state, Operation::VerifyToken).await?;
    body::optional(body)?;
    state.check_api_token(token_header(&headers).as_deref())?;
    ok(&types::VerifyResponse {
        message: Some("TOKEN_VALID".to_owned()),
    })
}

/// A required, non-blank string field.
fn required_string(
    obj: &Map<String, Value>,
    field: &str,
) -> Result<types::NonBlankString, Failure> {
    match obj.get(field) {
        Some(Value::String(s)) => s.trim().parse().map_err(|_| Failure::invalid_request()),
        _ => Err(Failure::invalid_request()),
    }
}

/// `POST /api/v1/global/users/onboard` (API token).
pub(crate) async fn onboard_user(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    enter(&state, Operation::OnboardUser).await?;
    let mut obj = body::required(&headers, body)?;
    state.check_api_token(token_header(&headers).as_deref())?;
    body::normalize(&mut obj, "email_id", &["email"]);
    body::normalize(&mut obj, "first_name", &["firstName"]);
    body::normalize(&mut obj, "last_name", &["lastName"]);
    body::normalize(&mut obj, "company_name", &["companyName"]);
    let request = types::OnboardUserRequest {
        email_id: required_string(&obj, "email_id")?
            .parse()
            .map_err(|_| Failure::invalid_request())?,
        first_name: required_string(&obj, "first_name")?,
        last_name: required_string(&obj, "last_name")?,
        company_name: required_string(&obj, "company_name")?,
    };
    if !crate::fixtures::is_plausible_email(&request.email_id) {
        return Err(Failure::invalid_request());
    }
    let created = state.onboard(NewUser {
        email: request.email_id.to_string(),
        first_name: request.first_name.to_string(),
        last_name: request.last_name.to_string(),
        company_name: request.company_name.to_string(),
    })?;
    let customer_salt = types::CustomerId::try_from(created.customer_salt)
        .map_err(|_| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR"))?;
    ok(&types::OnboardUserResponse {
        data: types::OnboardedUser {
            company_id: created.company_id,
            customer_salt,
            registration_id: created.registration_id,
            user_id: created.user_id,
            workspace_id: created.workspace_id,
        },
        message: Some("User onboarded successfully".to_owned()),
    })
}

/// The spec's (assumed) maximum of `expiration_days`: 100 years.
pub(crate) const MAX_EXPIRATION_DAYS: u64 = 36_500;

/// `expiration_days`: absent or `null` is none; otherwise a JSON integer
/// from 1 to [`MAX_EXPIRATION_DAYS`].
fn expiration_days(value: Option<Value>) -> Result<Option<NonZeroU64>, Failure> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .filter(|days| *days <= MAX_EXPIRATION_DAYS)
            .and_then(NonZeroU64::new)
            .map(Some)
            .ok_or_else(|| Failure::bad_request(code::INVALID_EXPIRATION_DAYS)),
        Some(_) => Err(Failure::bad_request(code::INVALID_EXPIRATION_DAYS)),
    }
}

/// `POST /api/v1/global/users/gettokenbycustomerid` (API token).
pub(crate) async fn get_token_by_customer_id(
    State(state): State<MockState>,
    headers: HeaderMap,
    body: Body,
) -> Answer {
    enter(&state, Operation::GetTokenByCustomerId).await?;
    let mut obj = body::required(&headers, body)?;
    state.check_api_token(token_header(&headers).as_deref())?;
    body::normalize(&mut obj, "customer_id", &["customerid", "customer_salt"]);
    let days = obj.remove("expiration_days");
    if obj.get("name").is_some_and(Value::is_null) {
        obj.remove("name");
    }
    let mut request: types::GetTokenByCustomerIdRequest =
        serde_json::from_value(Value::Object(obj)).map_err(|_| Failure::invalid_request())?;
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
        message: Some("API token generated successfully".to_owned()),
        name: request.name,
    };
    // `name` and `expires` are required and nullable in the spec, so the
    // generated type writes explicit `null`s itself.
    ok(&response)
}

/// Any path the API does not have.
pub(crate) async fn not_found() -> Failure {
    Failure::not_found(code::NOT_FOUND)
}

/// A known path with the wrong method (axum adds the `Allow` header).
pub(crate) async fn method_not_allowed() -> Failure {
    Failure::new(StatusCode::METHOD_NOT_ALLOWED, code::METHOD_NOT_ALLOWED)
}
