//! One file per command.

pub mod burn;
pub mod dry_run;
pub mod info;
pub mod inspect;
pub mod readers;
pub mod sync_time;
pub mod verify;
