//! Passphrase encryption of exports (age, scrypt) in a worker loaded on demand: the page's own
//! wasm never links age, so encryption costs nothing until the operator asks for it.
//!
//! * `client` — starts the worker for one file and returns the age file;
//! * `protocol` — the messages, shared with `src/bin/seal_worker.rs`.

mod client;
pub mod protocol;

pub use client::seal;

/// Why an export could not be encrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealFailure {
    /// The encryption worker could not be started or stopped answering.
    WorkerStopped,
    /// kiln-seal refused, with its advice.
    Refused(String),
}

impl std::fmt::Display for SealFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SealFailure::WorkerStopped => f.write_str(
                "The encryption step stopped before it finished (its code did not load, or it ran \
                 out of time or memory). Nothing was saved and the batch is still in this page: \
                 export again.",
            ),
            SealFailure::Refused(advice) => f.write_str(advice),
        }
    }
}
