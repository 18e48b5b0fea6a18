//! One file per command.

pub mod burn;
pub mod dry_run;
pub mod info;
pub mod inspect;
pub mod molto2;
pub mod molto2_admin;
pub mod molto2_args;
pub mod molto2_burn;
pub mod molto2_dry_run;
pub mod molto2_export;
pub mod readers;
pub mod sync_time;
pub mod verify;
