//! `unleashx demo`: the whole documented workflow, through the `unleashx`
//! library, against the simulator started in-process on `127.0.0.1:0`.
//! No network, no environment variables, no setup.

use std::future::Future;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use unleashx::{ApiClient, Client, NewCustomer, TokenStatus};
use unleashx_mock::{MockServer, Operation, DEMO_EMAIL};

use crate::args::OutputFormat;
use crate::commands::client_for;
use crate::dates::expiry_text;
use crate::output::{CliError, ErrorKind, Output, Record};

/// The steps, in order (also what the output names them).
pub const STEPS: [&str; 9] = [
    "request OTP",
    "log in with the OTP",
    "generate API token",
    "get latest API token",
    "verify API token",
    "onboard customer",
    "mint customer token",
    "verify customer token",
    "refuse malformed customer id",
];

/// Days until the demo's customer token expires.
const CUSTOMER_TOKEN_DAYS: u32 = 30;

/// Runs the demo; exit 0 when every step succeeded.
pub async fn run(timeout: Option<Duration>, out: Output) -> ExitCode {
    let started = Instant::now();
    let server = match MockServer::start().await {
        Ok(server) => server,
        Err(e) => {
            return out.error(&CliError::new(
                ErrorKind::Transport,
                format!("the simulator could not start on 127.0.0.1: {e}"),
            ))
        }
    };
    let base_url = server.base_url();
    let mut demo = Demo { out, done: 0 };
    let result = match (demo.intro(&base_url), client_for(&base_url, timeout)) {
        (Ok(()), Ok(client)) => demo.workflow(&server, &client).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    server.shutdown().await;
    out.exit(result.and_then(|()| demo.summary(&base_url, started.elapsed())))
}

struct Demo {
    out: Output,
    done: usize,
}

impl Demo {
    fn intro(&self, base_url: &str) -> Result<(), CliError> {
        if self.out.format != OutputFormat::Text {
            return Ok(());
        }
        self.out.line(&format!(
            "unleashx demo: simulator at {base_url}, account {DEMO_EMAIL}; secrets are shown as <redacted>"
        ))
    }

    fn summary(&self, base_url: &str, elapsed: Duration) -> Result<(), CliError> {
        let ms = elapsed.as_millis();
        match self.out.format {
            OutputFormat::Text => self.out.line(&format!(
                "demo complete: {} of {} steps succeeded in {ms} ms against the simulator at {base_url}",
                self.done,
                STEPS.len()
            )),
            OutputFormat::Json => self.out.record(
                &Record::new()
                    .field("summary", "demo complete")
                    .field("steps", self.done)
                    .field("of", STEPS.len())
                    .field("elapsed_ms", ms as u64)
                    .field("base_url", base_url),
            ),
        }
    }

    /// Runs the next step: times `fut`, prints one line with `describe`'s
    /// result (or the failure), and returns the value.
    async fn step<T>(
        &mut self,
        fut: impl Future<Output = Result<T, CliError>>,
        describe: impl FnOnce(&T) -> String,
    ) -> Result<T, CliError> {
        let what = STEPS.get(self.done).copied().unwrap_or("extra step");
        let start = Instant::now();
        let result = fut.await;
        let ms = start.elapsed().as_millis() as u64;
        let n = self.done + 1;
        let line = match &result {
            Ok(value) => describe(value),
            Err(e) => format!("FAILED ({})", e.kind.as_str()),
        };
        let printed = match self.out.format {
            OutputFormat::Text => self
                .out
                .line(&format!("[{n}/{}] {what}: {line} ({ms} ms)", STEPS.len())),
            OutputFormat::Json => self.out.record(
                &Record::new()
                    .field("step", n)
                    .field("what", what)
                    .field("ok", result.is_ok())
                    .field("result", line)
                    .field("elapsed_ms", ms),
            ),
        };
        if result.is_ok() {
            self.done += 1;
        }
        printed?;
        result
    }

    async fn workflow(&mut self, server: &MockServer, client: &Client) -> Result<(), CliError> {
        // The simulator "sends" the OTP; the demo reads it from there.
        self.step(async { Ok(client.request_otp(DEMO_EMAIL).await?) }, |s| {
            format!("{} for {DEMO_EMAIL}", s.message)
        })
        .await?;
        let otp = server
            .last_otp(DEMO_EMAIL)
            .ok_or_else(|| check_failed("the simulator has no pending OTP for the demo account"))?;

        let session = self
            .step(
                async { Ok(client.login(DEMO_EMAIL, otp.as_str()).await?) },
                |s| {
                    format!(
                        "OTP {} accepted, login token {}",
                        redacted(&otp),
                        redacted(s.login_token().expose_secret())
                    )
                },
            )
            .await?;

        let api_token = self
            .step(async { Ok(session.generate_api_token().await?) }, |t| {
                format!("API token {}", redacted(t.expose_secret()))
            })
            .await?;

        // get-token must give back the token just generated.
        self.step(
            async {
                let latest = session.latest_api_token().await?;
                if latest.token != api_token {
                    return Err(check_failed(
                        "get-token did not return the token generate-token just minted",
                    ));
                }
                Ok(latest)
            },
            |d| {
                format!(
                    "token {} equals the generated one; email {}, workspace {:?}",
                    redacted(d.token.expose_secret()),
                    d.email,
                    d.workspace_name
                )
            },
        )
        .await?;

        let api = client.with_api_token(api_token.clone())?;
        self.step(verify(&api), |_| "valid".to_owned()).await?;

        let suffix = unique_suffix();
        let email = format!("customer-{suffix}@example.com");
        let company = format!("Demo Customer {suffix}");
        let customer = NewCustomer::new(email.clone(), "Ada", "Lovelace", company.clone());
        let onboarded = self
            .step(async { Ok(api.onboard(customer).await?) }, |c| {
                format!(
                    "{email} at {company:?}: customer id {}, user {}, workspace {}",
                    c.customer_id, c.user_id, c.workspace_id
                )
            })
            .await?;

        let minted = self
            .step(
                async {
                    let minted = api
                        .customer_token(onboarded.customer_id.as_str())
                        .name("demo token")
                        .expires_in_days(CUSTOMER_TOKEN_DAYS)
                        .await?;
                    if minted.expires_unix().is_none() {
                        return Err(check_failed(
                            "the customer token came back without an expiry",
                        ));
                    }
                    Ok(minted)
                },
                |m| {
                    format!(
                        "customer_api_key {} named {:?}, expires {}",
                        redacted(m.token.expose_secret()),
                        m.name.as_deref().unwrap_or(""),
                        expiry_text(m.expires_unix(), SystemTime::now()),
                    )
                },
            )
            .await?;

        let customer_api = client.with_api_token(minted.token.clone())?;
        self.step(verify(&customer_api), |_| "valid".to_owned())
            .await?;

        // A malformed customer id is refused before anything is sent.
        let before = server.requests(Operation::GetTokenByCustomerId);
        self.step(
            async {
                match api.customer_token("12345").await {
                    Err(e) if e.is_invalid_input() => {
                        if server.requests(Operation::GetTokenByCustomerId) != before {
                            return Err(check_failed(
                                "the malformed customer id reached the server",
                            ));
                        }
                        Ok(e)
                    }
                    Err(e) => Err(CliError::from(e)),
                    Ok(_) => Err(check_failed(
                        "the malformed customer id \"12345\" was accepted",
                    )),
                }
            },
            |e| format!("\"12345\" refused: {e}"),
        )
        .await?;
        Ok(())
    }
}

async fn verify(api: &ApiClient) -> Result<TokenStatus, CliError> {
    match api.verify().await? {
        TokenStatus::Valid => Ok(TokenStatus::Valid),
        other => Err(check_failed(&format!("verify said the token is {other:?}"))),
    }
}

/// A demo check that failed: the simulator answered, but not as documented.
fn check_failed(what: &str) -> CliError {
    CliError::new(
        ErrorKind::UnexpectedResponse,
        format!("demo check failed: {what}"),
    )
}

/// `<redacted, 64 hex chars>`: a secret's shape, never any part of it.
pub fn redacted(secret: &str) -> String {
    let n = secret.chars().count();
    if n > 0 && secret.bytes().all(|b| b.is_ascii_digit()) {
        format!("<redacted, {n} digits>")
    } else if n > 0 && secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("<redacted, {n} hex chars>")
    } else {
        format!("<redacted, {n} chars>")
    }
}

/// A suffix that makes the demo's email and company unique.
fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{nanos:x}{:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_shows_only_the_shape() {
        assert_eq!(redacted(&"ab".repeat(32)), "<redacted, 64 hex chars>");
        assert_eq!(redacted("abc.def"), "<redacted, 7 chars>");
        assert_eq!(redacted("123456"), "<redacted, 6 digits>");
    }
}
