//! The request kinds: for each, its request type, its libuv callback, its cancel rule and how a
//! result nobody takes is released (the `Kind` impls); and for each libuv request function,
//! what its finished request produces (the [`fns`] markers, `Completion` impls). This is the
//! one place that knows each kind: the macro maps a declaration's request type to its kind
//! through [`Request`], and its function name to the marker of the same name in [`fns`].

mod dns;
pub mod fns;
mod fs;

use std::ffi::{c_int, c_void};

use crate::sys;

use crate::error::UvError;
use crate::slot::{complete, Completion, Kind};

pub use dns::{AddrInfoList, Getaddrinfo, Getnameinfo, NameInfo};
pub use fs::{DirEntry, Fs, OpenDir};

/// The libuv request structs uvco can await, each mapped to the kind that completes it.
///
/// A `#[uv_awaitable]` declaration's request parameter must point to one of these; any other
/// type is this trait's error, on the declared type.
///
/// # Safety
/// `Kind::Req` is `Self`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a libuv request struct uvco can await",
    label = "not a request type uvco knows",
    note = "uvco awaits requests of type `uv_fs_t`, `uv_getaddrinfo_t`, `uv_getnameinfo_t`, `uv_write_t`, `uv_connect_t`, `uv_shutdown_t`, `uv_udp_send_t`, `uv_work_t` and `uv_random_t`"
)]
pub unsafe trait Request {
    /// The kind that completes requests of this type.
    type Kind: Kind<Req = Self>;
}

/// Kinds whose callback reports only a status and whose functions all produce `()`.
macro_rules! status_kinds {
    ($(
        $(#[$doc:meta])*
        $name:ident {
            req: $req:ident, cb: $cb:ident, cancel: $cancel:literal, args: ($($arg:ident: $ty:ty),*)
            $(, cancel_on_drop: $cancel_on_drop:path)?
        }
    )*) => {$(
        $(#[$doc])*
        #[derive(Debug)]
        pub enum $name {}

        impl $name {
            unsafe extern "C" fn callback(req: *mut sys::$req, status: c_int $(, $arg: $ty)*) {
                $(let _ = $arg;)*
                // SAFETY: libuv passes back the request of a slot submitted with CALLBACK.
                unsafe { complete::<Self>(req, status) }
            }
        }

        // SAFETY: the request type is the libuv request struct of this kind, its callback
        // completes it; `cancel` is true only where uv_cancel accepts it.
        unsafe impl Kind for $name {
            type Req = sys::$req;
            type Raw = c_int;
            type Callback = sys::$cb;
            const CALLBACK: sys::$cb = Some(Self::callback);
            const CANCEL: bool = $cancel;

            $(
                unsafe fn cancel_on_drop(req: *mut sys::$req) -> bool {
                    // SAFETY: forwarded contract (a pending request of this kind).
                    unsafe { $cancel_on_drop(req) }
                }
            )?
        }

        // SAFETY: a status holds nothing to release.
        unsafe impl Completion for $name {
            type Kind = $name;
            type Output = ();

            #[inline]
            unsafe fn output(_req: *mut sys::$req, status: c_int) -> Result<(), UvError> {
                UvError::check(status).map(drop)
            }
        }
    )*};
}

status_kinds! {
    /// `uv_write`, `uv_write2`: cancellable (libuv >= 1.52) while queued behind another write.
    Write { req: uv_write_t, cb: uv_write_cb, cancel: true, args: (), cancel_on_drop: write_not_started }
    /// `uv_tcp_connect`, `uv_pipe_connect2`: not cancellable; closing the handle ends them.
    Connect { req: uv_connect_t, cb: uv_connect_cb, cancel: false, args: () }
    /// `uv_shutdown`: not cancellable; closing the handle ends it.
    Shutdown { req: uv_shutdown_t, cb: uv_shutdown_cb, cancel: false, args: () }
    /// `uv_udp_send`: not cancellable; closing the handle ends it.
    UdpSend { req: uv_udp_send_t, cb: uv_udp_send_cb, cancel: false, args: () }
    /// `uv_queue_work`: cancellable until a threadpool thread picks it up.
    Work { req: uv_work_t, cb: uv_after_work_cb, cancel: true, args: () }
    /// `uv_random`: cancellable until a threadpool thread picks it up.
    Random { req: uv_random_t, cb: uv_random_cb, cancel: true, args: (buf: *mut c_void, buflen: usize) }
}

macro_rules! requests {
    ($($req:ident => $kind:ident),*) => {$(
        // SAFETY: the kind's request struct is this type.
        unsafe impl Request for sys::$req {
            type Kind = $kind;
        }
    )*};
}

requests! {
    uv_fs_t => Fs, uv_getaddrinfo_t => Getaddrinfo, uv_getnameinfo_t => Getnameinfo,
    uv_write_t => Write, uv_connect_t => Connect, uv_shutdown_t => Shutdown,
    uv_udp_send_t => UdpSend, uv_work_t => Work, uv_random_t => Random
}

/// Whether a pending write may be cancelled without corrupting the stream: libuv's cancel
/// also removes the write at the head of the queue, which may be half sent, and the bytes
/// of the next write would then follow a truncated message. Only writes queued behind it
/// are cancelled; the head runs to completion (or ends with the handle).
///
/// # Safety
/// `req` is a submitted, pending write request.
unsafe fn write_not_started(req: *mut sys::uv_write_t) -> bool {
    // SAFETY: a pending write holds its stream, and is linked into its write queue (or into
    // the completed queue, where cancelling is a no-op anyway).
    unsafe {
        let stream = (*req).handle;
        !stream.is_null() && (*stream).write_queue.next != &raw mut (*req).queue
    }
}

/// The loop a submitted request runs on, and whether it is a threadpool job (which libuv can't
/// cancel once a pool thread has started it): what a runtime's shutdown reports as pending.
/// `None` for a request type uvco doesn't submit.
///
/// # Safety
/// `req` is a request libuv accepted and hasn't completed. Only fields libuv doesn't write
/// while the request is in flight are read (its type, its loop, its handle's loop).
pub(crate) unsafe fn loop_of(req: *mut sys::uv_req_t) -> Option<(*mut sys::uv_loop_t, bool)> {
    // SAFETY: per the contract, `type_` says which request struct `req` is.
    unsafe {
        Some(match (*req).type_ {
            sys::uv_req_type_UV_FS => ((*req.cast::<sys::uv_fs_t>()).loop_, true),
            sys::uv_req_type_UV_WORK => ((*req.cast::<sys::uv_work_t>()).loop_, true),
            sys::uv_req_type_UV_GETADDRINFO => ((*req.cast::<sys::uv_getaddrinfo_t>()).loop_, true),
            sys::uv_req_type_UV_GETNAMEINFO => ((*req.cast::<sys::uv_getnameinfo_t>()).loop_, true),
            sys::uv_req_type_UV_RANDOM => ((*req.cast::<sys::uv_random_t>()).loop_, true),
            sys::uv_req_type_UV_WRITE => ((*(*req.cast::<sys::uv_write_t>()).handle).loop_, false),
            sys::uv_req_type_UV_CONNECT => {
                ((*(*req.cast::<sys::uv_connect_t>()).handle).loop_, false)
            }
            sys::uv_req_type_UV_SHUTDOWN => {
                ((*(*req.cast::<sys::uv_shutdown_t>()).handle).loop_, false)
            }
            sys::uv_req_type_UV_UDP_SEND => {
                ((*(*req.cast::<sys::uv_udp_send_t>()).handle).loop_, false)
            }
            _ => return None,
        })
    }
}
