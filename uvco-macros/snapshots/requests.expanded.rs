// The expansion of `#[uv_awaitable]` in ../src/requests.rs.
// Checked by src/snapshot_tests.rs; re-bless with `UVCO_BLESS=1 cargo test -p uvco-macros`.

/// Equivalent to close(2).
///
/// Future of [`uv_fs_close`](uvco::sys::uv_fs_close): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsClose<K = ()>(::uvco::__private::OpOf<UvFsClose, K>);
#[allow(dead_code)]
impl UvFsClose {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_close;
    /// Submits [`uv_fs_close`](uvco::sys::uv_fs_close) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsClose {
    type Fn = ::uvco::__private::fns::uv_fs_close;
    type Args = (uv_file,);
    type With<K> = UvFsClose<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_close(current_loop(), req, file, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsClose<K> {
        UvFsClose(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsClose<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_close>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to open(2); resolves to the new file descriptor.
///
/// Future of [`uv_fs_open`](uvco::sys::uv_fs_open): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsOpen<K = ()>(::uvco::__private::OpOf<UvFsOpen, K>);
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
    /// Submits [`uv_fs_open`](uvco::sys::uv_fs_open) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, flags: c_int, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, flags, mode)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsOpen {
    type Fn = ::uvco::__private::fns::uv_fs_open;
    type Args = (*const c_char, c_int, c_int);
    type With<K> = UvFsOpen<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, flags, mode) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_open(current_loop(), req, path, flags, mode, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsOpen<K> {
        UvFsOpen(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsOpen<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_open>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to preadv(2); an offset below 0 reads at the current position.
///
/// Future of [`uv_fs_read`](uvco::sys::uv_fs_read): an [`Awaitable`](uvco::Awaitable). `bufs` must
/// point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRead<K = ()>(::uvco::__private::OpOf<UvFsRead, K>);
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
}
unsafe impl ::uvco::Awaitable for UvFsRead {
    type Fn = ::uvco::__private::fns::uv_fs_read;
    type Args = (uv_file, *const uv_buf_t, c_uint, i64);
    type With<K> = UvFsRead<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, bufs, nbufs, offset) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe {
            sys::uv_fs_read(current_loop(), req, file, bufs, nbufs, offset, Self::CB)
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsRead<K> {
        UvFsRead(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRead<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_read>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to unlink(2).
///
/// Future of [`uv_fs_unlink`](uvco::sys::uv_fs_unlink): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsUnlink<K = ()>(::uvco::__private::OpOf<UvFsUnlink, K>);
#[allow(dead_code)]
impl UvFsUnlink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_unlink;
    /// Submits [`uv_fs_unlink`](uvco::sys::uv_fs_unlink) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsUnlink {
    type Fn = ::uvco::__private::fns::uv_fs_unlink;
    type Args = (*const c_char,);
    type With<K> = UvFsUnlink<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_unlink(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsUnlink<K> {
        UvFsUnlink(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsUnlink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_unlink>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to pwritev(2); an offset below 0 writes at the current position.
///
/// Future of [`uv_fs_write`](uvco::sys::uv_fs_write): an [`Awaitable`](uvco::Awaitable). `bufs`
/// must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvFsWrite<K = ()>(::uvco::__private::OpOf<UvFsWrite, K>);
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
}
unsafe impl ::uvco::Awaitable for UvFsWrite {
    type Fn = ::uvco::__private::fns::uv_fs_write;
    type Args = (uv_file, *const uv_buf_t, c_uint, i64);
    type With<K> = UvFsWrite<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, bufs, nbufs, offset) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe {
            sys::uv_fs_write(current_loop(), req, file, bufs, nbufs, offset, Self::CB)
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsWrite<K> {
        UvFsWrite(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsWrite<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_write>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Copies a file from `path` to `new_path`.
///
/// Future of [`uv_fs_copyfile`](uvco::sys::uv_fs_copyfile): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsCopyfile<K = ()>(::uvco::__private::OpOf<UvFsCopyfile, K>);
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
    /// Submits [`uv_fs_copyfile`](uvco::sys::uv_fs_copyfile) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, new_path, flags)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsCopyfile {
    type Fn = ::uvco::__private::fns::uv_fs_copyfile;
    type Args = (*const c_char, *const c_char, c_int);
    type With<K> = UvFsCopyfile<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, new_path, flags) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe {
            sys::uv_fs_copyfile(current_loop(), req, path, new_path, flags, Self::CB)
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsCopyfile<K> {
        UvFsCopyfile(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsCopyfile<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_copyfile>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to mkdir(2).
///
/// Future of [`uv_fs_mkdir`](uvco::sys::uv_fs_mkdir): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsMkdir<K = ()>(::uvco::__private::OpOf<UvFsMkdir, K>);
#[allow(dead_code)]
impl UvFsMkdir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_mkdir;
    /// Submits [`uv_fs_mkdir`](uvco::sys::uv_fs_mkdir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, mode)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsMkdir {
    type Fn = ::uvco::__private::fns::uv_fs_mkdir;
    type Args = (*const c_char, c_int);
    type With<K> = UvFsMkdir<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, mode) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_mkdir(current_loop(), req, path, mode, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsMkdir<K> {
        UvFsMkdir(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsMkdir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_mkdir>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to mkdtemp(3); resolves to the created path.
///
/// Future of [`uv_fs_mkdtemp`](uvco::sys::uv_fs_mkdtemp): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsMkdtemp<K = ()>(::uvco::__private::OpOf<UvFsMkdtemp, K>);
#[allow(dead_code)]
impl UvFsMkdtemp {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_mkdtemp;
    /// Submits [`uv_fs_mkdtemp`](uvco::sys::uv_fs_mkdtemp) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(tpl: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((tpl,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsMkdtemp {
    type Fn = ::uvco::__private::fns::uv_fs_mkdtemp;
    type Args = (*const c_char,);
    type With<K> = UvFsMkdtemp<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (tpl,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_mkdtemp(current_loop(), req, tpl, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsMkdtemp<K> {
        UvFsMkdtemp(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsMkdtemp<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_mkdtemp>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to mkstemp(3); resolves to the fd and the created path.
///
/// Future of [`uv_fs_mkstemp`](uvco::sys::uv_fs_mkstemp): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsMkstemp<K = ()>(::uvco::__private::OpOf<UvFsMkstemp, K>);
#[allow(dead_code)]
impl UvFsMkstemp {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_mkstemp;
    /// Submits [`uv_fs_mkstemp`](uvco::sys::uv_fs_mkstemp) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(tpl: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((tpl,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsMkstemp {
    type Fn = ::uvco::__private::fns::uv_fs_mkstemp;
    type Args = (*const c_char,);
    type With<K> = UvFsMkstemp<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (tpl,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_mkstemp(current_loop(), req, tpl, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsMkstemp<K> {
        UvFsMkstemp(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsMkstemp<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_mkstemp>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to rmdir(2).
///
/// Future of [`uv_fs_rmdir`](uvco::sys::uv_fs_rmdir): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRmdir<K = ()>(::uvco::__private::OpOf<UvFsRmdir, K>);
#[allow(dead_code)]
impl UvFsRmdir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_rmdir;
    /// Submits [`uv_fs_rmdir`](uvco::sys::uv_fs_rmdir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsRmdir {
    type Fn = ::uvco::__private::fns::uv_fs_rmdir;
    type Args = (*const c_char,);
    type With<K> = UvFsRmdir<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_rmdir(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsRmdir<K> {
        UvFsRmdir(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRmdir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_rmdir>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to scandir(3); resolves to the entries.
///
/// Future of [`uv_fs_scandir`](uvco::sys::uv_fs_scandir): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsScandir<K = ()>(::uvco::__private::OpOf<UvFsScandir, K>);
#[allow(dead_code)]
impl UvFsScandir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_scandir;
    /// Submits [`uv_fs_scandir`](uvco::sys::uv_fs_scandir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, flags: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, flags)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsScandir {
    type Fn = ::uvco::__private::fns::uv_fs_scandir;
    type Args = (*const c_char, c_int);
    type With<K> = UvFsScandir<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, flags) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_scandir(current_loop(), req, path, flags, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsScandir<K> {
        UvFsScandir(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsScandir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_scandir>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Opens a directory stream; resolves to it (closed when dropped unless taken).
///
/// Future of [`uv_fs_opendir`](uvco::sys::uv_fs_opendir): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsOpendir<K = ()>(::uvco::__private::OpOf<UvFsOpendir, K>);
#[allow(dead_code)]
impl UvFsOpendir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_opendir;
    /// Submits [`uv_fs_opendir`](uvco::sys::uv_fs_opendir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsOpendir {
    type Fn = ::uvco::__private::fns::uv_fs_opendir;
    type Args = (*const c_char,);
    type With<K> = UvFsOpendir<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_opendir(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsOpendir<K> {
        UvFsOpendir(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsOpendir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_opendir>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Reads up to `dir.nentries` entries from a directory stream into `dir.dirents`.
///
/// Future of [`uv_fs_readdir`](uvco::sys::uv_fs_readdir): an [`Awaitable`](uvco::Awaitable). `dir`
/// must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvFsReaddir<K = ()>(::uvco::__private::OpOf<UvFsReaddir, K>);
#[allow(dead_code)]
impl UvFsReaddir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *mut uv_dir_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_readdir;
}
unsafe impl ::uvco::Awaitable for UvFsReaddir {
    type Fn = ::uvco::__private::fns::uv_fs_readdir;
    type Args = (*mut uv_dir_t,);
    type With<K> = UvFsReaddir<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (dir,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_readdir(current_loop(), req, dir, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsReaddir<K> {
        UvFsReaddir(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsReaddir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_readdir>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Closes a directory stream and frees it.
///
/// Future of [`uv_fs_closedir`](uvco::sys::uv_fs_closedir): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsClosedir<K = ()>(::uvco::__private::OpOf<UvFsClosedir, K>);
#[allow(dead_code)]
impl UvFsClosedir {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *mut uv_dir_t,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_closedir;
    /// Submits [`uv_fs_closedir`](uvco::sys::uv_fs_closedir) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(dir: *mut uv_dir_t) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((dir,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsClosedir {
    type Fn = ::uvco::__private::fns::uv_fs_closedir;
    type Args = (*mut uv_dir_t,);
    type With<K> = UvFsClosedir<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (dir,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_closedir(current_loop(), req, dir, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsClosedir<K> {
        UvFsClosedir(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsClosedir<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_closedir>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
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
/// Equivalent to fstat(2).
///
/// Future of [`uv_fs_fstat`](uvco::sys::uv_fs_fstat): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFstat<K = ()>(::uvco::__private::OpOf<UvFsFstat, K>);
#[allow(dead_code)]
impl UvFsFstat {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fstat;
    /// Submits [`uv_fs_fstat`](uvco::sys::uv_fs_fstat) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFstat {
    type Fn = ::uvco::__private::fns::uv_fs_fstat;
    type Args = (uv_file,);
    type With<K> = UvFsFstat<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_fstat(current_loop(), req, file, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFstat<K> {
        UvFsFstat(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFstat<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fstat>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to rename(2).
///
/// Future of [`uv_fs_rename`](uvco::sys::uv_fs_rename): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRename<K = ()>(::uvco::__private::OpOf<UvFsRename, K>);
#[allow(dead_code)]
impl UvFsRename {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_rename;
    /// Submits [`uv_fs_rename`](uvco::sys::uv_fs_rename) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, new_path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, new_path)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsRename {
    type Fn = ::uvco::__private::fns::uv_fs_rename;
    type Args = (*const c_char, *const c_char);
    type With<K> = UvFsRename<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, new_path) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_rename(current_loop(), req, path, new_path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsRename<K> {
        UvFsRename(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRename<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_rename>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fsync(2).
///
/// Future of [`uv_fs_fsync`](uvco::sys::uv_fs_fsync): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFsync<K = ()>(::uvco::__private::OpOf<UvFsFsync, K>);
#[allow(dead_code)]
impl UvFsFsync {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fsync;
    /// Submits [`uv_fs_fsync`](uvco::sys::uv_fs_fsync) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFsync {
    type Fn = ::uvco::__private::fns::uv_fs_fsync;
    type Args = (uv_file,);
    type With<K> = UvFsFsync<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_fsync(current_loop(), req, file, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFsync<K> {
        UvFsFsync(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFsync<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fsync>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fdatasync(2).
///
/// Future of [`uv_fs_fdatasync`](uvco::sys::uv_fs_fdatasync): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFdatasync<K = ()>(::uvco::__private::OpOf<UvFsFdatasync, K>);
#[allow(dead_code)]
impl UvFsFdatasync {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fdatasync;
    /// Submits [`uv_fs_fdatasync`](uvco::sys::uv_fs_fdatasync) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFdatasync {
    type Fn = ::uvco::__private::fns::uv_fs_fdatasync;
    type Args = (uv_file,);
    type With<K> = UvFsFdatasync<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_fdatasync(current_loop(), req, file, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFdatasync<K> {
        UvFsFdatasync(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFdatasync<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fdatasync>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to ftruncate(2).
///
/// Future of [`uv_fs_ftruncate`](uvco::sys::uv_fs_ftruncate): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFtruncate<K = ()>(::uvco::__private::OpOf<UvFsFtruncate, K>);
#[allow(dead_code)]
impl UvFsFtruncate {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        i64,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_ftruncate;
    /// Submits [`uv_fs_ftruncate`](uvco::sys::uv_fs_ftruncate) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, offset: i64) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file, offset)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFtruncate {
    type Fn = ::uvco::__private::fns::uv_fs_ftruncate;
    type Args = (uv_file, i64);
    type With<K> = UvFsFtruncate<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, offset) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_ftruncate(current_loop(), req, file, offset, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFtruncate<K> {
        UvFsFtruncate(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFtruncate<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_ftruncate>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Limited equivalent to sendfile(2).
///
/// Future of [`uv_fs_sendfile`](uvco::sys::uv_fs_sendfile): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsSendfile<K = ()>(::uvco::__private::OpOf<UvFsSendfile, K>);
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
    /// Submits [`uv_fs_sendfile`](uvco::sys::uv_fs_sendfile) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        out_fd: uv_file,
        in_fd: uv_file,
        in_offset: i64,
        length: usize,
    ) -> Self {
        Self(unsafe {
            ::uvco::__private::submit::<Self>((out_fd, in_fd, in_offset, length))
        })
    }
}
unsafe impl ::uvco::Awaitable for UvFsSendfile {
    type Fn = ::uvco::__private::fns::uv_fs_sendfile;
    type Args = (uv_file, uv_file, i64, usize);
    type With<K> = UvFsSendfile<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (out_fd, in_fd, in_offset, length) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe {
            sys::uv_fs_sendfile(
                current_loop(),
                req,
                out_fd,
                in_fd,
                in_offset,
                length,
                Self::CB,
            )
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsSendfile<K> {
        UvFsSendfile(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsSendfile<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_sendfile>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to access(2).
///
/// Future of [`uv_fs_access`](uvco::sys::uv_fs_access): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsAccess<K = ()>(::uvco::__private::OpOf<UvFsAccess, K>);
#[allow(dead_code)]
impl UvFsAccess {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_access;
    /// Submits [`uv_fs_access`](uvco::sys::uv_fs_access) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, mode)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsAccess {
    type Fn = ::uvco::__private::fns::uv_fs_access;
    type Args = (*const c_char, c_int);
    type With<K> = UvFsAccess<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, mode) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_access(current_loop(), req, path, mode, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsAccess<K> {
        UvFsAccess(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsAccess<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_access>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to chmod(2).
///
/// Future of [`uv_fs_chmod`](uvco::sys::uv_fs_chmod): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsChmod<K = ()>(::uvco::__private::OpOf<UvFsChmod, K>);
#[allow(dead_code)]
impl UvFsChmod {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_chmod;
    /// Submits [`uv_fs_chmod`](uvco::sys::uv_fs_chmod) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, mode)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsChmod {
    type Fn = ::uvco::__private::fns::uv_fs_chmod;
    type Args = (*const c_char, c_int);
    type With<K> = UvFsChmod<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, mode) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_chmod(current_loop(), req, path, mode, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsChmod<K> {
        UvFsChmod(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsChmod<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_chmod>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to utime(2).
///
/// Future of [`uv_fs_utime`](uvco::sys::uv_fs_utime): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsUtime<K = ()>(::uvco::__private::OpOf<UvFsUtime, K>);
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
    /// Submits [`uv_fs_utime`](uvco::sys::uv_fs_utime) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, atime: f64, mtime: f64) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, atime, mtime)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsUtime {
    type Fn = ::uvco::__private::fns::uv_fs_utime;
    type Args = (*const c_char, f64, f64);
    type With<K> = UvFsUtime<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, atime, mtime) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_utime(current_loop(), req, path, atime, mtime, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsUtime<K> {
        UvFsUtime(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsUtime<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_utime>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to futimes(3).
///
/// Future of [`uv_fs_futime`](uvco::sys::uv_fs_futime): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFutime<K = ()>(::uvco::__private::OpOf<UvFsFutime, K>);
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
    /// Submits [`uv_fs_futime`](uvco::sys::uv_fs_futime) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, atime: f64, mtime: f64) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file, atime, mtime)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFutime {
    type Fn = ::uvco::__private::fns::uv_fs_futime;
    type Args = (uv_file, f64, f64);
    type With<K> = UvFsFutime<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, atime, mtime) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_futime(current_loop(), req, file, atime, mtime, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFutime<K> {
        UvFsFutime(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFutime<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_futime>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to lutimes(3).
///
/// Future of [`uv_fs_lutime`](uvco::sys::uv_fs_lutime): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLutime<K = ()>(::uvco::__private::OpOf<UvFsLutime, K>);
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
    /// Submits [`uv_fs_lutime`](uvco::sys::uv_fs_lutime) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, atime: f64, mtime: f64) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, atime, mtime)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsLutime {
    type Fn = ::uvco::__private::fns::uv_fs_lutime;
    type Args = (*const c_char, f64, f64);
    type With<K> = UvFsLutime<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, atime, mtime) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_lutime(current_loop(), req, path, atime, mtime, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsLutime<K> {
        UvFsLutime(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLutime<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_lutime>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to lstat(2).
///
/// Future of [`uv_fs_lstat`](uvco::sys::uv_fs_lstat): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLstat<K = ()>(::uvco::__private::OpOf<UvFsLstat, K>);
#[allow(dead_code)]
impl UvFsLstat {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_lstat;
    /// Submits [`uv_fs_lstat`](uvco::sys::uv_fs_lstat) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsLstat {
    type Fn = ::uvco::__private::fns::uv_fs_lstat;
    type Args = (*const c_char,);
    type With<K> = UvFsLstat<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_lstat(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsLstat<K> {
        UvFsLstat(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLstat<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_lstat>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to link(2).
///
/// Future of [`uv_fs_link`](uvco::sys::uv_fs_link): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLink<K = ()>(::uvco::__private::OpOf<UvFsLink, K>);
#[allow(dead_code)]
impl UvFsLink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_link;
    /// Submits [`uv_fs_link`](uvco::sys::uv_fs_link) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, new_path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, new_path)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsLink {
    type Fn = ::uvco::__private::fns::uv_fs_link;
    type Args = (*const c_char, *const c_char);
    type With<K> = UvFsLink<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, new_path) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_link(current_loop(), req, path, new_path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsLink<K> {
        UvFsLink(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_link>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to symlink(2).
///
/// Future of [`uv_fs_symlink`](uvco::sys::uv_fs_symlink): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsSymlink<K = ()>(::uvco::__private::OpOf<UvFsSymlink, K>);
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
    /// Submits [`uv_fs_symlink`](uvco::sys::uv_fs_symlink) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, new_path, flags)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsSymlink {
    type Fn = ::uvco::__private::fns::uv_fs_symlink;
    type Args = (*const c_char, *const c_char, c_int);
    type With<K> = UvFsSymlink<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, new_path, flags) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe {
            sys::uv_fs_symlink(current_loop(), req, path, new_path, flags, Self::CB)
        }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsSymlink<K> {
        UvFsSymlink(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsSymlink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_symlink>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to readlink(2); resolves to the target.
///
/// Future of [`uv_fs_readlink`](uvco::sys::uv_fs_readlink): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsReadlink<K = ()>(::uvco::__private::OpOf<UvFsReadlink, K>);
#[allow(dead_code)]
impl UvFsReadlink {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_readlink;
    /// Submits [`uv_fs_readlink`](uvco::sys::uv_fs_readlink) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsReadlink {
    type Fn = ::uvco::__private::fns::uv_fs_readlink;
    type Args = (*const c_char,);
    type With<K> = UvFsReadlink<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_readlink(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsReadlink<K> {
        UvFsReadlink(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsReadlink<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_readlink>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to realpath(3); resolves to the canonical path.
///
/// Future of [`uv_fs_realpath`](uvco::sys::uv_fs_realpath): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsRealpath<K = ()>(::uvco::__private::OpOf<UvFsRealpath, K>);
#[allow(dead_code)]
impl UvFsRealpath {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_realpath;
    /// Submits [`uv_fs_realpath`](uvco::sys::uv_fs_realpath) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsRealpath {
    type Fn = ::uvco::__private::fns::uv_fs_realpath;
    type Args = (*const c_char,);
    type With<K> = UvFsRealpath<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_realpath(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsRealpath<K> {
        UvFsRealpath(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsRealpath<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_realpath>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fchmod(2).
///
/// Future of [`uv_fs_fchmod`](uvco::sys::uv_fs_fchmod): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFchmod<K = ()>(::uvco::__private::OpOf<UvFsFchmod, K>);
#[allow(dead_code)]
impl UvFsFchmod {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        uv_file,
        c_int,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_fchmod;
    /// Submits [`uv_fs_fchmod`](uvco::sys::uv_fs_fchmod) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, mode: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file, mode)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFchmod {
    type Fn = ::uvco::__private::fns::uv_fs_fchmod;
    type Args = (uv_file, c_int);
    type With<K> = UvFsFchmod<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, mode) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_fchmod(current_loop(), req, file, mode, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFchmod<K> {
        UvFsFchmod(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFchmod<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fchmod>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to chown(2).
///
/// Future of [`uv_fs_chown`](uvco::sys::uv_fs_chown): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsChown<K = ()>(::uvco::__private::OpOf<UvFsChown, K>);
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
    /// Submits [`uv_fs_chown`](uvco::sys::uv_fs_chown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, uid: uv_uid_t, gid: uv_gid_t) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, uid, gid)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsChown {
    type Fn = ::uvco::__private::fns::uv_fs_chown;
    type Args = (*const c_char, uv_uid_t, uv_gid_t);
    type With<K> = UvFsChown<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, uid, gid) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_chown(current_loop(), req, path, uid, gid, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsChown<K> {
        UvFsChown(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsChown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_chown>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to fchown(2).
///
/// Future of [`uv_fs_fchown`](uvco::sys::uv_fs_fchown): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsFchown<K = ()>(::uvco::__private::OpOf<UvFsFchown, K>);
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
    /// Submits [`uv_fs_fchown`](uvco::sys::uv_fs_fchown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(file: uv_file, uid: uv_uid_t, gid: uv_gid_t) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((file, uid, gid)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsFchown {
    type Fn = ::uvco::__private::fns::uv_fs_fchown;
    type Args = (uv_file, uv_uid_t, uv_gid_t);
    type With<K> = UvFsFchown<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (file, uid, gid) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_fchown(current_loop(), req, file, uid, gid, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsFchown<K> {
        UvFsFchown(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsFchown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_fchown>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to lchown(2).
///
/// Future of [`uv_fs_lchown`](uvco::sys::uv_fs_lchown): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsLchown<K = ()>(::uvco::__private::OpOf<UvFsLchown, K>);
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
    /// Submits [`uv_fs_lchown`](uvco::sys::uv_fs_lchown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char, uid: uv_uid_t, gid: uv_gid_t) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path, uid, gid)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsLchown {
    type Fn = ::uvco::__private::fns::uv_fs_lchown;
    type Args = (*const c_char, uv_uid_t, uv_gid_t);
    type With<K> = UvFsLchown<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path, uid, gid) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_lchown(current_loop(), req, path, uid, gid, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsLchown<K> {
        UvFsLchown(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsLchown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_lchown>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Equivalent to statfs(2); resolves to the statistics.
///
/// Future of [`uv_fs_statfs`](uvco::sys::uv_fs_statfs): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvFsStatfs<K = ()>(::uvco::__private::OpOf<UvFsStatfs, K>);
#[allow(dead_code)]
impl UvFsStatfs {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_fs_t,
        *const c_char,
        uv_fs_cb,
    ) -> c_int = ::uvco::__private::sys::uv_fs_statfs;
    /// Submits [`uv_fs_statfs`](uvco::sys::uv_fs_statfs) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(path: *const c_char) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((path,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvFsStatfs {
    type Fn = ::uvco::__private::fns::uv_fs_statfs;
    type Args = (*const c_char,);
    type With<K> = UvFsStatfs<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (path,) = args;
        const { (is_request_of::<uv_fs_t, Self>(), is_callback_of::<uv_fs_cb, Self>()) };
        unsafe { sys::uv_fs_statfs(current_loop(), req, path, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvFsStatfs<K> {
        UvFsStatfs(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvFsStatfs<K> {
    type Output = K::Output<::uvco::__private::fns::uv_fs_statfs>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Asynchronous getaddrinfo(3); libuv copies `node`, `service` and `hints`.
///
/// Future of [`uv_getaddrinfo`](uvco::sys::uv_getaddrinfo): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvGetaddrinfo<K = ()>(::uvco::__private::OpOf<UvGetaddrinfo, K>);
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
    pub unsafe fn new(
        node: *const c_char,
        service: *const c_char,
        hints: *const addrinfo,
    ) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((node, service, hints)) })
    }
}
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
/// Asynchronous getnameinfo(3); libuv copies `addr`.
///
/// Future of [`uv_getnameinfo`](uvco::sys::uv_getnameinfo): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvGetnameinfo<K = ()>(::uvco::__private::OpOf<UvGetnameinfo, K>);
#[allow(dead_code)]
impl UvGetnameinfo {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_getnameinfo_t,
        uv_getnameinfo_cb,
        *const sockaddr,
        c_int,
    ) -> c_int = ::uvco::__private::sys::uv_getnameinfo;
    /// Submits [`uv_getnameinfo`](uvco::sys::uv_getnameinfo) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(addr: *const sockaddr, flags: c_int) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((addr, flags)) })
    }
}
unsafe impl ::uvco::Awaitable for UvGetnameinfo {
    type Fn = ::uvco::__private::fns::uv_getnameinfo;
    type Args = (*const sockaddr, c_int);
    type With<K> = UvGetnameinfo<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (addr, flags) = args;
        const {
            (
                is_request_of::<uv_getnameinfo_t, Self>(),
                is_callback_of::<uv_getnameinfo_cb, Self>(),
            )
        };
        unsafe { sys::uv_getnameinfo(current_loop(), req, Self::CB, addr, flags) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvGetnameinfo<K> {
        UvGetnameinfo(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvGetnameinfo<K> {
    type Output = K::Output<::uvco::__private::fns::uv_getnameinfo>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Writes data to a stream, in order; libuv copies the `uv_buf_t` array, not the bytes.
///
/// Future of [`uv_write`](uvco::sys::uv_write): an [`Awaitable`](uvco::Awaitable). `bufs` must
/// point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvWrite<K = ()>(::uvco::__private::OpOf<UvWrite, K>);
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
/// Writes data to a pipe, sending a handle along with it. libuv reads `send_handle` when
/// the write goes out, so that handle must stay open until the request completes.
///
/// Future of [`uv_write2`](uvco::sys::uv_write2): an [`Awaitable`](uvco::Awaitable). `bufs` must
/// point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvWrite2<K = ()>(::uvco::__private::OpOf<UvWrite2, K>);
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
}
unsafe impl ::uvco::Awaitable for UvWrite2 {
    type Fn = ::uvco::__private::fns::uv_write2;
    type Args = (*mut uv_stream_t, *const uv_buf_t, c_uint, *mut uv_stream_t);
    type With<K> = UvWrite2<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (handle, bufs, nbufs, send_handle) = args;
        const {
            (is_request_of::<uv_write_t, Self>(), is_callback_of::<uv_write_cb, Self>())
        };
        unsafe { sys::uv_write2(req, handle, bufs, nbufs, send_handle, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvWrite2<K> {
        UvWrite2(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvWrite2<K> {
    type Output = K::Output<::uvco::__private::fns::uv_write2>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Connects a TCP handle; libuv copies `addr`.
///
/// Future of [`uv_tcp_connect`](uvco::sys::uv_tcp_connect): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvTcpConnect<K = ()>(::uvco::__private::OpOf<UvTcpConnect, K>);
#[allow(dead_code)]
impl UvTcpConnect {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_connect_t,
        *mut uv_tcp_t,
        *const sockaddr,
        uv_connect_cb,
    ) -> c_int = ::uvco::__private::sys::uv_tcp_connect;
    /// Submits [`uv_tcp_connect`](uvco::sys::uv_tcp_connect) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(handle: *mut uv_tcp_t, addr: *const sockaddr) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((handle, addr)) })
    }
}
unsafe impl ::uvco::Awaitable for UvTcpConnect {
    type Fn = ::uvco::__private::fns::uv_tcp_connect;
    type Args = (*mut uv_tcp_t, *const sockaddr);
    type With<K> = UvTcpConnect<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (handle, addr) = args;
        const {
            (
                is_request_of::<uv_connect_t, Self>(),
                is_callback_of::<uv_connect_cb, Self>(),
            )
        };
        unsafe { sys::uv_tcp_connect(req, handle, addr, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvTcpConnect<K> {
        UvTcpConnect(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvTcpConnect<K> {
    type Output = K::Output<::uvco::__private::fns::uv_tcp_connect>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Connects a pipe handle to a Unix domain socket or named pipe; libuv copies `name`.
///
/// Future of [`uv_pipe_connect2`](uvco::sys::uv_pipe_connect2): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvPipeConnect2<K = ()>(::uvco::__private::OpOf<UvPipeConnect2, K>);
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
    /// Submits [`uv_pipe_connect2`](uvco::sys::uv_pipe_connect2)
    /// ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(
        handle: *mut uv_pipe_t,
        name: *const c_char,
        namelen: usize,
        flags: c_uint,
    ) -> Self {
        Self(unsafe {
            ::uvco::__private::submit::<Self>((handle, name, namelen, flags))
        })
    }
}
unsafe impl ::uvco::Awaitable for UvPipeConnect2 {
    type Fn = ::uvco::__private::fns::uv_pipe_connect2;
    type Args = (*mut uv_pipe_t, *const c_char, usize, c_uint);
    type With<K> = UvPipeConnect2<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (handle, name, namelen, flags) = args;
        const {
            (
                is_request_of::<uv_connect_t, Self>(),
                is_callback_of::<uv_connect_cb, Self>(),
            )
        };
        unsafe { sys::uv_pipe_connect2(req, handle, name, namelen, flags, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvPipeConnect2<K> {
        UvPipeConnect2(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvPipeConnect2<K> {
    type Output = K::Output<::uvco::__private::fns::uv_pipe_connect2>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Shuts down the write side of a stream, once pending writes are done.
///
/// Future of [`uv_shutdown`](uvco::sys::uv_shutdown): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvShutdown<K = ()>(::uvco::__private::OpOf<UvShutdown, K>);
#[allow(dead_code)]
impl UvShutdown {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_shutdown_t,
        *mut uv_stream_t,
        uv_shutdown_cb,
    ) -> c_int = ::uvco::__private::sys::uv_shutdown;
    /// Submits [`uv_shutdown`](uvco::sys::uv_shutdown) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(handle: *mut uv_stream_t) -> Self {
        Self(unsafe { ::uvco::__private::submit::<Self>((handle,)) })
    }
}
unsafe impl ::uvco::Awaitable for UvShutdown {
    type Fn = ::uvco::__private::fns::uv_shutdown;
    type Args = (*mut uv_stream_t,);
    type With<K> = UvShutdown<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (handle,) = args;
        const {
            (
                is_request_of::<uv_shutdown_t, Self>(),
                is_callback_of::<uv_shutdown_cb, Self>(),
            )
        };
        unsafe { sys::uv_shutdown(req, handle, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvShutdown<K> {
        UvShutdown(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvShutdown<K> {
    type Output = K::Output<::uvco::__private::fns::uv_shutdown>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
/// Sends a datagram; libuv copies `addr` and the `uv_buf_t` array, not the bytes.
///
/// Future of [`uv_udp_send`](uvco::sys::uv_udp_send): an [`Awaitable`](uvco::Awaitable). `bufs`
/// must point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvUdpSend<K = ()>(::uvco::__private::OpOf<UvUdpSend, K>);
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
}
unsafe impl ::uvco::Awaitable for UvUdpSend {
    type Fn = ::uvco::__private::fns::uv_udp_send;
    type Args = (*mut uv_udp_t, *const uv_buf_t, c_uint, *const sockaddr);
    type With<K> = UvUdpSend<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (handle, bufs, nbufs, addr) = args;
        const {
            (
                is_request_of::<uv_udp_send_t, Self>(),
                is_callback_of::<uv_udp_send_cb, Self>(),
            )
        };
        unsafe { sys::uv_udp_send(req, handle, bufs, nbufs, addr, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvUdpSend<K> {
        UvUdpSend(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvUdpSend<K> {
    type Output = K::Output<::uvco::__private::fns::uv_udp_send>;
    #[inline(always)]
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
/// Future of [`uv_queue_work`](uvco::sys::uv_queue_work): an [`Awaitable`](uvco::Awaitable).
#[must_use = "dropping this future cancels the request"]
pub struct UvQueueWork<K = ()>(::uvco::__private::OpOf<UvQueueWork, K>);
#[allow(dead_code)]
impl UvQueueWork {
    const LIBUV_FN: unsafe extern "C" fn(
        *mut uv_loop_t,
        *mut uv_work_t,
        uv_work_cb,
        uv_after_work_cb,
    ) -> c_int = ::uvco::__private::sys::uv_queue_work;
    /// Submits [`uv_queue_work`](uvco::sys::uv_queue_work) ([safety](uvco::uv_awaitable#safety)).
    pub unsafe fn new(work_cb: uv_work_cb) -> Self {
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
/// Fills `buf` with cryptographically strong random bytes, on the threadpool.
///
/// Future of [`uv_random`](uvco::sys::uv_random): an [`Awaitable`](uvco::Awaitable). `buf` must
/// point into the kept value.
#[must_use = "dropping this future cancels the request"]
pub struct UvRandom<K = ()>(::uvco::__private::OpOf<UvRandom, K>);
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
}
unsafe impl ::uvco::Awaitable for UvRandom {
    type Fn = ::uvco::__private::fns::uv_random;
    type Args = (*mut c_void, usize, c_uint);
    type With<K> = UvRandom<K>;
    unsafe fn call(req: ::uvco::__private::ReqPtr<Self>, args: Self::Args) -> c_int {
        use ::uvco::__private::*;
        let (buf, buflen, flags) = args;
        const {
            (
                is_request_of::<uv_random_t, Self>(),
                is_callback_of::<uv_random_cb, Self>(),
            )
        };
        unsafe { sys::uv_random(current_loop(), req, buf, buflen, flags, Self::CB) }
    }
    fn wrap<K>(op: ::uvco::__private::OpOf<Self, K>) -> UvRandom<K> {
        UvRandom(op)
    }
}
impl<K: ::uvco::__private::Payload> ::core::future::Future for UvRandom<K> {
    type Output = K::Output<::uvco::__private::fns::uv_random>;
    #[inline(always)]
    fn poll(
        mut self: ::core::pin::Pin<&mut Self>,
        cx: &mut ::core::task::Context<'_>,
    ) -> ::core::task::Poll<Self::Output> {
        K::poll(&mut self.0, cx)
    }
}
