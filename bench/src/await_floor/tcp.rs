//! The await floor's stream: libuv reads into a buffer from its callbacks, a future takes
//! the bytes out; writes go through `uv_try_write` and are whole (the messages are small).

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::ptr;
use std::rc::Rc;
use std::task::{Poll, Waker};

use libuv_sys2 as sys;

use super::Tasks;
use crate::raw::{check, tcp_pair, Loop};

/// What libuv has read from a stream and the reader has not taken yet. The bytes are cells
/// because libuv writes them through a pointer taken from a shared reference.
struct Reader {
    buf: Box<[Cell<u8>]>,
    filled: Cell<usize>,
    eof: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

impl Reader {
    fn new() -> Rc<Reader> {
        Rc::new(Reader {
            buf: (0..64 * 1024).map(|_| Cell::new(0)).collect(),
            filled: Cell::new(0),
            eof: Cell::new(false),
            waker: Cell::new(None),
        })
    }

    /// Starts reading `h` into this reader, which `h`'s `data` then points at.
    ///
    /// # Safety
    /// `h` must be an open stream that is not reading, and the reader must outlive its reads.
    unsafe fn start(self: &Rc<Reader>, h: *mut sys::uv_stream_t) {
        // SAFETY: per the contract.
        unsafe {
            (*h).data = Rc::as_ptr(self).cast_mut().cast();
            check(
                sys::uv_read_start(h, Some(on_alloc), Some(on_read)),
                "uv_read_start",
            );
        }
    }

    /// The next bytes read into `out`: how many, 0 at the end of the stream.
    fn read<'a>(&'a self, out: &'a mut [u8]) -> impl Future<Output = usize> + 'a {
        poll_fn(move |cx| {
            let filled = self.filled.get();
            if filled == 0 {
                if self.eof.get() {
                    return Poll::Ready(0);
                }
                self.waker.set(Some(cx.waker().clone()));
                return Poll::Pending;
            }
            let n = filled.min(out.len());
            let base = self.buf.as_ptr().cast::<u8>();
            // SAFETY: `buf` holds `filled` bytes; `out` has room for `n`; no callback runs
            // during a poll, so nothing writes `buf` meanwhile.
            unsafe {
                ptr::copy_nonoverlapping(base, out.as_mut_ptr(), n);
                ptr::copy(base.add(n), base.cast_mut(), filled - n);
            }
            self.filled.set(filled - n);
            Poll::Ready(n)
        })
    }
}

unsafe extern "C" fn on_alloc(h: *mut sys::uv_handle_t, _: usize, buf: *mut sys::uv_buf_t) {
    // SAFETY: `data` is the stream's Reader (see `Reader::start`); libuv writes at most the
    // free tail of its buffer, whose bytes are cells.
    unsafe {
        let reader = &*(*h).data.cast::<Reader>();
        let filled = reader.filled.get();
        let free = reader.buf.len() - filled;
        let base = reader.buf.as_ptr().add(filled).cast::<u8>().cast_mut();
        *buf = sys::uv_buf_init(base.cast(), free as u32);
    }
}

unsafe extern "C" fn on_read(s: *mut sys::uv_stream_t, nread: isize, _: *const sys::uv_buf_t) {
    // SAFETY: `data` is the stream's Reader (see `Reader::start`).
    let reader = unsafe { &*(*s).data.cast::<Reader>() };
    if nread > 0 {
        reader.filled.set(reader.filled.get() + nread as usize);
    } else if nread < 0 {
        reader.eof.set(true);
        // SAFETY: the stream is open and reading.
        unsafe { sys::uv_read_stop(s) };
    } else {
        return;
    }
    if let Some(waker) = reader.waker.take() {
        waker.wake();
    }
}

/// Writes all of `data` to `h` now.
///
/// # Safety
/// `h` must be an open, connected stream.
unsafe fn write(h: *mut sys::uv_stream_t, data: &[u8]) {
    // SAFETY: per the contract; libuv reads `data` during the call only.
    let n = unsafe {
        let buf = sys::uv_buf_init(data.as_ptr().cast_mut().cast(), data.len() as u32);
        sys::uv_try_write(h, &buf, 1)
    };
    assert_eq!(n as usize, data.len(), "short uv_try_write");
}

/// Echo round trips of `size`-byte messages, as uvco's `tcp_echo`: a background task echoes
/// what it reads, and the run's task writes each message and reads it back.
pub fn tcp_echo(lp: &Loop, size: usize) -> impl FnMut(u64) {
    // SAFETY: the loop lives as long as the process.
    let pair = unsafe { tcp_pair(lp.ptr()) };
    let (client, server) = (pair.client.cast::<sys::uv_stream_t>(), pair.server.cast());
    let (client_reader, server_reader) = (Reader::new(), Reader::new());
    // SAFETY: both sides are open and connected; the server side stops the pair's drain
    // first. The readers live in this closure, as the pair does.
    unsafe {
        sys::uv_read_stop(server);
        server_reader.start(server);
        client_reader.start(client);
    }
    let mut tasks = Tasks::new(lp.ptr(), 2);
    let reader = server_reader.clone();
    tasks.spawn(
        Box::pin(async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = reader.read(&mut buf).await;
                if n == 0 {
                    break;
                }
                // SAFETY: the pair's server side is open.
                unsafe { write(server, &buf[..n]) };
            }
        }),
        true,
    );
    let data: Rc<[u8]> = vec![0x5au8; size].into();
    move |n| {
        let _keep = (&pair, &server_reader);
        let (reader, data) = (client_reader.clone(), data.clone());
        tasks.spawn(
            Box::pin(async move {
                let mut back = vec![0u8; size];
                for _ in 0..n {
                    // SAFETY: the pair's client side is open.
                    unsafe { write(client, &data) };
                    let mut got = 0;
                    while got < size {
                        let read = reader.read(&mut back[got..]).await;
                        assert!(read > 0, "echo: the stream ended");
                        got += read;
                    }
                }
            }),
            false,
        );
        tasks.run();
    }
}
