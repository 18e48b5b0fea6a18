//! The order in which clean-ups are tried: cheap and most likely first, stopping at the first
//! attempt that finds a code. Public so the benchmark can run other decoders through the very
//! same steps.

use crate::Gray;
use crate::preprocess::{
    autocontrast, box_blur, downscale, invert, threshold_local, upscale_nearest, upscale2,
};

/// Images above this many pixels are first tried shrunk, which is faster and usually enough.
const WORKING_PIXELS: usize = 2_500_000;
/// Images whose longer side is at most this are also tried at twice the size. Camera frames
/// (1280×720) are not: enlarging them read one more corpus frame but made frames without a
/// code 2.7× slower, and a camera loop gets another frame anyway.
const UPSCALE_MAX_SIDE: usize = 1000;
/// Images whose longer side is at most this are enlarged three times rather than two.
const TINY_MAX_SIDE: usize = 400;

/// What [`search`] found. (No `Debug`: the payloads are secrets.)
pub struct Outcome {
    /// Raw payloads of the codes found by the first successful attempt (empty if none).
    pub payloads: Vec<Vec<u8>>,
    /// Name of the attempt that found them, for the benchmark's statistics.
    pub attempt: Option<&'static str>,
    /// How many decoder runs were made.
    pub runs: usize,
}

/// Runs `decode` on `img` and on cleaned-up variants of it until one run returns a payload.
pub fn search(img: &Gray, mut decode: impl FnMut(&Gray) -> Vec<Vec<u8>>) -> Outcome {
    let mut runs = 0;
    let mut attempt = |name: &'static str, candidate: Option<&Gray>| -> Option<Outcome> {
        let candidate = candidate?;
        runs += 1;
        let payloads = decode(candidate);
        (!payloads.is_empty()).then_some(Outcome {
            payloads,
            attempt: Some(name),
            runs,
        })
    };

    let pixels = img.width() * img.height();
    let shrunk = (pixels > WORKING_PIXELS)
        .then(|| downscale(img, shrink_factor(pixels)))
        .flatten();
    let work = shrunk.as_ref().unwrap_or(img);
    let contrast = autocontrast(work);
    let base = contrast.as_ref().unwrap_or(work);

    let longest = work.width().max(work.height());
    let small = longest <= UPSCALE_MAX_SIDE;
    let tiny = longest <= TINY_MAX_SIDE;
    // Order measured on the corpus (bench/qr/RESULTS.md): most images per millisecond first.
    let found = attempt("plain", Some(work))
        .or_else(|| attempt("downscale2", downscale(base, 2).as_ref()))
        .or_else(|| attempt("inverted", Some(&invert(base))))
        .or_else(|| attempt("threshold4", Some(&threshold_local(base, 4))))
        .or_else(|| attempt("upscale2", small.then(|| upscale2(base)).flatten().as_ref()))
        .or_else(|| {
            // Codes drawn with 1–2 pixel modules: crisp blocks, no in-between greys.
            let factor = if tiny { 3 } else { 2 };
            let up = small.then(|| upscale_nearest(base, factor)).flatten();
            attempt("upscale_nearest", up.as_ref())
        })
        .or_else(|| attempt("threshold2", Some(&threshold_local(base, 2))))
        .or_else(|| attempt("blur1", Some(&box_blur(base, 1))))
        .or_else(|| attempt("blur2", Some(&box_blur(base, 2))))
        .or_else(|| {
            let up = small.then(|| upscale2(base)).flatten();
            attempt(
                "upscale2_threshold3",
                up.map(|u| threshold_local(&u, 3)).as_ref(),
            )
        })
        .or_else(|| attempt("full_size", shrunk.as_ref().map(|_| img)));
    if let Some(found) = found {
        return found;
    }
    Outcome {
        payloads: Vec::new(),
        attempt: None,
        runs,
    }
}

/// Smallest integer factor that brings `pixels` under [`WORKING_PIXELS`].
fn shrink_factor(pixels: usize) -> usize {
    (2..16)
        .find(|f| pixels / (f * f) <= WORKING_PIXELS)
        .unwrap_or(16)
}
