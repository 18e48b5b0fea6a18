//! The CCID message decoder, answer parser, ATR reader and reader sessions on arbitrary reader
//! bytes: no panic, decoded messages round-trip, sessions always end.
#![no_main]
use kiln_core::link::PipeError;
use kiln_core::link::ccid::{Connect, Reply, Transmit, atr, message};
use kiln_core::link::pn53x::{Action, Machine};
use libfuzzer_sys::fuzz_target;

/// Splits `data` into reads: each read's length is one byte, then that many bytes; a length of
/// 0xFF stands for a timeout.
fn reads(mut data: &[u8]) -> Vec<Result<Vec<u8>, PipeError>> {
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

fn run<M: Machine>(machine: &mut M, reads: &[Result<Vec<u8>, PipeError>]) {
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

fuzz_target!(|data: &[u8]| {
    if let Ok((decoded, used)) = message::decode_prefix(data) {
        assert_eq!(used, message::HEADER_LEN + decoded.data.len());
        let encoded = message::encode(&decoded).expect("a decoded message re-encodes");
        assert_eq!(&encoded[..], &data[..used]);
        let _ = Reply::parse(decoded);
    }
    let _ = message::decode(data);
    let _ = atr::historical_bytes(data);
    let _ = atr::storage_card(data);

    let reads = reads(data);
    run(
        &mut Transmit::new(0, 1, &[0x80, 0x41, 0x00, 0x00, 0x00]),
        &reads,
    );
    run(&mut Connect::new(0, 0), &reads);
});
