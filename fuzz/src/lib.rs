//! Shared by the reader fuzz targets: arbitrary bytes as a sequence of USB reads, and a driver
//! that runs a sans-IO reader session over them and insists it ends.

use kiln_core::link::PipeError;
use kiln_core::link::machine::{Action, Machine};

/// Splits `data` into reads: each read's length is one byte, then that many bytes; a length of
/// 0xFF stands for a timeout.
pub fn reads(mut data: &[u8]) -> Vec<Result<Vec<u8>, PipeError>> {
    let mut out = Vec::new();
    while let Some((&len, rest)) = data.split_first() {
        if len == 0xFF {
            out.push(Err(PipeError::Timeout));
            data = rest;
            continue;
        }
        let take = usize::from(len).min(rest.len());
        out.push(Ok(rest[..take].to_vec()));
        data = &rest[take..];
    }
    out
}

/// Runs `machine` with every write succeeding and the given reads (then timeouts); panics if the
/// session does not end.
pub fn run<M: Machine>(machine: &mut M, reads: &[Result<Vec<u8>, PipeError>]) {
    let mut reads = reads.iter().cloned();
    let mut action = machine.start();
    for _ in 0..100_000 {
        action = match action {
            Action::Write(_) => machine.on_written(Ok(())),
            Action::Read { .. } => machine.on_read(reads.next().unwrap_or(Err(PipeError::Timeout))),
            Action::Done(_) => return,
        };
    }
    panic!("session did not end");
}
