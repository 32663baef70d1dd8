//! Random token, OTP and customer-salt values.
//!
//! Bytes come from the operating system (`getrandom`); if that ever fails the
//! simulator falls back to a time-and-counter mix rather than failing the request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use unleashx_api::catalogue::limits;

/// Fills `buf` with random bytes.
pub(crate) fn fill(buf: &mut [u8]) {
    if getrandom::fill(buf).is_ok() {
        return;
    }
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    for chunk in buf.chunks_mut(8) {
        let mut z = COUNTER
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(nanos);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let bytes = z.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    fill(&mut b);
    u64::from_le_bytes(b)
}

/// A uniformly distributed number below `bound` (rejection sampling).
fn below(bound: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let v = random_u64();
        if v < zone {
            return v % bound;
        }
    }
}

/// A new API token: 64 lowercase hexadecimal characters.
pub(crate) fn api_token() -> String {
    let mut b = [0u8; 32];
    fill(&mut b);
    hex(&b)
}

/// A new login token that looks like a JWT: three base64url segments.
pub(crate) fn login_token(issued_at: i64) -> String {
    const HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"; // {"alg":"HS256","typ":"JWT"}
    let mut sid = [0u8; 16];
    fill(&mut sid);
    let payload = format!("{{\"sid\":\"{}\",\"iat\":{issued_at}}}", hex(&sid));
    let mut sig = [0u8; 32];
    fill(&mut sig);
    let (payload, sig) = (base64url(payload.as_bytes()), base64url(&sig));
    format!("{HEADER}.{payload}.{sig}")
}

/// A six-digit one-time password (leading zeros kept).
pub(crate) fn otp() -> String {
    format!("{:06}", below(1_000_000))
}

/// A customer salt: as many digits as the spec's `CustomerId` has (leading
/// zeros kept).
pub(crate) fn customer_salt() -> String {
    const DIGITS: usize = limits::CUSTOMER_ID_MAX_LENGTH as usize;
    format!("{:0DIGITS$}", below(10u64.pow(DIGITS as u32)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Unpadded base64url: each group of up to 3 bytes gives one character more
/// than its length.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 0x3f] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = api_token();
        assert_eq!(t.len(), 64);
        assert!(t
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_ne!(t, api_token());
        let s = customer_salt();
        assert!(s.parse::<unleashx_api::types::CustomerId>().is_ok(), "{s}");
        assert_eq!(otp().len(), 6);
        let l = login_token(1);
        assert_eq!(l.split('.').count(), 3);
        assert_eq!(base64url(b"{}"), "e30");
        assert_eq!(base64url(b"abc"), "YWJj");
        assert_eq!(base64url(b"a"), "YQ");
    }
}
