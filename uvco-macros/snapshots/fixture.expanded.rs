// The expansion of `#[uv_awaitable]` in tests/fixtures/requests.rs.
// Checked by src/snapshot_tests.rs; re-bless with `UVCO_BLESS=1 cargo test -p uvco-macros`.

/// Equivalent to stat(2).
///
/// Future of [`uv_fs_stat`](uvco::sys::uv_fs_stat): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsStat<K = ()>(::uvco::__private::OpOf<UvFsStat, K>);
#[allow(dead_code)]
impl UvFsStat {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_stat;
    /// Submits [`uv_fs_stat`](uvco::sys::uv_fs_stat) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsStat {
    type Fn = ::uvco::__private::fns::uv_fs_stat;
    type Args = (*const c_char,);
    type With<K> = UvFsStat<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_stat(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsStat<K> {
        UvFsStat(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsStat<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_stat>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to preadv(2).
///
/// Future of [`uv_fs_read`](uvco::sys::uv_fs_read): an [`Awaitable`](uvco::Awaitable). `bufs` must
/// point into the kept value.
#[must_use = "dropping this future cancels the request"]
struct FsRead<K = ()>(::uvco::__private::OpOf<FsRead, K>);
#[allow(dead_code)]
impl FsRead {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        *const uv_buf_t,
        c_uint,
        i64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_read;
}
unsafe impl ::uvco::Awaitable for FsRead {
    type Fn = ::uvco::__private::fns::uv_fs_read;
    type Args = (uv_file, *const uv_buf_t, c_uint, i64);
    type With<K> = FsRead<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, bufs, nbufs, offset) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe {
            sys::uv_fs_read(current_loop(), req, file, bufs, nbufs, offset, Self::CB)
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> FsRead<K> {
        FsRead(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for FsRead<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_read>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Asynchronous getaddrinfo(3).
///
/// Future of [`uv_getaddrinfo`](uvco::sys::uv_getaddrinfo): an [`Awaitable`](uvco::Awaitable).
#[cfg(unix)]
#[allow(clippy::too_many_arguments)]
#[deprecated = "use `uvco::dns::lookup`"]
#[must_use = "dropping this future cancels the request"]
pub struct UvGetaddrinfo<K = ()>(::uvco::__private::OpOf<UvGetaddrinfo, K>);
#[cfg(unix)]
#[allow(clippy::too_many_arguments)]
#[allow(deprecated)]
#[allow(dead_code)]
impl UvGetaddrinfo {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_getaddrinfo_t,
        uv_getaddrinfo_cb,
        *const c_char,
        *const c_char,
        *const addrinfo,
    ) -> c_int = ::uvco::__private::sys::uv_getaddrinfo;
    /// Submits [`uv_getaddrinfo`](uvco::sys::uv_getaddrinfo) ([safety](uvco::uv_awaitable#safety)).
    #[deprecated = "use `uvco::dns::lookup`"]
    pub unsafe fn new(
        node: *const c_char,
        service: *const c_char,
        hints: *const addrinfo,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((node, service, hints)) })
    }
}
#[cfg(unix)]
#[allow(clippy::too_many_arguments)]
#[allow(deprecated)]
unsafe impl ::uvco::Awaitable for UvGetaddrinfo {
    type Fn = ::uvco::__private::fns::uv_getaddrinfo;
    type Args = (*const c_char, *const c_char, *const addrinfo);
    type With<K> = UvGetaddrinfo<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (node, service, hints) = args;
        const {
            (
                is_request_of::<uv_getaddrinfo_t, Self>(),
                is_callback_of::<uv_getaddrinfo_cb, Self>(),
            )
        };
        unsafe {
            sys::uv_getaddrinfo(current_loop(), req, Self::CB, node, service, hints)
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvGetaddrinfo<K> {
        UvGetaddrinfo(op)
    }
}
#[cfg(unix)]
#[allow(clippy::too_many_arguments)]
#[allow(deprecated)]
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvGetaddrinfo<K> {
    type Output = K::Output<::uvco::__private::fns::uv_getaddrinfo>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Writes data to a stream, in order.
///
/// Future of [`uv_write`](uvco::sys::uv_write): an [`Awaitable`](uvco::Awaitable). `bufs` must
/// point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub(crate) struct UvWrite<K = ()>(::uvco::__private::OpOf<UvWrite, K>);
#[allow(dead_code)]
impl UvWrite {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_write_t,
        *mut uv_stream_t,
        *const uv_buf_t,
        c_uint,
        uv_write_cb,
    ) -> c_int = ::uvco::__private::sys::uv_write;
}
unsafe impl ::uvco::Awaitable for UvWrite {
    type Fn = ::uvco::__private::fns::uv_write;
    type Args = (*mut uv_stream_t, *const uv_buf_t, c_uint);
    type With<K> = UvWrite<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (handle, bufs, nbufs) = args;
        const {
            (is_request_of::<uv_write_t, Self>(), is_callback_of::<uv_write_cb, Self>())
        };
        unsafe { sys::uv_write(req, handle, bufs, nbufs, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvWrite<K> {
        UvWrite(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvWrite<K> {
    type Output = K::Output<::uvco::__private::fns::uv_write>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Future of [`uv_queue_work`](uvco::sys::uv_queue_work): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
struct UvQueueWork<K = ()>(::uvco::__private::OpOf<UvQueueWork, K>);
#[allow(dead_code)]
impl UvQueueWork {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_work_t,
        uv_work_cb,
        uv_after_work_cb,
    ) -> c_int = ::uvco::__private::sys::uv_queue_work;
    /// Submits [`uv_queue_work`](uvco::sys::uv_queue_work) ([safety](uvco::uv_awaitable#safety)).
    unsafe fn new(work_cb: uv_work_cb) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((work_cb,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvQueueWork {
    type Fn = ::uvco::__private::fns::uv_queue_work;
    type Args = (uv_work_cb,);
    type With<K> = UvQueueWork<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (work_cb,) = args;
        const {
            (
                is_request_of::<uv_work_t, Self>(),
                is_callback_of::<uv_after_work_cb, Self>(),
            )
        };
        unsafe { sys::uv_queue_work(current_loop(), req, work_cb, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvQueueWork<K> {
        UvQueueWork(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvQueueWork<K> {
    type Output = K::Output<::uvco::__private::fns::uv_queue_work>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
