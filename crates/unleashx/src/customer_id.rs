//! The 12-digit customer identifier.

use std::fmt;
use std::str::FromStr;

use crate::error::InvalidInput;

/// A customer id: exactly 12 ASCII digits, leading zeros kept.
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
pub struct CustomerId(String);

impl CustomerId {
    /// The id as a string of 12 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for CustomerId {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let problem = if s.len() != 12 {
            Some(format!("is {} characters long", s.chars().count()))
        } else if !s.bytes().all(|b| b.is_ascii_digit()) {
            Some("contains a character that is not a digit".to_owned())
        } else {
            None
        };
        match problem {
            None => Ok(Self(s.to_owned())),
            Some(problem) => Err(InvalidInput::new(
                "customer_id",
                format!("the customer id {problem}; it must be exactly 12 digits, leading zeros included (for example 048372910564, as onboarding returns it)"),
            )
            .into()),
        }
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
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CustomerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomerId({})", self.0)
    }
}

impl AsRef<str> for CustomerId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
