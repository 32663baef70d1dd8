//! `unleashx login`: the two-step OTP login.

use unleashx::Otp;

use crate::args::LoginArgs;
use crate::commands::{Context, Outcome};
use crate::credentials::{self, TokenKind};
use crate::output::{CliError, Record};

/// Step 1 (no OTP): `{"message":"OTP_SENT"}`. Step 2 (`--otp` or
/// `--otp-stdin`): `{"message":"LOGGEDIN","token":"..."}`, and the login
/// token is stored unless `--no-store`.
pub async fn run(ctx: &Context, args: LoginArgs) -> Result<Outcome, CliError> {
    ctx.no_token("login")?;
    let otp = match (args.otp, args.otp_stdin) {
        (Some(otp), _) => Some(Otp::new(otp)),
        (None, true) => Some(credentials::otp_from_stdin()?),
        (None, false) => None,
    };
    let client = ctx.client()?;
    match otp {
        None => {
            tracing::info!("login step 1: asking the server to send an OTP");
            let sent = client.request_otp(args.username).await?;
            Ok(Record::new().field("message", sent.message).into())
        }
        Some(otp) => {
            let store = ctx.open_store()?;
            tracing::info!("login step 2: exchanging the OTP for a login token");
            let session = client.login(args.username, otp).await?;
            let token = session.login_token().expose_secret();
            // The library returns a session only for a logged-in answer with a
            // token; it does not hand back the message itself.
            Ok(Outcome {
                record: Record::new()
                    .field(
                        "message",
                        unleashx_api::catalogue::messages::LOGIN_LOGGED_IN,
                    )
                    .field("token", token),
                save: store.map(|s| s.with(TokenKind::Login, token)),
            })
        }
    }
}
