//! Shared by the batch decision and plan tests: deterministic randomness, plans, a seed list
//! with known seeds, and recording a decision the way the front ends do.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // each test file uses a part

use kiln_core::fleet::{
    AttemptId, AttemptOutcome, AuditKey, BatchPlan, Burn, Decision, Ledger, NewAttempt,
    RandomSource, RandomUnavailable, SeedList, SeedSource, UserList, decide,
};
use kiln_core::{Algorithm, DisplayTimeout, Period};

pub const A: &str = "8659622000001";
pub const B: &str = "8659622000002";
pub const C: &str = "8659622000003";
pub const D: &str = "8659622000004";
pub const E: &str = "8659622000005";

/// A deterministic source: bytes 1, 2, 3, … (wrapping), continuing across calls.
pub struct Counting(pub u8);

impl RandomSource for Counting {
    fn fill(&mut self, bytes: &mut [u8]) -> Result<(), RandomUnavailable> {
        for b in bytes {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
        Ok(())
    }
}

/// A source that always fails: a decision that needs no new seed must not ask it.
pub struct Broken;

impl RandomSource for Broken {
    fn fill(&mut self, _: &mut [u8]) -> Result<(), RandomUnavailable> {
        Err(RandomUnavailable)
    }
}

pub fn ledger() -> Ledger {
    Ledger::with_key(AuditKey::from_bytes([9; 32]))
}

pub fn fresh(algorithm: Algorithm, users: Option<&str>, count: Option<usize>) -> BatchPlan {
    BatchPlan::new(
        SeedSource::Fresh {
            algorithm,
            period: Period::S60,
        },
        users.map(|text| UserList::parse(text).unwrap()),
        DisplayTimeout::S15,
        count,
    )
    .unwrap()
}

/// Line 2: for token A; lines 3 and 4: for any token; line 5: for token D, a 60 s code.
pub const LIST: &str = "upn,serial number,secret key,time interval,manufacturer,model\n\
     a@contoso.com,8659622000001,GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ,30,Token2,OTPC-P2-i\n\
     x@contoso.com,,MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK,30,Token2,\n\
     y@contoso.com,,IFBEGRCFIZDUQSKKJNGE2TSPKBIVEU2U,30,Token2,\n\
     d@contoso.com,8659622000004,AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT,60,Token2,OTPC-P2-i\n";

pub fn listed(text: &str, count: Option<usize>) -> BatchPlan {
    BatchPlan::new(
        SeedSource::List(SeedList::parse(text).unwrap()),
        None,
        DisplayTimeout::S60,
        count,
    )
    .unwrap()
}

pub fn burn_of(decision: Decision) -> Burn {
    match decision {
        Decision::Burn(burn) => burn,
        Decision::Refused(refusal) => panic!("refused: {refusal}"),
        Decision::SeenEarlier { attempt } => panic!("seen earlier (row {})", attempt.number()),
    }
}

/// Records the burn as the front ends do after the token answered.
pub fn record(ledger: &mut Ledger, serial: &str, burn: Burn, outcome: AttemptOutcome) -> AttemptId {
    ledger
        .record(NewAttempt {
            unix_time: 1_780_000_000,
            serial: serial.into(),
            settings: burn.settings,
            secret: burn.secret,
            user: burn.user,
            user_slot: burn.user_slot,
            row: burn.row,
            outcome,
            replaces: burn.replaces,
        })
        .unwrap()
}

/// Decides for `serial` and records the outcome.
pub fn burn_token(
    plan: &BatchPlan,
    ledger: &mut Ledger,
    serial: &str,
    outcome: AttemptOutcome,
    random: &mut dyn RandomSource,
) -> AttemptId {
    let burn = burn_of(decide(plan, ledger, serial, false, random).unwrap());
    record(ledger, serial, burn, outcome)
}

pub fn unknown() -> AttemptOutcome {
    AttemptOutcome::Unknown {
        reason: "No reply to the seed write.".into(),
    }
}

pub fn failed() -> AttemptOutcome {
    AttemptOutcome::Failed {
        reason: "The token was taken off the reader before authentication.".into(),
    }
}

pub fn upn(burn: &Burn) -> Option<&str> {
    burn.user.as_ref().map(|u| u.upn.as_str())
}
