//! One file per command.

pub mod batch;
pub mod batch_args;
mod batch_decide;
mod batch_events;
mod batch_loop;
mod batch_passphrase;
mod batch_setup;
mod batch_write;
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
