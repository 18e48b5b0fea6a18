//! QR encoding for Kiln: the same secret in a phone app, as a QR code it can scan.
//!
//! [`encode`] turns the text (an `otpauth://` link, which holds the secret) into a [`QrMatrix`]
//! of dark and light modules; the callers draw it: the CLI as Unicode half blocks in the
//! terminal, the web app (which will load this crate only when the user asks, so the first page
//! load does not grow) as [`to_svg`].
//!
//! The encoder is the `qrcode` crate with its renderers off. Error correction level M (15 %):
//! a phone reads a screen or a terminal without trouble, and the code stays small. The matrix
//! is wiped when dropped; the encoder's own working buffers are not (they are plain `Vec`s
//! inside `qrcode`), which is why callers drop it as soon as it is drawn.

mod svg;

use core::fmt;

use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

pub use svg::to_svg;

/// The light border a scanner needs around the code, in modules (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// A QR code's modules: `width` × `width`, row by row, `true` for dark.
pub struct QrMatrix {
    width: usize,
    dark: Zeroizing<Vec<bool>>,
}

impl fmt::Debug for QrMatrix {
    /// The size only: the modules spell the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QrMatrix({0}×{0})", self.width)
    }
}

impl QrMatrix {
    /// Modules per side (21 for version 1, 4 more per version).
    pub fn width(&self) -> usize {
        self.width
    }

    /// True when the module at column `x`, row `y` is dark; anything outside the code is light
    /// (the quiet zone).
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark.get(y * self.width + x) == Some(&true)
    }
}

/// Why a text could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// The text does not fit in the largest QR code (version 40) at level M.
    TooLong {
        /// The text's length in bytes.
        bytes: usize,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::TooLong { bytes } => write!(
                f,
                "The text is too long for a QR code ({bytes} bytes). Shorten the account name or \
                 the issuer, or type the secret into the phone app instead."
            ),
        }
    }
}

impl std::error::Error for EncodeError {}

/// Encodes `text` at error correction level M in the smallest version that holds it.
pub fn encode(text: &str) -> Result<QrMatrix, EncodeError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| EncodeError::TooLong { bytes: text.len() })?;
    let width = code.width();
    let mut dark = Zeroizing::new(Vec::with_capacity(width * width));
    for y in 0..width {
        for x in 0..width {
            dark.push(code[(x, y)] == Color::Dark);
        }
    }
    Ok(QrMatrix { width, dark })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_link_fits_a_small_version_with_its_finder_patterns() {
        let matrix = encode("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!((matrix.width() - 17) % 4, 0, "{matrix:?}");
        assert!(matrix.width() <= 33, "{matrix:?}");
        // The three finder patterns: a dark 7×7 ring around a light ring around a dark 3×3.
        let w = matrix.width();
        for (x0, y0) in [(0, 0), (w - 7, 0), (0, w - 7)] {
            for i in 0..7 {
                assert!(matrix.is_dark(x0 + i, y0) && matrix.is_dark(x0 + i, y0 + 6));
                assert!(matrix.is_dark(x0, y0 + i) && matrix.is_dark(x0 + 6, y0 + i));
            }
            assert!(!matrix.is_dark(x0 + 1, y0 + 1));
            assert!(matrix.is_dark(x0 + 3, y0 + 3));
        }
        assert!(!matrix.is_dark(w, 0) && !matrix.is_dark(0, w));
        assert_eq!(format!("{matrix:?}"), format!("QrMatrix({w}×{w})"));
    }

    #[test]
    fn text_beyond_version_40_is_refused_with_its_length() {
        let long = "A".repeat(5_000);
        assert_eq!(
            encode(&long).unwrap_err(),
            EncodeError::TooLong { bytes: 5_000 }
        );
    }
}
