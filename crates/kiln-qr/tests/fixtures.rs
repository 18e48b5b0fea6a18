//! The committed fixtures in tests/fixtures/qr/ decode to the exact payloads listed in their
//! README (the payloads the issue specifies), through the RGBA path the web app uses.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod common;

use common::fixture_rgba;

const M365: &str =
    "otpauth://totp/Some+Company%3ame%40somecompany.net?secret=abcdefghijklmnop&issuer=Microsoft";

fn decode_fixture(name: &str) -> Vec<String> {
    let (rgba, w, h) = fixture_rgba(name);
    kiln_qr::decode_rgba(&rgba, w, h).unwrap()
}

#[test]
fn m365_fixture_holds_the_microsoft_style_uri() {
    assert_eq!(decode_fixture("m365.png"), [M365]);
}

#[test]
fn github_fixture_holds_the_github_uri() {
    assert_eq!(
        decode_fixture("github.png"),
        ["otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"]
    );
}

#[test]
fn phonefactor_fixture_holds_the_push_activation_uri() {
    assert_eq!(
        decode_fixture("phonefactor.png"),
        [
            "phonefactor://activate_account?code=123456789&url=https%3a%2f%2fmobileappcommunicator.auth.microsoft.com%2factivate%2f123456789%2fWE"
        ]
    );
}

#[test]
fn hotp_fixture_holds_the_counter_based_uri() {
    assert_eq!(
        decode_fixture("hotp.png"),
        ["otpauth://hotp/Example:alice?secret=JBSWY3DPEHPK3PXP&counter=0&issuer=Example"]
    );
}

#[test]
fn serial_fixture_holds_the_numeric_serial() {
    assert_eq!(decode_fixture("serial.png"), ["8659622000123"]);
}

#[test]
fn photographed_m365_fixture_decodes_despite_rotation_perspective_blur_and_noise() {
    assert_eq!(decode_fixture("photo-m365.jpg"), [M365]);
}

#[test]
fn luma_path_reads_the_same_payload_as_rgba_path() {
    let img = image::open(common::fixture_path("m365.png"))
        .unwrap()
        .to_luma8();
    let (w, h) = img.dimensions();
    assert_eq!(kiln_qr::decode_luma(img.as_raw(), w, h).unwrap(), [M365]);
}

// ---- migration.png: the expected URI is rebuilt here from the account list in the README,
// with a protobuf + Base64 encoder written for this test (the fixture was made by Python).

fn varint(mut value: u64, out: &mut Vec<u8>) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn field_bytes(number: u64, bytes: &[u8], out: &mut Vec<u8>) {
    varint(number << 3 | 2, out);
    varint(bytes.len() as u64, out);
    out.extend_from_slice(bytes);
}

fn field_varint(number: u64, value: u64, out: &mut Vec<u8>) {
    varint(number << 3, out);
    varint(value, out);
}

/// OtpParameters with algorithm (SHA1 = 1, SHA512 = 3), digits SIX = 1, type TOTP = 2.
fn account(secret: &[u8], name: &str, issuer: &str, algorithm: u64) -> Vec<u8> {
    let mut out = Vec::new();
    field_bytes(1, secret, &mut out);
    field_bytes(2, name.as_bytes(), &mut out);
    field_bytes(3, issuer.as_bytes(), &mut out);
    field_varint(4, algorithm, &mut out);
    field_varint(5, 1, &mut out);
    field_varint(6, 2, &mut out);
    out
}

fn base64_standard(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn migration_fixture_holds_the_three_accounts_of_the_readme() {
    let mut payload = Vec::new();
    let bank_secret: Vec<u8> = (1..=20).collect();
    let accounts = [
        account(b"12345678901234567890", "alice@gmail.com", "Google", 1),
        account(
            &[0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x21, 0xDE, 0xAD, 0xBE, 0xEF],
            "octocat",
            "GitHub",
            1,
        ),
        account(&bank_secret, "bob", "Bank", 3),
    ];
    for a in &accounts {
        field_bytes(1, a, &mut payload);
    }
    field_varint(2, 1, &mut payload); // version
    field_varint(3, 1, &mut payload); // batch_size
    field_varint(4, 0, &mut payload); // batch_index, written even when 0 as Google does
    let data = base64_standard(&payload)
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let expected = format!("otpauth-migration://offline?data={data}");
    assert_eq!(decode_fixture("migration.png"), [expected]);
}
