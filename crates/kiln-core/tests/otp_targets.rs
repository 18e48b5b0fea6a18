//! The code-length rule depends on the token: `classify_for(text, Target::Molto2)` burns 4, 6,
//! 8 or 10 digits, the single-profile target (what `classify` judges for) 6 only, and every
//! other rule is the same for both.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{self, Classification, RefusalReason, Target};
use serde_json::Value;

/// RFC 6238's SHA-1 seed, b"12345678901234567890", in Base32 (Python's `base64.b32encode`).
const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn link(digits: u64) -> String {
    format!("otpauth://totp/Acme:alice?secret={SECRET}&issuer=Acme&digits={digits}")
}

fn refusal(c: Classification) -> otp::Refusal {
    match c {
        Classification::Refused(r) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn four_six_eight_and_ten_digits_burn_on_a_molto2_and_only_six_on_single_profile() {
    for n in [4u8, 6, 8, 10] {
        let text = link(u64::from(n));
        let Classification::Totp(account) = otp::classify_for(&text, Target::Molto2) else {
            panic!("{text}: not burnable on a Molto2");
        };
        assert_eq!(account.digits, n, "the account keeps its length");
        assert_eq!(account.secret.expose(), b"12345678901234567890");
        assert_eq!(
            (account.issuer.as_deref(), account.account.as_str()),
            (Some("Acme"), "alice")
        );

        let single = otp::classify_for(&text, Target::SingleProfile);
        assert_eq!(
            otp::classify(&text),
            single,
            "classify judges for single-profile"
        );
        if n == 6 {
            assert!(matches!(single, Classification::Totp(ref a) if a.digits == 6));
        } else {
            let r = refusal(single);
            assert_eq!(r.reason, RefusalReason::Digits, "{text}");
            assert!(
                r.advice.contains(&format!("{n}-digit codes")),
                "{}",
                r.advice
            );
            assert!(r.advice.contains("6-digit codes only"), "{}", r.advice);
        }
    }
}

#[test]
fn other_lengths_are_refused_for_both_and_the_molto2_advice_names_what_it_shows() {
    // 264 would be 8 if cut to a byte.
    for n in [0u64, 1, 5, 7, 9, 12, 264] {
        let text = link(n);
        let single = refusal(otp::classify(&text));
        assert_eq!(single.reason, RefusalReason::Digits, "{text}");
        assert!(
            single.advice.contains("6-digit codes only"),
            "{}",
            single.advice
        );

        let molto2 = refusal(otp::classify_for(&text, Target::Molto2));
        assert_eq!(molto2.reason, RefusalReason::Digits, "{text}");
        assert!(
            molto2.advice.contains(&format!("{n}-digit codes")),
            "{}",
            molto2.advice
        );
        assert!(
            molto2
                .advice
                .contains("A Molto2 shows codes of 4, 6, 8 or 10 digits"),
            "{}",
            molto2.advice
        );
    }
}

#[test]
fn every_other_rule_still_applies_on_a_molto2() {
    let cases = [
        (
            format!("otpauth://hotp/x?secret={SECRET}&digits=8&counter=1"),
            RefusalReason::Hotp,
        ),
        (
            format!("otpauth://totp/Steam:x?secret={SECRET}&digits=8"),
            RefusalReason::Steam,
        ),
        (
            format!("otpauth://totp/x?secret={SECRET}&digits=8&algorithm=SHA512"),
            RefusalReason::Algorithm,
        ),
        (
            format!("otpauth://totp/x?secret={SECRET}&digits=8&period=45"),
            RefusalReason::Period,
        ),
        (
            "otpauth://totp/x?secret=JBSWY3DP&digits=8".to_string(),
            RefusalReason::TooShort,
        ),
    ];
    for (text, reason) in cases {
        assert_eq!(
            refusal(otp::classify_for(&text, Target::Molto2)).reason,
            reason,
            "{text}"
        );
        // The same link at 6 digits is refused for the same reason on a single-profile token.
        let six = text.replace("digits=8", "digits=6");
        assert_eq!(refusal(otp::classify(&six)).reason, reason, "{six}");
    }
    // A duplicated digits= is unreadable for every target.
    let twice = format!("otpauth://totp/x?secret={SECRET}&digits=8&digits=8");
    assert!(matches!(
        otp::classify_for(&twice, Target::Molto2),
        Classification::Invalid(otp::InputError::DuplicateParameter { .. })
    ));
}

/// The digits=… value of an otpauth link in the table (6 when it names none).
fn link_digits(input: &str) -> u8 {
    let query = input.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.eq_ignore_ascii_case("digits")
                .then(|| value.parse().unwrap())
        })
        .unwrap_or(6)
}

#[test]
fn across_the_shared_table_the_targets_differ_only_in_code_length() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("fixtures/otp_cases.json")).unwrap();
    let mut differing = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let single = otp::classify_for(input, Target::SingleProfile);
        let molto2 = otp::classify_for(input, Target::Molto2);
        assert_eq!(otp::classify(input), single, "{name}");
        match (&single, &molto2) {
            (Classification::Refused(r), Classification::Totp(a))
                if r.reason == RefusalReason::Digits =>
            {
                differing += 1;
                assert_eq!(a.digits, link_digits(input), "{name}");
                assert!([4, 8, 10].contains(&a.digits), "{name}");
            }
            (Classification::Migration(s), Classification::Migration(m)) => {
                assert_eq!(s.accounts.len(), m.accounts.len(), "{name}");
                for (s, m) in s.accounts.iter().zip(&m.accounts) {
                    match (&s.supported, &m.supported) {
                        (Err(r), Ok(t)) if r.reason == RefusalReason::Digits => {
                            differing += 1;
                            assert_eq!((s.digits, t.digits), (8, 8), "{name}");
                        }
                        // Digits advice names what each token shows; the reason is the same.
                        (Err(r), Err(q)) if r.reason == RefusalReason::Digits => {
                            assert_eq!(q.reason, RefusalReason::Digits, "{name}");
                        }
                        _ => assert_eq!(s, m, "{name}"),
                    }
                }
            }
            (Classification::Refused(r), Classification::Refused(q))
                if r.reason == RefusalReason::Digits =>
            {
                assert_eq!(q.reason, RefusalReason::Digits, "{name}");
            }
            _ => assert_eq!(single, molto2, "{name}"),
        }
    }
    assert!(
        differing >= 1,
        "the table has an 8-digit link (eight_digits_refused)"
    );
}
