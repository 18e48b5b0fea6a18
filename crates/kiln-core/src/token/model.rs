//! The model table: which tokens Kiln may program, recognised by serial-number prefix.
//!
//! Unknown prefixes are refused before anything but GET INFO is sent: a stray command can brick a
//! token (protocol §5.4).

use core::fmt;

/// Digits in a single-profile serial number: the 7-digit prefix and 6 more (protocol §2.5.1:
/// `8659622000123`).
pub const SERIAL_LEN: usize = 13;

/// A Token2 single-profile programmable token model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Model {
    /// OTPC-P1-i card (keeps its seed when the clock is set).
    OtpcP1I,
    /// OTPC-P2-i card.
    OtpcP2I,
    /// OTPC-P2-i-NB card.
    OtpcP2INb,
    /// miniOTP-2-i key fob (keeps its seed when the clock is set).
    MiniOtp2I,
    /// miniOTP-3-i key fob.
    MiniOtp3I,
    /// miniOTP-3-i-NB key fob.
    MiniOtp3INb,
    /// C301-i.
    C301I,
    /// C302-i (keeps its seed when the clock is set).
    C302I,
}

impl Model {
    /// Every model, in table order.
    pub const ALL: [Model; 8] = [
        Model::OtpcP1I,
        Model::OtpcP2I,
        Model::OtpcP2INb,
        Model::MiniOtp2I,
        Model::MiniOtp3I,
        Model::MiniOtp3INb,
        Model::C301I,
        Model::C302I,
    ];

    /// The 7-digit serial-number prefix of this model.
    pub fn serial_prefix(self) -> &'static str {
        match self {
            Model::OtpcP1I => "8659612",
            Model::OtpcP2I => "8659622",
            Model::OtpcP2INb => "8659621",
            Model::MiniOtp2I => "8659600",
            Model::MiniOtp3I => "8659601",
            Model::MiniOtp3INb => "8659609",
            Model::C301I => "8659610",
            Model::C302I => "8659632",
        }
    }

    /// The model's name as Token2 prints it.
    pub fn name(self) -> &'static str {
        match self {
            Model::OtpcP1I => "OTPC-P1-i",
            Model::OtpcP2I => "OTPC-P2-i",
            Model::OtpcP2INb => "OTPC-P2-i-NB",
            Model::MiniOtp2I => "miniOTP-2-i",
            Model::MiniOtp3I => "miniOTP-3-i",
            Model::MiniOtp3INb => "miniOTP-3-i-NB",
            Model::C301I => "C301-i",
            Model::C302I => "C302-i",
        }
    }

    /// The name after the right indefinite article: "an OTPC-P2-i" (said "oh-tee-pee-see"),
    /// "a miniOTP-3-i", "a C301-i". Use it wherever a model follows "a".
    pub fn with_article(self) -> String {
        let article = match self {
            Model::OtpcP1I | Model::OtpcP2I | Model::OtpcP2INb => "an",
            Model::MiniOtp2I
            | Model::MiniOtp3I
            | Model::MiniOtp3INb
            | Model::C301I
            | Model::C302I => "a",
        };
        format!("{article} {}", self.name())
    }

    /// The model whose serial-number barcode this is: exactly [`SERIAL_LEN`] digits with a
    /// known prefix. Stricter than [`Model::from_serial`], which judges what a token reports;
    /// a number of another length is just a number, not the token's barcode.
    pub fn from_barcode(digits: &str) -> Option<Model> {
        (digits.len() == SERIAL_LEN)
            .then(|| Model::from_serial(digits))
            .flatten()
    }

    /// True when writing the configuration (which sets the clock) erases the stored seed.
    ///
    /// Only miniOTP-2-i, OTPC-P1-i and C302-i keep their seed (protocol §1.1).
    pub fn restricted_sync(self) -> bool {
        !matches!(self, Model::OtpcP1I | Model::MiniOtp2I | Model::C302I)
    }

    /// Looks a serial number up in the table. Returns `None` for anything Kiln must not program.
    ///
    /// The serial must be all ASCII digits and longer than the prefix.
    pub fn from_serial(serial: &str) -> Option<Model> {
        if serial.len() <= 7 || !serial.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Model::ALL
            .into_iter()
            .find(|m| serial.starts_with(m.serial_prefix()))
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_eight_distinct_prefixes() {
        let mut prefixes: Vec<_> = Model::ALL.iter().map(|m| m.serial_prefix()).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), 8);
    }

    #[test]
    fn only_three_models_keep_their_seed_on_a_clock_write() {
        let keep: Vec<_> = Model::ALL
            .into_iter()
            .filter(|m| !m.restricted_sync())
            .collect();
        assert_eq!(keep, vec![Model::OtpcP1I, Model::MiniOtp2I, Model::C302I]);
    }

    #[test]
    fn serials_are_matched_by_prefix() {
        assert_eq!(Model::from_serial("8659622000123"), Some(Model::OtpcP2I));
        assert_eq!(Model::from_serial("8659632123456"), Some(Model::C302I));
        assert_eq!(Model::from_serial("8659600999999"), Some(Model::MiniOtp2I));
    }

    #[test]
    fn articles_follow_the_spoken_name() {
        assert_eq!(Model::OtpcP2I.with_article(), "an OTPC-P2-i");
        assert_eq!(Model::OtpcP1I.with_article(), "an OTPC-P1-i");
        assert_eq!(Model::MiniOtp3I.with_article(), "a miniOTP-3-i");
        assert_eq!(Model::C301I.with_article(), "a C301-i");
    }

    #[test]
    fn a_barcode_has_exactly_the_serial_length() {
        assert_eq!(Model::from_barcode("8659622000123"), Some(Model::OtpcP2I));
        assert_eq!(Model::from_barcode("865962200012"), None);
        assert_eq!(Model::from_barcode("86596220001234"), None);
        assert_eq!(Model::from_barcode("8659699000123"), None);
    }

    #[test]
    fn unknown_or_malformed_serials_are_refused() {
        for s in [
            "8659699000123",
            "1234567890123",
            "8659622",
            "865962",
            "",
            "8659622ABC123",
            "８659622000123",
        ] {
            assert_eq!(Model::from_serial(s), None, "{s}");
        }
    }
}
