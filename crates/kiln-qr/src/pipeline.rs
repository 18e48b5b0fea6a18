//! The order in which clean-ups are tried: cheap and most likely first, stopping at the first
//! attempt that finds a code. Public so the benchmark can run other decoders through the very
//! same steps.
//!
//! Large pictures (camera frames, screenshots) first get four cheap passes (as is, and at half
//! size as is, inverted and locally thresholded). If together they see fewer than two finder
//! patterns, the picture is given up on there: on the corpus the costly clean-ups never
//! rescued a code that the cheap passes had not half-seen (`bench/qr/compare/src/bin/gate.rs`),
//! while they cost a frame without a code most of its time. A camera loop gets another frame.

use core::cell::{Cell, OnceCell};

pub use crate::Area;
use crate::Gray;
use crate::preprocess::{
    autocontrast, box_blur, crop, downscale, invert, threshold_local, upscale_nearest, upscale2,
};

/// Images above this many pixels are first tried shrunk, which is faster and usually enough.
const WORKING_PIXELS: usize = 2_500_000;
/// Images whose longer side is at most this are also tried at twice the size. Camera frames
/// (1280×720) are not: enlarging them read one more corpus frame but made frames without a
/// code 2.7× slower, and a camera loop gets another frame anyway.
const UPSCALE_MAX_SIDE: usize = 1000;
/// Images whose longer side is at most this are enlarged three times rather than two.
const TINY_MAX_SIDE: usize = 400;
/// Images with at least this many pixels (after shrinking) may be given up on early. Smaller
/// ones are cheap to search fully, and that is where the upscaling attempts matter.
const EARLY_EXIT_MIN_PIXELS: usize = 640 * 480;

/// Finder patterns the cheap passes must see in all, together, before the costly clean-ups
/// run. One alone is usually a square icon or a window corner; a code has three, and a code
/// the clean-ups later read showed at least two (corpus, `bench/qr/compare/src/bin/gate.rs`).
const MIN_FINDER_PATTERNS: usize = 2;

/// What one decoder run returned.
pub struct Pass {
    /// Raw payloads of the codes decoded.
    pub payloads: Vec<Vec<u8>>,
    /// How many finder patterns (the three big squares) the decoder located, or `None` if it
    /// cannot tell; `None` never stops the search early.
    pub finder_patterns: Option<usize>,
    /// Where those finder patterns are, with a margin, in the pixels of the image decoded.
    pub finder_area: Option<Area>,
}

/// What [`search`] found. (No `Debug`: the payloads are secrets.)
pub struct Outcome {
    /// Raw payloads of the codes found by the first successful attempt (empty if none).
    pub payloads: Vec<Vec<u8>>,
    /// Name of the attempt that found them, for the benchmark's statistics.
    pub attempt: Option<&'static str>,
    /// How many decoder runs were made.
    pub runs: usize,
    /// The costly clean-ups were skipped because the cheap passes saw no finder pattern.
    pub stopped_early: bool,
}

/// Runs `decode` on `img` and on cleaned-up variants of it until one run returns a payload.
pub fn search(img: &Gray, mut decode: impl FnMut(&Gray) -> Pass) -> Outcome {
    let mut runs = 0;
    // Finder patterns counted over the cheap passes (saturating: `None` counts as plenty).
    let finders_seen = Cell::new(0_usize);
    // Where the full-size pass (so in `base`'s pixels too) saw finder patterns.
    let first_area = Cell::new(None);
    let mut attempt = |name: &'static str, candidate: Option<&Gray>| -> Option<Outcome> {
        let candidate = candidate?;
        runs += 1;
        let pass = decode(candidate);
        if name == "plain" {
            // With fewer than three finder patterns seen, the code can reach beyond them.
            let complete = pass.finder_patterns.is_some_and(|n| n >= 3);
            first_area.set(
                pass.finder_area
                    .map(|a| if complete { a } else { a.grown() }),
            );
        }
        let seen = pass.finder_patterns.unwrap_or(usize::MAX);
        finders_seen.set(finders_seen.get().saturating_add(seen));
        (!pass.payloads.is_empty()).then_some(Outcome {
            payloads: pass.payloads,
            attempt: Some(name),
            runs,
            stopped_early: false,
        })
    };

    let pixels = img.width() * img.height();
    let shrunk = (pixels > WORKING_PIXELS)
        .then(|| downscale(img, shrink_factor(pixels)))
        .flatten();
    let work = shrunk.as_ref().unwrap_or(img);
    // Made on first use: a clean code is read by the first pass without them.
    let contrast = OnceCell::new();
    let base = || {
        contrast
            .get_or_init(|| autocontrast(work))
            .as_ref()
            .unwrap_or(work)
    };
    // Half size, contrast-stretched on its own (a quarter of the work of stretching `work`).
    let half_size = OnceCell::new();
    let half = || {
        half_size
            .get_or_init(|| downscale(work, 2).map(|h| autocontrast(&h).unwrap_or(h)))
            .as_ref()
    };

    let longest = work.width().max(work.height());
    let small = longest <= UPSCALE_MAX_SIDE;
    let tiny = longest <= TINY_MAX_SIDE;
    let may_stop = work.width() * work.height() >= EARLY_EXIT_MIN_PIXELS;

    // The cheap passes: full size as is, half size, and for large pictures half size inverted
    // (dark mode) and locally thresholded (blur, uneven light) — a quarter of the pixels each.
    // (Half size first would be cheaper per pass, but most camera-frame codes need the full
    // size: that order made frames with a code slower, 14.5 vs 11.1 ms median in V8.)
    let cheap = attempt("plain", Some(work))
        .or_else(|| attempt("downscale2", half()))
        .or_else(|| {
            let inverted = may_stop.then(|| half().map(invert)).flatten();
            attempt("downscale2_inverted", inverted.as_ref())
        })
        .or_else(|| {
            let thresholded = may_stop
                .then(|| half().map(|h| threshold_local(h, 2)))
                .flatten();
            attempt("downscale2_threshold2", thresholded.as_ref())
        });
    if let Some(found) = cheap {
        return found;
    }
    if may_stop && finders_seen.get() < MIN_FINDER_PATTERNS {
        // A picture shrunk to the working size still gets one full-size look: its code may be
        // too small for the shrunk copy (not a camera frame: those are never that large).
        let full = attempt("full_size", shrunk.as_ref().map(|_| img));
        return full.unwrap_or(Outcome {
            payloads: Vec::new(),
            attempt: None,
            runs,
            stopped_early: true,
        });
    }

    // Pictures too big to enlarge whole get the part around the finder patterns enlarged,
    // 4× when that part is small enough (16 × 1/10 = 1.6 full passes), else 2×: a code far
    // from the camera (modules under 2.5 pixels) fails the plain pass that way.
    let frame_pixels = work.width() * work.height();
    let zoomed = (!small)
        .then(|| first_area.get())
        .flatten()
        .filter(|area| area.pixels() <= frame_pixels / 4)
        .and_then(|area| {
            let part = upscale2(&crop(base(), area)?)?;
            if area.pixels() <= frame_pixels / 10 {
                upscale2(&part)
            } else {
                Some(part)
            }
        });

    // Order measured on the corpus (bench/qr/RESULTS.md): most images per millisecond first.
    let found = attempt("zoom", zoomed.as_ref())
        .or_else(|| {
            // Enlarged blur and uneven light: a local threshold about a module wide.
            let sharpened = zoomed.as_ref().map(|z| threshold_local(z, 5));
            attempt("zoom_threshold5", sharpened.as_ref())
        })
        .or_else(|| attempt("inverted", Some(&invert(base()))))
        .or_else(|| attempt("threshold4", Some(&threshold_local(base(), 4))))
        .or_else(|| {
            attempt(
                "upscale2",
                small.then(|| upscale2(base())).flatten().as_ref(),
            )
        })
        .or_else(|| {
            // Codes drawn with 1–2 pixel modules: crisp blocks, no in-between greys.
            let factor = if tiny { 3 } else { 2 };
            let up = small.then(|| upscale_nearest(base(), factor)).flatten();
            attempt("upscale_nearest", up.as_ref())
        })
        .or_else(|| attempt("threshold2", Some(&threshold_local(base(), 2))))
        .or_else(|| attempt("blur1", Some(&box_blur(base(), 1))))
        .or_else(|| attempt("blur2", Some(&box_blur(base(), 2))))
        .or_else(|| {
            let up = small.then(|| upscale2(base())).flatten();
            attempt(
                "upscale2_threshold3",
                up.map(|u| threshold_local(&u, 3)).as_ref(),
            )
        })
        .or_else(|| {
            // Steep light gradients and shadows across camera frames (corpus: uneven_light).
            let wide = (!small).then(|| threshold_local(base(), 8));
            attempt("threshold8", wide.as_ref())
        })
        .or_else(|| attempt("full_size", shrunk.as_ref().map(|_| img)));
    found.unwrap_or(Outcome {
        payloads: Vec::new(),
        attempt: None,
        runs,
        stopped_early: false,
    })
}

/// Smallest integer factor that brings `pixels` under [`WORKING_PIXELS`].
fn shrink_factor(pixels: usize) -> usize {
    (2..16)
        .find(|f| pixels / (f * f) <= WORKING_PIXELS)
        .unwrap_or(16)
}
