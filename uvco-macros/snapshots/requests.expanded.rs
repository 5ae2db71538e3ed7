// The expansion of `#[uv_awaitable]` in ../src/requests.rs.
// Checked by src/snapshot_tests.rs; re-bless with `UVCO_BLESS=1 cargo test -p uvco-macros`.

/// Equivalent to close(2).
///
/// Future of [`uv_fs_close`](uvco::sys::uv_fs_close):
/// [output](uvco::kind::fns::uv_fs_close),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsClose<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_close, K>,
);
#[allow(dead_code)]
impl UvFsClose {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_close;
    unsafe fn call(req: *mut uv_fs_t, (file,): (uv_file,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_close;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_close(current_loop(), req.cast(), file, callback::<F>()) }
    }
    /// Submits [`uv_fs_close`](uvco::sys::uv_fs_close) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit((file,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
    ) -> UvFsClose<::uvco::Keep<K>> {
        UvFsClose(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_close, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsClose<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_close>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to open(2); resolves to the new file descriptor.
///
/// Future of [`uv_fs_open`](uvco::sys::uv_fs_open): [output](uvco::kind::fns::uv_fs_open),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsOpen<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_open, K>,
);
#[allow(dead_code)]
impl UvFsOpen {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_open;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, flags, mode): (*const c_char, c_int, c_int),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_open;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_open(
                current_loop(),
                req.cast(),
                path,
                flags,
                mode,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_open`](uvco::sys::uv_fs_open) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, flags: c_int, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, flags, mode), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int, c_int),
    ) -> UvFsOpen<::uvco::Keep<K>> {
        UvFsOpen(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_open, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsOpen<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_open>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to preadv(2); an offset below 0 reads at the current position.
///
/// Future of [`uv_fs_read`](uvco::sys::uv_fs_read): [output](uvco::kind::fns::uv_fs_read),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRead<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_read, K>,
);
#[allow(dead_code)]
impl UvFsRead {
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
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, *const uv_buf_t, c_uint, i64),
    ) -> UvFsRead<::uvco::Keep<K>> {
        UvFsRead(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (uv_file, *const uv_buf_t, c_uint, i64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_read, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRead<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_read>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to unlink(2).
///
/// Future of [`uv_fs_unlink`](uvco::sys::uv_fs_unlink):
/// [output](uvco::kind::fns::uv_fs_unlink),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsUnlink<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_unlink, K>,
);
#[allow(dead_code)]
impl UvFsUnlink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_unlink;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_unlink;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_unlink(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_unlink`](uvco::sys::uv_fs_unlink) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsUnlink<::uvco::Keep<K>> {
        UvFsUnlink(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_unlink, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsUnlink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_unlink>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to pwritev(2); an offset below 0 writes at the current position.
///
/// Future of [`uv_fs_write`](uvco::sys::uv_fs_write):
/// [output](uvco::kind::fns::uv_fs_write),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvFsWrite<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_write, K>,
);
#[allow(dead_code)]
impl UvFsWrite {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        *const uv_buf_t,
        c_uint,
        i64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_write;
    unsafe fn call(
        req: *mut uv_fs_t,
        (file, bufs, nbufs, offset): (uv_file, *const uv_buf_t, c_uint, i64),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_write;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_write(
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
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, *const uv_buf_t, c_uint, i64),
    ) -> UvFsWrite<::uvco::Keep<K>> {
        UvFsWrite(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (uv_file, *const uv_buf_t, c_uint, i64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_write, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsWrite<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_write>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Copies a file from `path` to `new_path`.
///
/// Future of [`uv_fs_copyfile`](uvco::sys::uv_fs_copyfile):
/// [output](uvco::kind::fns::uv_fs_copyfile),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsCopyfile<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_copyfile, K>,
);
#[allow(dead_code)]
impl UvFsCopyfile {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_copyfile;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, new_path, flags): (*const c_char, *const c_char, c_int),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_copyfile;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_copyfile(
                current_loop(),
                req.cast(),
                path,
                new_path,
                flags,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_copyfile`](uvco::sys::uv_fs_copyfile)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, new_path, flags), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char, c_int),
    ) -> UvFsCopyfile<::uvco::Keep<K>> {
        UvFsCopyfile(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_copyfile, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsCopyfile<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_copyfile>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to mkdir(2).
///
/// Future of [`uv_fs_mkdir`](uvco::sys::uv_fs_mkdir):
/// [output](uvco::kind::fns::uv_fs_mkdir),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsMkdir<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_mkdir, K>,
);
#[allow(dead_code)]
impl UvFsMkdir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_mkdir;
    unsafe fn call(req: *mut uv_fs_t, (path, mode): (*const c_char, c_int)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_mkdir;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_mkdir(current_loop(), req.cast(), path, mode, callback::<F>())
        }
    }
    /// Submits [`uv_fs_mkdir`](uvco::sys::uv_fs_mkdir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, mode), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
    ) -> UvFsMkdir<::uvco::Keep<K>> {
        UvFsMkdir(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_mkdir, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsMkdir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_mkdir>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to mkdtemp(3); resolves to the created path.
///
/// Future of [`uv_fs_mkdtemp`](uvco::sys::uv_fs_mkdtemp):
/// [output](uvco::kind::fns::uv_fs_mkdtemp),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsMkdtemp<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_mkdtemp, K>,
);
#[allow(dead_code)]
impl UvFsMkdtemp {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_mkdtemp;
    unsafe fn call(req: *mut uv_fs_t, (tpl,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_mkdtemp;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_mkdtemp(current_loop(), req.cast(), tpl, callback::<F>()) }
    }
    /// Submits [`uv_fs_mkdtemp`](uvco::sys::uv_fs_mkdtemp)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(tpl: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((tpl,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsMkdtemp<::uvco::Keep<K>> {
        UvFsMkdtemp(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_mkdtemp, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsMkdtemp<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_mkdtemp>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to mkstemp(3); resolves to the fd and the created path.
///
/// Future of [`uv_fs_mkstemp`](uvco::sys::uv_fs_mkstemp):
/// [output](uvco::kind::fns::uv_fs_mkstemp),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsMkstemp<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_mkstemp, K>,
);
#[allow(dead_code)]
impl UvFsMkstemp {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_mkstemp;
    unsafe fn call(req: *mut uv_fs_t, (tpl,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_mkstemp;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_mkstemp(current_loop(), req.cast(), tpl, callback::<F>()) }
    }
    /// Submits [`uv_fs_mkstemp`](uvco::sys::uv_fs_mkstemp)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(tpl: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((tpl,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsMkstemp<::uvco::Keep<K>> {
        UvFsMkstemp(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_mkstemp, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsMkstemp<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_mkstemp>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to rmdir(2).
///
/// Future of [`uv_fs_rmdir`](uvco::sys::uv_fs_rmdir):
/// [output](uvco::kind::fns::uv_fs_rmdir),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRmdir<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_rmdir, K>,
);
#[allow(dead_code)]
impl UvFsRmdir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_rmdir;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_rmdir;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_rmdir(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_rmdir`](uvco::sys::uv_fs_rmdir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsRmdir<::uvco::Keep<K>> {
        UvFsRmdir(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_rmdir, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRmdir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_rmdir>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to scandir(3); resolves to the entries.
///
/// Future of [`uv_fs_scandir`](uvco::sys::uv_fs_scandir):
/// [output](uvco::kind::fns::uv_fs_scandir),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsScandir<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_scandir, K>,
);
#[allow(dead_code)]
impl UvFsScandir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_scandir;
    unsafe fn call(req: *mut uv_fs_t, (path, flags): (*const c_char, c_int)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_scandir;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_scandir(current_loop(), req.cast(), path, flags, callback::<F>())
        }
    }
    /// Submits [`uv_fs_scandir`](uvco::sys::uv_fs_scandir)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, flags: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, flags), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
    ) -> UvFsScandir<::uvco::Keep<K>> {
        UvFsScandir(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_scandir, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsScandir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_scandir>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Opens a directory stream; resolves to it (closed when dropped unless taken).
///
/// Future of [`uv_fs_opendir`](uvco::sys::uv_fs_opendir):
/// [output](uvco::kind::fns::uv_fs_opendir),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsOpendir<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_opendir, K>,
);
#[allow(dead_code)]
impl UvFsOpendir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_opendir;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_opendir;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_opendir(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_opendir`](uvco::sys::uv_fs_opendir)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsOpendir<::uvco::Keep<K>> {
        UvFsOpendir(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_opendir, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsOpendir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_opendir>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Reads up to `dir.nentries` entries from a directory stream into `dir.dirents`.
///
/// Future of [`uv_fs_readdir`](uvco::sys::uv_fs_readdir):
/// [output](uvco::kind::fns::uv_fs_readdir),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `dir` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvFsReaddir<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_readdir, K>,
);
#[allow(dead_code)]
impl UvFsReaddir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *mut uv_dir_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_readdir;
    unsafe fn call(req: *mut uv_fs_t, (dir,): (*mut uv_dir_t,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_readdir;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_readdir(current_loop(), req.cast(), dir, callback::<F>()) }
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_dir_t,),
    ) -> UvFsReaddir<::uvco::Keep<K>> {
        UvFsReaddir(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_dir_t,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_readdir, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsReaddir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_readdir>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Closes a directory stream and frees it.
///
/// Future of [`uv_fs_closedir`](uvco::sys::uv_fs_closedir):
/// [output](uvco::kind::fns::uv_fs_closedir),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsClosedir<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_closedir, K>,
);
#[allow(dead_code)]
impl UvFsClosedir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *mut uv_dir_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_closedir;
    unsafe fn call(req: *mut uv_fs_t, (dir,): (*mut uv_dir_t,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_closedir;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_closedir(current_loop(), req.cast(), dir, callback::<F>()) }
    }
    /// Submits [`uv_fs_closedir`](uvco::sys::uv_fs_closedir)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(dir: *mut uv_dir_t) -> Self {
        Self(unsafe { ::uvco::__private::submit((dir,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_dir_t,),
    ) -> UvFsClosedir<::uvco::Keep<K>> {
        UvFsClosedir(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_dir_t,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_closedir, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsClosedir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_closedir>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
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
/// Equivalent to fstat(2).
///
/// Future of [`uv_fs_fstat`](uvco::sys::uv_fs_fstat):
/// [output](uvco::kind::fns::uv_fs_fstat),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFstat<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_fstat, K>,
);
#[allow(dead_code)]
impl UvFsFstat {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fstat;
    unsafe fn call(req: *mut uv_fs_t, (file,): (uv_file,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_fstat;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_fstat(current_loop(), req.cast(), file, callback::<F>()) }
    }
    /// Submits [`uv_fs_fstat`](uvco::sys::uv_fs_fstat) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit((file,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
    ) -> UvFsFstat<::uvco::Keep<K>> {
        UvFsFstat(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_fstat, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFstat<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fstat>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to rename(2).
///
/// Future of [`uv_fs_rename`](uvco::sys::uv_fs_rename):
/// [output](uvco::kind::fns::uv_fs_rename),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRename<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_rename, K>,
);
#[allow(dead_code)]
impl UvFsRename {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_rename;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, new_path): (*const c_char, *const c_char),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_rename;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_rename(
                current_loop(),
                req.cast(),
                path,
                new_path,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_rename`](uvco::sys::uv_fs_rename) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, new_path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, new_path), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char),
    ) -> UvFsRename<::uvco::Keep<K>> {
        UvFsRename(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_rename, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRename<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_rename>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fsync(2).
///
/// Future of [`uv_fs_fsync`](uvco::sys::uv_fs_fsync):
/// [output](uvco::kind::fns::uv_fs_fsync),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFsync<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_fsync, K>,
);
#[allow(dead_code)]
impl UvFsFsync {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fsync;
    unsafe fn call(req: *mut uv_fs_t, (file,): (uv_file,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_fsync;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_fsync(current_loop(), req.cast(), file, callback::<F>()) }
    }
    /// Submits [`uv_fs_fsync`](uvco::sys::uv_fs_fsync) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit((file,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
    ) -> UvFsFsync<::uvco::Keep<K>> {
        UvFsFsync(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_fsync, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFsync<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fsync>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fdatasync(2).
///
/// Future of [`uv_fs_fdatasync`](uvco::sys::uv_fs_fdatasync):
/// [output](uvco::kind::fns::uv_fs_fdatasync),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFdatasync<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_fdatasync, K>,
);
#[allow(dead_code)]
impl UvFsFdatasync {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fdatasync;
    unsafe fn call(req: *mut uv_fs_t, (file,): (uv_file,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_fdatasync;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_fdatasync(current_loop(), req.cast(), file, callback::<F>())
        }
    }
    /// Submits [`uv_fs_fdatasync`](uvco::sys::uv_fs_fdatasync)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit((file,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
    ) -> UvFsFdatasync<::uvco::Keep<K>> {
        UvFsFdatasync(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_fdatasync, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFdatasync<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fdatasync>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to ftruncate(2).
///
/// Future of [`uv_fs_ftruncate`](uvco::sys::uv_fs_ftruncate):
/// [output](uvco::kind::fns::uv_fs_ftruncate),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFtruncate<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_ftruncate, K>,
);
#[allow(dead_code)]
impl UvFsFtruncate {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        i64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_ftruncate;
    unsafe fn call(req: *mut uv_fs_t, (file, offset): (uv_file, i64)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_ftruncate;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_ftruncate(
                current_loop(),
                req.cast(),
                file,
                offset,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_ftruncate`](uvco::sys::uv_fs_ftruncate)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, offset: i64) -> Self {
        Self(unsafe { ::uvco::__private::submit((file, offset), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, i64),
    ) -> UvFsFtruncate<::uvco::Keep<K>> {
        UvFsFtruncate(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, i64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_ftruncate, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFtruncate<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_ftruncate>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Limited equivalent to sendfile(2).
///
/// Future of [`uv_fs_sendfile`](uvco::sys::uv_fs_sendfile):
/// [output](uvco::kind::fns::uv_fs_sendfile),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsSendfile<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_sendfile, K>,
);
#[allow(dead_code)]
impl UvFsSendfile {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_file,
        i64,
        usize,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_sendfile;
    unsafe fn call(
        req: *mut uv_fs_t,
        (out_fd, in_fd, in_offset, length): (uv_file, uv_file, i64, usize),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_sendfile;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_sendfile(
                current_loop(),
                req.cast(),
                out_fd,
                in_fd,
                in_offset,
                length,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_sendfile`](uvco::sys::uv_fs_sendfile)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        out_fd: uv_file,
        in_fd: uv_file,
        in_offset: i64,
        length: usize,
    ) -> Self {
        Self(unsafe {
            ::uvco::__private::submit((out_fd, in_fd, in_offset, length), Self::call)
        })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, uv_file, i64, usize),
    ) -> UvFsSendfile<::uvco::Keep<K>> {
        UvFsSendfile(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, uv_file, i64, usize),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_sendfile, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsSendfile<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_sendfile>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to access(2).
///
/// Future of [`uv_fs_access`](uvco::sys::uv_fs_access):
/// [output](uvco::kind::fns::uv_fs_access),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsAccess<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_access, K>,
);
#[allow(dead_code)]
impl UvFsAccess {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_access;
    unsafe fn call(req: *mut uv_fs_t, (path, mode): (*const c_char, c_int)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_access;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_access(current_loop(), req.cast(), path, mode, callback::<F>())
        }
    }
    /// Submits [`uv_fs_access`](uvco::sys::uv_fs_access) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, mode), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
    ) -> UvFsAccess<::uvco::Keep<K>> {
        UvFsAccess(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_access, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsAccess<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_access>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to chmod(2).
///
/// Future of [`uv_fs_chmod`](uvco::sys::uv_fs_chmod):
/// [output](uvco::kind::fns::uv_fs_chmod),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsChmod<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_chmod, K>,
);
#[allow(dead_code)]
impl UvFsChmod {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_chmod;
    unsafe fn call(req: *mut uv_fs_t, (path, mode): (*const c_char, c_int)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_chmod;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_chmod(current_loop(), req.cast(), path, mode, callback::<F>())
        }
    }
    /// Submits [`uv_fs_chmod`](uvco::sys::uv_fs_chmod) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, mode), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
    ) -> UvFsChmod<::uvco::Keep<K>> {
        UvFsChmod(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_chmod, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsChmod<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_chmod>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to utime(2).
///
/// Future of [`uv_fs_utime`](uvco::sys::uv_fs_utime):
/// [output](uvco::kind::fns::uv_fs_utime),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsUtime<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_utime, K>,
);
#[allow(dead_code)]
impl UvFsUtime {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        f64,
        f64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_utime;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, atime, mtime): (*const c_char, f64, f64),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_utime;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_utime(
                current_loop(),
                req.cast(),
                path,
                atime,
                mtime,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_utime`](uvco::sys::uv_fs_utime) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, atime: f64, mtime: f64) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, atime, mtime), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, f64, f64),
    ) -> UvFsUtime<::uvco::Keep<K>> {
        UvFsUtime(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, f64, f64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_utime, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsUtime<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_utime>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to futimes(3).
///
/// Future of [`uv_fs_futime`](uvco::sys::uv_fs_futime):
/// [output](uvco::kind::fns::uv_fs_futime),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFutime<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_futime, K>,
);
#[allow(dead_code)]
impl UvFsFutime {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        f64,
        f64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_futime;
    unsafe fn call(
        req: *mut uv_fs_t,
        (file, atime, mtime): (uv_file, f64, f64),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_futime;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_futime(
                current_loop(),
                req.cast(),
                file,
                atime,
                mtime,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_futime`](uvco::sys::uv_fs_futime) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, atime: f64, mtime: f64) -> Self {
        Self(unsafe { ::uvco::__private::submit((file, atime, mtime), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, f64, f64),
    ) -> UvFsFutime<::uvco::Keep<K>> {
        UvFsFutime(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, f64, f64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_futime, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFutime<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_futime>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to lutimes(3).
///
/// Future of [`uv_fs_lutime`](uvco::sys::uv_fs_lutime):
/// [output](uvco::kind::fns::uv_fs_lutime),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLutime<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_lutime, K>,
);
#[allow(dead_code)]
impl UvFsLutime {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        f64,
        f64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_lutime;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, atime, mtime): (*const c_char, f64, f64),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_lutime;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_lutime(
                current_loop(),
                req.cast(),
                path,
                atime,
                mtime,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_lutime`](uvco::sys::uv_fs_lutime) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, atime: f64, mtime: f64) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, atime, mtime), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, f64, f64),
    ) -> UvFsLutime<::uvco::Keep<K>> {
        UvFsLutime(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, f64, f64),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_lutime, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLutime<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_lutime>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to lstat(2).
///
/// Future of [`uv_fs_lstat`](uvco::sys::uv_fs_lstat):
/// [output](uvco::kind::fns::uv_fs_lstat),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLstat<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_lstat, K>,
);
#[allow(dead_code)]
impl UvFsLstat {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_lstat;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_lstat;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_lstat(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_lstat`](uvco::sys::uv_fs_lstat) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsLstat<::uvco::Keep<K>> {
        UvFsLstat(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_lstat, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLstat<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_lstat>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to link(2).
///
/// Future of [`uv_fs_link`](uvco::sys::uv_fs_link): [output](uvco::kind::fns::uv_fs_link),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLink<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_link, K>,
);
#[allow(dead_code)]
impl UvFsLink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_link;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, new_path): (*const c_char, *const c_char),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_link;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_link(current_loop(), req.cast(), path, new_path, callback::<F>())
        }
    }
    /// Submits [`uv_fs_link`](uvco::sys::uv_fs_link) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, new_path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, new_path), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char),
    ) -> UvFsLink<::uvco::Keep<K>> {
        UvFsLink(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_link, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_link>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to symlink(2).
///
/// Future of [`uv_fs_symlink`](uvco::sys::uv_fs_symlink):
/// [output](uvco::kind::fns::uv_fs_symlink),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsSymlink<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_symlink, K>,
);
#[allow(dead_code)]
impl UvFsSymlink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_symlink;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, new_path, flags): (*const c_char, *const c_char, c_int),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_symlink;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_symlink(
                current_loop(),
                req.cast(),
                path,
                new_path,
                flags,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_symlink`](uvco::sys::uv_fs_symlink)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, new_path, flags), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char, c_int),
    ) -> UvFsSymlink<::uvco::Keep<K>> {
        UvFsSymlink(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, *const c_char, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_symlink, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsSymlink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_symlink>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to readlink(2); resolves to the target.
///
/// Future of [`uv_fs_readlink`](uvco::sys::uv_fs_readlink):
/// [output](uvco::kind::fns::uv_fs_readlink),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsReadlink<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_readlink, K>,
);
#[allow(dead_code)]
impl UvFsReadlink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_readlink;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_readlink;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_readlink(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_readlink`](uvco::sys::uv_fs_readlink)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsReadlink<::uvco::Keep<K>> {
        UvFsReadlink(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_readlink, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsReadlink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_readlink>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to realpath(3); resolves to the canonical path.
///
/// Future of [`uv_fs_realpath`](uvco::sys::uv_fs_realpath):
/// [output](uvco::kind::fns::uv_fs_realpath),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRealpath<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_realpath, K>,
);
#[allow(dead_code)]
impl UvFsRealpath {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_realpath;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_realpath;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_realpath(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_realpath`](uvco::sys::uv_fs_realpath)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsRealpath<::uvco::Keep<K>> {
        UvFsRealpath(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_realpath, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRealpath<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_realpath>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fchmod(2).
///
/// Future of [`uv_fs_fchmod`](uvco::sys::uv_fs_fchmod):
/// [output](uvco::kind::fns::uv_fs_fchmod),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFchmod<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_fchmod, K>,
);
#[allow(dead_code)]
impl UvFsFchmod {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fchmod;
    unsafe fn call(req: *mut uv_fs_t, (file, mode): (uv_file, c_int)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_fchmod;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_fchmod(current_loop(), req.cast(), file, mode, callback::<F>())
        }
    }
    /// Submits [`uv_fs_fchmod`](uvco::sys::uv_fs_fchmod) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((file, mode), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, c_int),
    ) -> UvFsFchmod<::uvco::Keep<K>> {
        UvFsFchmod(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_fchmod, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFchmod<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fchmod>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to chown(2).
///
/// Future of [`uv_fs_chown`](uvco::sys::uv_fs_chown):
/// [output](uvco::kind::fns::uv_fs_chown),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsChown<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_chown, K>,
);
#[allow(dead_code)]
impl UvFsChown {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_uid_t,
        uv_gid_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_chown;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, uid, gid): (*const c_char, uv_uid_t, uv_gid_t),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_chown;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_chown(current_loop(), req.cast(), path, uid, gid, callback::<F>())
        }
    }
    /// Submits [`uv_fs_chown`](uvco::sys::uv_fs_chown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, uid: uv_uid_t, gid: uv_gid_t) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, uid, gid), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, uv_uid_t, uv_gid_t),
    ) -> UvFsChown<::uvco::Keep<K>> {
        UvFsChown(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, uv_uid_t, uv_gid_t),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_chown, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsChown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_chown>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fchown(2).
///
/// Future of [`uv_fs_fchown`](uvco::sys::uv_fs_fchown):
/// [output](uvco::kind::fns::uv_fs_fchown),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFchown<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_fchown, K>,
);
#[allow(dead_code)]
impl UvFsFchown {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_uid_t,
        uv_gid_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fchown;
    unsafe fn call(
        req: *mut uv_fs_t,
        (file, uid, gid): (uv_file, uv_uid_t, uv_gid_t),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_fchown;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_fchown(
                current_loop(),
                req.cast(),
                file,
                uid,
                gid,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_fchown`](uvco::sys::uv_fs_fchown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, uid: uv_uid_t, gid: uv_gid_t) -> Self {
        Self(unsafe { ::uvco::__private::submit((file, uid, gid), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, uv_uid_t, uv_gid_t),
    ) -> UvFsFchown<::uvco::Keep<K>> {
        UvFsFchown(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_file, uv_uid_t, uv_gid_t),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_fchown, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFchown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fchown>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to lchown(2).
///
/// Future of [`uv_fs_lchown`](uvco::sys::uv_fs_lchown):
/// [output](uvco::kind::fns::uv_fs_lchown),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLchown<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_lchown, K>,
);
#[allow(dead_code)]
impl UvFsLchown {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_uid_t,
        uv_gid_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_lchown;
    unsafe fn call(
        req: *mut uv_fs_t,
        (path, uid, gid): (*const c_char, uv_uid_t, uv_gid_t),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_lchown;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe {
            sys::uv_fs_lchown(
                current_loop(),
                req.cast(),
                path,
                uid,
                gid,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_fs_lchown`](uvco::sys::uv_fs_lchown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, uid: uv_uid_t, gid: uv_gid_t) -> Self {
        Self(unsafe { ::uvco::__private::submit((path, uid, gid), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, uv_uid_t, uv_gid_t),
    ) -> UvFsLchown<::uvco::Keep<K>> {
        UvFsLchown(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char, uv_uid_t, uv_gid_t),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_lchown, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLchown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_lchown>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to statfs(2); resolves to the statistics.
///
/// Future of [`uv_fs_statfs`](uvco::sys::uv_fs_statfs):
/// [output](uvco::kind::fns::uv_fs_statfs),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsStatfs<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_fs_statfs, K>,
);
#[allow(dead_code)]
impl UvFsStatfs {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_statfs;
    unsafe fn call(req: *mut uv_fs_t, (path,): (*const c_char,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_fs_statfs;
        const { (is_request_of::<uv_fs_t, F>(), is_callback_of::<uv_fs_cb, F>()) };
        unsafe { sys::uv_fs_statfs(current_loop(), req.cast(), path, callback::<F>()) }
    }
    /// Submits [`uv_fs_statfs`](uvco::sys::uv_fs_statfs) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit((path,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
    ) -> UvFsStatfs<::uvco::Keep<K>> {
        UvFsStatfs(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const c_char,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_fs_statfs, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsStatfs<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_statfs>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Asynchronous getaddrinfo(3); libuv copies `node`, `service` and `hints`.
///
/// Future of [`uv_getaddrinfo`](uvco::sys::uv_getaddrinfo):
/// [output](uvco::kind::fns::uv_getaddrinfo),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvGetaddrinfo<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_getaddrinfo, K>,
);
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
    pub unsafe fn new(
        node: *const c_char,
        service: *const c_char,
        hints: *const addrinfo,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit((node, service, hints), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
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
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvGetaddrinfo<K> {
    type Output = K::Output<::uvco::__private::fns::uv_getaddrinfo>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Asynchronous getnameinfo(3); libuv copies `addr`.
///
/// Future of [`uv_getnameinfo`](uvco::sys::uv_getnameinfo):
/// [output](uvco::kind::fns::uv_getnameinfo),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvGetnameinfo<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_getnameinfo, K>,
);
#[allow(dead_code)]
impl UvGetnameinfo {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_getnameinfo_t,
        uv_getnameinfo_cb,
        *const sockaddr,
        c_int,
    ) -> c_int = ::uvco::__private::sys::uv_getnameinfo;
    unsafe fn call(
        req: *mut uv_getnameinfo_t,
        (addr, flags): (*const sockaddr, c_int),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_getnameinfo;
        const {
            (
                is_request_of::<uv_getnameinfo_t, F>(),
                is_callback_of::<uv_getnameinfo_cb, F>(),
            )
        };
        unsafe {
            sys::uv_getnameinfo(current_loop(), req.cast(), callback::<F>(), addr, flags)
        }
    }
    /// Submits [`uv_getnameinfo`](uvco::sys::uv_getnameinfo)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(addr: *const sockaddr, flags: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit((addr, flags), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const sockaddr, c_int),
    ) -> UvGetnameinfo<::uvco::Keep<K>> {
        UvGetnameinfo(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*const sockaddr, c_int),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_getnameinfo, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvGetnameinfo<K> {
    type Output = K::Output<::uvco::__private::fns::uv_getnameinfo>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Writes data to a stream, in order; libuv copies the `uv_buf_t` array, not the bytes.
///
/// Future of [`uv_write`](uvco::sys::uv_write): [output](uvco::kind::fns::uv_write),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvWrite<K = ()>(::uvco::__private::Op<::uvco::__private::fns::uv_write, K>);
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
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_stream_t, *const uv_buf_t, c_uint),
    ) -> UvWrite<::uvco::Keep<K>> {
        UvWrite(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
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
/// Writes data to a pipe, sending a handle along with it. libuv reads `send_handle` when
/// the write goes out, so that handle must stay open until the request completes.
///
/// Future of [`uv_write2`](uvco::sys::uv_write2): [output](uvco::kind::fns::uv_write2),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvWrite2<K = ()>(::uvco::__private::Op<::uvco::__private::fns::uv_write2, K>);
#[allow(dead_code)]
impl UvWrite2 {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_write_t,
        *mut uv_stream_t,
        *const uv_buf_t,
        c_uint,
        *mut uv_stream_t,
        uv_write_cb,
    ) -> c_int = ::uvco::__private::sys::uv_write2;
    unsafe fn call(
        req: *mut uv_write_t,
        (
            handle,
            bufs,
            nbufs,
            send_handle,
        ): (*mut uv_stream_t, *const uv_buf_t, c_uint, *mut uv_stream_t),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_write2;
        const { (is_request_of::<uv_write_t, F>(), is_callback_of::<uv_write_cb, F>()) };
        unsafe {
            sys::uv_write2(req.cast(), handle, bufs, nbufs, send_handle, callback::<F>())
        }
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_stream_t, *const uv_buf_t, c_uint, *mut uv_stream_t),
    ) -> UvWrite2<::uvco::Keep<K>> {
        UvWrite2(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_stream_t, *const uv_buf_t, c_uint, *mut uv_stream_t),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_write2, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvWrite2<K> {
    type Output = K::Output<::uvco::__private::fns::uv_write2>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Connects a TCP handle; libuv copies `addr`.
///
/// Future of [`uv_tcp_connect`](uvco::sys::uv_tcp_connect):
/// [output](uvco::kind::fns::uv_tcp_connect),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvTcpConnect<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_tcp_connect, K>,
);
#[allow(dead_code)]
impl UvTcpConnect {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_connect_t,
        *mut uv_tcp_t,
        *const sockaddr,
        uv_connect_cb,
    ) -> c_int = ::uvco::__private::sys::uv_tcp_connect;
    unsafe fn call(
        req: *mut uv_connect_t,
        (handle, addr): (*mut uv_tcp_t, *const sockaddr),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_tcp_connect;
        const {
            (is_request_of::<uv_connect_t, F>(), is_callback_of::<uv_connect_cb, F>())
        };
        unsafe { sys::uv_tcp_connect(req.cast(), handle, addr, callback::<F>()) }
    }
    /// Submits [`uv_tcp_connect`](uvco::sys::uv_tcp_connect)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(handle: *mut uv_tcp_t, addr: *const sockaddr) -> Self {
        Self(unsafe { ::uvco::__private::submit((handle, addr), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_tcp_t, *const sockaddr),
    ) -> UvTcpConnect<::uvco::Keep<K>> {
        UvTcpConnect(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_tcp_t, *const sockaddr),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_tcp_connect, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvTcpConnect<K> {
    type Output = K::Output<::uvco::__private::fns::uv_tcp_connect>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Connects a pipe handle to a Unix domain socket or named pipe; libuv copies `name`.
///
/// Future of [`uv_pipe_connect2`](uvco::sys::uv_pipe_connect2):
/// [output](uvco::kind::fns::uv_pipe_connect2),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvPipeConnect2<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_pipe_connect2, K>,
);
#[allow(dead_code)]
impl UvPipeConnect2 {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_connect_t,
        *mut uv_pipe_t,
        *const c_char,
        usize,
        c_uint,
        uv_connect_cb,
    ) -> c_int = ::uvco::__private::sys::uv_pipe_connect2;
    unsafe fn call(
        req: *mut uv_connect_t,
        (handle, name, namelen, flags): (*mut uv_pipe_t, *const c_char, usize, c_uint),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_pipe_connect2;
        const {
            (is_request_of::<uv_connect_t, F>(), is_callback_of::<uv_connect_cb, F>())
        };
        unsafe {
            sys::uv_pipe_connect2(
                req.cast(),
                handle,
                name,
                namelen,
                flags,
                callback::<F>(),
            )
        }
    }
    /// Submits [`uv_pipe_connect2`](uvco::sys::uv_pipe_connect2)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        handle: *mut uv_pipe_t,
        name: *const c_char,
        namelen: usize,
        flags: c_uint,
    ) -> Self {
        Self(unsafe {
            ::uvco::__private::submit((handle, name, namelen, flags), Self::call)
        })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_pipe_t, *const c_char, usize, c_uint),
    ) -> UvPipeConnect2<::uvco::Keep<K>> {
        UvPipeConnect2(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_pipe_t, *const c_char, usize, c_uint),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_pipe_connect2, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvPipeConnect2<K> {
    type Output = K::Output<::uvco::__private::fns::uv_pipe_connect2>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Shuts down the write side of a stream, once pending writes are done.
///
/// Future of [`uv_shutdown`](uvco::sys::uv_shutdown):
/// [output](uvco::kind::fns::uv_shutdown),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvShutdown<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_shutdown, K>,
);
#[allow(dead_code)]
impl UvShutdown {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_shutdown_t,
        *mut uv_stream_t,
        uv_shutdown_cb,
    ) -> c_int = ::uvco::__private::sys::uv_shutdown;
    unsafe fn call(req: *mut uv_shutdown_t, (handle,): (*mut uv_stream_t,)) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_shutdown;
        const {
            (is_request_of::<uv_shutdown_t, F>(), is_callback_of::<uv_shutdown_cb, F>())
        };
        unsafe { sys::uv_shutdown(req.cast(), handle, callback::<F>()) }
    }
    /// Submits [`uv_shutdown`](uvco::sys::uv_shutdown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(handle: *mut uv_stream_t) -> Self {
        Self(unsafe { ::uvco::__private::submit((handle,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_stream_t,),
    ) -> UvShutdown<::uvco::Keep<K>> {
        UvShutdown(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut uv_stream_t,),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_shutdown, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvShutdown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_shutdown>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Sends a datagram; libuv copies `addr` and the `uv_buf_t` array, not the bytes.
///
/// Future of [`uv_udp_send`](uvco::sys::uv_udp_send):
/// [output](uvco::kind::fns::uv_udp_send),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `bufs` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvUdpSend<K = ()>(
    ::uvco::__private::Op<::uvco::__private::fns::uv_udp_send, K>,
);
#[allow(dead_code)]
impl UvUdpSend {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_udp_send_t,
        *mut uv_udp_t,
        *const uv_buf_t,
        c_uint,
        *const sockaddr,
        uv_udp_send_cb,
    ) -> c_int = ::uvco::__private::sys::uv_udp_send;
    unsafe fn call(
        req: *mut uv_udp_send_t,
        (
            handle,
            bufs,
            nbufs,
            addr,
        ): (*mut uv_udp_t, *const uv_buf_t, c_uint, *const sockaddr),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_udp_send;
        const {
            (is_request_of::<uv_udp_send_t, F>(), is_callback_of::<uv_udp_send_cb, F>())
        };
        unsafe {
            sys::uv_udp_send(req.cast(), handle, bufs, nbufs, addr, callback::<F>())
        }
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_udp_t, *const uv_buf_t, c_uint, *const sockaddr),
    ) -> UvUdpSend<::uvco::Keep<K>> {
        UvUdpSend(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(
            &mut K,
        ) -> (*mut uv_udp_t, *const uv_buf_t, c_uint, *const sockaddr),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_udp_send, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvUdpSend<K> {
    type Output = K::Output<::uvco::__private::fns::uv_udp_send>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Runs `work_cb` on the threadpool. To give it context, submit with `with_keep` and find
/// the payload from the request in `work_cb` with [`keep_of`](crate::keep_of)`::<`
/// [`kind::Work`](crate::kind::Work)`, Keep<K>>(req)` (the request may start before the
/// constructor returns, so setting
/// `req.data` afterwards would race); `uvco::task::spawn_blocking` does exactly this.
///
/// Future of [`uv_queue_work`](uvco::sys::uv_queue_work):
/// [output](uvco::kind::fns::uv_queue_work),
/// [lifecycle](uvco::uv_awaitable#what-is-generated).
#[must_use = "dropping this future cancels the request"]
pub struct UvQueueWork<K = ()>(
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
    pub unsafe fn new(work_cb: uv_work_cb) -> Self {
        Self(unsafe { ::uvco::__private::submit((work_cb,), Self::call) })
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (uv_work_cb,),
    ) -> UvQueueWork<::uvco::Keep<K>> {
        UvQueueWork(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
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
/// Fills `buf` with cryptographically strong random bytes, on the threadpool.
///
/// Future of [`uv_random`](uvco::sys::uv_random): [output](uvco::kind::fns::uv_random),
/// [lifecycle](uvco::uv_awaitable#what-is-generated). `buf` must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvRandom<K = ()>(::uvco::__private::Op<::uvco::__private::fns::uv_random, K>);
#[allow(dead_code)]
impl UvRandom {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_random_t,
        *mut c_void,
        usize,
        c_uint,
        uv_random_cb,
    ) -> c_int = ::uvco::__private::sys::uv_random;
    unsafe fn call(
        req: *mut uv_random_t,
        (buf, buflen, flags): (*mut c_void, usize, c_uint),
    ) -> c_int {
        use ::uvco::__private::*;
        type F = ::uvco::__private::fns::uv_random;
        const {
            (is_request_of::<uv_random_t, F>(), is_callback_of::<uv_random_cb, F>())
        };
        unsafe {
            sys::uv_random(
                current_loop(),
                req.cast(),
                buf,
                buflen,
                flags,
                callback::<F>(),
            )
        }
    }
    /// Submits the request; `args` may point into `keep` ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn with_keep<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut c_void, usize, c_uint),
    ) -> UvRandom<::uvco::Keep<K>> {
        UvRandom(unsafe { ::uvco::__private::submit_keep(keep, args, Self::call) })
    }
    /// Submits the request; `done` gets the result
    /// ([more](uvco::uv_awaitable#the-callback-form)).
    pub unsafe fn with_callback<K: 'static>(
        keep: K,
        args: impl ::core::ops::FnOnce(&mut K) -> (*mut c_void, usize, c_uint),
        done: impl ::uvco::__private::Done<::uvco::__private::fns::uv_random, K>,
    ) -> ::core::result::Result<(), ::uvco::UvError> {
        unsafe { ::uvco::__private::submit_callback(keep, args, Self::call, done) }
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvRandom<K> {
    type Output = K::Output<::uvco::__private::fns::uv_random>;
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
