//! The verify rule: ±1 step works, 2–10 steps is a clock that did not take, more is a mismatch.
//! Codes are RFC 6238 Appendix B's (last six digits), never computed by this crate.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use kiln_core::otp::{self, Algorithm, CodeVerdict, Period, Secret, TotpAccount};

fn sha1_key() -> Secret {
    Secret::from_slice(b"12345678901234567890")
}

/// RFC 6238: SHA-1, T = 1111111109 (step 37037036) shows 07081804.
const T: u64 = 1_111_111_109;
const CODE_AT_T: &str = "081804";
/// RFC 6238: T = 1111111111 is the next step (37037037): 14050471.
const CODE_AT_NEXT_STEP: &str = "050471";

fn judge_at(now: u64, typed: &str) -> Option<CodeVerdict> {
    otp::judge_typed_code(&sha1_key(), Algorithm::Sha1, Period::S30, now, typed)
}

/// The typed code is the one of step `T`; judging it `steps` steps later means the token is
/// `-steps` steps behind.
fn judge_token_behind_by(steps: i64) -> Option<CodeVerdict> {
    let now = (T as i64 + steps * 30) as u64;
    judge_at(now, CODE_AT_T)
}

#[test]
fn the_current_step_works() {
    assert_eq!(
        judge_at(T, CODE_AT_T),
        Some(CodeVerdict::Works { offset: 0 })
    );
    assert_eq!(
        judge_at(T, "081 804"),
        Some(CodeVerdict::Works { offset: 0 })
    );
}

#[test]
fn one_step_either_way_works() {
    assert_eq!(
        judge_token_behind_by(1),
        Some(CodeVerdict::Works { offset: -1 })
    );
    assert_eq!(
        judge_token_behind_by(-1),
        Some(CodeVerdict::Works { offset: 1 })
    );
    assert_eq!(
        judge_at(T, CODE_AT_NEXT_STEP),
        Some(CodeVerdict::Works { offset: 1 })
    );
}

#[test]
fn two_to_ten_steps_is_a_clock_that_did_not_take() {
    for steps in [2i64, 3, 10] {
        assert_eq!(
            judge_token_behind_by(steps),
            Some(CodeVerdict::ClockOff { offset: -steps }),
            "{steps} steps behind"
        );
        assert_eq!(
            judge_token_behind_by(-steps),
            Some(CodeVerdict::ClockOff { offset: steps }),
            "{steps} steps ahead"
        );
    }
}

#[test]
fn more_than_ten_steps_is_a_mismatch() {
    for steps in [11i64, 12, -12, 100] {
        assert_eq!(
            judge_token_behind_by(steps),
            Some(CodeVerdict::Mismatch),
            "{steps}"
        );
    }
}

#[test]
fn a_wrong_code_is_a_mismatch_and_a_malformed_one_no_verdict() {
    assert_eq!(judge_at(T, "000000"), Some(CodeVerdict::Mismatch));
    assert_eq!(judge_at(T, "08180"), None);
    assert_eq!(judge_at(T, "0818045"), None);
    assert_eq!(judge_at(T, "08a804"), None);
}

#[test]
fn sixty_second_accounts_count_sixty_second_steps() {
    // Independent: Python hmac(key, (1111111109 // 60).to_bytes(8)) gives 360094.
    let at = |now| otp::judge_typed_code(&sha1_key(), Algorithm::Sha1, Period::S60, now, "360094");
    assert_eq!(at(T), Some(CodeVerdict::Works { offset: 0 }));
    assert_eq!(at(T + 60), Some(CodeVerdict::Works { offset: -1 }));
    assert_eq!(at(T + 3 * 60), Some(CodeVerdict::ClockOff { offset: -3 }));
    assert_eq!(at(T + 12 * 60), Some(CodeVerdict::Mismatch));
}

fn account(issuer: Option<&str>, name: &str, secret: &[u8]) -> TotpAccount {
    let mut account =
        TotpAccount::from_secret(Secret::from_slice(secret), otp::SecretSource::Base32).unwrap();
    account.issuer = issuer.map(str::to_owned);
    account.account = name.to_owned();
    account
}

#[test]
fn fingerprints_change_with_every_field_that_matters() {
    let base = account(
        Some("Contoso"),
        "alice@contoso.com",
        b"12345678901234567890",
    );
    assert_eq!(base.fingerprint(), base.clone().fingerprint());

    let key = b"12345678901234567890";
    let mut changes = vec![
        account(Some("Contoso"), "bob@contoso.com", key),
        account(Some("Fabrikam"), "alice@contoso.com", key),
        account(None, "alice@contoso.com", key),
        account(
            Some("Contoso"),
            "alice@contoso.com",
            b"12345678901234567891",
        ),
    ];
    let mut other = base.clone();
    other.algorithm = Algorithm::Sha256;
    changes.push(other);
    let mut other = base.clone();
    other.period = Period::S60;
    changes.push(other);
    let mut other = base.clone();
    other.label_issuer = Some("Contoso".into());
    changes.push(other);
    // Field boundaries count: ("Contos", "oalice…") is not ("Contoso", "alice…").
    changes.push(account(
        Some("Contos"),
        "oalice@contoso.com",
        b"12345678901234567890",
    ));
    for changed in &changes {
        assert_ne!(base.fingerprint(), changed.fingerprint(), "{changed:?}");
    }
    // The source encoding does not change the account.
    let mut other = base.clone();
    other.source = otp::SecretSource::Hex;
    assert_eq!(base.fingerprint(), other.fingerprint());
}

#[test]
fn fingerprint_debug_shows_no_secret_and_is_short() {
    let base = account(Some("Contoso"), "alice", b"12345678901234567890");
    let text = format!("{:?}", base.fingerprint());
    assert!(
        text.starts_with("AccountFingerprint(") && text.len() < 32,
        "{text}"
    );
}
