//! What the user is told: advice names the right fix, errors say where the problem is, and no
//! output ever shows the secret.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{self, Classification, NotASecretKind, RefusalReason};

fn advice(input: &str) -> String {
    match otp::classify(input) {
        Classification::NotASecret(n) => n.advice,
        Classification::Refused(r) => r.advice,
        Classification::Invalid(e) => e.to_string(),
        other => panic!("{input}: {other:?}"),
    }
}

#[test]
fn the_push_qr_advice_names_both_microsoft_options() {
    let text = advice("phonefactor://activate_account?code=123456789&url=https%3a%2f%2fexample");
    assert!(text.contains("Microsoft Authenticator"));
    assert!(text.contains("I want to use a different authenticator app"));
    assert!(text.contains("Configure app without notifications"));
}

#[test]
fn steam_advice_says_the_token_shows_digits_only() {
    let text = advice("otpauth://totp/Steam:me?secret=JBSWY3DPEHPK3PXP&issuer=Steam");
    assert!(text.contains("letters") && text.contains("digits"));
}

#[test]
fn too_short_advice_says_the_secret_is_truncated() {
    assert!(
        advice("JBSWY3DP")
            .contains("almost always a truncated secret: scan again or copy the whole secret")
    );
}

#[test]
fn refusals_name_the_unsupported_value() {
    assert!(advice("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=sha512").contains("sha512"));
    assert!(advice("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=8").contains("8-digit"));
    assert!(advice("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=45").contains("45 seconds"));
}

#[test]
fn a_bad_base32_character_is_named_with_its_position_and_likely_letter() {
    let text = advice("otpauth://totp/a?secret=JBSWY3DPEHPK3PX0");
    assert!(text.contains("'0' at character 16"), "{text}");
    assert!(text.contains("letter O"), "{text}");
}

#[test]
fn the_ambiguity_error_explains_both_prefixes() {
    let text = advice("abcdef234567abcdef23");
    assert!(text.contains("base32:") && text.contains("hex:"), "{text}");
}

#[test]
fn the_serial_barcode_advice_names_the_model() {
    match otp::classify("8659600012345") {
        Classification::NotASecret(n) => {
            assert_eq!(n.what, NotASecretKind::SerialBarcode);
            assert!(n.advice.contains("miniOTP-2-i"), "{}", n.advice);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn reason_and_kind_codes_are_the_cli_vocabulary() {
    let codes: Vec<_> = [
        RefusalReason::Hotp,
        RefusalReason::Steam,
        RefusalReason::Algorithm,
        RefusalReason::Digits,
        RefusalReason::Period,
        RefusalReason::TooShort,
        RefusalReason::TooLong,
    ]
    .map(RefusalReason::code)
    .to_vec();
    assert_eq!(
        codes,
        [
            "hotp",
            "steam",
            "algorithm",
            "digits",
            "period",
            "too_short",
            "too_long"
        ]
    );
    assert_eq!(NotASecretKind::MsaLink.code(), "msa_link");
}

#[test]
fn debug_output_never_shows_the_secret() {
    // 20-byte secret "12345678901234567890": its Base32, hex and raw forms.
    let b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let forms = [
        b32,
        "3132333435363738393031323334353637383930",
        "12345678901234567890",
    ];
    let inputs = [
        format!("otpauth://totp/Acme:bob?secret={b32}&issuer=Acme"),
        format!("otpauth://totp/Acme:bob?secret={b32}&secret={b32}"),
        format!("hex:{}", forms[1]),
        b32.to_string(),
    ];
    for input in inputs {
        let printed = format!("{:?}", otp::classify(&input));
        for form in forms {
            assert!(!printed.contains(form), "{printed}");
            assert!(
                !printed.to_lowercase().contains(&form.to_lowercase()),
                "{printed}"
            );
        }
    }
}

#[test]
fn secret_displays_group_base32_and_spell_hex_plainly() {
    let secret =
        otp::Secret::from_slice(&[0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(otp::base32_display(&secret).as_str(), "JBSW Y3DP EHPK 3PXP");
    assert_eq!(otp::hex_display(&secret).as_str(), "48656c6c6f21deadbeef");
}
