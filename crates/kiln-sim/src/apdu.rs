//! What every simulated Token2 device (single-profile and Molto2) does alike with an APDU:
//! status-word replies, the instruction check, the GET INFO record, random challenges, the
//! answer it expects, and the Lc/MAC check of a CLA 84 write (§2.4, §3.4).

use rand::RngCore;

/// A reply that is only a status word.
pub(crate) fn sw(status: u16) -> Vec<u8> {
    status.to_be_bytes().to_vec()
}

/// `data ‖ 90 00`.
pub(crate) fn ok_with(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    out.extend_from_slice(&[0x90, 0x00]);
    out
}

/// CLA, INS, P1, P2 and the rest; `None` when the APDU is shorter than a header.
pub(crate) fn split_header(apdu: &[u8]) -> Option<([u8; 4], &[u8])> {
    let header = <[u8; 4]>::try_from(apdu.get(..4)?).ok()?;
    Some((header, &apdu[4..]))
}

/// The status for an instruction the device does not know: `6D 00` under its own classes
/// (`80`, `84`), `6E 00` under any other.
pub(crate) fn unknown_instruction(cla: u8) -> Vec<u8> {
    sw(if cla == 0x80 || cla == 0x84 {
        0x6D00
    } else {
        0x6E00
    })
}

/// The GET INFO record: `95 LL 02 len serial 11 04 time`, then `90 00`.
pub(crate) fn info_reply(serial: &str, device_time: u32) -> Vec<u8> {
    let serial = serial.as_bytes();
    let mut out = vec![0x95, (serial.len() + 8) as u8, 0x02, serial.len() as u8];
    out.extend_from_slice(serial);
    out.extend_from_slice(&[0x11, 0x04]);
    out.extend_from_slice(&device_time.to_be_bytes());
    ok_with(&out)
}

/// Eight random bytes for GET CHALLENGE.
pub(crate) fn new_challenge(rng: &mut impl RngCore) -> [u8; 8] {
    let mut challenge = [0u8; 8];
    rng.fill_bytes(&mut challenge);
    challenge
}

/// The ANSWER CHALLENGE body the device expects: SM4(key, challenge ‖ 00×8).
pub(crate) fn expected_answer(key: &[u8; 16], challenge: &[u8; 8]) -> [u8; 16] {
    let mut expected = [0u8; 16];
    expected[..8].copy_from_slice(challenge);
    crate::token::crypto::encrypt_block(key, &mut expected);
    expected
}

/// Checks Lc and the MAC of a CLA 84 body (`Lc data MAC4`, MAC over `80 INS P1 P2 len ‖ data`);
/// returns the data, or the status word of the failed check.
pub(crate) fn open_secure(
    key: &[u8; 16],
    [ins, p1, p2]: [u8; 3],
    body: &[u8],
) -> Result<Vec<u8>, u16> {
    let (&lc, rest) = body.split_first().ok_or(0x6700u16)?;
    if usize::from(lc) != rest.len() || rest.len() < 5 {
        return Err(0x6700);
    }
    let (data, mac) = rest.split_at(rest.len() - 4);
    let mut message = vec![0x80, ins, p1, p2, data.len() as u8];
    message.extend_from_slice(data);
    if crate::token::crypto::mac4(key, &message) != mac {
        return Err(0x6983);
    }
    Ok(data.to_vec())
}
