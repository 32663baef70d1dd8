//! Deliberate drift from `openapi.yaml`, for testing tools that detect it
//! (the library's drift report, `unleashx doctor`).

use std::fmt;
use std::str::FromStr;

use axum::http::{header, HeaderMap, StatusCode};
use serde_json::Value;
use unleashx_api::catalogue::ErrorCode;

/// A named way the simulator can depart from the spec. Names are stable
/// (kebab-case, [`Drift::name`]); `crates/unleashx-mock/README.md` lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Drift {
    /// `status-shift`: `LOGIN_TOKEN_REQUIRED` is answered 401 instead of the
    /// spec's 400 (400 if the spec ever says 401).
    StatusShift,
    /// `extra-field`: every success body gains `"extra_field"` at the top
    /// level, and inside `data` when the body has a `data` object.
    ExtraField,
    /// `renamed-code`: `INVALID_API_TOKEN` is sent as `TOKEN_INVALID`, with
    /// the same status.
    RenamedCode,
    /// `authorization-header`: the credential is read from `Authorization`
    /// (raw or `Bearer <value>`) and the `token` header is ignored, so a
    /// token sent as the spec says gets the missing-token code.
    AuthorizationHeader,
}

/// The code [`Drift::RenamedCode`] sends instead of `INVALID_API_TOKEN`.
pub const RENAMED_INVALID_API_TOKEN: &str = "TOKEN_INVALID";

/// The field [`Drift::ExtraField`] adds to success bodies.
pub const EXTRA_FIELD: &str = "extra_field";

impl Drift {
    /// Every drift.
    pub const ALL: [Drift; 4] = [
        Drift::StatusShift,
        Drift::ExtraField,
        Drift::RenamedCode,
        Drift::AuthorizationHeader,
    ];

    /// The stable name (`status-shift`), as `--drift` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            Drift::StatusShift => "status-shift",
            Drift::ExtraField => "extra-field",
            Drift::RenamedCode => "renamed-code",
            Drift::AuthorizationHeader => "authorization-header",
        }
    }

    /// One line on what the simulator then does differently.
    pub const fn description(self) -> &'static str {
        match self {
            Drift::StatusShift => "LOGIN_TOKEN_REQUIRED is answered 401 instead of 400",
            Drift::ExtraField => "success bodies gain \"extra_field\" (top level and in `data`)",
            Drift::RenamedCode => "INVALID_API_TOKEN is sent as TOKEN_INVALID",
            Drift::AuthorizationHeader => {
                "the credential is read from `Authorization`; the `token` header is ignored"
            }
        }
    }

    /// Its bit in [`Drifts`]: one per variant, by declaration order.
    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no [`Drift`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDrift(pub String);

impl fmt::Display for UnknownDrift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known = Drift::ALL.map(Drift::name).join(", ");
        write!(f, "unknown drift {:?}; known: {known}", self.0)
    }
}

impl std::error::Error for UnknownDrift {}

impl FromStr for Drift {
    type Err = UnknownDrift;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Drift::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| UnknownDrift(s.to_owned()))
    }
}

/// A set of drifts (a bit per drift).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Drifts(pub(crate) u8);

impl Drifts {
    pub fn of(drifts: &[Drift]) -> Self {
        Drifts(drifts.iter().fold(0, |bits, d| bits | d.bit()))
    }

    pub fn has(self, drift: Drift) -> bool {
        self.0 & drift.bit() != 0
    }

    /// The status and code actually sent for an error reply.
    pub fn error(self, status: StatusCode, code: ErrorCode) -> (StatusCode, String) {
        let status = match code {
            ErrorCode::LoginTokenRequired if self.has(Drift::StatusShift) => match status {
                StatusCode::UNAUTHORIZED => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNAUTHORIZED,
            },
            _ => status,
        };
        let code = match code {
            ErrorCode::InvalidApiToken if self.has(Drift::RenamedCode) => {
                RENAMED_INVALID_API_TOKEN.to_owned()
            }
            other => other.as_str().to_owned(),
        };
        (status, code)
    }

    /// The success body actually sent.
    pub fn success(self, mut body: Value) -> Value {
        if self.has(Drift::ExtraField) {
            if let Value::Object(map) = &mut body {
                if let Some(Value::Object(data)) = map.get_mut("data") {
                    data.insert(EXTRA_FIELD.to_owned(), Value::from("drift"));
                }
                map.insert(EXTRA_FIELD.to_owned(), Value::from("drift"));
            }
        }
        body
    }

    /// The raw credential header the request carries: `token`, or with
    /// [`Drift::AuthorizationHeader`] `Authorization`.
    pub fn credential(self, headers: &HeaderMap) -> Option<&[u8]> {
        if self.has(Drift::AuthorizationHeader) {
            let value = headers.get(header::AUTHORIZATION)?.as_bytes();
            match value.split_at_checked(7) {
                Some((scheme, rest)) if scheme.eq_ignore_ascii_case(b"bearer ") => Some(rest),
                _ => Some(value),
            }
        } else {
            headers
                .get(unleashx_api::catalogue::TOKEN_HEADER)
                .map(|v| v.as_bytes())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_bits_are_distinct() {
        let mut seen = 0u8;
        for d in Drift::ALL {
            assert_eq!(d.name().parse::<Drift>(), Ok(d));
            assert_eq!(seen & d.bit(), 0, "{d}");
            seen |= d.bit();
            assert!(Drifts::of(&[d]).has(d));
        }
        let err = "nope".parse::<Drift>().unwrap_err().to_string();
        assert!(
            err.contains("nope") && err.contains("status-shift"),
            "{err}"
        );
        assert!(!Drifts::default().has(Drift::ExtraField));
    }
}
