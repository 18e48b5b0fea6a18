//! Fuzz-like properties: no input makes the decoder panic, and damage never turns a code into
//! a different payload.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod common;

use common::qr_picture;
use proptest::prelude::*;
use qrcode::EcLevel;

const PAYLOAD: &str = "otpauth://totp/GitHub:octocat?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_pixels_of_any_size_never_panic(
        width in 1u32..90,
        height in 1u32..90,
        seed in any::<u64>(),
    ) {
        let mut state = seed | 1;
        let pixels: Vec<u8> = (0..width * height)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        prop_assert!(kiln_qr::decode_luma(&pixels, width, height).is_ok());
    }

    #[test]
    fn any_buffer_length_never_panics(
        width in 0u32..50,
        height in 0u32..50,
        len in 0usize..12_000,
        value in any::<u8>(),
    ) {
        let pixels = vec![value; len];
        let _ = kiln_qr::decode_luma(&pixels, width, height);
        let _ = kiln_qr::decode_rgba(&pixels, width, height);
    }

    #[test]
    fn damaged_code_never_panics_and_never_reads_as_another_payload(
        module in 1usize..4,
        blots in proptest::collection::vec(
            (0.0f64..1.0, 0.0f64..1.0, 0.0f64..0.4, 0.0f64..0.4, any::<u8>()), 0..6),
        finders in proptest::collection::vec((0.0f64..1.0, 0.0f64..1.0, 7usize..30), 0..4),
    ) {
        let mut picture = qr_picture(PAYLOAD.as_bytes(), EcLevel::L, module);
        let (w, h) = (picture.width, picture.height);
        // Rectangles of flat colour over the code.
        for (x, y, bw, bh, value) in blots {
            let (x0, y0) = ((x * w as f64) as usize, (y * h as f64) as usize);
            let (x1, y1) = ((x0 + (bw * w as f64) as usize).min(w), (y0 + (bh * h as f64) as usize).min(h));
            for row in y0..y1 {
                picture.pixels[row * w + x0..row * w + x1].fill(value);
            }
        }
        // Extra finder-like patterns (nested squares) to lead the detector astray.
        for (x, y, size) in finders {
            let (x0, y0) = ((x * w as f64) as usize, (y * h as f64) as usize);
            for dy in 0..size {
                for dx in 0..size {
                    let ring = dx.min(dy).min(size - 1 - dx).min(size - 1 - dy) * 7 / size;
                    if let Some(p) = picture.pixels.get_mut((y0 + dy).min(h - 1) * w + (x0 + dx).min(w - 1)) {
                        *p = if ring == 1 { 255 } else { 0 };
                    }
                }
            }
        }
        let decoded = picture.decode().unwrap();
        prop_assert!(decoded.iter().all(|text| text == PAYLOAD), "misread");
    }
}

/// The pictures the qr_decode fuzz target found (`fuzz/regressions/`, its input format: width
/// and height as u16 LE, then luma) hold no code. Before `vendor/quircs`'s patch they took
/// quircs' alignment-pattern search seconds; their time is in the benchmark
/// (`bench/qr/quircs-patch/run.sh`), not here.
#[test]
fn the_fuzzers_regression_pictures_decode_to_nothing() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let width = u32::from(u16::from_le_bytes([data[0], data[1]]));
        let pixels = &data[4..];
        let height = u32::try_from(pixels.len()).unwrap() / width;
        let used = &pixels[..(width * height) as usize];
        assert_eq!(
            kiln_qr::decode_luma(used, width, height),
            Ok(Vec::new()),
            "{}",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 2, "fuzz/regressions/ has the fuzzer's pictures");
}
