//! The early exit: a large picture in which the cheap passes see no finder pattern is given up
//! on without the costly clean-ups, and pictures that do hold a code (even a small or damaged
//! one) are still read. Codes come from the independent `qrcode` encoder; the decoder behind
//! `pipeline::search` is the real `quircs`, as in the crate itself.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

mod common;

use common::{Picture, noisy_frame, qr_picture, qr_picture_colours};
use kiln_qr::Gray;
use kiln_qr::pipeline::{Outcome, search};
use qrcode::EcLevel;

const M365: &str =
    "otpauth://totp/Contoso%3aalice%40contoso.net?secret=mfrggzdfmztwq2lk&issuer=Microsoft";

/// The pipeline exactly as `decode_luma` runs it, with its `Outcome` visible.
fn search_with_quircs(picture: &Picture) -> Outcome {
    let img = Gray::new(picture.width, picture.height, picture.pixels.clone()).unwrap();
    let mut decoder = quircs::Quirc::default();
    search(&img, |g| kiln_qr::quircs_pass(&mut decoder, g))
}

/// A camera-sized frame with `code` pasted at (x, y).
fn frame_with(code: &Picture, x: usize, y: usize, seed: u32) -> Picture {
    let mut frame = noisy_frame(1280, 720, seed);
    frame.paste(code, x, y);
    frame
}

/// An empty desk seen by a webcam: smooth light falloff, a few flat objects with hard edges
/// and mild sensor noise (xorshift), no code.
fn empty_scene(seed: u32) -> Picture {
    let (width, height) = (1280, 720);
    let mut state = seed.max(1);
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let mut frame = Picture::filled(width, height, 0);
    for (i, p) in frame.pixels.iter_mut().enumerate() {
        let (x, y) = (i % width, i / width);
        *p = (90 + x * 80 / width + y * 40 / height) as u8;
    }
    for _ in 0..6 {
        let (x0, y0) = (next() as usize % 1100, next() as usize % 600);
        let (w, h, shade) = (
            40 + next() as usize % 200,
            40 + next() as usize % 120,
            next() as u8,
        );
        for y in y0..(y0 + h).min(height) {
            frame.pixels[y * width + x0..y * width + (x0 + w).min(width)].fill(shade);
        }
    }
    for p in &mut frame.pixels {
        *p = p.saturating_add((next() % 12) as u8).saturating_sub(6);
    }
    frame
}

#[test]
fn empty_camera_frames_stop_after_the_cheap_passes() {
    for seed in 1..=6 {
        let frame = empty_scene(seed);
        assert_eq!(frame.decode().unwrap(), Vec::<String>::new(), "seed {seed}");
        let outcome = search_with_quircs(&frame);
        assert!(outcome.payloads.is_empty());
        assert!(
            outcome.stopped_early,
            "seed {seed}: ran {} passes",
            outcome.runs
        );
        assert!(
            outcome.runs <= 4,
            "seed {seed}: ran {} passes",
            outcome.runs
        );
    }
    let grey = Picture::filled(1280, 720, 128);
    assert!(search_with_quircs(&grey).stopped_early);
}

#[test]
fn heavy_noise_reads_as_no_code_with_or_without_the_early_exit() {
    // Strong noise makes finder-like rings by chance, so these may run the whole chain; what
    // matters is that nothing is reported.
    let mut state = 0x2545_f491_u32;
    let mut static_noise = Picture::filled(1280, 720, 0);
    for p in &mut static_noise.pixels {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        *p = (state >> 24) as u8;
    }
    for frame in [
        noisy_frame(1280, 720, 99),
        noisy_frame(1280, 720, 3),
        static_noise,
    ] {
        assert_eq!(frame.decode().unwrap(), Vec::<String>::new());
    }
}

#[test]
fn small_code_in_a_camera_frame_is_still_read() {
    // 2 pixels per module: a code far from the camera (about 100 px wide in 1280×720).
    let frame = frame_with(&qr_picture(M365.as_bytes(), EcLevel::M, 2), 900, 500, 5);
    assert_eq!(frame.decode().unwrap(), [M365]);
    assert!(!search_with_quircs(&frame).stopped_early);
}

#[test]
fn dark_mode_code_in_a_camera_frame_is_still_read() {
    let code = qr_picture_colours(M365.as_bytes(), EcLevel::M, 4, 230, 25);
    let frame = frame_with(&code, 300, 150, 9);
    assert_eq!(frame.decode().unwrap(), [M365]);
}

#[test]
fn smaller_pictures_never_stop_early() {
    // Below 640×480 the whole chain is cheap and the upscaling attempts matter.
    let picture = noisy_frame(600, 400, 21);
    let outcome = search_with_quircs(&picture);
    assert!(outcome.payloads.is_empty());
    assert!(!outcome.stopped_early);
}
