//! Shared widgets: used by the wizard's steps, by the tools, or by both.

pub mod bridge_choice;
pub mod camera_scanner;
pub mod codes;
pub mod connect_panel;
pub mod drift_status;
pub mod handout;
pub mod identify_panel;
pub mod masked_secret;
pub mod nfc_check;
pub mod notice;
pub mod phone_qr;
pub mod progress;
pub mod serial_board;
pub mod step_nav;
pub mod step_section;
pub mod stepper;
pub mod token_card;

pub use bridge_choice::BridgeChoice;
pub use camera_scanner::CameraScanner;
pub use codes::LiveCodes;
pub use connect_panel::ConnectPanel;
pub use drift_status::DriftStatus;
pub use handout::{HandOut, HandOutCard, HandOutFacts};
pub use identify_panel::IdentifyPanel;
pub use masked_secret::MaskedSecret;
pub use nfc_check::NfcCheck;
pub use notice::{ErrorNotice, Notice, Tone};
pub use phone_qr::PhoneQr;
pub use progress::StepProgress;
pub use serial_board::{SerialBoardChoice, SerialBoardHelp, SerialBoardSwitch};
pub use step_nav::StepNav;
pub use step_section::StepSection;
pub use stepper::Stepper;
pub use token_card::TokenCard;
