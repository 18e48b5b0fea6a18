//! Simulated CCID USB reader (in progress).
