//! Exports of a batch, byte for byte against hand-written files in `fixtures/fleet/`
//! (secrets Base32-encoded by hand from RFC 4648, fingerprints computed with Python's `hmac`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::fleet::{
    AttemptOutcome, AuditKey, CodeCheck, ExportError, GraphForm, Ledger, NewAttempt, SeedList,
    SeedListFormat, User, audit_csv, audit_json, entra_csv, graph_json,
};
use kiln_core::token::TokenSettings;
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret};

const T0: u64 = 1_780_000_000; // 2026-05-28T20:26:40Z

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/fleet/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

fn settings(algorithm: Algorithm, period: Period, display: DisplayTimeout) -> TokenSettings {
    TokenSettings {
        algorithm,
        period,
        display,
    }
}

fn user(upn: &str, id: Option<&str>, line: usize) -> Option<User> {
    Some(User {
        upn: upn.into(),
        object_id: id.map(Into::into),
        line,
    })
}

fn attempt(
    seconds: u64,
    serial: &str,
    settings: TokenSettings,
    secret: &[u8],
    user: Option<User>,
    outcome: AttemptOutcome,
) -> NewAttempt {
    NewAttempt {
        unix_time: T0 + seconds,
        serial: serial.into(),
        settings,
        secret: Secret::from_slice(secret),
        user,
        user_slot: None,
        row: None,
        outcome,
        replaces: None,
    }
}

const SHA1_SEED: &[u8] = b"12345678901234567890";
const COUNTING_SEED: [u8; 20] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
];
const SHA256_SEED: &[u8] = b"12345678901234567890123456789012";

fn key() -> AuditKey {
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = i as u8;
    }
    AuditKey::from_bytes(bytes)
}

/// The five SHA-1 attempts of the fixtures: a success, an unknown burned again, a failure and
/// an unassigned success.
fn sha1_batch() -> Ledger {
    let mut ledger = Ledger::with_key(key());
    let s30 = settings(Algorithm::Sha1, Period::S30, DisplayTimeout::S30);
    let s60 = settings(Algorithm::Sha1, Period::S60, DisplayTimeout::S60);
    ledger
        .record(attempt(
            0,
            "8659622000123",
            s30,
            SHA1_SEED,
            user(
                "helga@contoso.com",
                Some("00aa00aa-bb11-cc22-dd33-44ee44ee44ee"),
                2,
            ),
            AttemptOutcome::Success,
        ))
        .unwrap();
    let unknown = ledger
        .record(attempt(
            45,
            "8659600000456",
            s60,
            &COUNTING_SEED,
            user("bob@contoso.com", None, 3),
            AttemptOutcome::Unknown {
                reason: "The token did not answer the seed write, so it may or may not hold the \
                         seed."
                    .into(),
            },
        ))
        .unwrap();
    let retry_seed = ledger.retry_seed("8659600000456").unwrap().clone();
    assert_eq!(retry_seed.expose(), COUNTING_SEED);
    let again = ledger
        .record(NewAttempt {
            replaces: Some(unknown),
            ..attempt(
                90,
                "8659600000456",
                s60,
                retry_seed.expose(),
                user("bob@contoso.com", None, 3),
                AttemptOutcome::Success,
            )
        })
        .unwrap();
    ledger.set_check(again, CodeCheck::Matched).unwrap();
    ledger
        .record(attempt(
            135,
            "8659632000789",
            settings(Algorithm::Sha1, Period::S30, DisplayTimeout::S15),
            b"abcdefghijabcdefghij",
            None,
            AttemptOutcome::Failed {
                reason: "The token refused authentication (\"wrong key\"), nothing was written."
                    .into(),
            },
        ))
        .unwrap();
    ledger
        .record(attempt(
            180,
            "8659612000999",
            settings(Algorithm::Sha1, Period::S30, DisplayTimeout::S120),
            b"ABCDEFGHIJKLMNOPQRST",
            None,
            AttemptOutcome::Success,
        ))
        .unwrap();
    ledger
}

/// The fixtures' full batch: the SHA-1 batch plus one SHA-256 token with an object id.
fn full_batch() -> Ledger {
    let mut ledger = sha1_batch();
    ledger
        .record(attempt(
            225,
            "8659601000321",
            settings(Algorithm::Sha256, Period::S30, DisplayTimeout::S30),
            SHA256_SEED,
            user(
                "carol@contoso.com",
                Some("11bb11bb-cc22-dd33-ee44-55ff55ff55ff"),
                4,
            ),
            AttemptOutcome::Success,
        ))
        .unwrap();
    ledger
}

#[test]
fn entra_csv_matches_the_hand_written_file() {
    let csv = entra_csv(&sha1_batch()).unwrap();
    assert_eq!(csv.as_str(), fixture("entra_sha1.csv"));
}

#[test]
fn entra_csv_refuses_sha256_tokens_and_points_to_graph() {
    let error = entra_csv(&full_batch()).unwrap_err();
    assert_eq!(
        error,
        ExportError::Sha256InEntraCsv {
            serials: vec!["8659601000321".into()]
        }
    );
    let message = error.to_string();
    assert!(message.contains("8659601000321"), "{message}");
    assert!(message.contains("Graph"), "{message}");
}

#[test]
fn graph_array_matches_the_hand_written_file() {
    let export = graph_json(&full_batch(), GraphForm::Array).unwrap();
    assert_eq!(export.json.as_str(), fixture("graph_array.json"));
    assert_eq!((export.tokens, export.assigned), (4, 2));
    let notice = export.notice().unwrap();
    assert!(
        notice.starts_with("2 of 4 token(s) are not assigned"),
        "{notice}"
    );
    assert!(notice.contains("My Security Info"), "{notice}");
}

#[test]
fn graph_delta_matches_the_hand_written_file() {
    let export = graph_json(&full_batch(), GraphForm::Delta).unwrap();
    assert_eq!(export.json.as_str(), fixture("graph_delta.json"));
}

#[test]
fn each_graph_array_element_is_a_complete_single_create_body() {
    let export = graph_json(&full_batch(), GraphForm::Array).unwrap();
    let value: serde_json::Value = serde_json::from_str(&export.json).unwrap();
    for device in value.as_array().unwrap() {
        for field in [
            "serialNumber",
            "manufacturer",
            "model",
            "secretKey",
            "timeIntervalInSeconds",
            "hashFunction",
        ] {
            assert!(device.get(field).is_some(), "{field} missing in {device}");
        }
        assert!(device["timeIntervalInSeconds"].is_u64());
    }
}

#[test]
fn with_object_ids_for_everyone_there_is_no_notice() {
    let mut ledger = Ledger::with_key(key());
    ledger
        .record(attempt(
            0,
            "8659622000123",
            TokenSettings::default(),
            SHA1_SEED,
            user(
                "helga@contoso.com",
                Some("00aa00aa-bb11-cc22-dd33-44ee44ee44ee"),
                2,
            ),
            AttemptOutcome::Success,
        ))
        .unwrap();
    let export = graph_json(&ledger, GraphForm::Array).unwrap();
    assert_eq!(export.unassigned(), 0);
    assert_eq!(export.notice(), None);
}

#[test]
fn audit_csv_matches_the_hand_written_file() {
    assert_eq!(audit_csv(&full_batch()), fixture("audit.csv"));
}

#[test]
fn audit_json_matches_the_hand_written_file() {
    assert_eq!(audit_json(&full_batch()).unwrap(), fixture("audit.json"));
}

#[test]
fn the_audit_log_never_contains_a_secret() {
    let ledger = full_batch();
    let logs = [audit_csv(&ledger), audit_json(&ledger).unwrap()];
    let secrets: [&[u8]; 5] = [
        SHA1_SEED,
        &COUNTING_SEED,
        b"abcdefghijabcdefghij",
        b"ABCDEFGHIJKLMNOPQRST",
        SHA256_SEED,
    ];
    for log in &logs {
        for secret in secrets {
            let secret = Secret::from_slice(secret);
            let base32 = kiln_core::otp::base32_unpadded(&secret);
            let hex = hex::encode(secret.expose());
            for form in [base32.as_str(), &base32[..16], &hex, &hex[..16]] {
                assert!(!log.contains(form), "{form} found in the audit log");
                assert!(!log.to_lowercase().contains(&form.to_lowercase()));
            }
            if let Ok(text) = std::str::from_utf8(secret.expose()) {
                assert!(!log.contains(text), "raw secret found in the audit log");
            }
        }
    }
}

#[test]
fn nothing_to_export_until_a_burn_succeeds() {
    let mut ledger = Ledger::with_key(key());
    assert_eq!(
        entra_csv(&ledger).unwrap_err(),
        ExportError::NothingToExport
    );
    ledger
        .record(attempt(
            0,
            "8659622000123",
            TokenSettings::default(),
            SHA1_SEED,
            None,
            AttemptOutcome::Failed {
                reason: "Removed.".into(),
            },
        ))
        .unwrap();
    assert_eq!(
        graph_json(&ledger, GraphForm::Array).unwrap_err(),
        ExportError::NothingToExport
    );
    // The audit log still has the attempt.
    assert_eq!(audit_csv(&ledger).lines().count(), 2);
}

#[test]
fn the_entra_export_reads_back_as_the_same_seeds() {
    let ledger = sha1_batch();
    let csv = entra_csv(&ledger).unwrap();
    let list = SeedList::parse(&csv).unwrap();
    assert_eq!(list.format(), SeedListFormat::EntraCsv);
    let exported: Vec<_> = ledger.exported().collect();
    assert_eq!(list.rows().len(), exported.len());
    for (row, attempt) in list.rows().iter().zip(exported) {
        assert_eq!(row.account.secret, attempt.secret);
        assert_eq!(row.serial.as_deref(), Some(attempt.serial.as_str()));
        assert_eq!(row.account.period, attempt.settings.period);
        assert_eq!(
            row.upn.as_deref(),
            attempt.user.as_ref().map(|u| u.upn.as_str())
        );
    }
}

#[test]
fn export_rows_count_only_current_successes() {
    let ledger = full_batch();
    let rows: Vec<_> = (1..=6)
        .map(|n| {
            let id = ledger.attempts()[n - 1].id;
            assert_eq!(id.number(), n);
            ledger.export_row(id)
        })
        .collect();
    assert_eq!(rows, [Some(1), None, Some(2), None, Some(3), Some(4)]);
    assert_eq!(
        ledger.attempts()[1].replaced_by.map(|id| id.number()),
        Some(3)
    );
}

#[test]
fn fingerprints_are_stable_per_key_and_differ_across_keys_and_secrets() {
    let a = Secret::from_slice(SHA1_SEED);
    let b = Secret::from_slice(SHA256_SEED);
    let other_key = AuditKey::from_bytes([7; 32]);
    assert_eq!(key().fingerprint(&a), key().fingerprint(&a));
    assert_eq!(key().fingerprint(&a).to_string(), "aebb79e3");
    // Independent value (Python: hmac.new(bytes([7])*32, secret, sha256)).
    assert_eq!(other_key.fingerprint(&a).to_string(), "484de295");
    assert_ne!(key().fingerprint(&a), other_key.fingerprint(&a));
    assert_ne!(key().fingerprint(&a), key().fingerprint(&b));
}

proptest::proptest! {
    #[test]
    fn any_sha1_batch_reads_back_from_its_entra_csv(
        tokens in proptest::collection::vec(
            (
                proptest::collection::vec(proptest::num::u8::ANY, 9..63),
                proptest::bool::ANY,
                proptest::option::of("[a-z]{1,8}(\\.[a-z]{1,8})?"),
            ),
            1..6,
        )
    ) {
        let mut ledger = Ledger::with_key(key());
        for (index, (tail, sixty, name)) in tokens.iter().enumerate() {
            // A distinct first byte keeps the seeds distinct (10..=63 bytes in all).
            let mut secret = vec![index as u8];
            secret.extend_from_slice(tail);
            let period = if *sixty { Period::S60 } else { Period::S30 };
            ledger
                .record(attempt(
                    index as u64,
                    &format!("865962200010{index}"),
                    settings(Algorithm::Sha1, period, DisplayTimeout::S30),
                    &secret,
                    name.as_ref().and_then(|n| user(&format!("{n}@contoso.com"), None, index)),
                    AttemptOutcome::Success,
                ))
                .unwrap();
        }
        let csv = entra_csv(&ledger).unwrap();
        let list = SeedList::parse_as(&csv, SeedListFormat::EntraCsv).unwrap();
        proptest::prop_assert_eq!(list.rows().len(), tokens.len());
        for (row, attempt) in list.rows().iter().zip(ledger.attempts()) {
            proptest::prop_assert_eq!(&row.account.secret, &attempt.secret);
            proptest::prop_assert_eq!(row.account.period, attempt.settings.period);
            proptest::prop_assert_eq!(row.serial.as_deref(), Some(attempt.serial.as_str()));
            proptest::prop_assert_eq!(
                row.upn.as_deref(),
                attempt.user.as_ref().map(|u| u.upn.as_str())
            );
        }
    }
}
