//! Tasks reachable without the wizard: identify a token, set a token's clock.

pub mod identify_tool;
pub mod reader_and_token;
pub mod repair_choice;
pub mod time_sync;

pub use identify_tool::IdentifyTool;
pub use reader_and_token::ReaderAndToken;
pub use repair_choice::RepairChoice;
pub use time_sync::TimeSyncTool;
