//! What can go wrong when reading QR codes from pixels, worded for the person holding the image.

use core::fmt;

/// Why [`crate::decode_luma`] / [`crate::decode_rgba`] could not look for QR codes.
///
/// "No QR code found" is not an error: it is `Ok(vec![])`, so callers can say "no QR code in this
/// picture" in their own words (and keep scanning camera frames).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QrError {
    /// The image has more pixels than [`crate::MAX_PIXELS`]; decoding it would take too long and
    /// too much memory in a browser tab.
    TooLarge {
        /// Image width in pixels.
        width: u32,
        /// Image height in pixels.
        height: u32,
        /// The limit that was exceeded, in pixels.
        max_pixels: u64,
    },
    /// Width or height is zero, or the pixel buffer does not hold exactly
    /// `width × height × bytes_per_pixel` bytes.
    BadDimensions {
        /// Image width in pixels, as given.
        width: u32,
        /// Image height in pixels, as given.
        height: u32,
        /// Bytes per pixel of the call: 1 for luma, 4 for RGBA.
        bytes_per_pixel: u8,
        /// Length of the buffer that was passed.
        actual_len: usize,
    },
    /// QR codes were found but none holds UTF-8 text (binary data, or text in another
    /// encoding), so none can be an authenticator set-up code.
    NotText,
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::TooLarge {
                width,
                height,
                max_pixels,
            } => write!(
                f,
                "This picture is too large to scan ({width}×{height} pixels, more than {} \
                 megapixels). Crop it around the QR code or take a smaller screenshot, then try \
                 again.",
                max_pixels / 1_000_000
            ),
            QrError::BadDimensions { width, height, .. } if *width == 0 || *height == 0 => write!(
                f,
                "This picture is empty ({width}×{height} pixels). Choose a picture that shows \
                 the QR code."
            ),
            QrError::BadDimensions {
                width,
                height,
                bytes_per_pixel,
                actual_len,
            } => write!(
                f,
                "The picture could not be read: a {width}×{height} image should have {} bytes \
                 of pixels but has {actual_len}. Try another picture or a screenshot; if it keeps \
                 happening, please report this bug.",
                u64::from(*width) * u64::from(*height) * u64::from(*bytes_per_pixel)
            ),
            QrError::NotText => f.write_str(
                "The QR code in this picture holds binary data, not text, so it is not an \
                 authenticator set-up code. Scan the QR code shown on the account's two-factor \
                 (authenticator app) set-up page.",
            ),
        }
    }
}

impl std::error::Error for QrError {}
