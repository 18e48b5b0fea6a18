//! Which reader is a Molto2 (§2.7): the USB CCID reader name contains "Molto2". A name with
//! only "TOKEN2" is not enough: Token2's FIDO keys carry it too. The device itself is then
//! checked with GET INFO, the only command an unknown device ever receives (`session.rs`).

/// True when a PC/SC reader name says the device is a Molto2 (any case).
pub fn is_molto2_reader(name: &str) -> bool {
    name.to_ascii_lowercase().contains("molto2")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_molto2_names_match() {
        assert!(is_molto2_reader("TOKEN2 Molto2 [CCID] 00 00"));
        assert!(is_molto2_reader("token2 MOLTO2v2 00 00"));
        assert!(!is_molto2_reader("TOKEN2 FIDO2 Security Key 00 00"));
        assert!(!is_molto2_reader("ACS ACR122U PICC Interface 00 00"));
        assert!(!is_molto2_reader("Molto-1"));
    }
}
