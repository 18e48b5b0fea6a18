//! The QR decoder proper. Kept behind this one function so the benchmark can swap it.

use crate::Gray;

/// Finds and decodes every QR code `quircs` sees in `img`, returning the raw payload bytes.
/// Codes that are found but fail error correction are skipped (another attempt may read them).
pub fn quircs_decode(decoder: &mut quircs::Quirc, img: &Gray) -> Vec<Vec<u8>> {
    decoder
        .identify(img.width(), img.height(), img.pixels())
        .filter_map(|code| code.ok()?.decode().ok())
        .map(|data| data.payload)
        .collect()
}
