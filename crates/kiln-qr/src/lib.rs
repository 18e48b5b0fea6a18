//! QR decoding (in progress).
