//! The single-profile SM4 crypto (§3): the device key, the block cipher and the 4-byte CBC-MAC.

use sm4::Sm4;
use sm4::cipher::generic_array::GenericArray;
use sm4::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

/// The single-profile device key (§3.2).
const DEVICE_KEY: [u8; 16] = [
    0x8A, 0xD2, 0x06, 0x88, 0x3C, 0xA3, 0x69, 0x48, 0x2A, 0xB2, 0x71, 0x82, 0xB6, 0xE8, 0x32, 0x24,
];

fn cipher() -> Sm4 {
    Sm4::new(GenericArray::from_slice(&DEVICE_KEY))
}

pub(super) fn sm4_encrypt_block(block: &mut [u8]) {
    cipher().encrypt_block(GenericArray::from_mut_slice(block));
}

pub(super) fn sm4_decrypt_block(block: &mut [u8]) {
    cipher().decrypt_block(GenericArray::from_mut_slice(block));
}

/// CBC-MAC, zero IV, method-2 padding when not aligned, first 4 bytes of the last block (§3.4).
pub(super) fn cbc_mac4(message: &[u8]) -> [u8; 4] {
    let mut padded = message.to_vec();
    if !padded.len().is_multiple_of(16) {
        padded.push(0x80);
        while !padded.len().is_multiple_of(16) {
            padded.push(0x00);
        }
    }
    let mut chain = [0u8; 16];
    for block in padded.chunks_exact(16) {
        for (c, b) in chain.iter_mut().zip(block) {
            *c ^= b;
        }
        sm4_encrypt_block(&mut chain);
    }
    [chain[0], chain[1], chain[2], chain[3]]
}
