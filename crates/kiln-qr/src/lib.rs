//! QR decoding for Kiln: pixels in, QR payloads out.
//!
//! Shared by the web app (in a Web Worker, pixels from `createImageBitmap` + canvas) and the CLI
//! (`kiln inspect --image`, pixels from the `image` crate). This crate never decodes image files
//! itself, so the WebAssembly stays small, and it has no clock, randomness or threads.
//!
//! The decoder is [`quircs`] (a port of quirc) behind a short sequence of clean-ups
//! ([`pipeline`]): contrast stretch, inversion for dark mode, blur against noise and moiré,
//! 2× up/downscaling, local thresholding, and enlarging just the area around finder patterns.
//! Large pictures where cheap passes see no finder patterns skip the costly clean-ups. `bench/qr/RESULTS.md` has the measurements behind
//! that choice.

mod area;
mod engine;
mod error;
mod gray;
pub mod pipeline;
pub mod preprocess;
mod text;

pub use area::Area;
pub use engine::quircs_pass;
pub use error::QrError;
pub use gray::Gray;

/// Largest image accepted, in pixels (16 MP, a 4928×3264 photo). Bigger images take seconds
/// and hundreds of megabytes in a browser; users can crop them.
pub const MAX_PIXELS: u64 = 16_000_000;

/// Finds every QR code in an 8-bit grayscale image (`width × height` bytes, row by row) and
/// returns their text payloads, without duplicates, in the order found.
///
/// `Ok(vec![])` means no QR code was found. Payloads must be UTF-8 (enrollment URIs are
/// ASCII); codes holding other bytes are left out, and if those are all that was found the
/// answer is [`QrError::NotText`] rather than a Latin-1 guess. Other errors:
/// [`QrError::BadDimensions`], [`QrError::TooLarge`].
///
/// Cost: one decoder pass when the code is clean. A large picture (640×480 or more) in which
/// four cheap passes see fewer than two finder patterns is given up on after those (about
/// 10–15 ms for a 1280×720 frame in WebAssembly); only promising pictures get the costly
/// clean-ups (see `bench/qr/RESULTS.md`).
pub fn decode_luma(pixels: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    check_size(pixels.len(), width, height, 1)?;
    let img = Gray::new(width as usize, height as usize, pixels.to_vec())
        .ok_or_else(|| bad_dimensions(pixels.len(), width, height, 1))?;
    decode_gray(&img)
}

/// Like [`decode_luma`] for RGBA pixels (4 bytes per pixel, as canvas `getImageData` returns
/// them). Transparent pixels are read by their colour; alpha is ignored.
pub fn decode_rgba(pixels: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    check_size(pixels.len(), width, height, 4)?;
    let img = Gray::from_rgba(width as usize, height as usize, pixels)
        .ok_or_else(|| bad_dimensions(pixels.len(), width, height, 4))?;
    decode_gray(&img)
}

/// Like [`decode_luma`] for an image already in [`Gray`] form.
pub fn decode_gray(img: &Gray) -> Result<Vec<String>, QrError> {
    let width = u32::try_from(img.width()).unwrap_or(u32::MAX);
    let height = u32::try_from(img.height()).unwrap_or(u32::MAX);
    check_pixel_count(width, height)?;
    let mut decoder = quircs::Quirc::default();
    let outcome = pipeline::search(img, |candidate| quircs_pass(&mut decoder, candidate));
    text::texts(outcome.payloads)
}

/// Rejects empty, oversized or mis-sized buffers before any allocation.
fn check_size(len: usize, width: u32, height: u32, bytes_per_pixel: u8) -> Result<(), QrError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err(bad_dimensions(len, width, height, bytes_per_pixel));
    }
    check_pixel_count(width, height)?;
    if u64::try_from(len).ok() != Some(pixels * u64::from(bytes_per_pixel)) {
        return Err(bad_dimensions(len, width, height, bytes_per_pixel));
    }
    Ok(())
}

fn check_pixel_count(width: u32, height: u32) -> Result<(), QrError> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(QrError::TooLarge {
            width,
            height,
            max_pixels: MAX_PIXELS,
        });
    }
    Ok(())
}

fn bad_dimensions(len: usize, width: u32, height: u32, bytes_per_pixel: u8) -> QrError {
    QrError::BadDimensions {
        width,
        height,
        bytes_per_pixel,
        actual_len: len,
    }
}
