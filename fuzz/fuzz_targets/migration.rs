//! The Google Authenticator export decoder: raw protobuf bytes, and the same bytes as the
//! `data=` of a link (exercising percent-decoding and Base64), must never panic.
#![no_main]
use kiln_core::otp::{self, Classification};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(export) = otp::decode_payload(data) {
        assert!(!export.accounts.is_empty());
        for (i, account) in export.accounts.iter().enumerate() {
            assert_eq!(account.index, i + 1);
            if let Ok(totp) = &account.supported {
                assert!(
                    (otp::MIN_SECRET_BYTES..=otp::MAX_SECRET_BYTES).contains(&totp.secret.len())
                );
            }
        }
        if let Some(batch) = export.batch {
            assert!(batch.index >= 1 && batch.index <= batch.size);
        }
    }
    let text = String::from_utf8_lossy(data);
    let link = format!("otpauth-migration://offline?data={text}");
    if let Classification::Invalid(error) = otp::classify(&link) {
        let _ = error.to_string();
    }
});
