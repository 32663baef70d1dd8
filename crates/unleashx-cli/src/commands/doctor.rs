//! `unleashx doctor`: probes a server with side-effect-free calls only and
//! compares each answer with `openapi.yaml` (through the generated
//! catalogue): status, body shape, error code, and the spec's assumptions.
//!
//! Nothing is minted, sent or created: get-token and verify only read, and
//! gettokenbycustomerid is asked for a customer id made of zeros, which no
//! customer has (with the shortest expiry, should one ever be minted).

use std::process::ExitCode;
use std::time::Duration;

use serde_json::{json, Value};
use unleashx::{ApiToken, ErrorCode, LoginToken, OperationId};
use unleashx_api::catalogue::{limits, TOKEN_HEADER};
use unleashx_api::drift::{self, Deviation};
use unleashx_api::ClientInfo;

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
    body: Option<Value>,
}

/// The probes, in the order they run.
fn probes(login: Option<String>, api: Option<String>) -> Vec<Probe> {
    use OperationId as Op;
    let unknown_customer = json!({
        "customer_id": "0".repeat(limits::CUSTOMER_ID_MIN_LENGTH as usize),
        "expiration_days": limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MINIMUM,
    });
    vec![
        Probe {
            op: Op::GetToken,
            name: "no token",
            credential: Credential::None,
            expect: Expect::Code(ErrorCode::LoginTokenRequired),
            rejected: None,
            body: None,
        },
        Probe {
            op: Op::GetToken,
            name: "malformed token",
            credential: Credential::Bogus("unleashx-doctor-malformed-login-token".into()),
            expect: Expect::Code(ErrorCode::InvalidLoginToken),
            rejected: None,
            body: None,
        },
        Probe {
            op: Op::VerifyToken,
            name: "no token",
            credential: Credential::None,
            expect: Expect::Code(ErrorCode::ApiTokenRequired),
            rejected: None,
            body: Some(json!({})),
        },
        Probe {
            op: Op::VerifyToken,
            name: "invalid token",
            credential: Credential::Bogus("0".repeat(64)),
            expect: Expect::Code(ErrorCode::InvalidApiToken),
            rejected: None,
            body: Some(json!({})),
        },
        Probe {
            op: Op::GetToken,
            name: "login token",
            credential: Credential::Env(TokenKind::Login, login),
            expect: Expect::Success(&[ErrorCode::NoApiTokenFound]),
            rejected: Some(ErrorCode::InvalidLoginToken),
            body: None,
        },
        Probe {
            op: Op::VerifyToken,
            name: "api token",
            credential: Credential::Env(TokenKind::Api, api.clone()),
            expect: Expect::Success(&[]),
            rejected: Some(ErrorCode::InvalidApiToken),
            body: Some(json!({})),
        },
        Probe {
            op: Op::GetTokenByCustomerId,
            name: "unknown customer",
            credential: Credential::Env(TokenKind::Api, api),
            expect: Expect::Code(ErrorCode::CustomerIdNotFound),
            rejected: Some(ErrorCode::InvalidApiToken),
            body: Some(unknown_customer),
        },
    ]
}

/// The codes that mean "no token was seen", from the no-token probes.
fn missing_token_codes(probes: &[Probe]) -> Vec<ErrorCode> {
    probes
        .iter()
        .filter(|p| matches!(p.credential, Credential::None))
        .filter_map(|p| match &p.expect {
            Expect::Code(c) => Some(c.clone()),
            Expect::Success(_) => None,
        })
        .collect()
}

/// What came back.
struct Observed {
    status: u16,
    json: bool,
    fields: Vec<String>,
    code: Option<ErrorCode>,
    shown_code: Option<String>,
    snippet: Option<String>,
    deviations: Vec<Deviation>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
pub async fn run(ctx: &Context, out: Output, format: OutputFormat) -> ExitCode {
    match doctor(ctx).await {
        Ok(checks) => {
            let text = match format {
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
    let http = raw.client();
    let login = credentials::from_env::<LoginToken>(TokenKind::Login)?
        .map(|f| f.token.expose_secret().to_owned());
    let api = credentials::from_env::<ApiToken>(TokenKind::Api)?
        .map(|f| f.token.expose_secret().to_owned());
    let probes = probes(login, api);
    let missing = missing_token_codes(&probes);
    let limit = ctx.timeout.unwrap_or(PROBE_TIMEOUT);
    let mut checks = Vec::new();
    for probe in &probes {
        let token = match &probe.credential {
            Credential::None => None,
            Credential::Bogus(v) => Some(v.as_str()),
            Credential::Env(_, Some(v)) => Some(v.as_str()),
            Credential::Env(kind, None) => {
                checks.push(untested(probe, kind.env_var()));
                continue;
            }
        };
        tracing::info!(operation = probe.op.as_str(), probe = probe.name, "probing");
        let observed = send(http, &ctx.base_url, probe, token, limit).await?;
        checks.push(judge(probe, observed, &missing));
    }
    Ok(checks)
}

async fn send(
    http: &reqwest::Client,
    base_url: &str,
    probe: &Probe,
    token: Option<&str>,
    limit: Duration,
) -> Result<Observed, CliError> {
    let op = probe.op;
    let method = reqwest::Method::from_bytes(op.method().as_str().as_bytes())
        .map_err(|_| CliError::new(ErrorKind::Config, "the spec names an unknown method"))?;
    let mut request = http
        .request(method, format!("{base_url}{}", op.path()))
        .timeout(limit);
    if let Some(token) = token {
        let mut value = reqwest::header::HeaderValue::from_str(token).map_err(|_| {
            CliError::usage(
                "a token holds characters that cannot be sent in an HTTP header; check that it was copied whole",
            )
        })?;
        value.set_sensitive(true);
        request = request.header(TOKEN_HEADER, value);
    }
    if let Some(body) = &probe.body {
        request = request.json(body);
    }
    let response = request.send().await.map_err(|e| unreachable(base_url, e))?;
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| unreachable(base_url, e))?;
    Ok(observe(op, status, &bytes))
}

/// The server could not be reached, or the exchange failed: exit 4.
fn unreachable(base_url: &str, e: reqwest::Error) -> CliError {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect (refused, DNS or TLS failure)"
    } else {
        "the exchange failed"
    };
    let mut message = format!("doctor: {base_url} cannot be probed: {what}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message.push_str("; check --base-url, the network, and --timeout");
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else {
        ErrorKind::Transport
    };
    CliError::new(kind, message)
}

fn observe(op: OperationId, status: u16, body: &[u8]) -> Observed {
    let deviations = drift::check(op, status, body, false);
    let parsed = serde_json::from_slice::<Value>(body).ok();
    let mut fields = Vec::new();
    let json = match &parsed {
        Some(Value::Object(map)) => {
            paths(map, "", &mut fields);
            true
        }
        _ => false,
    };
    let message = match &parsed {
        Some(Value::Object(map)) if status >= 400 => map.get("message").and_then(Value::as_str),
        _ => None,
    };
    let code = message.map(ErrorCode::from);
    let shown_code = code.as_ref().map(|c| match c {
        ErrorCode::Unknown(_) => deviations
            .iter()
            .find_map(|d| match d {
                Deviation::UnknownCode { code, .. } => Some(code.clone()),
                _ => None,
            })
            .unwrap_or_default(),
        known => known.as_str().to_owned(),
    });
    Observed {
        status,
        json,
        fields,
        code,
        shown_code,
        snippet: (!json).then(|| snippet(body)),
        deviations,
    }
}

/// The dotted paths of an object's keys (names only, never values).
fn paths(map: &serde_json::Map<String, Value>, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in map {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        if let Value::Object(inner) = value {
            out.push(path.clone());
            paths(inner, &path, out);
        } else {
            out.push(path);
        }
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
        Expect::Success(alternatives) => {
            let mut s = format!("{}", probe.op.success_status());
            for code in *alternatives {
                if let Some(status) = probe.op.status_of(code) {
                    s.push_str(&format!(" or {status} {code}"));
                }
            }
            s
        }
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

fn untested(probe: &Probe, var: &str) -> Check {
    Check {
        op: probe.op,
        probe: probe.name,
        credential: "none",
        expected: expected_text(probe),
        observed: None,
        verdict: Verdict::Untested,
        findings: vec![format!("{var} is not set")],
        suggestions: Vec::new(),
        assumptions: assumptions(probe),
    }
}

fn judge(probe: &Probe, observed: Observed, missing: &[ErrorCode]) -> Check {
    let op = probe.op;
    let credential = match &probe.credential {
        Credential::None => "none",
        Credential::Bogus(_) => "made up",
        Credential::Env(kind, _) => kind.env_var(),
    };
    let mut check = Check {
        op,
        probe: probe.name,
        credential,
        expected: expected_text(probe),
        observed: None,
        verdict: Verdict::Confirmed,
        findings: Vec::new(),
        suggestions: Vec::new(),
        assumptions: assumptions(probe),
    };
    let status = observed.status;
    let expected = check.expected.clone();
    if !observed.json {
        let snippet = observed.snippet.clone().unwrap_or_default();
        contradict(
            &mut check,
            format!("HTTP {status} with a body that is not a JSON object: {snippet:?}"),
            format!("{op} answered HTTP {status} without JSON: check that --base-url points at the API; if it does, change `responses` of {op}"),
        );
        check.observed = Some(observed);
        return check;
    }
    // A supplied token the server refused: not drift.
    if let (Some(rejected), Some(code)) = (&probe.rejected, &observed.code) {
        if rejected == code {
            check.verdict = Verdict::Untested;
            check.findings.push(format!(
                "the server rejected the token in {credential} ({code}, HTTP {status}): set a live one to test this"
            ));
            check.observed = Some(observed);
            return check;
        }
    }
    let sent_token = !matches!(probe.credential, Credential::None);
    match (&probe.expect, &observed.code) {
        (Expect::Success(_), None) if status == op.success_status() => {}
        (Expect::Success(alternatives), Some(code))
            if alternatives.contains(code) && op.declares(status, code) => {}
        (Expect::Code(expected), Some(code)) if code == expected => {
            if let Some(declared) = op.status_of(expected) {
                if declared != status {
                    contradict(
                        &mut check,
                        format!("the {declared} for {code} arrived as {status}"),
                        format!("the {declared} for {code} was observed as {status}: change `responses` of {op}"),
                    );
                }
            }
        }
        (_, Some(code)) if sent_token && missing.contains(code) => contradict(
            &mut check,
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
                    &mut check,
                    format!("unknown error code {shown} (HTTP {status}) where the spec expects {wanted}"),
                    format!("{op} answered {shown} with HTTP {status}: declare it in `x-unleashx-error-codes` and list it on the {status} response of {op} (or rename {wanted} if it replaced it)"),
                );
            } else {
                contradict(
                    &mut check,
                    format!("{shown} (HTTP {status}) where the spec expects {wanted}"),
                    format!("{op} answered {shown} with HTTP {status} where the spec expects {}: change `responses` of {op}", expected),
                );
            }
        }
        (_, None) => contradict(
            &mut check,
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
                    &mut check,
                    format!("HTTP {status} is not documented for {op}"),
                    format!("add HTTP {status} to `responses` of {op}"),
                );
            }
            _ => {}
        }
    }
    check.observed = Some(observed);
    check
}

fn contradict(check: &mut Check, finding: String, suggestion: String) {
    check.verdict = Verdict::Contradicted;
    check.findings.push(finding);
    check.suggestions.push(suggestion);
}

fn to_json(base_url: &str, checks: &[Check]) -> Value {
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    json!({
        "base_url": base_url,
        "summary": {
            "confirmed": count(Verdict::Confirmed),
            "contradicted": count(Verdict::Contradicted),
            "additive": count(Verdict::Additive),
            "untested": count(Verdict::Untested),
        },
        "checks": checks.iter().map(|c| json!({
            "operation": c.op.as_str(),
            "probe": c.probe,
            "credential": c.credential,
            "expected": c.expected,
            "observed": c.observed.as_ref().map(|o| json!({
                "status": o.status,
                "json": o.json,
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
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    let mut s = format!(
        "unleashx doctor: {base_url}: {} confirmed, {} contradicted, {} additive, {} untested\n\n",
        count(Verdict::Confirmed),
        count(Verdict::Contradicted),
        count(Verdict::Additive),
        count(Verdict::Untested)
    );
    s.push_str(&format!(
        "{:<13} {:<25} {:<17} {:<36} {}\n",
        "VERDICT", "OPERATION", "PROBE", "EXPECTED", "OBSERVED"
    ));
    for c in checks {
        let observed = match &c.observed {
            Some(o) => match &o.shown_code {
                Some(code) => format!("{} {code}", o.status),
                None if o.json => format!("{} {{{}}}", o.status, o.fields.join(", ")),
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
        for f in &c.findings {
            s.push_str(&format!("    - {f}\n"));
        }
        for a in &c.assumptions {
            s.push_str(&format!("    assumed: {a}\n"));
        }
        for suggestion in &c.suggestions {
            if c.verdict == Verdict::Contradicted {
                s.push_str(&format!("    suggest: {suggestion}\n"));
            }
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
