//! The six operations of the API.

use std::fmt;

/// One of the six API operations, named after the spec's `operationId`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// `POST /api/login` (`login`).
    Login,
    /// `POST /api/v1/global/generate-token` (`generate_token`).
    GenerateToken,
    /// `GET /api/v1/global/get-token` (`get_token`).
    GetToken,
    /// `POST /api/v1/global/verify` (`verify_token`).
    VerifyToken,
    /// `POST /api/v1/global/users/onboard` (`onboard_user`).
    OnboardUser,
    /// `POST /api/v1/global/users/gettokenbycustomerid` (`get_token_by_customer_id`).
    GetTokenByCustomerId,
}

impl Operation {
    /// All six operations, in spec order.
    pub const ALL: [Operation; 6] = [
        Operation::Login,
        Operation::GenerateToken,
        Operation::GetToken,
        Operation::VerifyToken,
        Operation::OnboardUser,
        Operation::GetTokenByCustomerId,
    ];

    /// The path the spec gives for the operation.
    pub const fn path(self) -> &'static str {
        match self {
            Operation::Login => "/api/login",
            Operation::GenerateToken => "/api/v1/global/generate-token",
            Operation::GetToken => "/api/v1/global/get-token",
            Operation::VerifyToken => "/api/v1/global/verify",
            Operation::OnboardUser => "/api/v1/global/users/onboard",
            Operation::GetTokenByCustomerId => "/api/v1/global/users/gettokenbycustomerid",
        }
    }

    /// The HTTP method the spec gives for the operation.
    pub const fn method(self) -> &'static str {
        match self {
            Operation::GetToken => "GET",
            _ => "POST",
        }
    }

    /// The spec's `operationId`.
    pub const fn operation_id(self) -> &'static str {
        match self {
            Operation::Login => "login",
            Operation::GenerateToken => "generate_token",
            Operation::GetToken => "get_token",
            Operation::VerifyToken => "verify_token",
            Operation::OnboardUser => "onboard_user",
            Operation::GetTokenByCustomerId => "get_token_by_customer_id",
        }
    }

    pub(crate) const fn index(self) -> usize {
        match self {
            Operation::Login => 0,
            Operation::GenerateToken => 1,
            Operation::GetToken => 2,
            Operation::VerifyToken => 3,
            Operation::OnboardUser => 4,
            Operation::GetTokenByCustomerId => 5,
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}
