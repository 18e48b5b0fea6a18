//! Simulated PN533 USB reader (in progress).
