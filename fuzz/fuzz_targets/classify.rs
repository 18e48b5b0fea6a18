//! Any text a camera or clipboard can produce must classify without panicking, and the result
//! must be internally consistent.
#![no_main]
use kiln_core::otp::{self, Classification};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = otp::classify(&text);
    // kind() agrees with the variant, and burnable accounts are in range.
    let _ = result.kind();
    if let Classification::Totp(account) = &result {
        assert_eq!(account.digits, 6);
        assert!((otp::MIN_SECRET_BYTES..=otp::MAX_SECRET_BYTES).contains(&account.secret.len()));
        let _ = otp::preview(
            &account.secret,
            account.algorithm,
            account.period,
            1_700_000_000,
        );
    }
    if let Classification::Invalid(error) = &result {
        let _ = error.to_string();
    }
});
