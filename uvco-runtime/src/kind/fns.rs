//! One marker per libuv request function, named as the function: what its finished request
//! produces (its [`Completion`](crate::slot::Completion)). A `#[uv_awaitable]` declaration of
//! `uv_fs_stat` resolves to `Result<<fns::uv_fs_stat as Completion>::Output, UvError>`, a stat
//! buffer; a function that is not here is "cannot find type" on the declared name.
//!
//! The fs functions each have a marker of their own; the functions of the other kinds all
//! produce what their kind does, so their markers are the kind itself.

#![allow(non_camel_case_types)]

pub use super::fs::fns::*;

/// `uv_getaddrinfo`: the address list, freed when dropped.
pub type uv_getaddrinfo = super::Getaddrinfo;
/// `uv_getnameinfo`: the host and service names.
pub type uv_getnameinfo = super::Getnameinfo;
/// `uv_write`: `()`.
pub type uv_write = super::Write;
/// `uv_write2`: `()`.
pub type uv_write2 = super::Write;
/// `uv_tcp_connect`: `()`.
pub type uv_tcp_connect = super::Connect;
/// `uv_pipe_connect2`: `()`.
pub type uv_pipe_connect2 = super::Connect;
/// `uv_shutdown`: `()`.
pub type uv_shutdown = super::Shutdown;
/// `uv_udp_send`: `()`.
pub type uv_udp_send = super::UdpSend;
/// `uv_queue_work`: `()`.
pub type uv_queue_work = super::Work;
/// `uv_random`: `()` (the buffer is filled).
pub type uv_random = super::Random;
