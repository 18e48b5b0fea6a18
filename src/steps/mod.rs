//! One component per wizard step.

pub mod burn;
pub mod connect;
pub mod done;
pub mod identify;
pub mod preview;
pub mod qr_choice;
pub mod review;
pub mod secret;
pub mod verify;

pub use burn::BurnStep;
pub use connect::ConnectStep;
pub use done::DoneStep;
pub use identify::IdentifyStep;
pub use preview::PreviewStep;
pub use review::ReviewStep;
pub use secret::SecretStep;
pub use verify::VerifyStep;
