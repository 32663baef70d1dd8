//! The whole documented workflow, against the local simulator (no network):
//! OTP login, generate and fetch an API token, verify it, onboard a customer,
//! mint a 30-day customer token and verify that.
//!
//! `cargo run -p unleashx --example workflow`

use unleashx::{Client, NewCustomer};
use unleashx_mock::{MockServer, DEMO_EMAIL, DEMO_OTP};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = MockServer::start().await?;
    let client = Client::new(server.base_url())?;

    client.request_otp(DEMO_EMAIL).await?;
    let session = client.login(DEMO_EMAIL, DEMO_OTP).await?;
    println!("logged in: {session:?}");

    let api_token = session.generate_api_token().await?;
    let latest = session.latest_api_token().await?;
    println!(
        "latest token of {} ({}): {:?}",
        latest.email, latest.workspace_name, latest.token
    );

    let api = client.with_api_token(api_token)?;
    println!("verify: {:?}", api.verify().await?);

    let customer = api
        .onboard(NewCustomer::new("jo@example.com", "Jo", "Doe", "Acme Corp"))
        .await?;
    println!("onboarded customer {}", customer.customer_id);

    let minted = api
        .customer_token(customer.customer_id.as_str())
        .name("CI")
        .expires_in_days(30)
        .send_with_meta()
        .await?;
    println!(
        "minted {:?}, expires {:?}, request id {:?}",
        minted.value().token,
        minted.value().expires(),
        minted.meta().request_id()
    );

    let customer_api = api.with_api_token(minted.into_inner().token)?;
    println!("customer token verify: {:?}", customer_api.verify().await?);

    match api.customer_token("12345").await {
        Err(e) => println!("refused before sending: {e}"),
        Ok(_) => println!("unexpectedly accepted"),
    }
    Ok(())
}
