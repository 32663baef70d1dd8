//! `unleashx customer onboard|token`.

use unleashx::NewCustomer;

use crate::args::CustomerCommand;
use crate::commands::Context;
use crate::credentials::{explain_refusal, TokenKind};
use crate::output::{CliError, Record};

/// Runs one `customer` subcommand.
pub async fn run(ctx: &Context, cmd: CustomerCommand) -> Result<Record, CliError> {
    let found = ctx.api_token()?;
    let api = ctx.client()?.with_api_token(found.token.clone())?;
    tracing::debug!(source = found.source.label(), "API token");
    run_with(&api, cmd)
        .await
        .map_err(|e| explain_refusal(&found.source, TokenKind::Api, e))
}

async fn run_with(api: &unleashx::ApiClient, cmd: CustomerCommand) -> Result<Record, CliError> {
    match cmd {
        CustomerCommand::Onboard(args) => {
            tracing::info!("onboarding a customer");
            let customer =
                NewCustomer::new(args.email, args.first_name, args.last_name, args.company);
            let created = api.onboard(customer).await?;
            Ok(Record::new()
                .field("registration_id", created.registration_id)
                .field("user_id", created.user_id)
                .field("company_id", created.company_id)
                .field("workspace_id", created.workspace_id)
                .field("customer_salt", created.customer_id.as_str()))
        }
        CustomerCommand::Token(args) => {
            tracing::info!("minting a customer token");
            let mut request = api.customer_token(&args.customer_id);
            if let Some(name) = args.name {
                request = request.name(name);
            }
            if let Some(days) = args.expiration_days {
                request = request.expires_in_days(days);
            }
            let minted = request.await?;
            Ok(Record::new()
                .field("customerid", minted.customer_id.as_str())
                .field("customer_api_key", minted.token.expose_secret())
                .field("name", minted.name.clone())
                .expiry("expires", minted.expires_unix()))
        }
    }
}
