//! The ATR a PC/SC contactless reader synthesises for a type A card (PC/SC part 3, §3.1.3.2.3;
//! docs/readers.md §4.7).

/// `3B 8n 80 01 <historical bytes> TCK` for an ISO 14443-4 card: n historical bytes taken from
/// the ATS (at most 15), TD1 = 80 (T=0 announced, TD2 follows), TD2 = 01 (T=1), TCK = XOR of
/// all bytes after TS.
pub fn iso14443_4(ats: &[u8]) -> Vec<u8> {
    with_historical_bytes(ats_historical_bytes(ats))
}

/// `3B 8F 80 01 80 4F 0C <RID A0 00 00 03 06> <SS 03> <NN card name> 00 00 00 00 TCK` for a
/// storage card (no ISO 14443-4), the card name guessed from SAK.
pub fn storage_card(sak: u8) -> Vec<u8> {
    let name: u16 = match sak {
        0x08 => 0x0001, // MIFARE Classic 1K
        0x18 => 0x0002, // MIFARE Classic 4K
        0x00 => 0x0003, // MIFARE Ultralight
        0x09 => 0x0026, // MIFARE Mini
        _ => 0x0000,
    };
    let [high, low] = name.to_be_bytes();
    let historical = [
        0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, high, low, 0x00, 0x00, 0x00, 0x00,
    ];
    with_historical_bytes(&historical)
}

fn with_historical_bytes(historical: &[u8]) -> Vec<u8> {
    let historical = historical.get(..15).unwrap_or(historical);
    let mut atr = vec![0x3B, 0x80 | historical.len() as u8, 0x80, 0x01];
    atr.extend_from_slice(historical);
    let tck = atr.iter().skip(1).fold(0u8, |x, b| x ^ b);
    atr.push(tck);
    atr
}

/// ATS = TL T0 [TA1] [TB1] [TC1] historical bytes; T0 bits 4–6 announce TA1, TB1, TC1.
fn ats_historical_bytes(ats: &[u8]) -> &[u8] {
    let ats = ats
        .get(..usize::from(ats.first().copied().unwrap_or(0)))
        .unwrap_or(ats);
    let Some(&t0) = ats.get(1) else {
        return &[];
    };
    let skip = 2 + [0x10, 0x20, 0x40]
        .iter()
        .filter(|bit| t0 & **bit != 0)
        .count();
    ats.get(skip..).unwrap_or(&[])
}
