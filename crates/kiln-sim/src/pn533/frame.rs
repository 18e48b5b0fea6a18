//! PN533 frames, the chip's side (PN533 user manual; docs/readers.md §3.1–3.2): parse what the
//! host writes, build what the chip answers.

/// ACK: the chip accepted a command. From the host: abort the current command.
pub const ACK: [u8; 6] = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
/// NACK: the chip received a damaged frame. From the host: send the last response again.
pub const NACK: [u8; 6] = [0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];
/// The application-level error frame (syntax error).
pub const ERROR: [u8; 8] = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00];

/// What the host wrote, as the chip understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostFrame {
    /// An ACK (abort).
    Ack,
    /// A NACK (resend the last response).
    Nack,
    /// A well-formed information frame: its TFI and PD bytes.
    Information {
        /// Frame identifier (`D4` for commands).
        tfi: u8,
        /// PD0 (command code) .. PDn.
        data: Vec<u8>,
    },
    /// Anything else: wrong start, wrong checksum, cut short.
    Damaged,
}

fn sum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |acc, b| acc.wrapping_add(*b))
}

/// Parses one bulk OUT transfer. The chip wants `00 00 FF` first and nothing after the
/// postamble.
pub fn parse_host(transfer: &[u8]) -> HostFrame {
    let Some(rest) = transfer.strip_prefix(&[0x00, 0x00, 0xFF]) else {
        return HostFrame::Damaged;
    };
    match rest {
        [0x00, 0xFF, 0x00] => return HostFrame::Ack,
        [0xFF, 0x00, 0x00] => return HostFrame::Nack,
        _ => {}
    }
    let (len, body) = match rest {
        [0xFF, 0xFF, high, low, lcs, body @ ..] => {
            if sum(&[*high, *low, *lcs]) != 0 {
                return HostFrame::Damaged;
            }
            (usize::from(*high) << 8 | usize::from(*low), body)
        }
        [len, lcs, body @ ..] => {
            if len.wrapping_add(*lcs) != 0 {
                return HostFrame::Damaged;
            }
            (usize::from(*len), body)
        }
        _ => return HostFrame::Damaged,
    };
    // body = TFI PD.. DCS 00, exactly.
    let Some((content, &[dcs, 0x00])) = body.split_at_checked(len) else {
        return HostFrame::Damaged;
    };
    let Some((&tfi, data)) = content.split_first() else {
        return HostFrame::Damaged;
    };
    if sum(content).wrapping_add(dcs) != 0 {
        return HostFrame::Damaged;
    }
    HostFrame::Information {
        tfi,
        data: data.to_vec(),
    }
}

/// Builds a response frame (TFI `D5`) around PD bytes: normal when it fits, extended when not.
pub fn response(data: &[u8]) -> Vec<u8> {
    let len = data.len() + 1;
    let mut out = vec![0x00, 0x00, 0xFF];
    if len <= 0xFF {
        out.push(len as u8);
        out.push((len as u8).wrapping_neg());
    } else {
        let high = (len >> 8) as u8;
        let low = len as u8;
        out.extend_from_slice(&[0xFF, 0xFF, high, low, high.wrapping_add(low).wrapping_neg()]);
    }
    out.push(0xD5);
    out.extend_from_slice(data);
    out.push(sum(&[0xD5]).wrapping_add(sum(data)).wrapping_neg());
    out.push(0x00);
    out
}

/// The corrupted-response fault: `response` with a wrong data checksum (DCS).
pub(crate) fn with_bad_checksum(mut response: Vec<u8>) -> Vec<u8> {
    let dcs = response.len().saturating_sub(2);
    if let Some(byte) = response.get_mut(dcs) {
        *byte ^= 0x5A;
    }
    response
}
