//! The way back: an account written as a canonical `otpauth://` link, for a phone app's QR code
//! (the same secret in an authenticator app as a backup of the token).
//!
//! Canonical means: the Key URI format with every setting spelled out (`secret`, `issuer`,
//! `algorithm`, `digits`, `period`), the secret in upper-case Base32 without padding, and the
//! label and issuer percent-encoded as UTF-8 with `%20` for spaces (never `+`, which some apps
//! read literally). [`classify`](super::classify) reads the link back into the same account
//! (same [`AccountFingerprint`](super::AccountFingerprint)).
//!
//! The link holds the secret: it lives in a [`Zeroizing`] string and is shown, never stored.

use zeroize::Zeroizing;

use super::account::TotpAccount;
use super::base32;

/// Bytes that stay as they are in a label or a parameter value: RFC 3986 "unreserved".
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Appends `text` percent-encoded (UTF-8; everything but unreserved bytes, `:` and `+`
/// included, so the parser's split at the first colon and its `+`-as-space rule keep the
/// text intact).
fn push_encoded(out: &mut String, text: &str) {
    for &byte in text.as_bytes() {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            out.push(char::from(HEX_DIGITS[usize::from(byte & 15)]));
        }
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789ABCDEF";

impl TotpAccount {
    /// The account as a canonical `otpauth://totp/…` link (see the module docs):
    /// `otpauth://totp/Contoso%20Ltd:alice%40contoso.com?secret=…&issuer=Contoso%20Ltd&algorithm=SHA1&digits=6&period=30`.
    ///
    /// The label is `prefix:account` when the input had a label prefix, else the account alone
    /// (with a leading `:` when the account itself holds a colon, so that no part of it is read
    /// back as a prefix). `issuer=` is written when the account has one.
    pub fn to_otpauth_uri(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(128 + self.secret.len() * 2));
        out.push_str("otpauth://totp/");
        match &self.label_issuer {
            Some(prefix) => {
                push_encoded(&mut out, prefix);
                out.push(':');
            }
            None if self.account.contains(':') => out.push(':'),
            None => {}
        }
        push_encoded(&mut out, &self.account);
        out.push_str("?secret=");
        out.push_str(&base32::base32_unpadded(&self.secret));
        if let Some(issuer) = &self.issuer {
            out.push_str("&issuer=");
            push_encoded(&mut out, issuer);
        }
        out.push_str("&algorithm=");
        out.push_str(self.algorithm.name());
        out.push_str("&digits=");
        out.push_str(&self.digits.to_string());
        out.push_str("&period=");
        out.push_str(&self.period.seconds().to_string());
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::otp::{Classification, SecretSource, TotpAccount, classify};
    use crate::params::{Algorithm, Period};
    use crate::secret::Secret;

    fn account(issuer: Option<&str>, prefix: Option<&str>, name: &str) -> TotpAccount {
        TotpAccount {
            issuer: issuer.map(str::to_string),
            label_issuer: prefix.map(str::to_string),
            account: name.to_string(),
            algorithm: Algorithm::Sha256,
            digits: 6,
            period: Period::S60,
            secret: Secret::from_slice(b"12345678901234567890"),
            source: SecretSource::Uri,
        }
    }

    fn read_back(uri: &str) -> TotpAccount {
        match classify(uri) {
            Classification::Totp(account) => account,
            other => panic!("{uri} read as {other:?}"),
        }
    }

    #[test]
    fn the_link_spells_out_every_setting_and_encodes_names_as_utf8() {
        let uri =
            account(Some("Zürich Bank AG"), Some("Zürich Bank AG"), "Ève Müller").to_otpauth_uri();
        assert_eq!(
            uri.as_str(),
            "otpauth://totp/Z%C3%BCrich%20Bank%20AG:%C3%88ve%20M%C3%BCller\
             ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Z%C3%BCrich%20Bank%20AG\
             &algorithm=SHA256&digits=6&period=60"
        );
    }

    #[test]
    fn every_account_reads_back_as_the_same_account() {
        let cases = [
            account(Some("Zürich Bank AG"), Some("Zürich Bank AG"), "Ève Müller"),
            // Microsoft 365: the tenant in the label, issuer=Microsoft.
            account(Some("Microsoft"), Some("Some Company"), "alice@contoso.com"),
            account(Some("GitHub"), None, "octocat"),
            account(None, None, ""),
            account(None, None, "a:b c+d%20e"),
            account(Some("A&B=C?#/"), Some("A&B=C?#/"), "x:y"),
            account(Some("日本語 サービス"), Some("日本語 サービス"), "ユーザー"),
        ];
        for original in cases {
            let uri = original.to_otpauth_uri();
            let back = read_back(&uri);
            assert_eq!(
                back.fingerprint(),
                original.fingerprint(),
                "{}",
                uri.as_str()
            );
            assert_eq!(back.issuer, original.issuer, "{}", uri.as_str());
            assert_eq!(back.label_issuer, original.label_issuer, "{}", uri.as_str());
            assert_eq!(back.account, original.account, "{}", uri.as_str());
            assert!(!uri.contains(' ') && !uri.contains('+'), "{}", uri.as_str());
        }
    }

    #[test]
    fn a_parsed_link_is_written_back_canonically() {
        let parsed = read_back(
            "otpauth://TOTP/Example:alice@google.com?secret=jbsw y3dp ehpk 3pxp&issuer=Example",
        );
        assert_eq!(
            parsed.to_otpauth_uri().as_str(),
            "otpauth://totp/Example:alice%40google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example\
             &algorithm=SHA1&digits=6&period=30"
        );
    }
}
