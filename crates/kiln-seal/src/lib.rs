//! Passphrase encryption for exports that hold seeds (the Entra CSV, the Graph JSON), in the
//! [age](https://age-encryption.org/v1) format with its scrypt (passphrase) recipient, so a
//! standard tool opens them: `age -d batch.csv.age > batch.csv` asks for the passphrase.
//!
//! Its own crate because it is big (age, scrypt, ChaCha20-Poly1305) and only a batch export
//! needs it: the web app must load it on demand (a separate wasm module fetched when the
//! operator asks for an encrypted download) and must keep it out of the first-load bundle.
//! The CLI links it directly.
//!
//! The passphrase is held in [`Passphrase`] (wiped on drop); [`seal`] never copies the
//! plaintext, and [`open`] returns it in a buffer that is wiped on drop.

mod error;
mod passphrase;

use std::iter;

use zeroize::Zeroizing;

pub use error::{OpenError, SealError};
pub use passphrase::Passphrase;

/// Encrypts `plaintext` to `passphrase` as a binary age file. The scrypt work factor is
/// calibrated by age to take about a second on this computer, which is also what decrypting
/// takes.
pub fn seal(plaintext: &[u8], passphrase: &Passphrase) -> Result<Vec<u8>, SealError> {
    let recipient = age::scrypt::Recipient::new(passphrase.to_secret());
    let recipients = iter::once(&recipient as &dyn age::Recipient);
    let encryptor = age::Encryptor::with_recipients(recipients).map_err(|_| SealError::Encrypt)?;
    // age adds a header (~200 bytes) and 16 bytes per 64 KiB chunk.
    let mut ciphertext = Vec::with_capacity(plaintext.len() + 256 + plaintext.len() / 4096);
    let mut writer = encryptor
        .wrap_output(&mut ciphertext)
        .map_err(|_| SealError::Encrypt)?;
    std::io::Write::write_all(&mut writer, plaintext).map_err(|_| SealError::Encrypt)?;
    writer.finish().map_err(|_| SealError::Encrypt)?;
    Ok(ciphertext)
}

/// Decrypts an age file sealed with a passphrase (binary or ASCII-armoured).
pub fn open(ciphertext: &[u8], passphrase: &Passphrase) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    let identity = age::scrypt::Identity::new(passphrase.to_secret());
    let decryptor = age::Decryptor::new(ciphertext).map_err(OpenError::of)?;
    if !decryptor.is_scrypt() {
        return Err(OpenError::NotPassphraseEncrypted);
    }
    let mut reader = decryptor
        .decrypt(iter::once(&identity as &dyn age::Identity))
        .map_err(OpenError::of)?;
    let mut plaintext = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    std::io::Read::read_to_end(&mut reader, &mut plaintext).map_err(|_| OpenError::Damaged)?;
    Ok(plaintext)
}
