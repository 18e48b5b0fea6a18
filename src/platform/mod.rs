//! Browser glue: the only code that touches web APIs. Each file wraps one platform feature and
//! turns its failures into plain messages.

pub mod bridge;
pub mod capabilities;
pub mod clock;
pub mod download;
pub mod idle;
pub(crate) mod js;
pub mod leave_guard;
pub mod nfc;
pub mod open_reader;
pub mod qr;
pub mod qr_encode;
pub mod random;
pub mod seal;
pub mod serial;
pub mod service_worker;
pub mod usb;
pub mod visibility;
pub(crate) mod worker_client;
pub(crate) mod worker_job;
pub(crate) mod worker_message;
