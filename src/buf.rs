//! Buffers passed by ownership, for I/O that libuv may still be doing after a future is
//! dropped.
//!
//! A `uv_write` reads the caller's bytes some time after it was submitted. If the future that
//! submitted it borrowed them, dropping (or forgetting) the future would let the caller free
//! or reuse memory libuv is about to read, so borrowed writes must copy. An owned write moves
//! the buffer into the request's runtime-owned slot instead: nothing is copied, and the buffer
//! comes back with the result ([`BufResult`]), or is freed by the runtime once libuv is done
//! with it if the future was dropped. This is the completion-based style of tokio-uring and
//! compio, which own kernel-visible memory the same way.
//!
//! ```
//! use uvco::net::{TcpListener, TcpStream};
//!
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     let listener = TcpListener::bind("127.0.0.1:0")?;
//!     let mut client = TcpStream::connect(listener.local_addr()?).await?;
//!     let (mut server, _) = listener.accept().await?;
//!
//!     let body = vec![7u8; 1 << 20];
//!     let reader = uvco::spawn_local(async move {
//!         let mut got = vec![0u8; 1 << 20];
//!         let mut n = 0;
//!         while n < got.len() {
//!             n += server.read(&mut got[n..]).await?;
//!         }
//!         std::io::Result::Ok(got)
//!     });
//!     // The megabyte moves into the write request: nothing is copied, and it comes back.
//!     let (result, body) = client.write_all_owned(body).await;
//!     result?;
//!     assert_eq!(reader.await.unwrap()?, body);
//!     Ok(())
//! }
//! ```

use std::io;
use std::rc::Rc;
use std::sync::Arc;

/// The result of an operation that took a buffer by ownership, and the buffer back.
///
/// The buffer comes back whether the operation succeeded or not, so that it can be reused.
pub type BufResult<T, B> = (io::Result<T>, B);

/// A buffer of initialised bytes whose memory stays at one address while the value is
/// moved, so that libuv can read it after the value moved into a request slot.
///
/// # Safety
/// [`stable_ptr`](IoBuf::stable_ptr) must point to [`bytes_init`](IoBuf::bytes_init)
/// initialised bytes that stay valid and unchanged, at the same address, while the value is
/// alive and not accessed mutably, including after it is moved (heap memory, or `'static`
/// data; not an inline array).
pub unsafe trait IoBuf: 'static {
    /// The first byte.
    fn stable_ptr(&self) -> *const u8;

    /// How many bytes, from [`stable_ptr`](IoBuf::stable_ptr), are to be written.
    fn bytes_init(&self) -> usize;

    /// The bytes, as a slice.
    fn as_bytes(&self) -> &[u8] {
        // SAFETY: the trait's contract: `bytes_init` initialised bytes at `stable_ptr`,
        // valid while `self` is borrowed.
        unsafe { std::slice::from_raw_parts(self.stable_ptr(), self.bytes_init()) }
    }
}

// SAFETY: a Vec's elements live on the heap (or, when empty, at a dangling but aligned
// pointer with length 0); moving the Vec moves only its header.
unsafe impl IoBuf for Vec<u8> {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}

// SAFETY: as for `Vec<u8>`: the bytes are on the heap.
unsafe impl IoBuf for Box<[u8]> {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}

// SAFETY: a String is a Vec<u8>.
unsafe impl IoBuf for String {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}

// SAFETY: 'static data never moves or goes away.
unsafe impl IoBuf for &'static [u8] {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}

// SAFETY: 'static data never moves or goes away.
unsafe impl IoBuf for &'static str {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}

// SAFETY: the bytes are in the reference-counted heap block, which this clone keeps alive;
// shared owners cannot mutate them.
unsafe impl IoBuf for Rc<[u8]> {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}

// SAFETY: as for `Rc<[u8]>`.
unsafe impl IoBuf for Arc<[u8]> {
    fn stable_ptr(&self) -> *const u8 {
        self.as_ptr()
    }
    fn bytes_init(&self) -> usize {
        self.len()
    }
}
