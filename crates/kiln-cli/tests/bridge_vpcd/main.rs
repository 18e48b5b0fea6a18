//! `kiln bridge` through the real PC/SC stack: pcscd with vsmartcard's vpcd reader, kiln-sim's
//! token (written from the spec) as the virtual card, the real binary, a real WebSocket client.
//! What reaches the card is read from the simulated token itself (`received`), not from the
//! bridge's word.
//!
//! Needs `scripts/start-pcscd.sh` (as root) first; built only with `--features vpcd-tests`.
//! pcscd and vpcd are shared by the whole machine: run under `flock /tmp/kiln-vpcd.lock`.
#![cfg(feature = "vpcd-tests")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic fails the test

#[path = "../bridge_support/mod.rs"]
mod bridge_support;
#[path = "../pcsc_vpcd/contact_card.rs"]
mod contact_card;
#[path = "../pcsc_vpcd/rig.rs"]
#[allow(dead_code)] // shared with pcsc_vpcd, which uses all of it
mod rig;
#[path = "../support/mod.rs"]
mod support;

mod burn;
mod readers;

/// OTPC-P2-i: a supported model.
pub const SUPPORTED: &str = "8659622000123";

/// The single-profile GET INFO the bridge sends first.
pub const GET_INFO: [u8; 7] = [0x80, 0x41, 0x00, 0x00, 0x02, 0x02, 0x11];
