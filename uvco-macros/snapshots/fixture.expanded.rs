// The expansion of `#[uv_awaitable]` in tests/fixtures/requests.rs.
// Checked by src/snapshot_tests.rs; re-bless with `UVCO_BLESS=1 cargo test -p uvco-macros`.

/// Equivalent to stat(2).
///
/// Future of [`uv_fs_stat`](uvco::sys::uv_fs_stat): [output](uvco::kind::fns::uv_fs_stat),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsStat<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_stat, K>,
);
#[allow(dead_code)]
impl UvFsStat {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_stat;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_stat;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_stat(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_stat`](uvco::sys::uv_fs_stat) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsStat<::uvco::Keep<K>> {
        UvFsStat(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_stat, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsStat<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_stat>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to preadv(2).
///
/// Future of [`uv_fs_read`](uvco::sys::uv_fs_read): [output](uvco::kind::fns::uv_fs_read),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
struct FsRead<K = ()>(::uvco::__private::Op<::uvco::__private::fns::uv_fs_read, K>);
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
    unsafe fn call(
        req: *mut uv_fs_t,
        (file, bufs, nbufs, offset): (uv_file, *const uv_buf_t, c_uint, i64),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_read;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_read(
                current_loop(),
                req.cast(),
                file,
                bufs,
                nbufs,
                offset,
                callback::<F>(),
            )
        }
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, *const uv_buf_t, c_uint, i64),
    ) -> FsRead<::uvco::Keep<K>> {
        FsRead(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (uv_file, *const uv_buf_t, c_uint, i64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_read, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for FsRead<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_read>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Asynchronous getaddrinfo(3).
///
/// Future of [`uv_getaddrinfo`](uvco::sys::uv_getaddrinfo):
/// [output](uvco::kind::fns::uv_getaddrinfo),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[cfg(unix)]
#[allow(clippy::too_many_arguments)]
#[deprecated = "use `uvco::dns::lookup`"]
#[must_use = "dropping this future cancels the request"]
pub struct UvGetaddrinfo<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_getaddrinfo, K>,
);
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
    unsafe fn call(
        req: *mut uv_getaddrinfo_t,
        (node, service, hints): (*const c_char, *const c_char, *const addrinfo),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_getaddrinfo;
        const {
            (
                is_request_of::<uv_getaddrinfo_t, F>(),
                is_callback_of::<uv_getaddrinfo_cb, F>(),
            )
        };
        unsafe {
            sys::uv_getaddrinfo(
                current_loop(),
                req.cast(),
                callback::<F>(),
                node,
                service,
                hints,
            )
        }
    }
    /// Submits [`uv_getaddrinfo`](uvco::sys::uv_getaddrinfo)
    /// ([safety](uvco::uv_awaitable#safety)).
    #[deprecated = "use `uvco::dns::lookup`"]
    pub unsafe fn new(
        node: *const c_char,
        service: *const c_char,
        hints: *const addrinfo,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit((node, service, hints), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    #[deprecated = "use `uvco::dns::lookup`"]
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*const c_char, *const c_char, *const addrinfo),
    ) -> UvGetaddrinfo<::uvco::Keep<K>> {
        UvGetaddrinfo(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    #[deprecated = "use `uvco::dns::lookup`"]
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*const c_char, *const c_char, *const addrinfo),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_getaddrinfo, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
#[cfg(unix)]
#[allow(clippy::too_many_arguments)]
#[allow(deprecated)]
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvGetaddrinfo<K> {
    type Output = K::Output<::uvco::__private::fns::uv_getaddrinfo>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Writes data to a stream, in order.
///
/// Future of [`uv_write`](uvco::sys::uv_write): [output](uvco::kind::fns::uv_write),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub(crate) struct UvWrite<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_write, K>,
);
#[allow(dead_code)]
impl UvWrite {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_write_t,
        *mut uv_stream_t,
        *const uv_buf_t,
        c_uint,
        uv_write_cb,
    ) -> c_int = ::uvco::__private::sys::uv_write;
    unsafe fn call(
        req: *mut uv_write_t,
        (handle, bufs, nbufs): (*mut uv_stream_t, *const uv_buf_t, c_uint),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_write;
        const { (is_request_of::<uv_write_t, F>(), is_callback_of::<uv_write_cb, F>()) };
        unsafe { sys::uv_write(req.cast(), handle, bufs, nbufs, callback::<F>()) }
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub(crate) unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_stream_t, *const uv_buf_t, c_uint),
    ) -> UvWrite<::uvco::Keep<K>> {
        UvWrite(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub(crate) unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_stream_t, *const uv_buf_t, c_uint),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_write, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvWrite<K> {
    type Output = K::Output<::uvco::__private::fns::uv_write>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Future of [`uv_queue_work`](uvco::sys::uv_queue_work):
/// [output](uvco::kind::fns::uv_queue_work),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
struct UvQueueWork<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_queue_work, K>,
);
#[allow(dead_code)]
impl UvQueueWork {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_work_t,
        uv_work_cb,
        uv_after_work_cb,
    ) -> c_int = ::uvco::__private::sys::uv_queue_work;
    unsafe fn call(req: *mut uv_work_t, (work_cb,): (uv_work_cb,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_queue_work;
        const {
            (is_request_of::<uv_work_t, F>(), is_callback_of::<uv_after_work_cb, F>())
        };
        unsafe {
            sys::uv_queue_work(current_loop(), req.cast(), work_cb, callback::<F>())
        }
    }
    /// Submits [`uv_queue_work`](uvco::sys::uv_queue_work)
    /// ([safety](uvco::uv_awaitable#safety)).
    unsafe fn new(work_cb: uv_work_cb) -> Self {
        Self(unsafe { ::uvco::__private::submit((work_cb,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_work_cb,),
    ) -> UvQueueWork<::uvco::Keep<K>> {
        UvQueueWork(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_work_cb,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_queue_work, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvQueueWork<K> {
    type Output = K::Output<::uvco::__private::fns::uv_queue_work>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
