//! The SM4 crypto of §3, shared by the simulated single-profile token (under its fixed device
//! key) and the simulated Molto2 (under its customer-derived key): the block cipher and the
//! 4-byte CBC-MAC.

use sm4::Sm4;
use sm4::cipher::generic_array::GenericArray;
use sm4::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

/// The single-profile device key (§3.2).
pub(crate) const DEVICE_KEY: [u8; 16] = [
    0x8A, 0xD2, 0x06, 0x88, 0x3C, 0xA3, 0x69, 0x48, 0x2A, 0xB2, 0x71, 0x82, 0xB6, 0xE8, 0x32, 0x24,
];

/// SM4-encrypts one 16-byte block in place.
pub(crate) fn encrypt_block(key: &[u8; 16], block: &mut [u8]) {
    Sm4::new(GenericArray::from_slice(key)).encrypt_block(GenericArray::from_mut_slice(block));
}

/// SM4-ECB-decrypts whole 16-byte blocks in place.
pub(crate) fn decrypt_blocks(key: &[u8; 16], data: &mut [u8]) {
    let cipher = Sm4::new(GenericArray::from_slice(key));
    for block in data.chunks_exact_mut(16) {
        cipher.decrypt_block(GenericArray::from_mut_slice(block));
    }
}

/// CBC-MAC, zero IV, method-2 padding when not aligned, first 4 bytes of the last block (§3.4).
pub(crate) fn mac4(key: &[u8; 16], message: &[u8]) -> [u8; 4] {
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
        encrypt_block(key, &mut chain);
    }
    [chain[0], chain[1], chain[2], chain[3]]
}
