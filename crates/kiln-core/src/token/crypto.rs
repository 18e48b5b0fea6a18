//! SM4 primitives of the protocol (§3): ISO/IEC 9797-1 method-2 padding, ECB over whole blocks,
//! and the 4-byte CBC-MAC that authenticates writes.
//!
//! The cipher is RustCrypto's `sm4`; only encryption is needed on the host.

use sm4::Sm4;
use sm4::cipher::generic_array::GenericArray;
use sm4::cipher::{BlockEncrypt, KeyInit};
use zeroize::Zeroizing;

/// SM4 block size in bytes.
pub const BLOCK: usize = 16;

/// The fixed, public SM4 key shared by every single-profile token (§3.2). Token2 publishes it;
/// it cannot be changed.
pub const DEVICE_KEY: [u8; 16] = [
    0x8A, 0xD2, 0x06, 0x88, 0x3C, 0xA3, 0x69, 0x48, 0x2A, 0xB2, 0x71, 0x82, 0xB6, 0xE8, 0x32, 0x24,
];

/// ISO/IEC 9797-1 padding method 2: append `0x80`, then zeros to the next block boundary.
///
/// It **always** pads: a block-aligned input gets a whole extra block `80 00 … 00`. Tokens reject
/// aligned seeds sent without it (§2.5.3).
pub fn pad_method2(data: &[u8]) -> Zeroizing<Vec<u8>> {
    let padded_len = (data.len() / BLOCK + 1) * BLOCK;
    let mut out = Zeroizing::new(Vec::with_capacity(padded_len));
    out.extend_from_slice(data);
    out.push(0x80);
    out.resize(padded_len, 0x00);
    out
}

/// Encrypts whole 16-byte blocks in place with SM4-ECB (each block on its own, no IV).
///
/// `blocks.len()` must be a multiple of [`BLOCK`]; a trailing partial block is left untouched,
/// which callers avoid by padding first.
pub fn ecb_encrypt_in_place(key: &[u8; 16], blocks: &mut [u8]) {
    let cipher = Sm4::new(GenericArray::from_slice(key));
    for block in blocks.chunks_exact_mut(BLOCK) {
        cipher.encrypt_block(GenericArray::from_mut_slice(block));
    }
}

/// The command MAC (§3.4): SM4 CBC-MAC with a zero IV over `message`, padded with method 2 when
/// it is not block-aligned, truncated to the first 4 bytes of the last block.
///
/// For every command of the protocol the message length is never a multiple of 16, so the
/// "always pad" and "pad when needed" readings of the vendor tools give the same MAC.
pub fn mac4(key: &[u8; 16], message: &[u8]) -> [u8; 4] {
    let padded = if message.len().is_multiple_of(BLOCK) {
        Zeroizing::new(message.to_vec())
    } else {
        pad_method2(message)
    };
    let cipher = Sm4::new(GenericArray::from_slice(key));
    let mut chain = [0u8; BLOCK];
    for block in padded.chunks_exact(BLOCK) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        cipher.encrypt_block(GenericArray::from_mut_slice(&mut chain));
    }
    [chain[0], chain[1], chain[2], chain[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_always_adds_at_least_one_byte_and_ends_on_a_block() {
        for len in 0..=64 {
            let data = vec![0xAA; len];
            let padded = pad_method2(&data);
            assert_eq!(padded.len() % BLOCK, 0);
            assert!(padded.len() > len);
            assert_eq!(&padded[..len], &data[..]);
            assert_eq!(padded[len], 0x80);
            assert!(padded[len + 1..].iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn aligned_input_gets_a_whole_extra_block() {
        for len in [16, 32, 48] {
            assert_eq!(pad_method2(&vec![1; len]).len(), len + BLOCK);
        }
    }
}
