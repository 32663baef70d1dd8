//! `unleashx login`: the two-step OTP login.

use unleashx::Otp;

use crate::args::LoginArgs;
use crate::commands::Context;
use crate::credentials;
use crate::output::{CliError, Record};

/// Step 1 (no OTP): `{"message":"OTP_SENT"}`. Step 2 (`--otp` or
/// `--otp-stdin`): `{"message":"LOGGEDIN","token":"..."}`.
pub async fn run(ctx: &Context, args: LoginArgs) -> Result<Record, CliError> {
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
            Ok(Record::new().field("message", sent.message))
        }
        Some(otp) => {
            tracing::info!("login step 2: exchanging the OTP for a login token");
            let session = client.login(args.username, otp).await?;
            // The library returns a session only for a `LOGGEDIN` answer with a
            // token; it does not hand back the message itself.
            Ok(Record::new()
                .field("message", "LOGGEDIN")
                .field("token", session.login_token().expose_secret()))
        }
    }
}
