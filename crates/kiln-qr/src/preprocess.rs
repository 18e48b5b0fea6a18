//! Image clean-ups tried before (re)running the QR decoder: each one rescues a kind of damage
//! the decoder's own thresholding cannot cope with (see `bench/qr/RESULTS.md`).
//!
//! All functions are total: they never panic, and the ones that could produce an image too small
//! to hold a QR code return `None` instead.

use crate::Gray;
use crate::area::Area;

/// Smallest side worth decoding: a version-1 QR code is 21 modules wide.
const MIN_SIDE: usize = 21;
/// Largest window radius for [`box_blur`] and [`threshold_local`]: keeps every window sum
/// (at most 129² × 255 × 100) inside `u32`.
pub const MAX_RADIUS: usize = 64;

/// Stretches brightness so the darkest 1 % of pixels become black and the brightest 1 % white.
/// Rescues low-contrast photos and dim screens. `None` when the image already spans nearly the
/// full range (nothing to gain) or is flat (nothing to find).
pub fn autocontrast(img: &Gray) -> Option<Gray> {
    let mut histogram = [0usize; 256];
    for &p in img.pixels() {
        if let Some(count) = histogram.get_mut(usize::from(p)) {
            *count += 1;
        }
    }
    let cut = img.pixels().len() / 100;
    let lo = percentile(histogram.iter().enumerate(), cut)?;
    let hi = percentile(histogram.iter().enumerate().rev(), cut)?;
    if hi <= lo + 8 || (lo <= 12 && hi >= 243) {
        return None;
    }
    let span = hi - lo;
    let lut: [u8; 256] =
        core::array::from_fn(|v| (v.saturating_sub(lo) * 255 / span).min(255) as u8);
    Some(map(img, &lut))
}

/// The first brightness (in the iterator's order) at which the running count exceeds `cut`.
fn percentile<'a>(mut bins: impl Iterator<Item = (usize, &'a usize)>, cut: usize) -> Option<usize> {
    let mut seen = 0;
    bins.find_map(|(value, count)| {
        seen += count;
        (seen > cut).then_some(value)
    })
}

/// Swaps black and white: dark-mode screens show light modules on a dark background.
pub fn invert(img: &Gray) -> Gray {
    let lut: [u8; 256] = core::array::from_fn(|v| 255 - v as u8);
    map(img, &lut)
}

fn map(img: &Gray, lut: &[u8; 256]) -> Gray {
    let pixels = img
        .pixels()
        .iter()
        .map(|&p| lut.get(usize::from(p)).copied().unwrap_or(p))
        .collect();
    rebuild(img.width(), img.height(), pixels, img)
}

/// Averages `factor × factor` blocks: shrinks huge photos to a size the decoder handles quickly,
/// and smooths noise, moiré and JPEG blocks when modules are large.
pub fn downscale(img: &Gray, factor: usize) -> Option<Gray> {
    if factor < 2 {
        return None;
    }
    let width = img.width() / factor;
    let height = img.height() / factor;
    if width < MIN_SIDE || height < MIN_SIDE {
        return None;
    }
    let area = u64::try_from(factor.checked_mul(factor)?).ok()?;
    let mut sums = vec![0u64; width];
    let mut pixels = Vec::with_capacity(width * height);
    let mut rows = img.rows();
    for _ in 0..height {
        sums.fill(0);
        for row in rows.by_ref().take(factor) {
            for (sum, block) in sums.iter_mut().zip(row.chunks_exact(factor)) {
                *sum += block.iter().map(|&p| u64::from(p)).sum::<u64>();
            }
        }
        pixels.extend(sums.iter().map(|&s| (s / area) as u8));
    }
    Gray::new(width, height, pixels)
}

/// Doubles width and height with linear interpolation: gives the decoder room when modules are
/// only one or two pixels wide (scaled-down screenshots, small images).
pub fn upscale2(img: &Gray) -> Option<Gray> {
    let width = img.width().checked_mul(2)?;
    let height = img.height().checked_mul(2)?;
    let mut pixels = Vec::with_capacity(width.checked_mul(height)?);
    let mut wide = Vec::with_capacity(width);
    let mut wide_next = Vec::with_capacity(width);
    let mut rows = img.rows().peekable();
    while let Some(row) = rows.next() {
        widen(row, &mut wide);
        let next = rows.peek().copied().unwrap_or(row);
        widen(next, &mut wide_next);
        pixels.extend_from_slice(&wide);
        pixels.extend(wide.iter().zip(&wide_next).map(|(&a, &b)| mean2(a, b)));
    }
    Gray::new(width, height, pixels)
}

fn widen(row: &[u8], out: &mut Vec<u8>) {
    out.clear();
    for (i, &p) in row.iter().enumerate() {
        let next = row.get(i + 1).copied().unwrap_or(p);
        out.push(p);
        out.push(mean2(p, next));
    }
}

fn mean2(a: u8, b: u8) -> u8 {
    (u16::from(a) + u16::from(b)).div_ceil(2) as u8
}

/// Mean of the `(2r+1)²` window around each pixel (edges use the part inside the image;
/// `radius` is capped at [`MAX_RADIUS`]).
/// Smooths sensor noise, JPEG artefacts and screen moiré before thresholding.
pub fn box_blur(img: &Gray, radius: usize) -> Gray {
    let mut pixels = Vec::with_capacity(img.pixels().len());
    for_each_window(img, radius, |_, sums, counts| {
        pixels.extend(sums.iter().zip(counts).map(|(&s, &c)| (s / c.max(1)) as u8));
    });
    rebuild(img.width(), img.height(), pixels, img)
}

/// Black/white by comparing each pixel with the mean of its neighbourhood (radius in pixels):
/// keeps single modules apart when blur or uneven light defeat the decoder's own, much wider,
/// threshold window (quirc then misjudges the code's size).
pub fn threshold_local(img: &Gray, radius: usize) -> Gray {
    let mut pixels = Vec::with_capacity(img.pixels().len());
    for_each_window(img, radius, |row, sums, counts| {
        pixels.extend(
            row.iter()
                .zip(sums.iter().zip(counts))
                .map(|(&p, (&sum, &count))| {
                    // Dark when 3 % below the local mean (the margin keeps flat areas white):
                    // p < 0.97 · sum / count, in integers (< 2³² since count ≤ 129²).
                    if u32::from(p) * count * 100 < sum * 97 {
                        0
                    } else {
                        255
                    }
                }),
        );
    });
    rebuild(img.width(), img.height(), pixels, img)
}

/// Calls `visit(row, sums, counts)` for each image row, where `sums[x]` is the sum of the
/// `(2r+1)²` window around `(x, y)` clipped to the image and `counts[x]` its pixel count.
fn for_each_window(img: &Gray, radius: usize, mut visit: impl FnMut(&[u8], &[u32], &[u32])) {
    let (width, height) = (img.width(), img.height());
    let radius = radius.min(MAX_RADIUS);
    // Window widths per column are the same on every row.
    let cols_in: Vec<u32> = (0..width)
        .map(|x| ((x + radius).min(width - 1) + 1 - x.saturating_sub(radius)) as u32)
        .collect();
    // Horizontal window sums of every row (one flat buffer), by a running sum per row.
    let mut horizontal: Vec<u32> = Vec::with_capacity(img.pixels().len());
    for row in img.rows() {
        let mut sum: u32 = row.iter().take(radius).map(|&p| u32::from(p)).sum();
        for x in 0..width {
            if let Some(&entering) = row.get(x + radius) {
                sum += u32::from(entering);
            }
            if let Some(&leaving) = x.checked_sub(radius + 1).and_then(|i| row.get(i)) {
                sum -= u32::from(leaving);
            }
            horizontal.push(sum);
        }
    }
    let row_sums = |y: usize| horizontal.get(y * width..(y + 1) * width);
    let mut column = vec![0u32; width];
    let mut counts = vec![0u32; width];
    for y in 0..radius {
        add_row(&mut column, row_sums(y));
    }
    for (y, row) in img.rows().enumerate() {
        add_row(&mut column, row_sums(y + radius));
        sub_row(&mut column, y.checked_sub(radius + 1).and_then(row_sums));
        let rows_in = ((y + radius).min(height - 1) + 1 - y.saturating_sub(radius)) as u32;
        counts
            .iter_mut()
            .zip(&cols_in)
            .for_each(|(c, &cols)| *c = rows_in * cols);
        visit(row, &column, &counts);
    }
}

fn add_row(column: &mut [u32], row: Option<&[u32]>) {
    if let Some(row) = row {
        column.iter_mut().zip(row).for_each(|(c, &v)| *c += v);
    }
}

fn sub_row(column: &mut [u32], row: Option<&[u32]>) {
    if let Some(row) = row {
        column.iter_mut().zip(row).for_each(|(c, &v)| *c -= v);
    }
}

/// Builds a same-size image; falls back to a copy of `like` if the sizes disagree (they cannot:
/// every caller produces exactly `width × height` pixels).
fn rebuild(width: usize, height: usize, pixels: Vec<u8>, like: &Gray) -> Gray {
    Gray::new(width, height, pixels).unwrap_or_else(|| like.clone())
}

/// The part of `img` inside `area` (cut to the image); `None` if that is smaller than a QR
/// code can be.
pub fn crop(img: &Gray, area: Area) -> Option<Gray> {
    let area = area.within(img.width(), img.height())?;
    let width = area.right - area.left;
    if width < MIN_SIDE || area.bottom - area.top < MIN_SIDE {
        return None;
    }
    let mut pixels = Vec::with_capacity(area.pixels());
    for row in img.rows().skip(area.top).take(area.bottom - area.top) {
        pixels.extend_from_slice(row.get(area.left..area.right)?);
    }
    Gray::new(width, area.bottom - area.top, pixels)
}

/// Enlarges by an integer `factor` (2–4), each pixel becoming a `factor × factor` block.
/// Unlike [`upscale2`] it adds no in-between greys, which is what codes drawn with 1-pixel
/// modules need: interpolated modules straddle the threshold.
pub fn upscale_nearest(img: &Gray, factor: usize) -> Option<Gray> {
    if !(2..=4).contains(&factor) {
        return None;
    }
    let width = img.width().checked_mul(factor)?;
    let height = img.height().checked_mul(factor)?;
    let mut pixels = Vec::with_capacity(width.checked_mul(height)?);
    let mut wide = Vec::with_capacity(width);
    for row in img.rows() {
        wide.clear();
        for &p in row {
            wide.extend(core::iter::repeat_n(p, factor));
        }
        for _ in 0..factor {
            pixels.extend_from_slice(&wide);
        }
    }
    Gray::new(width, height, pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray(width: usize, height: usize, f: impl Fn(usize, usize) -> u8) -> Gray {
        let pixels = (0..width * height)
            .map(|i| f(i % width, i / width))
            .collect();
        Gray::new(width, height, pixels).unwrap()
    }

    #[test]
    fn autocontrast_stretches_a_narrow_range_to_black_and_white() {
        let img = gray(50, 50, |x, _| 100 + (x as u8)); // 100..=149
        let out = autocontrast(&img).unwrap();
        assert_eq!(out.pixels().iter().min(), Some(&0));
        assert_eq!(out.pixels().iter().max(), Some(&255));
    }

    #[test]
    fn autocontrast_leaves_full_range_and_flat_images_alone() {
        assert!(autocontrast(&gray(50, 50, |x, _| if x < 25 { 0 } else { 255 })).is_none());
        assert!(autocontrast(&gray(50, 50, |_, _| 128)).is_none());
    }

    #[test]
    fn invert_swaps_black_and_white() {
        let out = invert(&gray(2, 1, |x, _| if x == 0 { 0 } else { 200 }));
        assert_eq!(out.pixels(), [255, 55]);
    }

    #[test]
    fn downscale_averages_each_block() {
        // 2×2 blocks of 0, 255, 255, 0 average to 127 (integer mean of 510 / 4).
        let img = gray(44, 44, |x, y| if (x + y) % 2 == 0 { 0 } else { 255 });
        let out = downscale(&img, 2).unwrap();
        assert_eq!((out.width(), out.height()), (22, 22));
        assert!(out.pixels().iter().all(|&p| p == 127));
    }

    #[test]
    fn downscale_refuses_results_smaller_than_a_qr_code() {
        assert!(downscale(&gray(40, 40, |_, _| 0), 2).is_none());
        assert!(downscale(&gray(40, 40, |_, _| 0), 1).is_none());
    }

    #[test]
    fn upscale2_keeps_original_pixels_and_interpolates_between() {
        let img = gray(2, 1, |x, _| if x == 0 { 0 } else { 100 });
        let out = upscale2(&img).unwrap();
        assert_eq!((out.width(), out.height()), (4, 2));
        assert_eq!(out.pixels(), [0, 50, 100, 100, 0, 50, 100, 100]);
    }

    #[test]
    fn upscale_nearest_repeats_each_pixel_as_a_block() {
        let img = gray(2, 1, |x, _| if x == 0 { 0 } else { 100 });
        let out = upscale_nearest(&img, 3).unwrap();
        assert_eq!((out.width(), out.height()), (6, 3));
        assert_eq!(&out.pixels()[..6], [0, 0, 0, 100, 100, 100]);
        assert!(upscale_nearest(&img, 5).is_none());
    }

    #[test]
    fn crop_copies_the_area_and_refuses_slivers() {
        let img = gray(40, 30, |x, y| (x + 40 * y) as u8);
        let area = Area::around(5, 4, 29, 27, 0); // 25 × 24 pixels from (5, 4)
        let out = crop(&img, area).unwrap();
        assert_eq!((out.width(), out.height()), (25, 24));
        assert_eq!(out.pixels()[0], img.pixels()[4 * 40 + 5]);
        assert_eq!(out.pixels()[24 * 25 + 24 - 25], img.pixels()[27 * 40 + 29]);
        assert!(crop(&img, Area::around(0, 0, 10, 29, 0)).is_none());
    }

    #[test]
    fn box_blur_equals_the_mean_of_the_clipped_window() {
        let img = gray(23, 17, |x, y| ((x * 37 + y * 91) % 256) as u8);
        let out = box_blur(&img, 2);
        for y in 0..17usize {
            for x in 0..23usize {
                // Naive reference: every pixel of the window inside the image.
                let (mut sum, mut count) = (0u32, 0u32);
                for wy in y.saturating_sub(2)..=(y + 2).min(16) {
                    for wx in x.saturating_sub(2)..=(x + 2).min(22) {
                        sum += u32::from(img.pixels()[wy * 23 + wx]);
                        count += 1;
                    }
                }
                assert_eq!(out.pixels()[y * 23 + x], (sum / count) as u8, "at {x},{y}");
            }
        }
    }

    #[test]
    fn huge_blur_radius_is_capped_without_overflow() {
        let out = box_blur(&gray(30, 30, |_, _| 255), 1_000_000);
        assert!(out.pixels().iter().all(|&p| p == 255));
    }

    #[test]
    fn threshold_local_blackens_pixels_darker_than_their_neighbourhood() {
        // A faint dark dot (120) on a mid-grey field (130): one global threshold at 125 would
        // work here too, but the local one must also keep the flat field white.
        let img = gray(30, 30, |x, y| {
            if (14..16).contains(&x) && (14..16).contains(&y) {
                120
            } else {
                130
            }
        });
        let out = threshold_local(&img, 4);
        assert_eq!(out.pixels()[14 * 30 + 14], 0);
        assert_eq!(out.pixels()[0], 255);
        assert_eq!(out.pixels()[5 * 30 + 25], 255);
    }
}
