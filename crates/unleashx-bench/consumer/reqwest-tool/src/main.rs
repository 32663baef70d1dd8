//! The same tool on bare reqwest + serde + tokio: a client configured from
//! the environment, and one verify call when `UNLEASHX_API_TOKEN` is set.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Verify {
    message: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    let _ = rustls::crypto::ring::default_provider().install_default();
    let base = std::env::var("UNLEASHX_BASE_URL").unwrap_or_else(|_| "https://www.tryunleashx.com".into());
    let client = reqwest::Client::builder()
        .user_agent("reqwest-tool")
        .connect_timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    match std::env::var("UNLEASHX_API_TOKEN") {
        Ok(token) => {
            let v: Verify = client
                .get(format!("{base}/api/v1/global/verify"))
                .header("token", token)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            println!("verify: {:?}", v.message);
        }
        Err(_) => println!("{client:?} {base}"),
    }
    Ok(())
}
