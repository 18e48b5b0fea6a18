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
pub mod readers;
pub mod sync_time;
pub mod verify;
