//! Simulated Token2 token (in progress).
