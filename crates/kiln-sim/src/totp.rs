//! Independent RFC 6238 (in progress).
