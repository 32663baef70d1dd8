//! The catalogue's extensions (`x-unleashx-error-codes`, `x-unleashx-retry`,
//! `x-unleashx-aliases`)
//! are checked on load: a malformed one is an error that names the file, the
//! JSON pointer and the fix, never a panic or a silently empty catalogue.

use unleashx_api::catalogue::{messages, ErrorCode, OperationId, RetrySafety, Security};
use unleashx_codegen::{Catalogue, Location, Spec, SpecError};

fn spec_text() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml"))
        .expect("openapi.yaml is readable")
}

/// `openapi.yaml` with `from` replaced by `to` (which must occur once).
fn changed(from: &str, to: &str) -> String {
    let text = spec_text();
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
    text.replacen(from, to, 1)
}

fn refused(text: &str) -> SpecError {
    let result = std::panic::catch_unwind(|| Spec::parse(text, "openapi.yaml"));
    match result {
        Ok(Ok(_)) => panic!("the spec was accepted"),
        Ok(Err(e)) => {
            assert!(
                e.to_string().starts_with("openapi.yaml:#"),
                "no file and pointer: {e}"
            );
            assert!(e.help().is_some(), "no hint: {e}");
            e
        }
        Err(_) => panic!("loading the spec panicked"),
    }
}

fn pointer(e: &SpecError) -> &str {
    match e.location() {
        Location::Pointer(p) => p,
        other => panic!("not a pointer: {other:?} ({e})"),
    }
}

#[test]
fn a_listed_code_the_map_lacks_is_refused() {
    let e = refused(&changed(
        "x-unleashx-error-codes: [NO_API_TOKEN_FOUND]",
        "x-unleashx-error-codes: [NO_API_TOKEN_FOUND, NO_SUCH_CODE]",
    ));
    assert_eq!(
        pointer(&e),
        "/paths/~1api~1v1~1global~1get-token/get/responses/404/x-unleashx-error-codes/1"
    );
    assert!(e.message().contains("NO_SUCH_CODE"), "{e}");
    assert!(e.to_string().contains("declare it once"), "{e}");
}

#[test]
fn a_declared_code_no_response_uses_is_refused() {
    let e = refused(&changed(
        "x-unleashx-error-codes:\n  LOGIN_TOKEN_REQUIRED:",
        "x-unleashx-error-codes:\n  NEVER_SENT:\n    description: Nobody lists it.\n    documented: false\n  LOGIN_TOKEN_REQUIRED:",
    ));
    assert_eq!(pointer(&e), "/x-unleashx-error-codes/NEVER_SENT");
    assert!(e.message().contains("no response lists it"), "{e}");
}

#[test]
fn a_code_without_description_is_refused() {
    let e = refused(&changed(
        "    description: The customer has no active workspace.\n",
        "",
    ));
    assert_eq!(pointer(&e), "/x-unleashx-error-codes/WORKSPACE_NOT_FOUND");
    assert!(e.message().contains("no description"), "{e}");
}

#[test]
fn a_mistyped_field_is_refused() {
    let text = spec_text();
    let at = text.find("  WORKSPACE_NOT_FOUND:").expect("code declared");
    let rest = &text[at..];
    let documented = at + rest.find("documented: true").expect("flag");
    let mut bad = text.clone();
    bad.replace_range(
        documented..documented + "documented: true".len(),
        "documented: yes",
    );
    let e = refused(&bad);
    assert_eq!(
        pointer(&e),
        "/x-unleashx-error-codes/WORKSPACE_NOT_FOUND/documented"
    );

    let e = refused(&changed(
        "x-unleashx-error-codes: [NO_API_TOKEN_FOUND]",
        "x-unleashx-error-codes: NO_API_TOKEN_FOUND",
    ));
    assert!(pointer(&e).ends_with("/404/x-unleashx-error-codes"), "{e}");

    let e = refused(&changed(
        "    hint: choose another company name\n",
        "    hint: choose another company name\n    hnit: typo\n",
    ));
    assert_eq!(
        pointer(&e),
        "/x-unleashx-error-codes/COMPANY_ALREADY_EXISTS/hnit"
    );

    let e = refused(&changed(
        "    hint: choose another company name\n",
        "    hint: choose another company name\n    credential-missing: maybe\n",
    ));
    assert_eq!(
        pointer(&e),
        "/x-unleashx-error-codes/COMPANY_ALREADY_EXISTS/credential-missing"
    );
}

#[test]
fn an_error_response_without_its_codes_is_refused() {
    let e = refused(&changed(
        "          x-unleashx-error-codes: [NO_API_TOKEN_FOUND]\n",
        "",
    ));
    assert_eq!(
        pointer(&e),
        "/paths/~1api~1v1~1global~1get-token/get/responses/404"
    );
    // A `$ref`'d response carries the list where it is defined.
    let e = refused(&changed(
        "      x-unleashx-error-codes: [LOGIN_TOKEN_REQUIRED]\n",
        "",
    ));
    assert_eq!(pointer(&e), "/components/responses/LoginTokenRequired");
}

#[test]
fn retry_safety_is_required_and_named() {
    let ptr = "/paths/~1api~1v1~1global~1get-token/get";
    let e = refused(&changed(
        "      operationId: get_token\n      x-unleashx-retry: safe\n",
        "      operationId: get_token\n",
    ));
    assert_eq!(pointer(&e), ptr);
    assert!(e.to_string().contains("x-unleashx-retry: never"), "{e}");
    let e = refused(&changed(
        "      operationId: get_token\n      x-unleashx-retry: safe\n",
        "      operationId: get_token\n      x-unleashx-retry: sometimes\n",
    ));
    assert_eq!(pointer(&e), format!("{ptr}/x-unleashx-retry"));
    // The flag it replaces is refused with the way to say it now.
    let e = refused(&changed(
        "      operationId: get_token\n      x-unleashx-retry: safe\n",
        "      operationId: get_token\n      x-unleashx-retry: safe\n      x-unleashx-creates: false\n",
    ));
    assert_eq!(pointer(&e), format!("{ptr}/x-unleashx-creates"));
    assert!(e.to_string().contains("x-unleashx-retry: safe"), "{e}");
    // So is a document that says only the old flag.
    let e = refused(&changed(
        "      operationId: get_token\n      x-unleashx-retry: safe\n",
        "      operationId: get_token\n      x-unleashx-creates: false\n",
    ));
    assert_eq!(pointer(&e), format!("{ptr}/x-unleashx-creates"));
}

#[test]
fn aliases_must_name_properties_and_new_names() {
    let ptr = "/components/schemas/OnboardUserRequest/x-unleashx-aliases";
    let e = refused(&changed(
        "        email_id: [email]\n",
        "        email_address: [email]\n",
    ));
    assert_eq!(pointer(&e), format!("{ptr}/email_address"));
    let e = refused(&changed(
        "        email_id: [email]\n",
        "        email_id: [first_name]\n",
    ));
    assert_eq!(pointer(&e), format!("{ptr}/email_id/0"));
    let e = refused(&changed(
        "        email_id: [email]\n",
        "        email_id: []\n",
    ));
    assert_eq!(pointer(&e), format!("{ptr}/email_id"));
}

#[test]
fn aliases_and_messages_come_from_the_spec() {
    assert_eq!(
        OperationId::GetTokenByCustomerId.aliases(),
        &[("customer_id", &["customerid", "customer_salt"][..])]
    );
    assert_eq!(OperationId::OnboardUser.aliases().len(), 4);
    assert!(OperationId::GetToken.aliases().is_empty());
    assert_eq!(messages::LOGIN_OTP_SENT, "OTP_SENT");
    assert_eq!(messages::VERIFY_TOKEN, "TOKEN_VALID");
}

#[test]
fn the_root_map_is_required() {
    let text = spec_text();
    let start = text.find("x-unleashx-error-codes:\n").expect("root map");
    let end = text.find("servers:\n").expect("servers");
    let mut bad = text.clone();
    bad.replace_range(start..end, "");
    let e = refused(&bad);
    assert!(
        e.message()
            .contains("root `x-unleashx-error-codes` map is missing"),
        "{e}"
    );
}

#[test]
fn the_catalogue_holds_every_operation_and_code_of_the_spec() {
    let spec = Spec::parse(&spec_text(), "openapi.yaml").unwrap_or_else(|e| panic!("{e}"));
    let catalogue = Catalogue::read(&spec).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = OperationId::ALL.iter().map(|o| o.as_str()).collect();
    let spec_ids: Vec<&str> = catalogue.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, spec_ids);
    let codes: Vec<&str> = ErrorCode::KNOWN.iter().map(|c| c.as_str()).collect();
    let spec_codes: Vec<&str> = catalogue
        .error_codes
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(codes, spec_codes);
    for code in ErrorCode::KNOWN {
        assert_eq!(&ErrorCode::from(code.as_str()), code);
        assert!(code.description().is_some(), "{code}");
    }
}

#[test]
fn the_generated_catalogue_answers_from_the_spec() {
    let op = OperationId::GetTokenByCustomerId;
    assert_eq!(op.method().as_str(), "POST");
    assert_eq!(op.security(), Security::ApiToken);
    assert!(!op.retry_safe());
    assert_eq!(op.retry(), RetrySafety::Never);
    assert!(OperationId::GetToken.retry_safe());
    assert_eq!(op.status_of(&ErrorCode::CustomerIdNotFound), Some(404));
    assert_eq!(op.status_of(&ErrorCode::InvalidExpirationDays), Some(400));
    assert!(op.declares(401, &ErrorCode::InvalidApiToken));
    assert!(!op.declares(404, &ErrorCode::InvalidApiToken));
    assert_eq!(
        OperationId::find("get", "/api/v1/global/get-token"),
        Some(OperationId::GetToken)
    );
    assert!("nope"
        .parse::<OperationId>()
        .unwrap_err()
        .to_string()
        .contains("get_token"));
    assert_eq!(
        ErrorCode::from("NEW_CODE".to_owned()),
        ErrorCode::Unknown("NEW_CODE".into())
    );
    assert!(ErrorCode::SessionExpired.is_documented());
    assert!(!ErrorCode::InvalidOtp.is_documented());
    assert!(ErrorCode::ApiTokenRequired.means_credential_missing());
    assert!(!ErrorCode::InvalidApiToken.means_credential_missing());
    assert_eq!(
        unleashx_api::catalogue::limits::GET_TOKEN_BY_CUSTOMER_ID_REQUEST_EXPIRATION_DAYS_MAXIMUM,
        36_500
    );
}
