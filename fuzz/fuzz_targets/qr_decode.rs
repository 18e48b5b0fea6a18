//! kiln-qr on arbitrary pixels: whatever a camera, a screenshot or a hostile image produces,
//! decoding never panics, the size checks hold, and what comes out is duplicate-free text.
//!
//! Input: width (u16 LE), height (u16 LE), then luma pixels. A height with the top bit clear is
//! replaced by the one that fits the buffer (so the decoder really runs on most inputs); with
//! the top bit set the remaining 15 bits are used as declared, mismatches included.
//!
//! Pictures that would really be decoded are capped at 32×32 pixels (the campaign script also
//! passes `-max_len=1028` for this target): a decode runs up to a dozen passes, enlarging tiny
//! pictures threefold, and coverage tracing costs on every pixel, so 64×64 pictures ran at under
//! 200 executions a second against about 1,000 at 32×32. 32×32 still holds versions 1–3 at one
//! pixel per module, so every decoder stage and clean-up runs; what only large frames reach (the
//! early exit and the zoom) is covered by `crates/kiln-qr/tests/early_exit.rs` and the benchmark.
//! Declared sizes that do not fit the buffer still go through the size checks.
#![no_main]
use kiln_qr::{MAX_PIXELS, QrError, decode_luma};
use libfuzzer_sys::fuzz_target;

/// Largest picture decoded per input (see above).
const MAX_FUZZ_PIXELS: u64 = 32 * 32;

fuzz_target!(|data: &[u8]| {
    let Some((header, rest)) = data.split_first_chunk::<4>() else {
        return;
    };
    let width = u32::from(u16::from_le_bytes([header[0], header[1]]));
    let declared = u32::from(u16::from_le_bytes([header[2], header[3]]));
    let (height, pixels) = if declared & 0x8000 == 0 && width > 0 {
        let height = u32::try_from(rest.len()).unwrap_or(u32::MAX) / width;
        let used = (width as usize) * (height as usize);
        (height, rest.get(..used).unwrap_or(rest))
    } else {
        (declared & 0x7fff, rest)
    };
    let area = u64::from(width) * u64::from(height);
    let fits = area > 0 && area == pixels.len() as u64;
    if fits && area > MAX_FUZZ_PIXELS {
        return;
    }

    match decode_luma(pixels, width, height) {
        Ok(payloads) => {
            assert!(
                fits,
                "decoded a {width}×{height} image from {} bytes",
                pixels.len()
            );
            for (i, payload) in payloads.iter().enumerate() {
                assert!(!payloads[..i].contains(payload), "duplicate payload");
            }
        }
        Err(QrError::TooLarge { .. }) => assert!(area > MAX_PIXELS),
        Err(QrError::BadDimensions { .. }) => assert!(!fits),
        Err(error) => {
            assert!(fits);
            let _ = error.to_string();
        }
    }
});
