//! `kiln verify` through the binary: the verdict, its exit status and its words for codes 0, ±1,
//! ±3 and ±12 steps away. The codes are not computed with kiln-core: they are RFC 6238's seeds
//! ("12345678901234567890" for SHA1, the 32-byte one for SHA256), and the table below was
//! computed with Python's `hmac` module (RFC 4226 dynamic truncation, last 6 digits), checked
//! against RFC 6238 Appendix B (T=1111111109 → 07081804, T=1111111111 → 14050471 / SHA256
//! 67062674).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod support;

use support::kiln;

/// RFC 6238's SHA1 seed in Base32 and in hex.
const SHA1_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const SHA256_HEX: &str = "3132333435363738393031323334353637383930313233343536373839303132";
const T: &str = "1111111111";

/// (steps from T, SHA1/30 s code, SHA256/60 s code).
const TABLE: [(i64, &str, &str); 7] = [
    (0, "050471", "857319"),
    (1, "266759", "377853"),
    (-1, "081804", "269935"),
    (3, "466594", "469324"),
    (-3, "150727", "847489"),
    (12, "562951", "768661"),
    (-12, "787670", "557130"),
];

fn expected(offset: i64) -> (&'static str, i32) {
    match offset.unsigned_abs() {
        0..=1 => ("works", 0),
        2..=10 => ("clock_off", 6),
        _ => ("mismatch", 7),
    }
}

#[test]
fn every_offset_gets_its_verdict_and_exit_status_in_json() {
    for (offset, sha1_code, sha256_code) in TABLE {
        let (verdict, status) = expected(offset);
        let runs = [
            kiln(
                &[
                    "--json",
                    "verify",
                    "--secret",
                    SHA1_BASE32,
                    "--code",
                    sha1_code,
                    "--time",
                    T,
                ],
                None,
            ),
            kiln(
                &[
                    "--json",
                    "verify",
                    "--hex",
                    SHA256_HEX,
                    "--algorithm",
                    "SHA256",
                    "--period",
                    "60",
                    "--code",
                    sha256_code,
                    "--time",
                    T,
                ],
                None,
            ),
        ];
        for run in runs {
            assert_eq!(run.status, status, "offset {offset}: {}", run.all_output());
            let doc = run.json();
            assert_eq!(doc["verdict"], verdict, "offset {offset}: {doc}");
            if verdict == "mismatch" {
                assert!(doc["offset"].is_null(), "{doc}");
            } else {
                assert_eq!(doc["offset"], offset, "{doc}");
            }
            assert!(
                !run.all_output().contains(SHA1_BASE32) && !run.all_output().contains(SHA256_HEX),
                "the secret is never printed"
            );
        }
    }
}

#[test]
fn the_text_says_what_to_do() {
    let text = |code: &str| {
        let run = kiln(
            &[
                "verify",
                "--secret",
                SHA1_BASE32,
                "--code",
                code,
                "--time",
                T,
            ],
            None,
        );
        run.all_output()
    };
    assert!(text("050471").contains("ready to use"));
    assert!(text("266759").contains("next code"));
    assert!(text("081804").contains("previous code"));
    let ahead = text("466594");
    assert!(ahead.contains("3 steps (90 s) ahead"), "{ahead}");
    assert!(ahead.contains("computer's clock"), "{ahead}");
    assert!(ahead.contains("burn the token again"), "{ahead}");
    let behind = text("150727");
    assert!(behind.contains("behind"), "{behind}");
    let mismatch = text("562951");
    assert!(mismatch.contains("does not match"), "{mismatch}");
    assert!(mismatch.contains("Likely causes"), "{mismatch}");
}

#[test]
fn the_account_comes_from_a_link_or_stdin_like_burn() {
    let uri = format!("otpauth://totp/Example:me?secret={SHA1_BASE32}&issuer=Example");
    let run = kiln(
        &["verify", "--uri", &uri, "--code", "050 471", "--time", T],
        None,
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    let run = kiln(
        &[
            "--json", "verify", "--uri", "-", "--code", "081804", "--time", T,
        ],
        Some(&uri),
    );
    assert_eq!(run.status, 0, "{}", run.all_output());
    assert_eq!(run.json()["offset"], -1);
    // A link fixes the algorithm: a contradicting option is a usage error, as for burn.
    let run = kiln(
        &[
            "verify",
            "--uri",
            &uri,
            "--algorithm",
            "SHA256",
            "--code",
            "050471",
            "--time",
            T,
        ],
        None,
    );
    assert_eq!(run.status, 2, "{}", run.all_output());
}

#[test]
fn malformed_codes_and_unburnable_input_are_not_verdicts() {
    for code in ["12345", "1234567", "12a456", ""] {
        let run = kiln(
            &[
                "--json",
                "verify",
                "--secret",
                SHA1_BASE32,
                "--code",
                code,
                "--time",
                T,
            ],
            None,
        );
        assert_eq!(run.status, 2, "{code}: {}", run.all_output());
        assert_eq!(run.json()["error"]["code"], "code_format");
    }
    let run = kiln(
        &[
            "--json",
            "verify",
            "--uri",
            "otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=1",
            "--code",
            "050471",
            "--time",
            T,
        ],
        None,
    );
    assert_eq!(run.status, 3, "{}", run.all_output());
    // No terminal and no --code: a usage error, not a hang.
    let run = kiln(&["verify", "--secret", SHA1_BASE32, "--time", T], None);
    assert_eq!(run.status, 2, "{}", run.all_output());
}

#[test]
fn help_documents_the_verdict_exit_statuses() {
    let run = kiln(&["verify", "--help"], None);
    assert!(
        run.stdout.contains("0 works, 6 clock off, 7 mismatch"),
        "{}",
        run.stdout
    );
    let run = kiln(&["--help"], None);
    assert!(run.stdout.contains("6  verify"), "{}", run.stdout);
    assert!(run.stdout.contains("7  verify"), "{}", run.stdout);
}
