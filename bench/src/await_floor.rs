//! The least an `.await` of a libuv request can cost under the runtime's resume rule (R4 in
//! the architecture: a callback records the result and wakes the task, which is polled
//! before the loop next blocks): the fs callback sets a flag and wakes, and the loop's
//! prepare phase polls the one woken future, which reads the result and submits the next
//! request.
//!
//! Nothing else: no request slots (the future owns its request, which a dropped future would
//! leave to libuv), no cancellation, no list of what is in flight, no counters,
//! a waker with no count and no thread check, no tasks, no panic containment. It is not a
//! runtime but a yardstick: the instruction counts (`make bench-instructions`) of raw,
//! this and uvco in one row say how much of uvco's cost over raw callbacks the await itself
//! takes, and how much the rest.

use std::cell::Cell;
use std::ffi::{c_void, CStr};
use std::future::Future;
use std::hint::black_box;
use std::mem::zeroed;
use std::pin::{pin, Pin};
use std::ptr;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use libuv_sys2 as sys;

use crate::raw::Loop;

/// A request and what its callback records; `req` first, so the callback finds the rest.
#[repr(C)]
struct Request {
    req: sys::uv_fs_t,
    done: Cell<bool>,
    waker: Cell<Option<Waker>>,
}

/// The wake flag, which the waker's data points at.
type Woken = Cell<bool>;

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop_waker);

unsafe fn clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    // SAFETY: `data` is the `Woken` of a run that is still going: the future (and so every
    // clone of the waker, which only its request holds) lives inside that run.
    unsafe { (*data.cast::<Woken>()).set(true) }
}

unsafe fn drop_waker(_: *const ()) {}

unsafe extern "C" fn on_stat(req: *mut sys::uv_fs_t) {
    // SAFETY: the request is the first field of a repr(C) Request, live until it completes.
    let request = unsafe { &*req.cast::<Request>() };
    request.done.set(true);
    if let Some(waker) = request.waker.take() {
        waker.wake();
    }
}

/// One `uv_fs_stat` of `path`, awaited.
struct Stat<'a> {
    lp: *mut sys::uv_loop_t,
    request: &'a mut Request,
    path: &'a CStr,
    submitted: bool,
}

impl Future for Stat<'_> {
    type Output = i64;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<i64> {
        let this = &mut *self;
        if !this.submitted {
            this.submitted = true;
            this.request.done.set(false);
            // SAFETY: an idle request (the previous stat completed and was cleaned up); the
            // future is awaited to completion, so the request outlives it. libuv copies the
            // path.
            let ret = unsafe {
                sys::uv_fs_stat(
                    this.lp,
                    &raw mut this.request.req,
                    this.path.as_ptr(),
                    Some(on_stat),
                )
            };
            assert_eq!(ret, 0, "uv_fs_stat");
            this.request.waker.set(Some(cx.waker().clone()));
            return Poll::Pending;
        }
        if !this.request.done.get() {
            return Poll::Pending;
        }
        let req = &raw mut this.request.req;
        // SAFETY: the request completed; its result and stat are filled in.
        unsafe {
            assert!((*req).result >= 0, "uv_fs_stat failed");
            let size = (*req).statbuf.st_size as i64;
            sys::uv_fs_req_cleanup(req);
            Poll::Ready(size)
        }
    }
}

/// What the prepare callback polls: one run's future.
struct Main<'a> {
    future: Pin<&'a mut dyn Future<Output = i64>>,
    woken: &'a Woken,
    done: bool,
}

unsafe extern "C" fn on_prepare(handle: *mut sys::uv_prepare_t) {
    // SAFETY: `data` is the run's Main while the handle is started (see `fs_stat`).
    let main = unsafe { &mut *(*handle).data.cast::<Main<'_>>() };
    if !main.woken.replace(false) {
        return;
    }
    // SAFETY: the VTABLE contract: data is a Woken that outlives every clone.
    let waker =
        unsafe { Waker::from_raw(RawWaker::new(ptr::from_ref(main.woken).cast(), &VTABLE)) };
    if let Poll::Ready(sum) = main.future.as_mut().poll(&mut Context::from_waker(&waker)) {
        black_box(sum);
        main.done = true;
        // SAFETY: the loop is running on this thread.
        unsafe { sys::uv_stop((*handle).loop_) };
    }
}

/// `uv_fs_stat` of `path` n times, one at a time, each awaited as above.
pub fn fs_stat(lp: &Loop, path: &CStr) -> impl FnMut(u64) {
    let lp = lp.ptr();
    let path = path.to_owned();
    // SAFETY: zeroed handles and requests are what their init functions (and, for an fs
    // request, uv_fs_stat) expect. The handle is boxed so it stays put; it is never closed
    // (the process ends with the benchmarks).
    let (mut prepare, mut request) = unsafe {
        let prepare: Box<sys::uv_prepare_t> = Box::new(zeroed());
        let request = Box::new(Request {
            req: zeroed(),
            done: Cell::new(false),
            waker: Cell::new(None),
        });
        (prepare, request)
    };
    // SAFETY: a live loop and a fresh handle.
    unsafe { sys::uv_prepare_init(lp, &mut *prepare) };
    move |n| {
        let woken = Woken::new(true);
        let request = &mut *request;
        let path = &*path;
        let future = pin!(async move {
            let mut sum = 0;
            for _ in 0..n {
                sum += Stat {
                    lp,
                    request: &mut *request,
                    path,
                    submitted: false,
                }
                .await;
            }
            sum
        });
        let mut main = Main {
            future,
            woken: &woken,
            done: false,
        };
        // SAFETY: `main` outlives the run: the handle is stopped before it goes, and the
        // run ends only when the future is done (uv_stop in its last poll).
        unsafe {
            prepare.data = (&raw mut main).cast::<c_void>();
            sys::uv_prepare_start(&mut *prepare, Some(on_prepare));
            sys::uv_run(lp, sys::uv_run_mode_UV_RUN_DEFAULT);
            sys::uv_prepare_stop(&mut *prepare);
        }
        assert!(main.done, "the loop ended before the stats did");
    }
}
