//! TOTP codes against published vectors (RFC 6238 Appendix B, RFC 4226 Appendix D) and values
//! computed with Python's `hmac` module, never with this crate.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{self, Algorithm, Period, Preview, Secret};

/// RFC 6238's SHA-1 key (20 bytes) and SHA-256 key (32 bytes).
fn sha1_key() -> Secret {
    Secret::from_slice(b"12345678901234567890")
}
fn sha256_key() -> Secret {
    Secret::from_slice(b"12345678901234567890123456789012")
}

#[test]
fn rfc6238_appendix_b_vectors_last_six_digits() {
    // (time, SHA1 8-digit, SHA256 8-digit); a 6-digit code is the last 6 digits.
    let vectors = [
        (59, "94287082", "46119246"),
        (1111111109, "07081804", "68084774"),
        (1111111111, "14050471", "67062674"),
        (1234567890, "89005924", "91819424"),
        (2000000000, "69279037", "90698825"),
        (20000000000, "65353130", "77737706"),
    ];
    for (time, sha1, sha256) in vectors {
        assert_eq!(
            otp::code_at(&sha1_key(), Algorithm::Sha1, Period::S30, time),
            sha1[2..],
            "SHA1 at {time}"
        );
        assert_eq!(
            otp::code_at(&sha256_key(), Algorithm::Sha256, Period::S30, time),
            sha256[2..],
            "SHA256 at {time}"
        );
    }
}

#[test]
fn sixty_second_steps_use_time_over_sixty() {
    // Python: hmac(key, (1111111109 // 60).to_bytes(8)) truncated.
    let t = 1111111109;
    assert_eq!(
        otp::code_at(&sha1_key(), Algorithm::Sha1, Period::S60, t),
        "360094"
    );
    assert_eq!(
        otp::code_at(&sha256_key(), Algorithm::Sha256, Period::S60, t),
        "857319"
    );
}

#[test]
fn eighty_bit_secrets_get_codes() {
    // JBSWY3DPEHPK3PXP (10 bytes); totp-rs's own compliance check would reject it.
    let key = Secret::from_slice(&[0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(
        otp::code_at(&key, Algorithm::Sha1, Period::S30, 1_700_000_000),
        "324550"
    );
}

#[test]
fn preview_shows_previous_current_next_and_seconds_left() {
    // At t=59 the steps are counters 0, 1, 2: RFC 4226 Appendix D's first three HOTP values.
    assert_eq!(
        otp::preview(&sha1_key(), Algorithm::Sha1, Period::S30, 59),
        Preview {
            previous: "755224".into(),
            current: "287082".into(),
            next: "359152".into(),
            seconds_left: 1,
        }
    );
    let p = otp::preview(&sha1_key(), Algorithm::Sha1, Period::S60, 1111111109);
    assert_eq!(
        (p.previous.as_str(), p.current.as_str(), p.next.as_str()),
        ("471227", "360094", "593113")
    );
    assert_eq!(p.seconds_left, 60 - 1111111109 % 60);
}

#[test]
fn seconds_left_is_a_full_step_at_a_step_boundary() {
    assert_eq!(
        otp::preview(&sha1_key(), Algorithm::Sha1, Period::S30, 60).seconds_left,
        30
    );
    assert_eq!(
        otp::preview(&sha1_key(), Algorithm::Sha1, Period::S60, 61).seconds_left,
        59
    );
}

#[test]
fn step_offset_finds_the_nearest_matching_step() {
    let key = Secret::from_slice(&[0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, 0xde, 0xad, 0xbe, 0xef]);
    let now = 1_700_000_000;
    let find = |typed: &str, window| {
        otp::find_step_offset(&key, Algorithm::Sha1, Period::S30, now, typed, window)
    };
    // Python values for steps -3..=3 around `now`.
    assert_eq!(find("324550", 0), Some(0));
    assert_eq!(find("822542", 1), Some(-1));
    assert_eq!(find("367665", 1), Some(1));
    assert_eq!(find("777 646", 3), Some(-3));
    assert_eq!(find("656781", 3), Some(3));
    assert_eq!(find("656781", 2), None, "outside the window");
}

#[test]
fn step_offset_ignores_anything_but_six_digits() {
    let find = |typed: &str| {
        otp::find_step_offset(&sha1_key(), Algorithm::Sha1, Period::S30, 59, typed, 2)
    };
    assert_eq!(find("287082"), Some(0));
    assert_eq!(find("94287082"), None);
    assert_eq!(find("28708"), None);
    assert_eq!(find("28708a"), None);
    assert_eq!(find("+28708"), None);
    assert_eq!(find(""), None);
}

#[test]
fn a_typed_code_is_six_digits_with_any_spaces() {
    assert_eq!(otp::typed_code(" 287 082 ").as_deref(), Some("287082"));
    assert_eq!(otp::typed_code("287082").as_deref(), Some("287082"));
    for wrong in ["94287082", "28708", "28708a", "+28708", "", "２８７０８２"] {
        assert_eq!(otp::typed_code(wrong), None, "{wrong:?}");
    }
}

#[test]
fn step_offset_never_looks_before_the_epoch() {
    // At t=59 (step 1) with a window of 5, step -2 and below do not exist; step 0 is 755224.
    assert_eq!(
        otp::find_step_offset(&sha1_key(), Algorithm::Sha1, Period::S30, 59, "755224", 5),
        Some(-1)
    );
}
