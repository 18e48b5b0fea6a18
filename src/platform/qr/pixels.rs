//! Pixels through the browser: image files are opened by `createImageBitmap`, video frames
//! (camera, screen) drawn, and both read back with canvas `getImageData` as RGBA. The browser's
//! decoders handle every format it can display, and kiln-qr stays small.
//!
//! Big pictures are scaled down before they go to the worker: decoding time grows with the
//! pixel count, and a phone photo has far more pixels than a QR code needs. The limits keep a
//! small QR code in a 1920×1080 or 4K screenshot at full size.

use js_sys::{Reflect, Uint8ClampedArray};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, ContextAttributes2d, HtmlCanvasElement, HtmlVideoElement,
    ImageBitmap,
};

use super::QrFailure;
use super::client::Pixels;

/// Limits for a picture (file, paste, screen capture): a 3840×2160 screenshot passes unscaled.
pub const PICTURE_LIMITS: Limits = Limits {
    max_pixels: 3840 * 2160,
    max_side: 4096,
};

/// Limits for camera frames: about the 1280×720 frames kiln-qr is tuned and measured on
/// (a frame without a code costs ~100 ms there; more pixels, proportionally more).
pub const CAMERA_LIMITS: Limits = Limits {
    max_pixels: 1280 * 720,
    max_side: 1280,
};

/// The largest picture sent to the decoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most pixels (width × height).
    pub max_pixels: u32,
    /// Longest side.
    pub max_side: u32,
}

impl Limits {
    /// The size a `width × height` picture is decoded at: the same aspect ratio, scaled down
    /// (never up) until both limits hold, and never below 1 pixel.
    pub fn fit(self, width: u32, height: u32) -> (u32, u32) {
        let (w, h) = (f64::from(width), f64::from(height));
        let by_side = f64::from(self.max_side) / w.max(h);
        let by_pixels = (f64::from(self.max_pixels) / (w * h)).sqrt();
        let scale = by_side.min(by_pixels).min(1.0);
        if scale >= 1.0 {
            return (width, height);
        }
        let scaled = |side: f64| ((side * scale).floor() as u32).max(1);
        (scaled(w), scaled(h))
    }
}

/// Opens an image file or pasted image and returns its pixels, scaled to [`PICTURE_LIMITS`].
pub async fn from_blob(blob: &Blob) -> Result<Pixels, QrFailure> {
    let window = web_sys::window().ok_or(QrFailure::Unsupported)?;
    let opening = window
        .create_image_bitmap_with_blob(blob)
        .map_err(|_| QrFailure::NotAnImage)?;
    let bitmap: ImageBitmap = JsFuture::from(opening)
        .await
        .map_err(|_| QrFailure::NotAnImage)?
        .dyn_into()
        .map_err(|_| QrFailure::NotAnImage)?;
    let result = match (bitmap.width(), bitmap.height()) {
        (0, _) | (_, 0) => Err(QrFailure::NotAnImage),
        (width, height) => Canvas::new()?.read(
            PICTURE_LIMITS.fit(width, height),
            (width, height),
            |context, w, h| {
                context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)
            },
        ),
    };
    bitmap.close();
    result
}

/// A canvas the frames are drawn on; kept for a whole camera session so each frame does not
/// allocate a new one. Emptied when dropped.
pub struct Canvas {
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
}

impl Canvas {
    /// A detached canvas with a CPU-side 2D context (it is read back every time).
    pub fn new() -> Result<Canvas, QrFailure> {
        let canvas: HtmlCanvasElement = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.create_element("canvas").ok())
            .and_then(|element| element.dyn_into().ok())
            .ok_or(QrFailure::Unsupported)?;
        let attributes = ContextAttributes2d::new();
        attributes.set_will_read_frequently(true);
        attributes.set_alpha(false);
        let context: CanvasRenderingContext2d = canvas
            .get_context_with_context_options("2d", &attributes)
            .ok()
            .flatten()
            .and_then(|context| context.dyn_into().ok())
            .ok_or(QrFailure::Unsupported)?;
        Ok(Canvas { canvas, context })
    }

    /// The current frame of `video` (camera or screen), scaled to `limits`; `None` while the
    /// video has no picture yet.
    pub fn grab(&self, video: &HtmlVideoElement, limits: Limits) -> Option<Pixels> {
        let source = (video.video_width(), video.video_height());
        if source.0 == 0 || source.1 == 0 {
            return None;
        }
        let size = limits.fit(source.0, source.1);
        self.read(size, source, |context, w, h| {
            context.draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w, h)
        })
        .ok()
    }

    /// Draws a `source`-sized picture at `size` on a white background (transparent PNGs have
    /// black "transparent" pixels) and reads the RGBA pixels back.
    fn read(
        &self,
        size: (u32, u32),
        source: (u32, u32),
        draw: impl FnOnce(&CanvasRenderingContext2d, f64, f64) -> Result<(), JsValue>,
    ) -> Result<Pixels, QrFailure> {
        let (width, height) = size;
        if self.canvas.width() != width || self.canvas.height() != height {
            self.canvas.set_width(width);
            self.canvas.set_height(height);
        }
        let context = &self.context;
        // Downscaled pictures get the better filter (the default one aliases small modules).
        let quality = if size == source { "low" } else { "high" };
        let _ = Reflect::set(context, &"imageSmoothingQuality".into(), &quality.into());
        context.set_fill_style_str("#fff");
        context.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
        draw(context, f64::from(width), f64::from(height))
            .map_err(|error| QrFailure::Other(super::failure::error_name(&error)))?;
        let image = context
            .get_image_data(0, 0, width as i32, height as i32)
            .map_err(|error| QrFailure::Other(super::failure::error_name(&error)))?;
        // The pixels stay in this JS buffer (never copied into the app's wasm memory) and are
        // transferred to the worker from there.
        let data: Uint8ClampedArray = Reflect::get(&image, &"data".into())
            .ok()
            .and_then(|data| data.dyn_into().ok())
            .ok_or(QrFailure::Unsupported)?;
        context.clear_rect(0.0, 0.0, f64::from(width), f64::from(height));
        Ok(Pixels {
            buffer: data.buffer(),
            width,
            height,
        })
    }
}

impl Drop for Canvas {
    /// Frees the canvas's copy of the picture.
    fn drop(&mut self) {
        self.canvas.set_width(0);
        self.canvas.set_height(0);
    }
}
