//! From a classified account to the code length a Molto2 profile is burned with.
//!
//! The classifier decides what a Molto2 can take: classify for [`Target::Molto2`]
//! ([`classify_for`](crate::otp::classify_for)) and every rule applies (HOTP, Steam, algorithm,
//! period, secret length), with 4, 6, 8 or 10 digits burnable and the account keeping its
//! length. This file only names that length in the protocol's terms.

use super::settings::Digits;
use crate::otp::{Refusal, Target, TotpAccount};

/// The account's code length as a Molto2 setting. Always `Ok` for an account classified for
/// [`Target::Molto2`]; an account classified for another target with a length a Molto2 cannot
/// show gets the classifier's digits refusal, never a changed length.
pub fn profile_digits(account: &TotpAccount) -> Result<Digits, Refusal> {
    Digits::from_count(account.digits)
        .ok_or_else(|| Refusal::digits_for(Some(u64::from(account.digits)), Target::Molto2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Classification, RefusalReason, classify_for};

    #[test]
    fn the_classifier_and_the_protocol_agree_on_the_lengths_a_molto2_shows() {
        for count in 0..=u8::MAX {
            assert_eq!(
                Target::Molto2.shows_digits(u64::from(count)),
                Digits::from_count(count).is_some(),
                "{count}"
            );
        }
    }

    #[test]
    fn a_molto2_account_keeps_its_length() {
        for count in [4u8, 6, 8, 10] {
            let link = format!("otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXP&digits={count}");
            let Classification::Totp(account) = classify_for(&link, Target::Molto2) else {
                panic!("{link}: not burnable on a Molto2");
            };
            assert_eq!(profile_digits(&account).map(Digits::count), Ok(count));
        }
    }

    #[test]
    fn a_length_a_molto2_cannot_show_is_refused_not_changed() {
        let Classification::Totp(mut account) = classify_for("JBSWY3DPEHPK3PXP", Target::Molto2)
        else {
            panic!("a bare secret is burnable");
        };
        account.digits = 7;
        let refusal = profile_digits(&account).unwrap_err();
        assert_eq!(refusal.reason, RefusalReason::Digits);
        assert!(refusal.advice.contains("7-digit"), "{}", refusal.advice);
    }
}
