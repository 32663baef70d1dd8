//! Secret values: tokens and one-time passwords.
//!
//! Each type redacts itself in `Debug` and `Display`, gives its value only
//! through `expose_secret`, and wipes its memory when dropped.

use std::fmt;

use zeroize::Zeroizing;

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Zeroizing<String>);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(Zeroizing::new(value.into()))
            }

            /// The secret value. Call it only where the value must leave the program.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.expose_secret() == other.expose_secret()
            }
        }

        impl Eq for $name {}

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::new(value)
            }
        }
    };
}

secret_type!(
    /// An API token: what verify, onboard and gettokenbycustomerid need.
    ///
    /// ```
    /// let token = unleashx::ApiToken::new("359b83f4...");
    /// assert_eq!(format!("{token:?}"), "ApiToken(<redacted>)");
    /// assert_eq!(token.expose_secret(), "359b83f4...");
    /// ```
    ApiToken
);

secret_type!(
    /// A login (session) token: what generate-token and get-token need.
    LoginToken
);

secret_type!(
    /// A one-time password sent to the user by the first login step.
    Otp
);

impl From<unleashx_api::secret::Redacted> for ApiToken {
    fn from(value: unleashx_api::secret::Redacted) -> Self {
        Self::new(value.expose())
    }
}

impl From<unleashx_api::secret::Redacted> for LoginToken {
    fn from(value: unleashx_api::secret::Redacted) -> Self {
        Self::new(value.expose())
    }
}
