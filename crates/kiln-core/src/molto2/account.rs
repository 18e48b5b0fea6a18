//! The "digits depend on the target" rule, built on the classifier's public API without
//! changing it: the classifier refuses every code length but 6 (right for single-profile
//! tokens), while a Molto2 shows 4, 6, 8 or 10 digits.
//!
//! [`six_digit_form`] takes an `otpauth://` link whose only problem may be its `digits=` value
//! and returns the same link with `digits=6` plus the wanted [`Digits`]. The caller classifies
//! that link (so every other rule still applies: HOTP, Steam, algorithm, period, secret length)
//! and burns the account with the returned digits. Anything else is left to the classifier's
//! refusal.

use zeroize::Zeroizing;

use super::settings::Digits;

/// For an otpauth link with exactly one `digits=` parameter of 4, 8 or 10: the link with that
/// parameter set to 6, and the digits. `None` otherwise (no link, no or duplicated parameter,
/// 6 already, or a length a Molto2 cannot show).
pub fn six_digit_form(link: &str) -> Option<(Zeroizing<String>, Digits)> {
    let link = link.trim();
    let head = link.get(..10)?;
    if !head.eq_ignore_ascii_case("otpauth://") {
        return None;
    }
    let (base, query) = link.split_once('?')?;
    let mut digits = None;
    let mut parts: Vec<Zeroizing<String>> = Vec::new();
    for part in query.split('&') {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        if name.trim().eq_ignore_ascii_case("digits") {
            if digits.is_some() {
                return None; // duplicated: the classifier decides
            }
            let count = value.trim().parse::<u8>().ok()?;
            digits = Some(Digits::from_count(count).filter(|d| *d != Digits::D6)?);
            parts.push(Zeroizing::new("digits=6".to_string()));
        } else {
            parts.push(Zeroizing::new(part.to_string()));
        }
    }
    let digits = digits?;
    let mut out = Zeroizing::new(String::with_capacity(link.len()));
    out.push_str(base);
    out.push('?');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(part);
    }
    Some((out, digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::{Classification, RefusalReason, classify};

    const EIGHT: &str =
        "otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DP&Digits=8&issuer=Acme";

    #[test]
    fn an_eight_digit_account_is_refused_for_single_profile_and_burnable_on_a_molto2() {
        // Single-profile target: the classifier refuses it, with the digits reason.
        let Classification::Refused(refusal) = classify(EIGHT) else {
            panic!("expected a refusal");
        };
        assert_eq!(refusal.reason, RefusalReason::Digits);
        // Molto2 target: the same account, every other rule applied, with 8 digits.
        let (six, digits) = six_digit_form(EIGHT).unwrap();
        assert_eq!(digits, Digits::D8);
        let Classification::Totp(account) = classify(&six) else {
            panic!("expected an account");
        };
        assert_eq!(account.issuer.as_deref(), Some("Acme"));
        assert_eq!(account.account, "alice");
    }

    #[test]
    fn other_problems_still_refuse() {
        for link in [
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=7",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=6",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP",
            "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&digits=8&digits=8",
            "JBSWY3DPEHPK3PXP",
        ] {
            assert!(six_digit_form(link).is_none(), "{link}");
        }
        // HOTP with 8 digits: rewritten, and the classifier still refuses it (as HOTP).
        let (six, _) =
            six_digit_form("otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&digits=8&counter=1").unwrap();
        let Classification::Refused(refusal) = classify(&six) else {
            panic!("expected a refusal");
        };
        assert_eq!(refusal.reason, RefusalReason::Hotp);
    }
}
