//! Google Authenticator exports, built with a small protobuf encoder written here from the
//! schema in anchors.md §2.3 (independent of kiln-core's reader).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{
    self, Batch, Classification, InputError, MigrationError, MigrationExport, RefusalReason, Target,
};

fn varint(mut n: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}
fn field_varint(field: u64, v: u64) -> Vec<u8> {
    [varint(field << 3), varint(v)].concat()
}
fn field_bytes(field: u64, b: &[u8]) -> Vec<u8> {
    [varint(field << 3 | 2), varint(b.len() as u64), b.to_vec()].concat()
}

/// One `OtpParameters`; enum values as on the wire (0 = unspecified).
struct Acc<'a> {
    secret: &'a [u8],
    name: &'a str,
    issuer: &'a str,
    algorithm: u64,
    digits: u64,
    otp_type: u64,
}
const TOTP: Acc = Acc {
    secret: b"12345678901234567890",
    name: "Acme:alice",
    issuer: "Acme",
    algorithm: 1,
    digits: 1,
    otp_type: 2,
};
fn account(a: &Acc) -> Vec<u8> {
    [
        field_bytes(1, a.secret),
        field_bytes(2, a.name.as_bytes()),
        field_bytes(3, a.issuer.as_bytes()),
        field_varint(4, a.algorithm),
        field_varint(5, a.digits),
        field_varint(6, a.otp_type),
        field_varint(7, 0),
    ]
    .concat()
}
fn payload(accounts: &[Acc], batch_size: u64, batch_index: u64) -> Vec<u8> {
    let mut p: Vec<u8> = accounts
        .iter()
        .flat_map(|a| field_bytes(1, &account(a)))
        .collect();
    p.extend(field_varint(2, 1));
    p.extend(field_varint(3, batch_size));
    p.extend(field_varint(4, batch_index));
    p.extend(field_varint(5, 42));
    p
}
fn decode(accounts: &[Acc]) -> MigrationExport {
    otp::decode_payload(&payload(accounts, 1, 0)).unwrap()
}
fn reason(export: &MigrationExport, i: usize) -> Option<RefusalReason> {
    export.accounts[i]
        .supported
        .as_ref()
        .err()
        .map(|r| r.reason)
}

#[test]
fn a_supported_account_becomes_a_burnable_totp_account() {
    let export = decode(&[TOTP]);
    let a = &export.accounts[0];
    assert_eq!(
        (a.index, a.issuer.as_str(), a.account.as_str()),
        (1, "Acme", "alice")
    );
    let t = a.supported.as_ref().unwrap();
    assert_eq!(t.secret.expose(), b"12345678901234567890");
    assert_eq!(t.label_issuer.as_deref(), Some("Acme"));
    assert_eq!(t.source, otp::SecretSource::Migration);
}

#[test]
fn unknown_enum_values_are_refused_not_guessed() {
    let export = decode(&[
        Acc {
            algorithm: 7,
            ..TOTP
        },
        Acc { digits: 3, ..TOTP },
        Acc {
            otp_type: 5,
            ..TOTP
        },
    ]);
    assert_eq!(export.accounts[0].algorithm, "UNKNOWN(7)");
    assert_eq!(reason(&export, 0), Some(RefusalReason::Algorithm));
    assert_eq!(export.accounts[1].digits, 0);
    assert_eq!(reason(&export, 1), Some(RefusalReason::Digits));
    assert_eq!(reason(&export, 2), Some(RefusalReason::Hotp));
}

#[test]
fn md5_steam_and_secret_lengths_are_refused_per_account() {
    let export = decode(&[
        Acc {
            algorithm: 4,
            ..TOTP
        },
        Acc {
            issuer: "Steam",
            ..TOTP
        },
        Acc {
            secret: b"",
            ..TOTP
        },
        Acc {
            secret: &[7; 64],
            ..TOTP
        },
        Acc {
            secret: &[7; 63],
            ..TOTP
        },
        Acc {
            name: "Steam:me",
            issuer: "",
            ..TOTP
        },
    ]);
    assert_eq!(export.accounts[0].algorithm, "MD5");
    assert_eq!(reason(&export, 0), Some(RefusalReason::Algorithm));
    assert_eq!(reason(&export, 1), Some(RefusalReason::Steam));
    assert_eq!(reason(&export, 2), Some(RefusalReason::TooShort));
    assert_eq!(reason(&export, 3), Some(RefusalReason::TooLong));
    assert_eq!(reason(&export, 4), None);
    assert_eq!(
        reason(&export, 5),
        Some(RefusalReason::Steam),
        "Steam named only in the name's prefix"
    );
}

#[test]
fn the_issuer_field_wins_over_the_name_prefix() {
    let export = decode(&[
        Acc {
            name: "Old:bob",
            issuer: "New",
            ..TOTP
        },
        Acc {
            name: "Old: bob ",
            issuer: "",
            ..TOTP
        },
        Acc {
            name: "bob",
            issuer: "",
            ..TOTP
        },
    ]);
    let names: Vec<_> = export
        .accounts
        .iter()
        .map(|a| (a.issuer.as_str(), a.account.as_str()))
        .collect();
    assert_eq!(names, [("New", "bob"), ("Old", "bob"), ("", "bob")]);
}

#[test]
fn batch_position_is_reported_one_based_only_for_multi_qr_exports() {
    let batch = |size, index| {
        otp::decode_payload(&payload(&[TOTP], size, index))
            .unwrap()
            .batch
    };
    assert_eq!(batch(3, 1), Some(Batch { index: 2, size: 3 }));
    assert_eq!(batch(2, 0), Some(Batch { index: 1, size: 2 }));
    assert_eq!(batch(1, 0), None);
    assert_eq!(batch(0, 0), None);
    assert_eq!(batch(2, 2), None, "index past the end is not shown");
    assert_eq!(batch(u64::MAX, 0), None, "int32 -1, sign-extended");
}

#[test]
fn unknown_fields_are_skipped() {
    let mut acc = account(&TOTP);
    acc.extend([0x4d, 1, 2, 3, 4]); // field 9, fixed32
    acc.extend(field_bytes(10, b"future"));
    let mut p = field_bytes(1, &acc);
    p.extend([0x31, 1, 2, 3, 4, 5, 6, 7, 8]); // field 6, fixed64
    let export = otp::decode_payload(&p).unwrap();
    assert!(export.accounts[0].supported.is_ok());
}

#[test]
fn a_known_field_with_the_wrong_wire_type_is_damage() {
    let p = field_varint(1, 5);
    assert_eq!(otp::decode_payload(&p), Err(MigrationError::BadField));
    let p = field_bytes(1, &field_varint(1, 5));
    assert_eq!(otp::decode_payload(&p), Err(MigrationError::BadField));
}

#[test]
fn an_export_without_accounts_is_an_error() {
    assert_eq!(otp::decode_payload(&[]), Err(MigrationError::NoAccounts));
    assert_eq!(
        otp::decode_payload(&field_varint(2, 1)),
        Err(MigrationError::NoAccounts)
    );
}

#[test]
fn every_truncation_fails_cleanly_or_keeps_whole_accounts() {
    let p = payload(&[TOTP, Acc { name: "x", ..TOTP }], 1, 0);
    let first_account_end = field_bytes(1, &account(&TOTP)).len();
    for cut in 0..p.len() {
        match otp::decode_payload(&p[..cut]) {
            Ok(export) => {
                assert!(cut >= first_account_end, "cut {cut}");
                assert!(export.accounts.iter().all(|a| a.supported.is_ok()));
            }
            Err(e) => assert!(
                matches!(e, MigrationError::Truncated | MigrationError::NoAccounts),
                "cut {cut}: {e:?}"
            ),
        }
    }
}

#[test]
fn an_eight_digit_account_is_burnable_on_a_molto2_and_refused_for_single_profile() {
    let accounts = [TOTP, Acc { digits: 2, ..TOTP }, Acc { digits: 3, ..TOTP }];
    let bytes = payload(&accounts, 1, 0);
    let link = format!(
        "otpauth-migration://offline?data={}",
        url_encode(&standard_base64(&bytes))
    );
    let Classification::Migration(single) = otp::classify(&link) else {
        panic!("not an export");
    };
    assert_eq!(otp::decode_payload(&bytes).unwrap(), single);
    assert_eq!(single.accounts[1].digits, 8);
    assert_eq!(reason(&single, 1), Some(RefusalReason::Digits));
    let advice = &single.accounts[1].supported.as_ref().unwrap_err().advice;
    assert!(advice.contains("8-digit codes"), "{advice}");

    let Classification::Migration(molto2) = otp::classify_for(&link, Target::Molto2) else {
        panic!("not an export");
    };
    assert_eq!(
        otp::decode_payload_for(&bytes, Target::Molto2).unwrap(),
        molto2
    );
    let eight = molto2.accounts[1].supported.as_ref().unwrap();
    assert_eq!(eight.digits, 8, "the account keeps its length");
    assert_eq!(eight.secret.expose(), b"12345678901234567890");
    assert_eq!(eight.issuer.as_deref(), Some("Acme"));
    // The 6-digit account reads the same for both; an unknown length is refused for both.
    assert_eq!(molto2.accounts[0], single.accounts[0]);
    assert_eq!(molto2.accounts[0].supported.as_ref().unwrap().digits, 6);
    assert_eq!(reason(&molto2, 2), Some(RefusalReason::Digits));
    let advice = &molto2.accounts[2].supported.as_ref().unwrap_err().advice;
    assert!(advice.contains("4, 6, 8 or 10 digits"), "{advice}");
}

#[test]
fn links_find_data_among_other_parameters_and_any_scheme_case() {
    let data: String = url_encode(&standard_base64(&payload(&[TOTP], 1, 0)));
    for link in [
        format!("otpauth-migration://offline?data={data}"),
        format!("OTPAUTH-MIGRATION://OFFLINE?foo=1&data={data}&bar"),
        format!("  otpauth-migration://offline?data={data}#frag \n"),
    ] {
        assert_eq!(otp::classify(&link).kind(), "migration", "{link}");
    }
}

#[test]
fn a_plus_turned_into_a_space_by_a_scanner_is_read_back() {
    // A run of 0xfb (11111011) contains the 6-bit group 111110, '+', at every alignment.
    let p = payload(
        &[Acc {
            secret: &[0xfb; 12],
            ..TOTP
        }],
        1,
        0,
    );
    let b64 = standard_base64(&p);
    assert!(b64.contains('+'));
    let damaged = format!("otpauth-migration://offline?data={}", b64.replace('+', " "));
    match otp::classify(&damaged) {
        Classification::Migration(m) => assert_eq!(
            m.accounts[0].supported.as_ref().unwrap().secret.expose(),
            &[0xfb; 12]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn damaged_links_are_invalid_with_a_reason() {
    let cases = [
        (
            "otpauth-migration://offline",
            InputError::MissingMigrationData,
        ),
        (
            "otpauth-migration://offline?data=",
            InputError::MissingMigrationData,
        ),
        (
            "otpauth-migration://offline?data=A&data=B",
            InputError::DuplicateParameter {
                name: "data".into(),
            },
        ),
        (
            "otpauth-migration://offline?data=Zm9v*",
            InputError::BadMigrationPayload(MigrationError::BadBase64 { position: 5 }),
        ),
        (
            "otpauth-migration://offline?data=CgU",
            InputError::BadMigrationPayload(MigrationError::Truncated),
        ),
    ];
    for (link, error) in cases {
        assert_eq!(
            otp::classify(link),
            Classification::Invalid(error.clone()),
            "{link}"
        );
        assert!(
            error.to_string().contains("Google Authenticator"),
            "{error}"
        );
    }
}

/// Standard Base64 with padding, written here independently.
fn standard_base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn url_encode(text: &str) -> String {
    text.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}
