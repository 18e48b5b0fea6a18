//! One exported `decode(ptr, width, height) -> total payload bytes` over the decoder chosen by
//! feature, plus `alloc` so a host can pass pixels in. Nothing else, so the .wasm size is the
//! decoder's own cost (`baseline` measures std's allocator and panic support alone). A real app
//! adds the same wasm-bindgen glue on top whichever decoder it uses.

/// Reserves `len` bytes in linear memory for the host to fill with luma pixels.
#[unsafe(no_mangle)]
pub extern "C" fn alloc_pixels(len: usize) -> *mut u8 {
    let mut buffer = Vec::<u8>::with_capacity(len);
    let ptr = buffer.as_mut_ptr();
    core::mem::forget(buffer);
    ptr
}

/// Decodes the `width × height` luma image at `ptr` (from `alloc_pixels`, consumed) and returns
/// the total length of the payloads found (0 = none).
///
/// # Safety
/// `ptr` must come from `alloc_pixels(width * height)` and be filled by the host.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn decode(ptr: *mut u8, width: u32, height: u32) -> u32 {
    let len = width as usize * height as usize;
    // SAFETY: per the contract above, `ptr` owns a `len`-byte allocation from `alloc_pixels`.
    let pixels = unsafe { Vec::from_raw_parts(ptr, len, len) };
    run(&pixels, width, height) as u32
}

#[cfg(feature = "baseline")]
fn run(pixels: &[u8], _: u32, _: u32) -> usize {
    pixels.iter().filter(|&&p| p < 128).count()
}

#[cfg(feature = "quircs")]
fn run(pixels: &[u8], width: u32, height: u32) -> usize {
    let mut decoder = quircs::Quirc::default();
    decoder
        .identify(width as usize, height as usize, pixels)
        .filter_map(|code| code.ok()?.decode().ok())
        .filter_map(|data| core::str::from_utf8(&data.payload).ok().map(str::len))
        .sum()
}

#[cfg(feature = "rqrr")]
fn run(pixels: &[u8], width: u32, height: u32) -> usize {
    let w = width as usize;
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, height as usize, |x, y| {
        pixels.get(y * w + x).copied().unwrap_or(255)
    });
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok())
        .map(|(_, text)| text.len())
        .sum()
}

#[cfg(any(feature = "rxing", feature = "rxing-pipe"))]
fn rxing_decode(pixels: &[u8], width: u32, height: u32) -> Option<String> {
    let mut hints = rxing::DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        ..Default::default()
    };
    rxing::helpers::detect_in_luma_with_hints(
        pixels.to_vec(),
        width,
        height,
        Some(rxing::BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()
    .map(|r| r.getText().into())
}

#[cfg(all(feature = "rxing", not(feature = "rxing-pipe")))]
fn run(pixels: &[u8], width: u32, height: u32) -> usize {
    rxing_decode(pixels, width, height).map_or(0, |t| t.len())
}

#[cfg(feature = "rxing-pipe")]
fn run(pixels: &[u8], width: u32, height: u32) -> usize {
    let Some(img) = kiln_qr::Gray::new(width as usize, height as usize, pixels.to_vec()) else {
        return 0;
    };
    kiln_qr::pipeline::search(&img, |g| kiln_qr::pipeline::Pass {
        payloads: rxing_decode(g.pixels(), g.width() as u32, g.height() as u32)
            .map(|t| vec![t.into_bytes()])
            .unwrap_or_default(),
        finder_patterns: None,
        finder_area: None,
    })
    .payloads
    .iter()
    .map(Vec::len)
    .sum()
}

#[cfg(feature = "kiln-qr")]
fn run(pixels: &[u8], width: u32, height: u32) -> usize {
    kiln_qr::decode_luma(pixels, width, height)
        .map_or(0, |texts| texts.iter().map(|t| t.len()).sum())
}
