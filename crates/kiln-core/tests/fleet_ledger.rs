//! The batch ledger and the queue: repeats are never silent, rows and users go to tokens in
//! order, and a row that names a serial waits for that token.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::Secret;
use kiln_core::fleet::{
    AttemptOutcome, AuditKey, Ledger, LedgerError, NewAttempt, RandomSource, RandomUnavailable,
    RowRefusal, SeedList, UserList, row_for_serial, user_for_serial,
};
use kiln_core::token::{
    Failure, Model, Operation, Report, Step, StepStatus, TokenError, TokenSettings,
};

const A: &str = "8659622000001";
const B: &str = "8659622000002";
const C: &str = "8659622000003";
const D: &str = "8659622000004";

fn ledger() -> Ledger {
    Ledger::with_key(AuditKey::from_bytes([9; 32]))
}

fn burn(serial: &str, seed: u8, outcome: AttemptOutcome) -> NewAttempt {
    NewAttempt {
        unix_time: 1_780_000_000,
        serial: serial.into(),
        settings: TokenSettings::default(),
        secret: Secret::new(vec![seed; 20]),
        user: None,
        user_slot: None,
        row: None,
        outcome,
        replaces: None,
    }
}

fn failed() -> AttemptOutcome {
    AttemptOutcome::Failed {
        reason: "The token was taken off the reader before authentication.".into(),
    }
}

fn unknown() -> AttemptOutcome {
    AttemptOutcome::Unknown {
        reason: "No reply to the seed write.".into(),
    }
}

#[test]
fn a_serial_seen_earlier_is_refused_unless_its_row_is_named() {
    let mut ledger = ledger();
    let first = ledger.record(burn(A, 1, AttemptOutcome::Success)).unwrap();
    assert_eq!(ledger.seen_earlier(A).map(|a| a.id), Some(first));
    assert!(ledger.seen_earlier(B).is_none());

    let error = ledger
        .record(burn(A, 2, AttemptOutcome::Success))
        .unwrap_err();
    assert_eq!(
        error,
        LedgerError::SeenEarlier {
            serial: A.into(),
            current: first
        }
    );
    assert!(error.to_string().contains("skip it, or to burn it again"));
    assert_eq!(ledger.attempts().len(), 1);

    let second = ledger
        .record(NewAttempt {
            replaces: Some(first),
            ..burn(A, 2, AttemptOutcome::Success)
        })
        .unwrap();
    // The earlier row is kept and marked, never overwritten.
    assert_eq!(ledger.attempts().len(), 2);
    assert_eq!(ledger.attempts()[0].replaced_by, Some(second));
    assert_eq!(ledger.attempts()[0].secret, Secret::new(vec![1; 20]));
    assert_eq!(ledger.seen_earlier(A).map(|a| a.id), Some(second));
    assert_eq!(ledger.exported().count(), 1);
    assert_eq!(ledger.export_row(first), None);
    assert_eq!(ledger.export_row(second), Some(1));

    // Naming a row that is no longer current is refused.
    assert_eq!(
        ledger
            .record(NewAttempt {
                replaces: Some(first),
                ..burn(A, 3, AttemptOutcome::Success)
            })
            .unwrap_err(),
        LedgerError::NotCurrent { named: first }
    );
    // So is naming a row for a serial never seen.
    assert_eq!(
        ledger
            .record(NewAttempt {
                replaces: Some(second),
                ..burn(B, 3, AttemptOutcome::Success)
            })
            .unwrap_err(),
        LedgerError::NotCurrent { named: second }
    );
}

#[test]
fn only_an_unknown_outcome_offers_the_same_seed_again() {
    let mut ledger = ledger();
    ledger.record(burn(A, 1, unknown())).unwrap();
    ledger.record(burn(B, 2, AttemptOutcome::Success)).unwrap();
    ledger.record(burn(C, 3, failed())).unwrap();
    assert_eq!(ledger.retry_seed(A), Some(&Secret::new(vec![1; 20])));
    assert_eq!(ledger.retry_seed(B), None);
    assert_eq!(ledger.retry_seed(C), None);
    assert_eq!(ledger.retry_seed(D), None);
}

#[test]
fn two_tokens_never_share_a_seed() {
    let mut ledger = ledger();
    ledger.record(burn(A, 1, unknown())).unwrap();
    assert_eq!(
        ledger
            .record(burn(B, 1, AttemptOutcome::Success))
            .unwrap_err(),
        LedgerError::SeedOnAnotherToken { serial: A.into() }
    );
    // A failed attempt holds nothing, so its seed may go elsewhere.
    ledger.record(burn(C, 4, failed())).unwrap();
    ledger.record(burn(D, 4, AttemptOutcome::Success)).unwrap();
}

#[test]
fn unknown_serials_are_refused() {
    let mut ledger = ledger();
    assert_eq!(
        ledger
            .record(burn("1234567890", 1, AttemptOutcome::Success))
            .unwrap_err(),
        LedgerError::UnsupportedSerial {
            serial: "1234567890".into()
        }
    );
}

#[test]
fn wipe_empties_the_ledger_and_debug_never_shows_a_seed() {
    let mut ledger = ledger();
    ledger
        .record(NewAttempt {
            secret: Secret::from_slice(b"12345678901234567890"),
            ..burn(A, 0, AttemptOutcome::Success)
        })
        .unwrap();
    let printed = format!("{ledger:?}");
    assert!(printed.contains(A), "{printed}");
    assert!(!printed.contains("12345678901234567890"), "{printed}");
    assert!(!printed.contains("49, 50, 51"), "{printed}");
    assert!(
        !printed.contains("[9, 9, 9"),
        "the audit key leaked: {printed}"
    );
    ledger.wipe();
    assert!(ledger.attempts().is_empty());
}

#[test]
fn a_new_ledger_takes_its_key_from_the_random_source() {
    struct Sevens;
    impl RandomSource for Sevens {
        fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable> {
            bytes.fill(7);
            Ok(())
        }
    }
    let ledger = Ledger::start(&mut Sevens).unwrap();
    let secret = Secret::from_slice(b"12345678901234567890");
    // Python: hmac.new(bytes([7])*32, b"12345678901234567890", sha256).hexdigest()[:8]
    assert_eq!(
        ledger.audit_key().fingerprint(&secret).to_string(),
        "484de295"
    );
}

/// Rows: line 1 for token A, lines 2 and 3 for any token, line 4 for token D.
fn list() -> SeedList {
    SeedList::parse(&format!(
        "upn,serial number,secret key,time interval,manufacturer,model\n\
         ,{A},GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,Token2,OTPC-P2-i\n\
         ,,MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK,30,Token2,\n\
         ,,IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U,30,Token2,\n\
         ,{D},AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT,30,Token2,OTPC-P2-i\n"
    ))
    .unwrap()
}

fn burn_row(list: &SeedList, serial: &str, row: usize, outcome: AttemptOutcome) -> NewAttempt {
    NewAttempt {
        secret: list.rows()[row].account.secret.clone(),
        row: Some(row),
        ..burn(serial, 0, outcome)
    }
}

#[test]
fn a_row_that_names_a_serial_waits_for_that_token() {
    let list = list();
    let mut ledger = ledger();
    // B is not named anywhere: it takes the first free row that names no token.
    assert_eq!(row_for_serial(&list, &ledger, B), Ok(1));
    ledger
        .record(burn_row(&list, B, 1, AttemptOutcome::Success))
        .unwrap();
    // A takes its own row, whatever its position.
    assert_eq!(row_for_serial(&list, &ledger, A), Ok(0));
    ledger
        .record(burn_row(&list, A, 0, AttemptOutcome::Success))
        .unwrap();
    // C takes the next free one.
    assert_eq!(row_for_serial(&list, &ledger, C), Ok(2));
    ledger
        .record(burn_row(&list, C, 2, AttemptOutcome::Success))
        .unwrap();
    // Only D's row is left.
    let other = "8659622000099";
    let refusal = row_for_serial(&list, &ledger, other).unwrap_err();
    assert_eq!(
        refusal,
        RowRefusal::NotInList {
            found: other.into(),
            waiting_for: vec![D.into()]
        }
    );
    assert!(refusal.to_string().contains(D));
    assert_eq!(row_for_serial(&list, &ledger, D), Ok(3));
    ledger
        .record(burn_row(&list, D, 3, AttemptOutcome::Success))
        .unwrap();
    assert_eq!(
        row_for_serial(&list, &ledger, other),
        Err(RowRefusal::ListFinished)
    );
}

#[test]
fn a_bound_row_refuses_another_serial_by_name() {
    let list = list();
    assert_eq!(list.rows()[0].check_serial(A), Ok(()));
    assert_eq!(list.rows()[1].check_serial(B), Ok(()));
    let refusal = list.rows()[0].check_serial(B).unwrap_err();
    assert_eq!(
        refusal,
        RowRefusal::OtherSerial {
            line: 2,
            expected: A.into(),
            found: B.into()
        }
    );
    assert_eq!(
        refusal.to_string(),
        format!(
            "Line 2 of the list is for token {A}, but this is token {B}. Put token {A} on the \
             reader."
        )
    );
}

#[test]
fn an_unknown_burn_keeps_its_row_and_a_failed_one_gives_it_back() {
    let list = list();
    let mut ledger = ledger();
    ledger.record(burn_row(&list, B, 1, unknown())).unwrap();
    // B keeps row 1 (the same seed again); C gets the next one.
    assert_eq!(row_for_serial(&list, &ledger, B), Ok(1));
    assert_eq!(row_for_serial(&list, &ledger, C), Ok(2));
    // After a failure, row 1 is free again.
    let current = ledger.seen_earlier(B).unwrap().id;
    ledger
        .record(NewAttempt {
            replaces: Some(current),
            ..burn_row(&list, B, 1, failed())
        })
        .unwrap();
    assert_eq!(row_for_serial(&list, &ledger, C), Ok(1));
}

#[test]
fn users_go_to_tokens_in_order_and_stay_with_them() {
    let users = UserList::parse("a@contoso.com\nb@contoso.com\n").unwrap();
    let mut ledger = ledger();
    let with_user = |serial: &str, seed: u8, slot: usize, outcome| NewAttempt {
        user: Some(users.users()[slot].clone()),
        user_slot: Some(slot),
        ..burn(serial, seed, outcome)
    };
    assert_eq!(user_for_serial(&users, &ledger, A), Some(0));
    ledger.record(with_user(A, 1, 0, unknown())).unwrap();
    // A burned again keeps its user; B gets the next one.
    assert_eq!(user_for_serial(&users, &ledger, A), Some(0));
    assert_eq!(user_for_serial(&users, &ledger, B), Some(1));
    ledger.record(with_user(B, 2, 1, failed())).unwrap();
    // B failed: its user is free again.
    assert_eq!(user_for_serial(&users, &ledger, C), Some(1));
    ledger
        .record(with_user(C, 3, 1, AttemptOutcome::Success))
        .unwrap();
    // The list is used up: the caller asks whether to go on unassigned.
    assert_eq!(user_for_serial(&users, &ledger, D), None);
}

/// A finished burn report of an OTPC-P2-i (a model that erases its seed on a config write)
/// whose steps ended as given.
fn report(steps: [StepStatus; 5], failure: Option<Failure>) -> Report {
    let order = [
        Step::ReadInfo,
        Step::GetChallenge,
        Step::Authenticate,
        Step::WriteConfig,
        Step::WriteSeed,
    ];
    Report {
        operation: Operation::Burn,
        steps: order.into_iter().zip(steps).collect(),
        info: None,
        model: Some(Model::OtpcP2I),
        settings: Some(TokenSettings::default()),
        written_clock: None,
        failure,
        finished: true,
    }
}

#[test]
fn burn_reports_map_to_outcomes() {
    use StepStatus::{Done, NotSent, Refused, Unknown};
    let success = report([Done; 5], None);
    assert_eq!(
        AttemptOutcome::from_report(&success),
        AttemptOutcome::Success
    );

    let refused_auth = Failure::Refused {
        step: Step::Authenticate,
        error: TokenError::AuthRefused,
    };
    let before_writes = report(
        [
            Done,
            Done,
            Refused(TokenError::AuthRefused),
            NotSent,
            NotSent,
        ],
        Some(refused_auth),
    );
    let outcome = AttemptOutcome::from_report(&before_writes);
    assert!(
        matches!(&outcome, AttemptOutcome::NothingWritten { reason } if reason.contains("Nothing was written")),
        "{outcome:?}"
    );
    assert_eq!(outcome.code(), "failed");

    let seed_refused = Failure::Refused {
        step: Step::WriteSeed,
        error: TokenError::WrongData,
    };
    let after_config = report(
        [Done, Done, Done, Done, Refused(TokenError::WrongData)],
        Some(seed_refused),
    );
    let outcome = AttemptOutcome::from_report(&after_config);
    assert!(
        matches!(&outcome, AttemptOutcome::Failed { reason } if reason.contains("no seed now")),
        "{outcome:?}"
    );

    let unanswered = report([Done, Done, Done, Done, Unknown], None);
    let outcome = AttemptOutcome::from_report(&unanswered);
    assert!(
        matches!(&outcome, AttemptOutcome::Unknown { reason } if reason.contains("Burn again")),
        "{outcome:?}"
    );
}

#[test]
fn an_attempt_that_wrote_nothing_replaces_nothing() {
    let mut ledger = ledger();
    let first = ledger.record(burn(A, 1, AttemptOutcome::Success)).unwrap();
    let nothing = AttemptOutcome::NothingWritten {
        reason: "Nothing was written: the token is exactly as it was.".into(),
    };
    let second = ledger
        .record(NewAttempt {
            replaces: Some(first),
            ..burn(A, 2, nothing.clone())
        })
        .unwrap();
    // The token still holds the first seed: that row stays current and exported.
    assert_eq!(ledger.seen_earlier(A).map(|a| a.id), Some(first));
    assert_eq!(ledger.attempts()[0].replaced_by, None);
    assert_eq!(ledger.export_row(first), Some(1));
    assert_eq!(ledger.export_row(second), None);
    assert_eq!(ledger.attempts().len(), 2);
    // On a token never burned before, it leaves the token new.
    ledger.record(burn(B, 3, nothing)).unwrap();
    assert!(ledger.seen_earlier(B).is_none());
    ledger.record(burn(B, 4, AttemptOutcome::Success)).unwrap();
}
