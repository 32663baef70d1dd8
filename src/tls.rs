//! Which TLS backend this build uses, chosen by Cargo feature and passed on
//! to reqwest: `rustls` (default, aws-lc-rs provider), `rustls-ring` (ring
//! provider) or `native-tls` (OpenSSL on Linux). With `native-tls` and a
//! rustls feature both on, reqwest uses native-tls. With none, the crate
//! builds but cannot make a client that speaks `https` on its own: bring a
//! `reqwest::Client` built with TLS.

/// The backend a `reqwest::Client` built by default in this build uses, by
/// reqwest's rule (native-tls wins over rustls), or `None` without TLS.
pub const BACKEND: Option<&str> = if cfg!(feature = "native-tls") {
    Some("native-tls")
} else if cfg!(feature = "rustls-ring") {
    Some("rustls-ring")
} else if cfg!(feature = "rustls") {
    Some("rustls")
} else {
    None
};

/// Installs rustls's ring provider as the process-wide default, unless the
/// program installed one already (that one stays).
///
/// With `rustls-ring`, reqwest has no provider of its own and panics when it
/// builds a client before one is installed: call this before
/// [`Client::new`](crate::Client::new) or `reqwest::Client::new`. The
/// `unleashx` crate calls it for you.
#[cfg(feature = "rustls-ring")]
pub fn install_ring_provider() {
    // Err means a provider is installed already: the program's choice wins.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
