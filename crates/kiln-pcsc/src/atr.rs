//! What kind of card an ATR belongs to.
//!
//! A PC/SC contactless reader makes up an ATR for the card in its field (PC/SC part 3,
//! §3.1.3.2.3): `3B 8n 80 01 <n historical bytes> TCK`, where T0 = 8n announces TD1 and n
//! historical bytes, TD1 = 80 announces TD2 (T=0), TD2 = 01 says T=1, and TCK makes the XOR of
//! every byte after TS zero. The historical bytes are the ATS's for ISO 14443-4 type A, ATQB's
//! application data and protocol info for type B, and, for memory cards that do not speak
//! ISO 14443-4 (MIFARE Classic, Ultralight…), `80 4F 0C` followed by the PC/SC RID
//! `A0 00 00 03 06`, the standard byte and the card name. Contact cards send their own ATR,
//! which almost never has this form (a user whose card does can still name its reader).

/// What the ATR says is on a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// An ISO 14443-4 (ISO-DEP) contactless card: the kind a programmable token is.
    Contactless,
    /// A contactless memory card without ISO 14443-4 (MIFARE Classic, Ultralight…): never a
    /// token.
    ContactlessMemory,
    /// Anything else: a contact smart card, or a card that gave no usable ATR.
    Other,
}

/// The historical bytes of a memory card's ATR start with these: category 80, tag 4F, length
/// 0C, then the PC/SC workgroup's RID.
const MEMORY_CARD_PREFIX: [u8; 8] = [0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06];

impl CardKind {
    /// The kind of card that answered with `atr`.
    pub fn of_atr(atr: &[u8]) -> CardKind {
        let [0x3B, t0, 0x80, 0x01, rest @ ..] = atr else {
            return CardKind::Other;
        };
        let historical_count = usize::from(t0 & 0x0F);
        let Some((historical, [_tck])) = rest.split_at_checked(historical_count) else {
            return CardKind::Other;
        };
        let checksum = atr.iter().skip(1).fold(0u8, |x, b| x ^ b);
        if t0 & 0xF0 != 0x80 || checksum != 0 {
            return CardKind::Other;
        }
        if historical.starts_with(&MEMORY_CARD_PREFIX) {
            CardKind::ContactlessMemory
        } else {
            CardKind::Contactless
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(hex: &str) -> CardKind {
        let bytes: Vec<u8> = hex
            .split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect();
        CardKind::of_atr(&bytes)
    }

    #[test]
    fn iso_14443_4_cards_are_contactless() {
        // No historical bytes (what kiln-sim's token gives through vpcd).
        assert_eq!(kind("3B 80 80 01 01"), CardKind::Contactless);
        // Type A with the ATS historical bytes "YubiKey" (TCK 76); a wrong TCK is not one.
        assert_eq!(
            kind("3B 87 80 01 59 75 62 69 4B 65 79 76"),
            CardKind::Contactless
        );
        assert_eq!(kind("3B 87 80 01 59 75 62 69 4B 65 79 00"), CardKind::Other);
        // Type B: 4 bytes of application data, 3 of protocol info, then MBLI.
        assert_eq!(
            kind("3B 88 80 01 00 00 00 00 33 81 81 00 3A"),
            CardKind::Contactless
        );
    }

    #[test]
    fn memory_cards_are_contactless_but_not_iso_14443_4() {
        // MIFARE Classic 1K as an ACR122U reports it.
        assert_eq!(
            kind("3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A"),
            CardKind::ContactlessMemory
        );
    }

    #[test]
    fn contact_cards_and_malformed_atrs_are_other() {
        // OpenPGP card 3.4 (contact).
        assert_eq!(
            kind("3B DA 18 FF 81 B1 FE 75 1F 03 00 31 F5 73 C0 01 60 00 90 00 1C"),
            CardKind::Other
        );
        // A short contact ATR (T=0, two historical bytes, no TCK).
        assert_eq!(kind("3B 02 14 50"), CardKind::Other);
        // Too few historical bytes for what T0 announces, or one byte too many.
        assert_eq!(kind("3B 82 80 01 C1 C6"), CardKind::Other);
        assert_eq!(kind("3B 80 80 01 01 00"), CardKind::Other);
        // A contact card announcing TA1 (T0 = 9n) is not the contactless form.
        assert_eq!(kind("3B 90 80 01 11"), CardKind::Other);
        assert_eq!(kind(""), CardKind::Other);
    }
}
