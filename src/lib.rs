//! Kiln's web app (Leptos, client-side rendered): a wizard from an enrollment QR code to a
//! burned and verified Token2 token, plus Identify and Set-clock tools.
//!
//! * `state` — signals; `app` — the root; `steps` — one component per wizard step;
//!   `tools` — the non-wizard tasks; `components` — shared widgets;
//! * `batch` — the Batch screen (many tokens in a row, Entra exports);
//! * `molto2` — a Token2 Molto2 through the Kiln bridge (profile table, burn, erase, clock);
//! * `ops` — runs kiln-core sessions over the open reader;
//! * `platform` — the browser glue (WebUSB, Web NFC, QR decoding, clock, visibility).
//!
//! Parsing, classification, TOTP and the token protocol all live in kiln-core.

pub mod app;
pub mod batch;
pub mod components;
pub mod on_demand;
pub mod ops;
pub mod platform;
pub mod results;
pub mod state;
pub mod steps;
pub mod tools;

/// A Token2 Molto2 through the Kiln bridge: its own panel in the Reader step.
pub mod molto2;

pub use app::App;
