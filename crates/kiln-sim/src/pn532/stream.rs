//! The PN532's frame receiver on its serial line (PN532 user manual, host controller
//! communication protocol; docs/readers.md §3.1–3.2 and §6): bytes arrive one by one, frames
//! are cut out of the stream at their start code.

use crate::pn533::HostFrame;

fn sum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |acc, b| acc.wrapping_add(*b))
}

/// What the receiver found at the front of its buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Received {
    /// A frame (or [`HostFrame::Damaged`]) and how many bytes it used.
    Frame(HostFrame, usize),
    /// Bytes before a start code that belong to no frame: drop them.
    Skip(usize),
    /// More bytes are needed.
    Incomplete,
}

/// Cuts the first frame out of `buffer`. Anything before the start code `00 FF` is skipped
/// (the preamble `00`, line noise); a frame with a wrong checksum or postamble is damaged.
pub(crate) fn receive(buffer: &[u8]) -> Received {
    let start = buffer.windows(2).position(|pair| pair == [0x00, 0xFF]);
    let Some(start) = start else {
        // Keep a trailing 00: it may be the first half of a start code.
        let keep = usize::from(buffer.last() == Some(&0x00));
        let skip = buffer.len() - keep;
        return if skip > 0 {
            Received::Skip(skip)
        } else {
            Received::Incomplete
        };
    };
    if start > 0 {
        return Received::Skip(start);
    }
    let rest = &buffer[2..];
    match rest {
        [0x00, 0xFF, 0x00, ..] => return Received::Frame(HostFrame::Ack, 5),
        [0xFF, 0x00, 0x00, ..] => return Received::Frame(HostFrame::Nack, 5),
        [] | [_] | [_, _] => return Received::Incomplete,
        _ => {}
    }
    let (len, header) = match rest {
        [0xFF, 0xFF, high, low, lcs, ..] => {
            if sum(&[*high, *low, *lcs]) != 0 {
                return Received::Frame(HostFrame::Damaged, 2);
            }
            (usize::from(*high) << 8 | usize::from(*low), 5)
        }
        [0xFF, 0xFF, ..] => return Received::Incomplete,
        [len, lcs, ..] => {
            if len.wrapping_add(*lcs) != 0 {
                return Received::Frame(HostFrame::Damaged, 2);
            }
            (usize::from(*len), 2)
        }
        _ => return Received::Incomplete,
    };
    let body_start = 2 + header;
    let total = body_start + len + 2;
    let Some(frame) = buffer.get(..total) else {
        return Received::Incomplete;
    };
    let content = &frame[body_start..body_start + len];
    let (dcs, postamble) = (frame[total - 2], frame[total - 1]);
    let Some((&tfi, data)) = content.split_first() else {
        return Received::Frame(HostFrame::Damaged, total);
    };
    if sum(content).wrapping_add(dcs) != 0 || postamble != 0x00 {
        return Received::Frame(HostFrame::Damaged, total);
    }
    Received::Frame(
        HostFrame::Information {
            tfi,
            data: data.to_vec(),
        },
        total,
    )
}
