//! The workspace's one secret type: API tokens, login tokens and OTPs, in the
//! generated types and in the `unleashx` crate alike.
//!
//! What is wiped: the [`Secret`]'s own buffer, when it is dropped, and the
//! `token` header value a client keeps ([`crate::auth::Auth`]), when the last
//! client holding it is dropped. What is not: the copies made while a request
//! is sent or a response read (reqwest's and hyper's buffers, the TLS layer,
//! the JSON text of a body, the kernel's socket buffers), and any string the
//! caller made before handing the value over.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// What a [`Secret`] holds; it names the type in `Debug` and keeps the kinds
/// apart (an OTP is not an API token). Sealed.
pub trait Kind: private::Sealed {
    /// The type's name, as `Debug` shows it.
    const NAME: &'static str;
}

mod private {
    pub trait Sealed {}
}

/// The kinds of secret.
pub mod kind {
    /// An API token.
    #[derive(Debug)]
    pub enum ApiToken {}
    /// A login (session) token.
    #[derive(Debug)]
    pub enum LoginToken {}
    /// A one-time password.
    #[derive(Debug)]
    pub enum Otp {}
}

macro_rules! kinds {
    ($($kind:ident),*) => {$(
        impl private::Sealed for kind::$kind {}
        impl Kind for kind::$kind {
            const NAME: &'static str = stringify!($kind);
        }
    )*};
}
kinds!(ApiToken, LoginToken, Otp);

/// A secret string of kind `K`.
///
/// `Debug` and `Display` never show the value; it is read only through
/// [`Secret::expose_secret`], and its buffer is zeroized on drop. It
/// (de)serializes as a plain JSON string.
///
/// ```
/// use unleashx_api::secret::ApiToken;
/// let token = ApiToken::new("359b83f4...");
/// assert_eq!(format!("{token:?} {token}"), "ApiToken(<redacted>) <redacted>");
/// assert_eq!(token.expose_secret(), "359b83f4...");
/// ```
pub struct Secret<K: Kind> {
    value: Zeroizing<String>,
    kind: PhantomData<fn() -> K>,
}

/// An API token: the credential of the operations whose security is `ApiToken`.
pub type ApiToken = Secret<kind::ApiToken>;
/// A login (session) token: the credential of the operations whose security is
/// `LoginToken`.
pub type LoginToken = Secret<kind::LoginToken>;
/// A one-time password, sent to the user by the first login step.
pub type Otp = Secret<kind::Otp>;

impl<K: Kind> Secret<K> {
    /// Wraps a secret value (moved, not copied, when it is a `String`).
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: Zeroizing::new(value.into()),
            kind: PhantomData,
        }
    }

    /// The secret value. Call it only where the value must leave the program.
    pub fn expose_secret(&self) -> &str {
        &self.value
    }
}

impl<K: Kind> Clone for Secret<K> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            kind: PhantomData,
        }
    }
}

impl<K: Kind> PartialEq for Secret<K> {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl<K: Kind> Eq for Secret<K> {}

impl<K: Kind> From<String> for Secret<K> {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl<K: Kind> From<&str> for Secret<K> {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl<K: Kind> fmt::Debug for Secret<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(<redacted>)", K::NAME)
    }
}

impl<K: Kind> fmt::Display for Secret<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<K: Kind> Serialize for Secret<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de, K: Kind> Deserialize<'de> for Secret<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

impl<K: Kind> schemars::JsonSchema for Secret<K> {
    fn schema_name() -> String {
        "String".to_owned()
    }

    fn is_referenceable() -> bool {
        false
    }

    fn json_schema(generator: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
    }
}
