//! Drift from `openapi.yaml`, as seen by one [`Client`] and every handle made
//! from it: the generated client checks each response against the catalogue
//! and records departures here (see [`unleashx_api::drift`]).

use crate::{ApiClient, Client, LoginSession};

pub use unleashx_api::drift::{
    Deviation, DriftCount, DriftError, DriftReport, OperationDrift, TARGET as DRIFT_TARGET,
};

impl Client {
    /// The drift seen so far by this client and every session and handle
    /// made from it, per operation with counts.
    ///
    /// ```no_run
    /// # async fn f(client: unleashx::Client) {
    /// let report = client.drift();
    /// if !report.is_empty() {
    ///     eprintln!("the API departs from openapi.yaml:\n{report}");
    /// }
    /// # }
    /// ```
    pub fn drift(&self) -> DriftReport {
        self.shared.drift.report()
    }
}

impl LoginSession {
    /// The drift seen by the [`Client`] this session belongs to.
    pub fn drift(&self) -> DriftReport {
        self.ctx.shared().drift.report()
    }
}

impl ApiClient {
    /// The drift seen by the [`Client`] this handle belongs to.
    pub fn drift(&self) -> DriftReport {
        self.ctx.shared().drift.report()
    }
}
