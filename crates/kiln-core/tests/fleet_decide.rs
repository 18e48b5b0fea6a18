//! The batch decision both front ends (the Batch screen and `kiln batch`) follow: an
//! "unknown" result gets the same seed again, a list row that names a serial waits for that
//! token, new seeds go with the next user, a token burned earlier is a question, and a burn
//! again replaces the earlier row. Expectations come from those rules and from the seeds'
//! base32 text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod fleet_batch;

use fleet_batch::*;
use kiln_core::fleet::{AttemptOutcome, Decision, RandomUnavailable, RowRefusal, decide};
use kiln_core::token::TokenSettings;
use kiln_core::{Algorithm, DisplayTimeout, Period, Secret};

#[test]
fn a_new_token_gets_a_new_seed_from_the_random_source_with_the_plan_settings() {
    let plan = fresh(Algorithm::Sha256, None, None);
    let burn = burn_of(decide(&plan, &ledger(), A, false, &mut Counting(0)).unwrap());
    // SHA-256 seeds are 32 bytes; the source gives 1, 2, … 32.
    assert_eq!(burn.secret, Secret::new((1..=32).collect()));
    assert_eq!(
        burn.settings,
        TokenSettings {
            algorithm: Algorithm::Sha256,
            period: Period::S60,
            display: DisplayTimeout::S15,
        }
    );
    assert_eq!(
        (burn.user_slot, burn.row, burn.replaces),
        (None, None, None)
    );
    assert!(burn.user.is_none());
    assert!(!burn.retry);
    // Without random bytes there is no seed, and nothing to burn.
    assert!(matches!(
        decide(&plan, &ledger(), A, false, &mut Broken),
        Err(RandomUnavailable)
    ));
}

#[test]
fn an_unknown_result_gets_the_same_seed_user_and_settings_again() {
    let plan = fresh(
        Algorithm::Sha1,
        Some("a@contoso.com\nb@contoso.com\n"),
        None,
    );
    let mut ledger = ledger();
    let first = burn_token(&plan, &mut ledger, A, unknown(), &mut Counting(0));
    // No new seed is made (the broken source is never asked), even when a burn again was asked.
    for again in [false, true] {
        let burn = burn_of(decide(&plan, &ledger, A, again, &mut Broken).unwrap());
        assert_eq!(burn.secret, Secret::new((1..=20).collect()));
        assert_eq!(upn(&burn), Some("a@contoso.com"));
        assert_eq!(burn.user_slot, Some(0));
        assert_eq!(burn.settings.period, Period::S60);
        assert_eq!(burn.replaces, Some(first));
        assert!(burn.retry);
    }
    // The next token meanwhile gets the next user: A still holds the first.
    let other = burn_of(decide(&plan, &ledger, B, false, &mut Counting(100)).unwrap());
    assert_eq!(upn(&other), Some("b@contoso.com"));
}

#[test]
fn an_unknown_result_on_a_list_row_keeps_the_row() {
    let plan = listed(LIST, None);
    let mut ledger = ledger();
    let first = burn_token(&plan, &mut ledger, B, unknown(), &mut Broken);
    let burn = burn_of(decide(&plan, &ledger, B, false, &mut Broken).unwrap());
    assert_eq!(burn.row, Some(1));
    assert_eq!(burn.secret, Secret::from_slice(b"abcdefghijabcdefghij"));
    assert_eq!((burn.replaces, burn.retry), (Some(first), true));
    // The row stays B's: C goes on to the next free one.
    let next = burn_of(decide(&plan, &ledger, C, false, &mut Broken).unwrap());
    assert_eq!(next.row, Some(2));
}

#[test]
fn list_rows_go_to_their_named_token_and_free_rows_in_order() {
    let plan = listed(LIST, None);
    let mut ledger = ledger();

    // D is named by the last row: it gets that row's seed, time step and user.
    let d = burn_of(decide(&plan, &ledger, D, false, &mut Broken).unwrap());
    assert_eq!(d.row, Some(3));
    assert_eq!(d.secret, Secret::new((0..20).collect()));
    assert_eq!(
        d.settings,
        TokenSettings {
            algorithm: Algorithm::Sha1,
            period: Period::S60,
            display: DisplayTimeout::S60,
        }
    );
    assert_eq!(upn(&d), Some("d@contoso.com"));
    assert_eq!((d.user_slot, d.replaces, d.retry), (None, None, false));
    record(&mut ledger, D, d, AttemptOutcome::Success);

    // B is named nowhere: the first free row naming no token (line 3), not A's line 2.
    let b = burn_of(decide(&plan, &ledger, B, false, &mut Broken).unwrap());
    assert_eq!((b.row, upn(&b)), (Some(1), Some("x@contoso.com")));
    record(&mut ledger, B, b, AttemptOutcome::Success);
    burn_token(&plan, &mut ledger, C, AttemptOutcome::Success, &mut Broken);

    // Only A's row is left: another token is refused and told which one to bring.
    match decide(&plan, &ledger, E, false, &mut Broken).unwrap() {
        Decision::Refused(refusal) => assert_eq!(
            refusal,
            RowRefusal::NotInList {
                found: E.into(),
                waiting_for: vec![A.into()]
            }
        ),
        _ => panic!("E must be refused"),
    }
    let a = burn_of(decide(&plan, &ledger, A, false, &mut Broken).unwrap());
    assert_eq!(a.row, Some(0));
    assert_eq!(a.secret, Secret::from_slice(b"12345678901234567890"));
    assert_eq!(a.settings.period, Period::S30);
    record(&mut ledger, A, a, AttemptOutcome::Success);

    assert!(matches!(
        decide(&plan, &ledger, E, false, &mut Broken).unwrap(),
        Decision::Refused(RowRefusal::ListFinished)
    ));
}

#[test]
fn new_seeds_go_with_the_next_user_and_a_failed_burn_gives_its_user_back() {
    let plan = fresh(
        Algorithm::Sha1,
        Some("a@contoso.com\nb@contoso.com\nc@contoso.com\n"),
        None,
    );
    let mut ledger = ledger();
    let mut random = Counting(0);
    let a = burn_of(decide(&plan, &ledger, A, false, &mut random).unwrap());
    assert_eq!((upn(&a), a.user_slot), (Some("a@contoso.com"), Some(0)));
    record(&mut ledger, A, a, AttemptOutcome::Success);

    let b = burn_of(decide(&plan, &ledger, B, false, &mut random).unwrap());
    assert_eq!((upn(&b), b.user_slot), (Some("b@contoso.com"), Some(1)));
    record(&mut ledger, B, b, failed());

    // B failed, so its user goes to the next token; each token gets a seed of its own.
    let c = burn_of(decide(&plan, &ledger, C, false, &mut random).unwrap());
    assert_eq!((upn(&c), c.user_slot), (Some("b@contoso.com"), Some(1)));
    assert_eq!(c.secret, Secret::new((41..=60).collect()));
    record(&mut ledger, C, c, AttemptOutcome::Success);

    // B again after its failure: a new seed, the next free user, its failed row replaced.
    let failed_b = ledger.seen_earlier(B).unwrap().id;
    let b = burn_of(decide(&plan, &ledger, B, false, &mut random).unwrap());
    assert_eq!(
        (upn(&b), b.replaces, b.retry),
        (Some("c@contoso.com"), Some(failed_b), false)
    );
    assert_eq!(b.secret, Secret::new((61..=80).collect()));
}

#[test]
fn a_token_burned_earlier_is_a_question_and_burning_again_replaces_its_row() {
    let plan = fresh(
        Algorithm::Sha1,
        Some("a@contoso.com\nb@contoso.com\n"),
        None,
    );
    let mut ledger = ledger();
    let first = burn_token(
        &plan,
        &mut ledger,
        A,
        AttemptOutcome::Success,
        &mut Counting(0),
    );

    // Asked, not decided: no seed is made for it.
    assert!(matches!(
        decide(&plan, &ledger, A, false, &mut Broken).unwrap(),
        Decision::SeenEarlier { attempt } if attempt == first
    ));

    // The operator chose to burn it again: a new seed, the same user, the earlier row replaced.
    let again = burn_of(decide(&plan, &ledger, A, true, &mut Counting(100)).unwrap());
    assert_eq!(again.secret, Secret::new((101..=120).collect()));
    assert_eq!(
        (upn(&again), again.user_slot),
        (Some("a@contoso.com"), Some(0))
    );
    assert_eq!((again.replaces, again.retry), (Some(first), false));
    let second = record(&mut ledger, A, again, AttemptOutcome::Success);
    assert_eq!(ledger.attempt(first).unwrap().replaced_by, Some(second));
    // Still one token in the exports, and the question is now about the new row.
    assert_eq!(ledger.exported().count(), 1);
    assert!(matches!(
        decide(&plan, &ledger, A, false, &mut Broken).unwrap(),
        Decision::SeenEarlier { attempt } if attempt == second
    ));
}

#[test]
fn a_list_token_burned_again_keeps_its_row() {
    let plan = listed(LIST, None);
    let mut ledger = ledger();
    let first = burn_token(&plan, &mut ledger, B, AttemptOutcome::Success, &mut Broken);
    assert!(matches!(
        decide(&plan, &ledger, B, false, &mut Broken).unwrap(),
        Decision::SeenEarlier { attempt } if attempt == first
    ));
    let again = burn_of(decide(&plan, &ledger, B, true, &mut Broken).unwrap());
    assert_eq!(again.row, Some(1));
    assert_eq!(again.secret, Secret::from_slice(b"abcdefghijabcdefghij"));
    assert_eq!((again.replaces, again.retry), (Some(first), false));
}
