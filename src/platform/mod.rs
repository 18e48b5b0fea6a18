//! Browser glue: the only code that touches web APIs. Each file wraps one platform feature and
//! turns its failures into plain messages.

pub mod capabilities;
pub mod clock;
pub mod download;
pub mod leave_guard;
pub mod nfc;
pub mod qr;
pub mod random;
pub mod seal;
pub mod service_worker;
pub mod usb;
pub mod visibility;
