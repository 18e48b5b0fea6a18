//! One line per picture: the file, kiln-qr's result, every code raw quircs finds in the picture
//! (corners, size, a hash of the cells, the payload) and the decode time in ms. `run.sh` runs it
//! built against crates.io's quircs and against Kiln's patched copy, and compares all but the
//! time.
//!
//! Pictures: `*.png` files (decoded as RGBA), or the qr_decode fuzz target's input format
//! (width and height as u16 LE, then luma; the height is taken from the length, as the target
//! does). Fuzz inputs over 32×32 are skipped, as the target skips them.

use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    for path in std::env::args().skip(1) {
        let data = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        let Some((luma, width, height, result, ms)) = decode(&path, &data)? else {
            continue;
        };
        let raw = raw_quircs(&luma, width, height);
        writeln!(out, "{path}\t{result}\t{raw}\t{ms:.1}").map_err(|e| e.to_string())?;
    }
    Ok(())
}

type Decoded = (Vec<u8>, usize, usize, String, f64);

fn decode(path: &str, data: &[u8]) -> Result<Option<Decoded>, String> {
    if path.ends_with(".png") {
        let picture = image::load_from_memory(data).map_err(|e| format!("{path}: {e}"))?;
        let rgba = picture.to_rgba8();
        let (width, height) = rgba.dimensions();
        let started = Instant::now();
        let result = format!("{:?}", kiln_qr::decode_rgba(rgba.as_raw(), width, height));
        let ms = started.elapsed().as_secs_f64() * 1e3;
        let luma = picture.to_luma8().into_raw();
        return Ok(Some((luma, width as usize, height as usize, result, ms)));
    }
    let Some((header, rest)) = data.split_first_chunk::<4>() else {
        return Ok(None);
    };
    let width = usize::from(u16::from_le_bytes([header[0], header[1]]));
    let height = rest.len().checked_div(width).unwrap_or(0);
    if width * height == 0 || width * height > 32 * 32 {
        return Ok(None);
    }
    let luma = rest[..width * height].to_vec();
    let started = Instant::now();
    let result = format!("{:?}", kiln_qr::decode_luma(&luma, width as u32, height as u32));
    let ms = started.elapsed().as_secs_f64() * 1e3;
    Ok(Some((luma, width, height, result, ms)))
}

/// Every code quircs identifies in the picture as it is (no clean-up), with its geometry.
fn raw_quircs(luma: &[u8], width: usize, height: usize) -> String {
    let mut decoder = quircs::Quirc::default();
    let mut found = String::new();
    for code in decoder.identify(width, height, luma) {
        match code {
            Ok(code) => {
                let cells = code
                    .cell_bitmap
                    .iter()
                    .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
                    });
                let corners: Vec<_> = code.corners.iter().map(|p| (p.x, p.y)).collect();
                let payload = code.decode().map(|d| d.payload).ok();
                found += &format!("[{corners:?} {} {cells:x} {payload:?}]", code.size);
            }
            Err(error) => found += &format!("[{error:?}]"),
        }
    }
    found
}
