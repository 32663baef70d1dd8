//! The 12-digit customer identifier.

use std::fmt;
use std::str::FromStr;

use unleashx_api::catalogue::limits::CUSTOMER_ID_MAX_LENGTH;
use unleashx_api::types;

use crate::error::InvalidInput;

/// A customer id: exactly 12 ASCII digits, leading zeros kept (the spec's
/// `CustomerId`, checked by the generated type).
///
/// It is the `customer_salt` that onboarding returns and what
/// gettokenbycustomerid takes.
///
/// ```
/// use unleashx::CustomerId;
/// let id: CustomerId = "048372910564".parse()?;
/// assert_eq!(id.to_string(), "048372910564");
/// assert!("48372910564".parse::<CustomerId>().is_err());
/// # Ok::<(), unleashx::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(types::CustomerId);

impl CustomerId {
    /// The id as a string of 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The generated client's type.
    pub(crate) fn into_generated(self) -> types::CustomerId {
        self.0
    }
}

impl FromStr for CustomerId {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        types::CustomerId::try_from(s).map(Self).map_err(|e| {
            let reason = format!("the customer id is not valid ({e}); it must be exactly {CUSTOMER_ID_MAX_LENGTH} digits, leading zeros included (for example 048372910564, as onboarding returns it)");
            InvalidInput::new("customer_id", reason).into()
        })
    }
}

impl TryFrom<&str> for CustomerId {
    type Error = crate::Error;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl TryFrom<String> for CustomerId {
    type Error = crate::Error;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl fmt::Display for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomerId({})", self.as_str())
    }
}

impl AsRef<str> for CustomerId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}
