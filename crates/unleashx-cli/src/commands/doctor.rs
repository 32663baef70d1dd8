//! `unleashx doctor`: probes a server with side-effect-free calls only and
//! compares each answer with `openapi.yaml` (through the generated
//! catalogue): status, body shape, error code, and the spec's assumptions.
//!
//! Nothing is minted, sent or created: get-token and verify only read, and
//! gettokenbycustomerid is asked for a customer id made of zeros, which no
//! customer has (with the shortest expiry, should one ever be minted).

use std::collections::BTreeMap;
use std::num::NonZeroU64;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use unleashx::{ApiToken, Deviation, ErrorCode, LoginToken, OperationId};
use unleashx_api::auth::Auth;
use unleashx_api::catalogue::{limits, TOKEN_HEADER};
use unleashx_api::hooks::{BodyTooLarge, ResponseCheck};
use unleashx_api::types;

use crate::args::OutputFormat;
use crate::commands::Context;
use crate::credentials::{self, TokenKind};
use crate::output::{write_stdout, CliError, ErrorKind, Output, EXIT_API, EXIT_OK};

/// How long one probe may take without `--timeout`.
const PROBE_TIMEOUT: Duration = Duration::from_secs(15);
/// The most of a non-JSON body shown.
const SNIPPET_CHARS: usize = 120;

/// What a probe sends as its credential.
enum Credential {
    /// No `token` header.
    None,
    /// A value the server must refuse.
    Bogus(String),
    /// A token from the environment, or `None` when its variable is unset.
    Env(TokenKind, Option<String>),
}

/// What the spec says the probe gets.
enum Expect {
    /// An error response with this code (its status from the spec).
    Code(ErrorCode),
    /// The success response, or one of these codes.
    Success(&'static [ErrorCode]),
}

struct Probe {
    op: OperationId,
    name: &'static str,
    credential: Credential,
    expect: Expect,
    /// The code that means the server refused the supplied token.
    rejected: Option<ErrorCode>,
}

/// The probes, in the order they run.
fn probes(login: Option<String>, api: Option<String>) -> Vec<Probe> {
    use OperationId as Op;
    vec![
        Probe {
            op: Op::GetToken,
            name: "no token",
            credential: Credential::None,
            expect: Expect::Code(ErrorCode::LoginTokenRequired),
            rejected: None,
        },
        Probe {
            op: Op::GetToken,
            name: "malformed token",
            credential: Credential::Bogus("unleashx-doctor-malformed-login-token".into()),
            expect: Expect::Code(ErrorCode::InvalidLoginToken),
            rejected: None,
        },
        Probe {
            op: Op::VerifyToken,
            name: "no token",
            credential: Credential::None,
            expect: Expect::Code(ErrorCode::ApiTokenRequired),
            rejected: None,
        },
        Probe {
            op: Op::VerifyToken,
            name: "invalid token",
            credential: Credential::Bogus("0".repeat(64)),
            expect: Expect::Code(ErrorCode::InvalidApiToken),
            rejected: None,
        },
        Probe {
            op: Op::GetToken,
            name: "login token",
            credential: Credential::Env(TokenKind::Login, login),
            expect: Expect::Success(&[ErrorCode::NoApiTokenFound]),
            rejected: Some(ErrorCode::InvalidLoginToken),
        },
        Probe {
            op: Op::VerifyToken,
            name: "api token",
            credential: Credential::Env(TokenKind::Api, api.clone()),
            expect: Expect::Success(&[]),
            rejected: Some(ErrorCode::InvalidApiToken),
        },
        Probe {
            op: Op::GetTokenByCustomerId,
            name: "unknown customer",
            credential: Credential::Env(TokenKind::Api, api),
            expect: Expect::Code(ErrorCode::CustomerIdNotFound),
            rejected: Some(ErrorCode::InvalidApiToken),
        },
    ]
}

/// What came back.
#[derive(Default)]
struct Observed {
    status: u16,
    fields: Vec<String>,
    code: Option<ErrorCode>,
    shown_code: Option<String>,
    /// The start of a body that is not a JSON object, or why no body was
    /// read (one over the cap); `None` for a JSON object.
    snippet: Option<String>,
    deviations: Vec<Deviation>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Confirmed,
    Additive,
    Untested,
    Contradicted,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Additive => "additive",
            Verdict::Untested => "untested",
            Verdict::Contradicted => "contradicted",
        }
    }
}

struct Check {
    op: OperationId,
    probe: &'static str,
    credential: &'static str,
    expected: String,
    observed: Option<Observed>,
    verdict: Verdict,
    findings: Vec<String>,
    suggestions: Vec<String>,
    assumptions: Vec<&'static str>,
}

/// Runs `unleashx doctor`; prints the report and returns the exit code.
pub async fn run(ctx: &Context, out: Output) -> ExitCode {
    match doctor(ctx).await {
        Ok(checks) => {
            let text = match out.format {
                OutputFormat::Json => format!("{}\n", to_json(&ctx.base_url, &checks)),
                OutputFormat::Text => to_text(&ctx.base_url, &checks),
            };
            if let Err(e) = write_stdout(text.as_bytes()) {
                return out.error(&e);
            }
            let contradicted = checks.iter().any(|c| c.verdict == Verdict::Contradicted);
            ExitCode::from(if contradicted { EXIT_API } else { EXIT_OK })
        }
        Err(e) => out.error(&e),
    }
}

async fn doctor(ctx: &Context) -> Result<Vec<Check>, CliError> {
    ctx.no_token("doctor")?;
    let client = ctx.client()?;
    let raw = client.raw();
    // Kept as secret types until the probe list takes them.
    let login = credentials::from_env::<LoginToken>(TokenKind::Login)?
        .map(|f| f.token.expose_secret().to_owned());
    let api = credentials::from_env::<ApiToken>(TokenKind::Api)?
        .map(|f| f.token.expose_secret().to_owned());
    let probes = probes(login, api);
    // The codes that mean "no token was seen", from the no-token probes.
    let missing: Vec<ErrorCode> = probes
        .iter()
        .filter_map(|p| match (&p.credential, &p.expect) {
            (Credential::None, Expect::Code(c)) => Some(c.clone()),
            _ => None,
        })
        .collect();
    let limit = ctx.timeout.unwrap_or(PROBE_TIMEOUT);
    let mut checks = Vec::new();
    for probe in &probes {
        let token = match &probe.credential {
            Credential::None => None,
            Credential::Bogus(v) | Credential::Env(_, Some(v)) => Some(v.as_str()),
            Credential::Env(kind, None) => {
                checks.push(untested(probe, kind.env_var()));
                continue;
            }
        };
        tracing::info!(operation = probe.op.as_str(), probe = probe.name, "probing");
        let observed = send(&raw, &ctx.base_url, probe, token, limit).await?;
        checks.push(judge(probe, observed, &missing));
    }
    Ok(checks)
}

/// Keeps what the one reading of a probe's response found: the generated
/// client hands the body to it before decoding.
#[derive(Default)]
struct Capture(Mutex<Option<Observed>>);

impl ResponseCheck for Capture {
    fn check(
        &self,
        operation: OperationId,
        status: u16,
        body: &[u8],
        sent_credential: bool,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let observed = observe(operation, status, body, sent_credential);
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(observed);
        Ok(())
    }
}

/// Sends `probe` through the generated client, with `token` (or none) and
/// no retry, and gives back what came back.
async fn send(
    raw: &unleashx_api::Client,
    base_url: &str,
    probe: &Probe,
    token: Option<&str>,
    limit: Duration,
) -> Result<Observed, CliError> {
    let auth = token.map_or(Ok(Auth::none()), Auth::token).map_err(|_| {
        CliError::usage(
            "a token holds characters that cannot be sent in an HTTP header; check that it was copied whole",
        )
    })?;
    let capture = Arc::new(Capture::default());
    let api = raw.with_auth(auth.with_check(Arc::clone(&capture) as _));
    let sent = tokio::time::timeout(limit, call(&api, probe.op))
        .await
        .map_err(|_| unreachable(base_url, None))?;
    if let Some(observed) = capture.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
        return Ok(observed);
    }
    // No body reached the check: the exchange failed, or the body was over
    // the cap the client reads.
    use unleashx_api::Error as G;
    let too_large = |status: u16| Observed {
        status,
        snippet: Some(format!(
            "(a body over the {} bytes read)",
            unleashx_api::hooks::MAX_RESPONSE_BODY
        )),
        ..Observed::default()
    };
    match sent {
        Err(G::UnexpectedResponse(response)) => Ok(too_large(response.status().as_u16())),
        Err(G::CommunicationError(e) | G::ResponseBodyError(e) | G::InvalidUpgrade(e)) => {
            match BodyTooLarge::find(&e) {
                Some(cap) => Ok(too_large(cap.status())),
                None => Err(unreachable(base_url, Some(e))),
            }
        }
        Err(e) => Err(CliError::new(
            ErrorKind::UnexpectedResponse,
            format!("doctor: {base_url} cannot be probed: {e}"),
        )),
        Ok(()) => Err(CliError::new(
            ErrorKind::UnexpectedResponse,
            format!(
                "doctor: {base_url} answered {} but no response body was seen",
                probe.op
            ),
        )),
    }
}

/// The probe's call, which mints nothing (see the module's doc).
async fn call(
    api: &unleashx_api::Client,
    op: OperationId,
) -> Result<(), unleashx_api::Error<types::ApiError>> {
    match op {
        OperationId::GetToken => api.get_token().send().await.map(drop),
        OperationId::VerifyToken => api
            .verify_token()
            .body(types::EmptyObject(serde_json::Map::new()))
            .send()
            .await
            .map(drop),
        OperationId::GetTokenByCustomerId => {
            let zeros = "0".repeat(limits::CUSTOMER_ID_MIN_LENGTH as usize);
            let body = types::GetTokenByCustomerIdRequest {
                customer_id: zeros
                    .parse()
                    .map_err(|e| unleashx_api::Error::InvalidRequest(format!("{e}")))?,
                name: None,
                expiration_days: u64::try_from(
                    limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MINIMUM,
                )
                .ok()
                .and_then(NonZeroU64::new),
            };
            api.get_token_by_customer_id()
                .body(body)
                .send()
                .await
                .map(drop)
        }
        other => Err(unleashx_api::Error::InvalidRequest(format!(
            "doctor has no probe for {other}"
        ))),
    }
}

/// The server could not be reached, or the exchange failed or timed out
/// (`None`): exit 4.
fn unreachable(base_url: &str, e: Option<reqwest::Error>) -> CliError {
    let timed_out = e.as_ref().is_none_or(reqwest::Error::is_timeout);
    let (kind, what) = match &e {
        _ if timed_out => (ErrorKind::Timeout, "timed out"),
        Some(e) if e.is_connect() => (
            ErrorKind::Transport,
            "could not connect (refused, DNS or TLS failure)",
        ),
        _ => (ErrorKind::Transport, "the exchange failed"),
    };
    let first = e.as_ref().and_then(|e| std::error::Error::source(e));
    let causes: String = std::iter::successors(first, |s| s.source())
        .map(|s| format!(": {s}"))
        .collect();
    CliError::new(
        kind,
        format!("doctor: {base_url} cannot be probed: {what}{causes}; check --base-url, the network, and --timeout"),
    )
}

/// One reading of the body ([`unleashx::inspect`], the library's drift check).
fn observe(op: OperationId, status: u16, body: &[u8], sent_credential: bool) -> Observed {
    let seen = unleashx::inspect(op, status, body, sent_credential);
    Observed {
        shown_code: seen.shown_code(),
        status,
        fields: seen.fields,
        code: seen.code,
        snippet: (!seen.json_object).then(|| snippet(body)),
        deviations: seen.deviations,
    }
}

/// The start of a body, bounded, control characters dropped and long
/// token-like runs blanked.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(SNIPPET_CHARS * 4)]);
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 24 {
            out.push_str("<redacted>");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars().take(SNIPPET_CHARS) {
        if c.is_ascii_alphanumeric() || "-_.".contains(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(if c.is_control() { ' ' } else { c });
        }
    }
    flush(&mut run, &mut out);
    out
}

fn expected_text(probe: &Probe) -> String {
    match &probe.expect {
        Expect::Code(code) => match probe.op.status_of(code) {
            Some(status) => format!("{status} {code}"),
            None => format!("{code}"),
        },
        Expect::Success(alternatives) => alternatives
            .iter()
            .filter_map(|code| Some(format!(" or {} {code}", probe.op.status_of(code)?)))
            .fold(probe.op.success_status().to_string(), |s, alt| s + &alt),
    }
}

/// The assumptions of the probe's operation that its answer tests: those on
/// the expected response (`HTTP 401: ...`) and those naming the expected code
/// or, for a success, the success status.
fn assumptions(probe: &Probe) -> Vec<&'static str> {
    let (status, code) = match &probe.expect {
        Expect::Code(code) => (probe.op.status_of(code), Some(code)),
        Expect::Success(_) => (Some(probe.op.success_status()), None),
    };
    probe
        .op
        .assumptions()
        .iter()
        .copied()
        .filter(|text| {
            let on_response = status.is_some_and(|s| text.starts_with(&format!("HTTP {s}:")));
            let names_code = code.is_some_and(|c| text.contains(&format!("`{c}`")));
            let error_shape = code.is_some() && text.contains("error body");
            let success =
                code.is_none() && status.is_some_and(|s| text.contains(&format!("{s} body")));
            on_response || names_code || error_shape || success
        })
        .collect()
}

/// A confirmed check of `probe`, with nothing observed yet.
fn new_check(probe: &Probe, credential: &'static str) -> Check {
    Check {
        op: probe.op,
        probe: probe.name,
        credential,
        expected: expected_text(probe),
        observed: None,
        verdict: Verdict::Confirmed,
        findings: Vec::new(),
        suggestions: Vec::new(),
        assumptions: assumptions(probe),
    }
}

fn untested(probe: &Probe, var: &str) -> Check {
    Check {
        verdict: Verdict::Untested,
        findings: vec![format!("{var} is not set")],
        ..new_check(probe, "none")
    }
}

fn judge(probe: &Probe, observed: Observed, missing: &[ErrorCode]) -> Check {
    let credential = match &probe.credential {
        Credential::None => "none",
        Credential::Bogus(_) => "made up",
        Credential::Env(kind, _) => kind.env_var(),
    };
    let mut check = new_check(probe, credential);
    assess(&mut check, probe, &observed, missing);
    check.observed = Some(observed);
    check
}

/// Sets the verdict, findings and suggestions of `check` from `observed`.
fn assess(check: &mut Check, probe: &Probe, observed: &Observed, missing: &[ErrorCode]) {
    let op = probe.op;
    let status = observed.status;
    let expected = check.expected.clone();
    if let Some(snippet) = &observed.snippet {
        return contradict(
            check,
            format!("HTTP {status} with a body that is not a JSON object: {snippet:?}"),
            format!("{op} answered HTTP {status} without JSON: check that --base-url points at the API; if it does, change `responses` of {op}"),
        );
    }
    // A supplied token the server refused: not drift.
    if let (Some(rejected), Some(code)) = (&probe.rejected, &observed.code) {
        if rejected == code {
            check.verdict = Verdict::Untested;
            check.findings.push(format!(
                "the server rejected the token in {} ({code}, HTTP {status}): set a live one to test this",
                check.credential
            ));
            return;
        }
    }
    let sent_token = !matches!(probe.credential, Credential::None);
    match (&probe.expect, &observed.code) {
        (Expect::Success(_), None) if status == op.success_status() => {}
        (Expect::Success(alternatives), Some(code))
            if alternatives.contains(code) && op.declares(status, code) => {}
        (Expect::Code(expected), Some(code)) if code == expected => {
            if let Some(declared) = op.status_of(expected).filter(|d| *d != status) {
                contradict(
                    check,
                    format!("the {declared} for {code} arrived as {status}"),
                    format!("the {declared} for {code} was observed as {status}: change `responses` of {op}"),
                );
            }
        }
        (_, Some(code)) if sent_token && missing.contains(code) => contradict(
            check,
            format!("{code} (HTTP {status}) although a token was sent in the `{TOKEN_HEADER}` header"),
            format!("the server did not see the `{TOKEN_HEADER}` header: check which header it reads (the docs also show `Authorization`) and change `components/securitySchemes` for {op}"),
        ),
        (expect, Some(code)) => {
            let shown = observed.shown_code.clone().unwrap_or_default();
            let wanted = match expect {
                Expect::Code(c) => c.to_string(),
                Expect::Success(_) => "a success".to_owned(),
            };
            if code.is_unknown() {
                contradict(
                    check,
                    format!("unknown error code {shown} (HTTP {status}) where the spec expects {wanted}"),
                    format!("{op} answered {shown} with HTTP {status}: declare it in `x-unleashx-error-codes` and list it on the {status} response of {op} (or rename {wanted} if it replaced it)"),
                );
            } else {
                contradict(
                    check,
                    format!("{shown} (HTTP {status}) where the spec expects {wanted}"),
                    format!("{op} answered {shown} with HTTP {status} where the spec expects {}: change `responses` of {op}", expected),
                );
            }
        }
        (_, None) => contradict(
            check,
            format!("HTTP {status} without an error code where the spec expects {}", expected),
            format!("{op} answered HTTP {status} where the spec expects {}: change `responses` of {op}", expected),
        ),
    }
    for d in &observed.deviations {
        match d {
            Deviation::UndocumentedField { path, .. } => {
                if check.verdict == Verdict::Confirmed {
                    check.verdict = Verdict::Additive;
                }
                check.findings.push(format!("undocumented field `{path}`"));
                check.suggestions.push(format!(
                    "`{path}` in the HTTP {status} body of {op} is not in the spec: add it to the response schema if clients may use it"
                ));
            }
            Deviation::UndocumentedStatus { .. } if check.verdict != Verdict::Contradicted => {
                contradict(
                    check,
                    format!("HTTP {status} is not documented for {op}"),
                    format!("add HTTP {status} to `responses` of {op}"),
                );
            }
            _ => {}
        }
    }
}

fn contradict(check: &mut Check, finding: String, suggestion: String) {
    check.verdict = Verdict::Contradicted;
    check.findings.push(finding);
    check.suggestions.push(suggestion);
}

/// How many checks have each verdict, in the order the text shows them.
fn summary(checks: &[Check]) -> [(&'static str, usize); 4] {
    use Verdict as V;
    [V::Confirmed, V::Contradicted, V::Additive, V::Untested]
        .map(|v| (v.as_str(), checks.iter().filter(|c| c.verdict == v).count()))
}

fn to_json(base_url: &str, checks: &[Check]) -> Value {
    json!({
        "base_url": base_url,
        "summary": BTreeMap::from(summary(checks)),
        "checks": checks.iter().map(|c| json!({
            "operation": c.op.as_str(),
            "probe": c.probe,
            "credential": c.credential,
            "expected": c.expected,
            "observed": c.observed.as_ref().map(|o| json!({
                "status": o.status,
                "json": o.snippet.is_none(),
                "fields": o.fields,
                "code": o.shown_code,
                "snippet": o.snippet,
            })),
            "verdict": c.verdict.as_str(),
            "findings": c.findings,
            "suggestions": c.suggestions,
            "assumptions": c.assumptions,
        })).collect::<Vec<_>>(),
    })
}

fn to_text(base_url: &str, checks: &[Check]) -> String {
    let counts: Vec<String> = summary(checks)
        .iter()
        .map(|(verdict, n)| format!("{n} {verdict}"))
        .collect();
    let mut s = format!("unleashx doctor: {base_url}: {}\n\n", counts.join(", "));
    s.push_str(&format!(
        "{:<13} {:<25} {:<17} {:<36} {}\n",
        "VERDICT", "OPERATION", "PROBE", "EXPECTED", "OBSERVED"
    ));
    for c in checks {
        let observed = match &c.observed {
            Some(o) => match &o.shown_code {
                Some(code) => format!("{} {code}", o.status),
                None if o.snippet.is_none() => format!("{} {{{}}}", o.status, o.fields.join(", ")),
                None => format!("{} (not JSON)", o.status),
            },
            None => "-".to_owned(),
        };
        s.push_str(&format!(
            "{:<13} {:<25} {:<17} {:<36} {}\n",
            c.verdict.as_str(),
            c.op.as_str(),
            c.probe,
            c.expected,
            observed
        ));
        s.extend(c.findings.iter().map(|f| format!("    - {f}\n")));
        s.extend(c.assumptions.iter().map(|a| format!("    assumed: {a}\n")));
        if c.verdict == Verdict::Contradicted {
            s.extend(c.suggestions.iter().map(|x| format!("    suggest: {x}\n")));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_and_blank_tokens() {
        let s =
            snippet(format!("<html>\n{}</html>{}", "a".repeat(64), "x ".repeat(500)).as_bytes());
        assert!(s.chars().count() <= SNIPPET_CHARS + 10, "{s}");
        assert!(
            s.contains("<redacted>") && !s.contains(&"a".repeat(24)),
            "{s}"
        );
    }

    #[test]
    fn every_probe_is_side_effect_free() {
        for p in probes(Some("l".into()), Some("a".into())) {
            assert!(
                p.op.retry_safe() || p.op == OperationId::GetTokenByCustomerId,
                "{}",
                p.op
            );
        }
    }
}
