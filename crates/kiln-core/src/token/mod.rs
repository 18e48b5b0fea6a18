//! The Token2 single-profile protocol (OTPC-P1-i, OTPC-P2-i(-NB), miniOTP-2-i, miniOTP-3-i(-NB),
//! C301-i, C302-i), as specified in `docs/protocol.md`.

pub mod model;

pub use model::Model;
