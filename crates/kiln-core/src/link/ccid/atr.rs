//! Reading an ATR far enough to find its historical bytes (ISO/IEC 7816-3 §8.2).
//!
//! A contactless reader synthesises the ATR of an ISO 14443-4 type A token from the ATS
//! (PC/SC part 3): `3B 8n 80 01 <historical bytes of the ATS> TCK`. The historical bytes are
//! what identifies the token, over CCID as over PN533 (see
//! [`Target::historical_bytes`](crate::link::pn53x::Target::historical_bytes)).

/// The historical bytes of `atr`, or `None` if the ATR is cut short.
pub fn historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    let (&t0, mut rest) = atr.get(1..)?.split_first()?;
    let count = usize::from(t0 & 0x0F);
    let mut indicator = t0 >> 4;
    loop {
        // TAi, TBi, TCi come first, then TDi, which announces the next group.
        let plain = (indicator & 0x07).count_ones() as usize;
        rest = rest.get(plain..)?;
        if indicator & 0x08 == 0 {
            break;
        }
        let (&td, after) = rest.split_first()?;
        indicator = td >> 4;
        rest = after;
    }
    rest.get(..count)
}

/// True when TCK (present whenever a protocol other than T=0 is announced) makes the bytes
/// after TS XOR to zero. Contactless ATRs always carry TCK.
pub fn checksum_ok(atr: &[u8]) -> bool {
    atr.get(1..)
        .is_some_and(|bytes| !bytes.is_empty() && bytes.iter().fold(0u8, |x, b| x ^ b) == 0)
}

/// The RID PC/SC part 3 uses in the ATR of storage cards (`80 4F 0C A0 00 00 03 06 SS NN NN
/// 00 00 00 00`).
const PCSC_RID: [u8; 5] = [0xA0, 0x00, 0x00, 0x03, 0x06];

/// If `atr` is the PC/SC part 3 ATR of a storage card (MIFARE Classic, Ultralight…, anything
/// without ISO 14443-4), says which, for messages about tags that are not tokens.
pub fn storage_card(atr: &[u8]) -> Option<String> {
    let [0x80, 0x4F, _len, rid @ .., ss, high, low, 0, 0, 0, 0] = historical_bytes(atr)? else {
        return None;
    };
    if *rid != PCSC_RID {
        return None;
    }
    let name = match u16::from_be_bytes([*high, *low]) {
        0x0001 => "a MIFARE Classic 1K card".to_owned(),
        0x0002 => "a MIFARE Classic 4K card".to_owned(),
        0x0003 => "a MIFARE Ultralight tag".to_owned(),
        0x0026 => "a MIFARE Mini card".to_owned(),
        other => format!("a memory card (PC/SC name {other:04X})"),
    };
    Some(format!("{name}, standard {ss:02X}"))
}
