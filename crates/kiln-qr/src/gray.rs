//! An owned 8-bit grayscale image: what every decoder attempt works on.

use core::fmt;

/// An 8-bit grayscale image, one byte per pixel, rows top to bottom.
///
/// Its `Debug` output shows only the size: the pixels may show a secret QR code.
#[derive(Clone, PartialEq, Eq)]
pub struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Gray {
    /// Wraps `pixels` if it holds exactly `width × height` bytes and neither side is zero.
    pub fn new(width: usize, height: usize, pixels: Vec<u8>) -> Option<Gray> {
        let fits = width > 0 && height > 0 && width.checked_mul(height) == Some(pixels.len());
        fits.then_some(Gray {
            width,
            height,
            pixels,
        })
    }

    /// Converts RGBA (4 bytes per pixel, alpha ignored) with the Rec. 601 luma weights the
    /// browser's own grayscale conversions use; `None` if the buffer does not fit the size.
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Option<Gray> {
        if width.checked_mul(height)?.checked_mul(4)? != rgba.len() {
            return None;
        }
        let pixels = rgba
            .chunks_exact(4)
            .map(|px| match *px {
                // Integer weights ×1024: 0.299, 0.587, 0.114 (sum 1024, so 255 stays 255).
                [r, g, b, _] => {
                    ((306 * u32::from(r) + 601 * u32::from(g) + 117 * u32::from(b) + 512) >> 10)
                        as u8
                }
                _ => 0,
            })
            .collect();
        Gray::new(width, height, pixels)
    }

    /// Width in pixels (never zero).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels (never zero).
    pub fn height(&self) -> usize {
        self.height
    }

    /// The pixels, `width × height` bytes, row by row.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }

    /// Rows of the image, top to bottom.
    pub(crate) fn rows(&self) -> core::slice::ChunksExact<'_, u8> {
        self.pixels.chunks_exact(self.width)
    }
}

impl fmt::Debug for Gray {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gray({}×{})", self.width, self.height)
    }
}
