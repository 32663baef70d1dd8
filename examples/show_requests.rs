//! Builds the generated client and prints the requests it would send for two
//! operations, with the token redacted. No network is used.

use unleashx_api::{auth::Auth, types, Client};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(
        "https://www.tryunleashx.com",
        Auth::token("example-api-token")?,
    );
    println!("client: {client:?}\n");

    let body = types::GetTokenByCustomerIdRequest {
        customer_id: "048372910564".parse()?,
        name: Some("My API Token".into()),
        expiration_days: std::num::NonZeroU64::new(30),
    };
    println!("POST https://www.tryunleashx.com/api/v1/global/users/gettokenbycustomerid");
    println!("token: <redacted>");
    println!("{}\n", serde_json::to_string_pretty(&body)?);

    let login = client.with_auth(Auth::token("example-login-token")?);
    println!(
        "GET https://www.tryunleashx.com/api/v1/global/get-token with {:?}",
        login.auth()
    );
    println!("\nA malformed customer id is refused before anything is sent:");
    match "48372910564".parse::<types::CustomerId>() {
        Ok(_) => println!("  (accepted?)"),
        Err(e) => println!("  {e}"),
    }
    Ok(())
}
