//! What a simulated reader needs from the card in its field.

/// A contactless card as a reader sees it: anti-collision data and APDU exchanges.
pub trait Card {
    /// True while the card is in the reader's field and powered.
    fn present(&self) -> bool;

    /// ATQA / SENS_RES, as sent on the air (2 bytes, first byte first).
    fn atqa(&self) -> [u8; 2];

    /// SAK / SEL_RES. Bit 0x20 set means the card speaks ISO 14443-4.
    fn sak(&self) -> u8;

    /// The UID (NFCID1), 4, 7 or 10 bytes.
    fn uid(&self) -> Vec<u8>;

    /// The ATS (answer to RATS) including its length byte TL, for ISO 14443-4 cards.
    fn ats(&self) -> Vec<u8>;

    /// Exchanges one APDU.
    fn transmit(&mut self, apdu: &[u8]) -> CardReply;
}

/// What happened to an APDU sent to a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardReply {
    /// The card answered (data followed by SW1 SW2, or any bytes a faulty card sends).
    Reply(Vec<u8>),
    /// The card stayed silent: the reader will time out.
    Mute,
    /// The card left the field during the exchange.
    Removed,
}
