//! `hyper::rt::Read` and `Write` for [`TcpStream`](super::TcpStream). A child of `net::tcp` (through a
//! `#[path]` there), because the impls reach the stream core in its private field.

crate::hyper::impl_rt_io!(super::TcpStream);
