//! The await floor's fs requests: one future per request, owning it (see the module's docs
//! for what that leaves out), submitted on its first poll.

use std::cell::Cell;
use std::ffi::{c_int, CStr};
use std::future::Future;
use std::hint::black_box;
use std::mem::zeroed;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use libuv_sys2 as sys;

use super::{prepare, run_main, Tasks};
use crate::raw::Loop;

/// A request and what its callback records; `req` first, so the callback finds the rest.
#[repr(C)]
struct Request {
    req: sys::uv_fs_t,
    done: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

impl Request {
    fn new() -> Box<Request> {
        Box::new(Request {
            // SAFETY: a zeroed request is what the uv_fs_* functions expect.
            req: unsafe { zeroed() },
            done: Cell::new(false),
            waker: Cell::new(None),
        })
    }
}

unsafe extern "C" fn on_done(req: *mut sys::uv_fs_t) {
    // SAFETY: the request is the first field of a repr(C) Request, live until it completes.
    let request = unsafe { &*req.cast::<Request>() };
    request.done.set(true);
    if let Some(waker) = request.waker.take() {
        waker.wake();
    }
}

/// One fs request, which `submit` starts (given the request and the callback) on the first
/// poll. It resolves to what `output` reads of the completed request (which then is
/// cleaned up).
struct Fs<'a, S, O> {
    request: &'a mut Request,
    submit: S,
    output: O,
    submitted: bool,
}

fn fs<S, O>(request: &mut Request, submit: S, output: O) -> Fs<'_, S, O>
where
    S: Fn(*mut sys::uv_fs_t, sys::uv_fs_cb) -> c_int + Unpin,
    O: Fn(&sys::uv_fs_t) -> i64 + Unpin,
{
    Fs {
        request,
        submit,
        output,
        submitted: false,
    }
}

/// The output of the requests whose result is all they produce.
fn result(req: &sys::uv_fs_t) -> i64 {
    req.result as i64
}

impl<S, O> Future for Fs<'_, S, O>
where
    S: Fn(*mut sys::uv_fs_t, sys::uv_fs_cb) -> c_int + Unpin,
    O: Fn(&sys::uv_fs_t) -> i64 + Unpin,
{
    type Output = i64;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        let this = &mut *self;
        if !this.submitted {
            this.submitted = true;
            this.request.done.set(false);
            let ret = (this.submit)(&raw mut this.request.req, Some(on_done));
            assert_eq!(ret, 0, "uv_fs_* submission");
            this.request.waker.set(Some(cx.waker().clone()));
            return Poll::Pending;
        }
        if !this.request.done.get() {
            return Poll::Pending;
        }
        let req = &raw mut this.request.req;
        // SAFETY: the request completed; its result (and a stat's statbuf) is filled in.
        unsafe {
            let result = (*req).result;
            assert!(result >= 0, "uv_fs_* failed: {result}");
            let output = (this.output)(&*req);
            sys::uv_fs_req_cleanup(req);
            Poll::Ready(output)
        }
    }
}

/// The size a stat or fstat request found.
fn size(req: &sys::uv_fs_t) -> i64 {
    req.statbuf.st_size as i64
}

/// One `uv_fs_stat` of `path` into `request`: the size. A plain future, not an `async fn`,
/// so that a loop awaiting it is one state machine, not two.
fn stat<'a>(
    lp: *mut sys::uv_loop_t,
    request: &'a mut Request,
    path: &'a CStr,
) -> impl Future<Output = i64> + 'a {
    let submit = move |req, cb| {
        // SAFETY: an idle request (the previous one completed and was cleaned up), awaited
        // to completion, so it outlives the operation; libuv copies the path.
        unsafe { sys::uv_fs_stat(lp, req, path.as_ptr(), cb) }
    };
    fs(request, submit, size)
}

/// `uv_fs_stat` of `path` n times, one at a time, each awaited by one future.
pub fn fs_stat(lp: &Loop, path: &CStr) -> impl FnMut(u64) {
    let lp = lp.ptr();
    let path = path.to_owned();
    let mut prepare = prepare(lp);
    let mut request = Request::new();
    move |n| {
        let (request, path) = (&mut *request, &*path);
        let future = pin!(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += stat(lp, request, path).await;
            }
            black_box(sum);
        });
        run_main(lp, &mut prepare, future);
    }
}

/// `width` tasks, each awaiting its share of the `n` stats one after another, as uvco's
/// `fs_stat_wide` does with spawned tasks.
pub fn fs_stat_wide(lp: &Loop, path: &CStr, width: usize) -> impl FnMut(u64) {
    let lp = lp.ptr();
    let path = Rc::new(path.to_owned());
    let mut tasks = Tasks::new(lp, width);
    move |n| {
        let width = (n as usize).min(width) as u64;
        for i in 0..width {
            let count = n / width + u64::from(i < n % width);
            let path = path.clone();
            tasks.spawn(
                Box::pin(async move {
                    let mut request = Request::new();
                    let mut sum = 0;
                    for _ in 0..count {
                        sum += stat(lp, &mut request, &path).await;
                    }
                    black_box(sum);
                }),
                false,
            );
        }
        tasks.run();
    }
}

/// open + fstat + read + close, each awaited, into `buf` (as raw's and uvco's readfile):
/// the bytes read.
async fn read_file_chain(
    lp: *mut sys::uv_loop_t,
    request: &mut Request,
    path: &CStr,
    buf: &mut [u8],
) -> usize {
    // Each request is idle when submitted (the one before completed and was cleaned up) and
    // awaited to completion; libuv copies the path.
    let open = |req, cb| {
        // SAFETY: as said above.
        unsafe { sys::uv_fs_open(lp, req, path.as_ptr(), 0, 0, cb) }
    };
    let fd = fs(request, open, result).await as c_int;
    let fstat = |req, cb| {
        // SAFETY: as said above; `fd` is open.
        unsafe { sys::uv_fs_fstat(lp, req, fd, cb) }
    };
    let len = (fs(request, fstat, size).await as usize).min(buf.len());
    // SAFETY: `buf` holds `len` bytes.
    let uvbuf = unsafe { sys::uv_buf_init(buf.as_mut_ptr().cast(), len as u32) };
    let read = |req, cb| {
        // SAFETY: as said above; `buf` and `uvbuf` outlive the read, which is awaited.
        unsafe { sys::uv_fs_read(lp, req, fd, &uvbuf, 1, 0, cb) }
    };
    let read = fs(request, read, result).await as usize;
    let close = |req, cb| {
        // SAFETY: as said above; `fd` is open.
        unsafe { sys::uv_fs_close(lp, req, fd, cb) }
    };
    fs(request, close, result).await;
    read
}

/// Reads the whole (small) file at `path` n times, into one reused buffer of `cap` bytes.
pub fn readfile(lp: &Loop, path: &CStr, cap: usize) -> impl FnMut(u64) {
    let lp = lp.ptr();
    let path = path.to_owned();
    let mut prepare = prepare(lp);
    let mut request = Request::new();
    let mut buf = vec![0u8; cap];
    move |n| {
        let (request, path, buf) = (&mut *request, &*path, &mut *buf);
        let future = pin!(async move {
            let mut bytes = 0;
            for _ in 0..n {
                bytes += read_file_chain(lp, request, path, buf).await;
            }
            black_box(bytes);
        });
        run_main(lp, &mut prepare, future);
    }
}
