//! Showing a secret to the user, so they can compare it with what the website shows.

use zeroize::Zeroizing;

use super::{base32, hex};
use crate::secret::Secret;

/// The secret as uppercase Base32 in groups of four (`JBSW Y3DP EHPK 3PXP`), for the user to
/// compare with the website. Wipes itself when dropped.
pub fn base32_display(secret: &Secret) -> Zeroizing<String> {
    base32::encode_grouped(secret.expose())
}

/// The secret as lower-case hex without separators. Wipes itself when dropped.
pub fn hex_display(secret: &Secret) -> Zeroizing<String> {
    hex::encode(secret.expose())
}
