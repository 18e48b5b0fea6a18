//! The CCID message decoder, answer parser, ATR reader and reader sessions on arbitrary reader
//! bytes: no panic, decoded messages round-trip, sessions always end.
#![no_main]
use kiln_core::link::ccid::{Connect, Reply, Transmit, atr, message};
use kiln_fuzz::{reads, run};
use libfuzzer_sys::fuzz_target;

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
