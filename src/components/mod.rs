//! Small shared widgets.

pub mod codes;
pub mod masked_secret;
pub mod notice;
pub mod progress;
pub mod serial_board;
pub mod step_nav;
pub mod stepper;
pub mod token_card;

pub use codes::LiveCodes;
pub use masked_secret::MaskedSecret;
pub use notice::{ErrorNotice, Notice, Tone};
pub use progress::StepProgress;
pub use serial_board::{SerialBoardChoice, SerialBoardHelp};
pub use step_nav::StepNav;
pub use stepper::Stepper;
pub use token_card::TokenCard;
