//! Tasks reachable without the wizard: identify a token, set a token's clock.

pub mod identify_tool;
pub mod time_sync;

pub use identify_tool::IdentifyTool;
pub use time_sync::TimeSyncTool;
