//! `hyper::rt::Read` and `Write` for [`UnixStream`](super::UnixStream). A child of `net::unix`
//! (through a `#[path]` there), because the impls reach the stream core in its private field.

crate::hyper::impl_rt_io!(super::UnixStream);
