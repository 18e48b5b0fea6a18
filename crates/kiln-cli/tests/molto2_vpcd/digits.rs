//! 8-digit accounts on the simulated Molto2, through pcscd: the codes it shows are RFC 6238's
//! published ones (Appendix B), not codes computed by Kiln or by the simulator.

use super::{Rig, SERIAL, now};
use kiln_sim::molto2::SimMolto2;

/// The code profile `number` shows when the device clock reads `device_time` (the wall time
/// the device maps to it, whatever clock offset the burn left).
fn code_at_device_time(device: &SimMolto2, number: u8, device_time: u64) -> String {
    let t = now();
    let offset = device.device_time_at(t) as i64 - t as i64;
    let wall = (device_time as i64 - offset) as u64;
    assert_eq!(device.device_time_at(wall), device_time);
    device.displayed_code(number, wall).unwrap()
}

#[test]
fn eight_digit_links_show_the_rfc_6238_codes() {
    // RFC 6238 Appendix B: the published 8-digit codes for its SHA1 and SHA256 seeds
    // ("1234567890" repeated to 20 and 32 bytes), 30 s steps.
    let cases = [
        (
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "SHA1",
            ["94287082", "07081804", "14050471", "89005924", "69279037"],
        ),
        (
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA",
            "SHA256",
            ["46119246", "68084774", "67062674", "91819424", "90698825"],
        ),
    ];
    let rig = Rig::with(SimMolto2::new(SERIAL, now()));
    for (profile, (secret, algorithm, codes)) in cases.iter().enumerate() {
        let link =
            format!("otpauth://totp/RFC:6238?secret={secret}&algorithm={algorithm}&digits=8");
        let number = (20 + profile).to_string();
        let run = rig.kiln(
            &[
                "molto2",
                "burn",
                "--profile",
                &number,
                "--title",
                "RFC",
                "--uri",
                "-",
                "--yes",
                "--json",
            ],
            Some(&link),
            &[],
        );
        assert_eq!(run.status, 0, "{}", run.all_output());
        assert_eq!(run.json()["settings"]["digits"], 8);
        let device = rig.device();
        assert_eq!(device.profile(20 + profile as u8).unwrap().digits, 8);
        for (time, code) in [
            59,
            1_111_111_109,
            1_111_111_111,
            1_234_567_890,
            2_000_000_000,
        ]
        .into_iter()
        .zip(codes)
        {
            assert_eq!(
                code_at_device_time(&device, 20 + profile as u8, time),
                *code,
                "{algorithm} at {time}"
            );
        }
    }
}
