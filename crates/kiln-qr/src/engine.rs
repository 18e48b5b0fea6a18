//! The QR decoder proper. Kept behind this one function so the benchmark can swap it.

use crate::Gray;
use crate::pipeline::{Area, Pass};

/// Finder patterns narrower than this (in pixels) are not counted: at under one pixel per
/// module no clean-up reads the code, and pixel noise forms such tiny rings by chance.
const MIN_FINDER_SIDE: i32 = 7;

/// Finds and decodes every QR code `quircs` sees in `img`, returning the raw payload bytes and
/// where it saw finder patterns (the early exit and the zoom in [`crate::pipeline`] use them).
/// Codes that are found but fail error correction are skipped (another attempt may read them).
pub fn quircs_pass(decoder: &mut quircs::Quirc, img: &Gray) -> Pass {
    let payloads = decoder
        .identify(img.width(), img.height(), img.pixels())
        .filter_map(|code| code.ok()?.decode().ok())
        .map(|data| data.payload)
        .collect();
    let mut finders = 0;
    let mut area: Option<Area> = None;
    for capstone in &decoder.capstones {
        let xs = capstone.corners.map(|p| p.x);
        let ys = capstone.corners.map(|p| p.y);
        let (left, right) = (min(&xs), max(&xs));
        let (top, bottom) = (min(&ys), max(&ys));
        let side = (right - left).max(bottom - top);
        if side < MIN_FINDER_SIDE {
            continue;
        }
        finders += 1;
        let found = Area::around(left, top, right, bottom, side);
        area = Some(area.map_or(found, |a| a.union(found)));
    }
    Pass {
        payloads,
        finder_patterns: Some(finders),
        finder_area: area,
    }
}

fn min(values: &[i32; 4]) -> i32 {
    values.iter().copied().min().unwrap_or(0)
}

fn max(values: &[i32; 4]) -> i32 {
    values.iter().copied().max().unwrap_or(0)
}
