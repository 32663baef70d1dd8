//! Property tests: no input makes a decoder or the error classifier panic,
//! and every outcome is a typed value.

mod support;

use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use serde_json::Value;
use support::{Reply, Scripted};
use unleashx::{Client, CustomerId, Error, ErrorCode, RetryPolicy, TokenStatus};
use unleashx_api::types;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-zA-Z0-9_ ]{0,16}".prop_map(Value::String),
        "[0-9]{12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        let keys = prop_oneof![
            Just("message".to_owned()),
            Just("data".to_owned()),
            Just("token".to_owned()),
            Just("customerid".to_owned()),
            Just("customer_api_key".to_owned()),
            Just("expires".to_owned()),
            Just("name".to_owned()),
            Just("error".to_owned()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn decodes_stably<
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
>(
    bytes: &[u8],
) {
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        let again: T = serde_json::from_slice(&serde_json::to_vec(&value).expect("re-encode"))
            .expect("re-decode");
        assert_eq!(again, value);
    }
}

fn all_decoders(bytes: &[u8]) {
    decodes_stably::<types::ApiError>(bytes);
    decodes_stably::<types::LoginResponse>(bytes);
    decodes_stably::<types::GenerateTokenResponse>(bytes);
    decodes_stably::<types::GetTokenResponse>(bytes);
    decodes_stably::<types::VerifyResponse>(bytes);
    decodes_stably::<types::OnboardUserResponse>(bytes);
    decodes_stably::<types::GetTokenByCustomerIdResponse>(bytes);
    decodes_stably::<types::GetTokenByCustomerIdRequest>(bytes);
    decodes_stably::<types::CustomerId>(bytes);
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fn server() -> &'static Scripted {
    static SERVER: OnceLock<Scripted> = OnceLock::new();
    SERVER.get_or_init(|| runtime().block_on(Scripted::start(vec![Reply::json(200, "{}")])))
}

/// The two HTTP properties share the server: one case at a time.
fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn api() -> unleashx::ApiClient {
    Client::builder()
        .base_url(&server().base_url)
        .retry(RetryPolicy::disabled())
        .timeout(Duration::from_secs(10))
        .build()
        .and_then(|c| c.with_api_token("prop-token"))
        .expect("client")
}

proptest! {
    #[test]
    fn generated_decoders_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        all_decoders(&bytes);
    }

    #[test]
    fn generated_decoders_never_panic_on_json(value in json_value()) {
        all_decoders(&serde_json::to_vec(&value).expect("encode"));
    }

    #[test]
    fn customer_ids_are_exactly_twelve_digits(s in "\\PC{0,20}|[0-9]{10,14}") {
        let ok = s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
        match s.parse::<CustomerId>() {
            Ok(id) => { prop_assert!(ok); prop_assert_eq!(id.as_str(), s.as_str()); }
            Err(e) => { prop_assert!(!ok); prop_assert!(e.is_invalid_input()); }
        }
    }

    #[test]
    fn error_codes_round_trip(s in "[A-Z_]{0,24}") {
        let code = ErrorCode::from(s.as_str());
        prop_assert_eq!(code.as_str(), s.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn the_classifier_types_every_response(status in prop_oneof![Just(200u16), Just(400), Just(401), Just(404), Just(429), Just(500), Just(503), 200u16..600], body in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..128),
        json_value().prop_map(|v| serde_json::to_vec(&v).expect("encode")),
    ]) {
        let _one = exclusive();
        server().set(vec![Reply::raw(status, "application/json", "").with_body(body)]);
        let result = runtime().block_on(api().verify().send());
        match result {
            Ok(TokenStatus::Valid) => prop_assert!((200..300).contains(&status)),
            Ok(TokenStatus::Invalid(_)) => prop_assert_eq!(status, 401),
            Ok(other) => prop_assert!(false, "unknown status {other:?}"),
            Err(Error::Api(e)) => prop_assert_eq!(e.status(), status),
            Err(Error::Transient(e)) => prop_assert!([408, 429, 502, 503, 504].contains(&e.status())),
            Err(Error::UnexpectedResponse(_) | Error::Transport(_) | Error::Timeout(_)) => {}
            Err(other) => prop_assert!(false, "unexpected kind: {other:?}"),
        }
    }

    #[test]
    fn an_error_body_is_classified_by_its_code_at_any_4xx(status in 402u16..500, code in "[A-Z_]{1,20}") {
        let _one = exclusive();
        server().set(vec![Reply::error(status, &code)]);
        let err = runtime().block_on(api().customer_token("048372910564").send()).expect_err("error status");
        prop_assert_eq!(err.status(), Some(status));
        if [408, 429].contains(&status) {
            // "Not now" is transient whatever the body says.
            prop_assert!(err.is_transient() && err.code().is_none(), "{err:?}");
        } else {
            prop_assert_eq!(err.code(), Some(&ErrorCode::from(code.as_str())));
        }
    }
}
