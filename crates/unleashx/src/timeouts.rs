//! The time limits of a call.

use std::time::Duration;

/// Time limits of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Limit on opening a connection. Default 10 s.
    pub connect: Duration,
    /// Limit on one attempt, from sending to the last body byte. Default 30 s.
    pub attempt: Duration,
    /// Limit on the whole call, retries and waits included. Default 60 s.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(30),
            total: Duration::from_secs(60),
        }
    }
}
