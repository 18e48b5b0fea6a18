//! Helpers shared by the kiln-qr integration tests: QR images made with the `qrcode` encoder
//! (independent of the decoder under test) and the committed fixtures.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

use qrcode::{Color, EcLevel, QrCode};

/// A grayscale test image.
pub struct Picture {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Picture {
    pub fn filled(width: usize, height: usize, value: u8) -> Picture {
        Picture {
            width,
            height,
            pixels: vec![value; width * height],
        }
    }

    pub fn decode(&self) -> Result<Vec<String>, kiln_qr::QrError> {
        kiln_qr::decode_luma(&self.pixels, self.width as u32, self.height as u32)
    }

    /// Copies `other` with its top-left corner at (x, y).
    pub fn paste(&mut self, other: &Picture, x: usize, y: usize) {
        for row in 0..other.height {
            let src = &other.pixels[row * other.width..(row + 1) * other.width];
            let start = (y + row) * self.width + x;
            self.pixels[start..start + other.width].copy_from_slice(src);
        }
    }

    pub fn map(&self, f: impl Fn(u8) -> u8) -> Picture {
        Picture {
            width: self.width,
            height: self.height,
            pixels: self.pixels.iter().map(|&p| f(p)).collect(),
        }
    }

    /// RGBA bytes with the gray value in each colour channel and opaque alpha.
    pub fn to_rgba(&self) -> Vec<u8> {
        self.pixels.iter().flat_map(|&p| [p, p, p, 255]).collect()
    }
}

/// Deterministic texture (xorshift) standing in for a busy camera frame.
pub fn noisy_frame(width: usize, height: usize, seed: u32) -> Picture {
    let mut state = seed.max(1);
    let mut picture = Picture::filled(width, height, 0);
    for (i, p) in picture.pixels.iter_mut().enumerate() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        // Smooth-ish: a slow gradient plus some noise, mid-grey so it holds no QR of its own.
        *p = (60 + (i % width) * 100 / width + (state % 40) as usize) as u8;
    }
    picture
}

/// Renders `data` as a QR code: `module` pixels per module, a 4-module quiet zone, dark = 0,
/// light = 255.
pub fn qr_picture(data: &[u8], ec: EcLevel, module: usize) -> Picture {
    qr_picture_colours(data, ec, module, 0, 255)
}

pub fn qr_picture_colours(data: &[u8], ec: EcLevel, module: usize, dark: u8, light: u8) -> Picture {
    let code = QrCode::with_error_correction_level(data, ec).unwrap();
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 8) * module;
    let mut picture = Picture::filled(side, side, light);
    for my in 0..modules {
        for mx in 0..modules {
            if colors[my * modules + mx] == Color::Dark {
                for dy in 0..module {
                    let row = (my + 4) * module + dy;
                    let start = row * side + (mx + 4) * module;
                    picture.pixels[start..start + module].fill(dark);
                }
            }
        }
    }
    picture
}

/// Path of a committed fixture in `tests/fixtures/qr/`.
pub fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/qr")
        .join(name)
}

/// Loads a committed fixture as RGBA, like the browser's canvas would hand it over.
pub fn fixture_rgba(name: &str) -> (Vec<u8>, u32, u32) {
    let img = image::open(fixture_path(name)).unwrap().to_rgba8();
    let (w, h) = img.dimensions();
    (img.into_raw(), w, h)
}
