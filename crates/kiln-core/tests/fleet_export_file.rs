//! The batch's files by format: the seed files carry the seed, the audit logs never do, and a
//! batch with no successful token has no seed file but still an audit log.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::Secret;
use kiln_core::fleet::{
    AttemptOutcome, AuditKey, ExportError, ExportFormat, Ledger, NewAttempt, export_file,
};
use kiln_core::token::TokenSettings;

const ALL: [ExportFormat; 5] = [
    ExportFormat::EntraCsv,
    ExportFormat::GraphArray,
    ExportFormat::GraphDelta,
    ExportFormat::AuditCsv,
    ExportFormat::AuditJson,
];

/// "12345678901234567890" in base32, as the seed files carry it.
const SEED_BASE32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn ledger(outcome: AttemptOutcome) -> Ledger {
    let mut ledger = Ledger::with_key(AuditKey::from_bytes([9; 32]));
    ledger
        .record(NewAttempt {
            unix_time: 1_780_000_000,
            serial: "8659622000001".into(),
            settings: TokenSettings::default(),
            secret: Secret::from_slice(b"12345678901234567890"),
            user: None,
            user_slot: None,
            row: None,
            outcome,
            replaces: None,
        })
        .unwrap();
    ledger
}

#[test]
fn seed_files_carry_the_seed_and_audit_logs_never_do() {
    let ledger = ledger(AttemptOutcome::Success);
    for format in ALL {
        let file = export_file(&ledger, format).unwrap();
        assert!(file.text.contains("8659622000001"), "{format:?}");
        assert_eq!(
            file.text.contains(SEED_BASE32),
            format.holds_seeds(),
            "{format:?}: {}",
            file.text.as_str()
        );
        let graph = matches!(format, ExportFormat::GraphArray | ExportFormat::GraphDelta);
        // The token has no user: Graph says it goes unassigned; the others have nothing to say.
        assert_eq!(file.notice.is_some(), graph, "{format:?}");
    }
    let delta = export_file(&ledger, ExportFormat::GraphDelta).unwrap();
    assert!(delta.text.contains("#$delta"), "{}", delta.text.as_str());
    let array = export_file(&ledger, ExportFormat::GraphArray).unwrap();
    assert!(!array.text.contains("#$delta"));
}

#[test]
fn without_a_successful_token_only_the_audit_logs_are_made() {
    let ledger = ledger(AttemptOutcome::Unknown {
        reason: "No reply to the seed write.".into(),
    });
    for format in ALL {
        match export_file(&ledger, format) {
            Err(error) => {
                assert!(format.holds_seeds(), "{format:?}");
                assert_eq!(error, ExportError::NothingToExport);
            }
            Ok(file) => {
                assert!(!format.holds_seeds(), "{format:?}");
                assert!(file.text.contains("8659622000001"), "{format:?}");
                assert!(!file.text.contains(SEED_BASE32), "{format:?}");
            }
        }
    }
}
