//! A minimal tool on `unleashx`: a client from the environment, and one
//! verify call when `UNLEASHX_API_TOKEN` is set.

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = unleashx::Client::from_env()?;
    if std::env::var_os("UNLEASHX_API_TOKEN").is_some() {
        let api = unleashx::ApiClient::from_env()?;
        println!("valid: {}", api.verify().await?.is_valid());
    } else {
        println!("{client:?}");
    }
    Ok(())
}
