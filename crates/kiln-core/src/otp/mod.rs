//! What the user scanned or pasted (in progress).
