//! Drives a token session over a link (in progress).
