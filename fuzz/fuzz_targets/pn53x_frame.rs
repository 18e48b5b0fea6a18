//! The PN53x frame decoder and the reader sessions on arbitrary reader bytes: no panic, decoded
//! frames re-encode to an equal frame, sessions always end.
#![no_main]
use kiln_core::link::pn53x::frame::{self, Frame};
use kiln_core::link::pn53x::{Connect, Transmit};
use kiln_fuzz::{reads, run};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((decoded, used)) = frame::decode_prefix(data) {
        assert!(used <= data.len());
        let encoded = frame::encode(&decoded).expect("a decoded frame re-encodes");
        let again = frame::decode(&encoded).expect("an encoded frame decodes");
        match (&decoded, &again) {
            (Frame::Error, Frame::Error) => {}
            _ => assert_eq!(decoded, again),
        }
    }
    let _ = frame::decode(data);

    let reads = reads(data);
    run(
        &mut Transmit::new(1, &[0x80, 0x41, 0x00, 0x00, 0x00]),
        &reads,
    );
    run(&mut Connect::new(), &reads);
});
