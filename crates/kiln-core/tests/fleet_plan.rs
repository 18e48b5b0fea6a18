//! The batch plan both front ends build: a user list sets the count, a count beyond the users
//! is said, a user list never goes with a seed list, and the batch is complete when its count,
//! its list or its users are used up (successes only; a burn again replaces a row).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod fleet_batch;

use fleet_batch::*;
use kiln_core::fleet::{
    AttemptOutcome, BatchPlan, SeedList, SeedSource, ShortUserList, UserList, UsersWithSeedList,
    decide,
};
use kiln_core::{Algorithm, DisplayTimeout};

#[test]
fn the_batch_is_complete_when_the_count_is_reached_by_successes() {
    let plan = fresh(Algorithm::Sha1, None, Some(2));
    assert_eq!(plan.size(), Some(2));
    let mut ledger = ledger();
    let mut random = Counting(0);
    assert!(!plan.is_complete(&ledger));
    burn_token(&plan, &mut ledger, A, AttemptOutcome::Success, &mut random);
    assert!(!plan.is_complete(&ledger));
    // Neither a failure nor an unknown result counts.
    burn_token(&plan, &mut ledger, B, failed(), &mut random);
    burn_token(&plan, &mut ledger, C, unknown(), &mut random);
    assert!(!plan.is_complete(&ledger));
    // Nor does burning A again: it replaces A's row.
    let again = burn_of(decide(&plan, &ledger, A, true, &mut random).unwrap());
    record(&mut ledger, A, again, AttemptOutcome::Success);
    assert!(!plan.is_complete(&ledger));
    burn_token(&plan, &mut ledger, C, AttemptOutcome::Success, &mut random);
    assert!(plan.is_complete(&ledger));

    // Without a count, new seeds never complete a batch on their own.
    let open = fresh(Algorithm::Sha1, None, None);
    assert_eq!(open.size(), None);
    assert!(!open.is_complete(&ledger));
}

#[test]
fn the_batch_is_complete_when_every_list_row_is_burned() {
    let list = "upn,secret\na@contoso.com,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n\
                b@contoso.com,MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK\n";
    // A count beyond the list ends with the list.
    for count in [None, Some(5)] {
        let plan = listed(list, count);
        assert_eq!(plan.size(), Some(2));
        let mut ledger = ledger();
        burn_token(&plan, &mut ledger, A, AttemptOutcome::Success, &mut Broken);
        burn_token(&plan, &mut ledger, B, unknown(), &mut Broken);
        assert!(!plan.is_complete(&ledger));
        burn_token(&plan, &mut ledger, B, AttemptOutcome::Success, &mut Broken);
        assert!(plan.is_complete(&ledger));
    }
    // A count below the list ends first.
    let plan = listed(list, Some(1));
    assert_eq!(plan.size(), Some(1));
    let mut ledger = ledger();
    burn_token(&plan, &mut ledger, A, AttemptOutcome::Success, &mut Broken);
    assert!(plan.is_complete(&ledger));
}

#[test]
fn without_a_count_the_batch_is_complete_when_every_user_has_a_token() {
    let plan = fresh(
        Algorithm::Sha1,
        Some("a@contoso.com\nb@contoso.com\n"),
        None,
    );
    assert_eq!((plan.count, plan.short_users), (Some(2), None));
    assert_eq!(plan.size(), Some(2));
    let mut ledger = ledger();
    let mut random = Counting(0);
    burn_token(&plan, &mut ledger, A, AttemptOutcome::Success, &mut random);
    assert!(!plan.is_complete(&ledger));
    burn_token(&plan, &mut ledger, B, AttemptOutcome::Success, &mut random);
    assert!(plan.is_complete(&ledger));
}

#[test]
fn a_count_beyond_the_users_is_said_and_the_extra_tokens_go_unassigned() {
    let plan = fresh(
        Algorithm::Sha1,
        Some("a@contoso.com\nb@contoso.com\n"),
        Some(3),
    );
    assert_eq!(
        plan.short_users,
        Some(ShortUserList {
            users: 2,
            tokens: 3
        })
    );
    let mut ledger = ledger();
    let mut random = Counting(0);
    burn_token(&plan, &mut ledger, A, AttemptOutcome::Success, &mut random);
    burn_token(&plan, &mut ledger, B, AttemptOutcome::Success, &mut random);
    assert!(!plan.is_complete(&ledger));
    let c = burn_of(decide(&plan, &ledger, C, false, &mut random).unwrap());
    assert!(c.user.is_none());
    assert_eq!(c.user_slot, None);
    record(&mut ledger, C, c, AttemptOutcome::Success);
    assert!(plan.is_complete(&ledger));

    // Enough users: nothing to say.
    let enough = fresh(
        Algorithm::Sha1,
        Some("a@contoso.com\nb@contoso.com\n"),
        Some(2),
    );
    assert_eq!(enough.short_users, None);
}

#[test]
fn a_user_list_with_a_seed_list_is_refused() {
    let refused = BatchPlan::new(
        SeedSource::List(SeedList::parse(LIST).unwrap()),
        Some(UserList::parse("a@contoso.com\n").unwrap()),
        DisplayTimeout::S30,
        None,
    );
    assert!(matches!(refused, Err(UsersWithSeedList)));
    assert!(
        UsersWithSeedList
            .to_string()
            .contains("Remove the user list")
    );
}

#[test]
fn wiping_the_plan_empties_the_seed_list() {
    let mut plan = listed(LIST, None);
    plan.wipe();
    match &plan.source {
        SeedSource::List(list) => assert!(list.rows().is_empty()),
        SeedSource::Fresh { .. } => panic!("the source changed"),
    }
}
