//! The reader as kiln-core's [`BulkPipe`]: bulk transfers out and in, with a timeout on reads.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use kiln_core::link::{BulkPipe, PipeError};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::UsbTransferStatus;

use super::UsbReader;
use crate::platform::js::{error_message, error_name, sleep};

/// Largest bulk IN transfer requested (any PN533 frame or CCID message of a Token2 exchange fits).
const READ_LENGTH: u32 = 1024;

impl UsbReader {
    fn transfer_error(&self, error: &JsValue) -> PipeError {
        if self.gone.get() || error_name(error) == "NotFoundError" {
            PipeError::Disconnected
        } else {
            PipeError::Io(error_message(error))
        }
    }
}

impl BulkPipe for UsbReader {
    async fn write(&mut self, data: &[u8]) -> Result<(), PipeError> {
        if self.gone.get() {
            return Err(PipeError::Disconnected);
        }
        let promise = self
            .device
            .transfer_out_with_u8_slice(self.endpoint_out, data)
            .map_err(|e| self.transfer_error(&e))?;
        let result = JsFuture::from(promise)
            .await
            .map_err(|e| self.transfer_error(&e))?;
        match result.status() {
            UsbTransferStatus::Ok => {}
            UsbTransferStatus::Stall => return Err(PipeError::Stalled),
            other => return Err(PipeError::Io(format!("transfer status {other:?}"))),
        }
        // A transfer that fills whole packets must end with a zero-length packet.
        if !data.is_empty() && data.len().is_multiple_of(self.packet_size) {
            let promise = self
                .device
                .transfer_out_with_u8_slice(self.endpoint_out, &[])
                .map_err(|e| self.transfer_error(&e))?;
            JsFuture::from(promise)
                .await
                .map_err(|e| self.transfer_error(&e))?;
        }
        Ok(())
    }

    async fn read(&mut self, timeout_ms: u32) -> Result<Vec<u8>, PipeError> {
        if self.gone.get() {
            return Err(PipeError::Disconnected);
        }
        let mut transfer = match self.pending_in.take() {
            Some(pending) => pending,
            None => JsFuture::from(self.device.transfer_in(self.endpoint_in, READ_LENGTH)),
        };
        let mut timer = sleep(timeout_ms);
        let outcome = std::future::poll_fn(|cx| {
            if let Poll::Ready(result) = Pin::new(&mut transfer).poll(cx) {
                return Poll::Ready(Some(result));
            }
            if Pin::new(&mut timer).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            Poll::Pending
        })
        .await;
        let Some(result) = outcome else {
            if self.gone.get() {
                return Err(PipeError::Disconnected);
            }
            self.pending_in = Some(transfer);
            return Err(PipeError::Timeout);
        };
        let result = result.map_err(|e| self.transfer_error(&e))?;
        match result.status() {
            UsbTransferStatus::Ok => Ok(result
                .data()
                .map(|view| {
                    js_sys::Uint8Array::new_with_byte_offset_and_length(
                        &view.buffer(),
                        view.byte_offset() as u32,
                        view.byte_length() as u32,
                    )
                    .to_vec()
                })
                .unwrap_or_default()),
            UsbTransferStatus::Stall => Err(PipeError::Stalled),
            other => Err(PipeError::Io(format!("transfer status {other:?}"))),
        }
    }
}
