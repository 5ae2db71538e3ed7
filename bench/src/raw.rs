//! The floor: each operation written with libuv callbacks directly against `libuv-sys2`, the
//! way a C programmer would. Requests and handles are reused, so that steady state allocates
//! nothing on the Rust side; what libuv mallocs by itself (a path copy per path-taking fs
//! request, the node copy of getaddrinfo) is what the counters show.

use std::cell::Cell;
use std::ffi::{c_int, c_void, CStr, CString};
use std::hint::black_box;
use std::mem::zeroed;
use std::net::SocketAddrV4;
use std::ptr;

use libuv_sys2 as sys;

/// A loop of its own per benchmark, so that one benchmark's handles never keep another's
/// `uv_run` going.
pub struct Loop(*mut sys::uv_loop_t);

impl Default for Loop {
    fn default() -> Loop {
        Loop::new()
    }
}

impl Loop {
    pub fn new() -> Loop {
        // SAFETY: a zeroed loop is what uv_loop_init expects; it is never freed (the process
        // ends with the benchmarks).
        unsafe {
            let l = Box::into_raw(Box::new(zeroed::<sys::uv_loop_t>()));
            check(sys::uv_loop_init(l), "uv_loop_init");
            Loop(l)
        }
    }

    /// A loop whose fs requests go through io_uring (SQPOLL) where the kernel allows it.
    pub fn with_io_uring() -> Loop {
        let l = Loop::new();
        // SAFETY: a fresh loop, not running.
        let rc =
            unsafe { sys::uv_loop_configure(l.0, sys::uv_loop_option_UV_LOOP_USE_IO_URING_SQPOLL) };
        check(rc, "uv_loop_configure(UV_LOOP_USE_IO_URING_SQPOLL)");
        l
    }

    pub fn ptr(&self) -> *mut sys::uv_loop_t {
        self.0
    }

    pub fn run(&self) {
        // SAFETY: our loop, on its thread, not already running.
        unsafe { sys::uv_run(self.0, sys::uv_run_mode_UV_RUN_DEFAULT) };
    }
}

pub fn check(rc: c_int, what: &str) {
    if rc < 0 {
        // SAFETY: uv_err_name returns a static string for any code.
        let name = unsafe { CStr::from_ptr(sys::uv_err_name(rc)) };
        panic!("{what} failed: {name:?}");
    }
}

// ---------------------------------------------------------------------------------------
// fs_stat, one at a time or N in flight

struct Stat {
    loop_: *mut sys::uv_loop_t,
    path: CString,
    reqs: Vec<sys::uv_fs_t>,
    to_issue: u64,
    sizes: u64,
}

unsafe extern "C" fn stat_cb(req: *mut sys::uv_fs_t) {
    // SAFETY: `data` is the Stat that owns this request; it lives across the run.
    unsafe {
        let st = &mut *(*req).data.cast::<Stat>();
        check((*req).result as c_int, "uv_fs_stat");
        st.sizes += black_box((*req).statbuf.st_size);
        sys::uv_fs_req_cleanup(req);
        if st.to_issue > 0 {
            st.to_issue -= 1;
            submit_stat(st, req);
        }
    }
}

unsafe fn submit_stat(st: &mut Stat, req: *mut sys::uv_fs_t) {
    // SAFETY: a request of `st`, not in flight; libuv copies the path.
    unsafe {
        (*req).data = (st as *mut Stat).cast();
        check(
            sys::uv_fs_stat(st.loop_, req, st.path.as_ptr(), Some(stat_cb)),
            "uv_fs_stat",
        );
    }
}

/// `uv_fs_stat` of `path`, `width` requests in flight; `run(n)` does n stats.
pub fn fs_stat(lp: &Loop, path: &CStr, width: usize) -> impl FnMut(u64) {
    // SAFETY: zeroed requests are valid "unused" requests.
    let reqs = (0..width).map(|_| unsafe { zeroed() }).collect();
    let mut st = Box::new(Stat {
        loop_: lp.ptr(),
        path: path.to_owned(),
        reqs,
        to_issue: 0,
        sizes: 0,
    });
    let lp = lp.0;
    move |n| {
        let first = (n as usize).min(width);
        st.to_issue = n - first as u64;
        for i in 0..first {
            let req = &raw mut st.reqs[i];
            // SAFETY: the request is idle (the previous run completed all of them).
            unsafe { submit_stat(&mut st, req) };
        }
        // SAFETY: our loop; the callbacks chain until `to_issue` reaches 0.
        unsafe { sys::uv_run(lp, sys::uv_run_mode_UV_RUN_DEFAULT) };
        black_box(st.sizes);
    }
}

// ---------------------------------------------------------------------------------------
// readfile: open + fstat + read + close, chained callbacks

struct ReadFile {
    loop_: *mut sys::uv_loop_t,
    path: CString,
    req: sys::uv_fs_t,
    fd: c_int,
    buf: Vec<u8>,
    uvbuf: sys::uv_buf_t,
    remaining: u64,
    bytes: u64,
}

unsafe fn rf_open(rf: *mut ReadFile) {
    // SAFETY: the ReadFile lives across the run; its request is idle.
    unsafe {
        let req = &raw mut (*rf).req;
        (*req).data = rf.cast();
        check(
            sys::uv_fs_open((*rf).loop_, req, (*rf).path.as_ptr(), 0, 0, Some(rf_opened)),
            "uv_fs_open",
        );
    }
}

unsafe extern "C" fn rf_opened(req: *mut sys::uv_fs_t) {
    // SAFETY: `data` is the ReadFile owning `req`.
    unsafe {
        let rf = (*req).data.cast::<ReadFile>();
        check((*req).result as c_int, "open");
        (*rf).fd = (*req).result as c_int;
        sys::uv_fs_req_cleanup(req);
        check(
            sys::uv_fs_fstat((*rf).loop_, req, (*rf).fd, Some(rf_statted)),
            "uv_fs_fstat",
        );
    }
}

unsafe extern "C" fn rf_statted(req: *mut sys::uv_fs_t) {
    // SAFETY: as above; the buffer lives in the ReadFile.
    unsafe {
        let rf = (*req).data.cast::<ReadFile>();
        check((*req).result as c_int, "fstat");
        let size = ((*req).statbuf.st_size as usize).min((*rf).buf.len());
        sys::uv_fs_req_cleanup(req);
        (*rf).uvbuf = sys::uv_buf_init((*rf).buf.as_mut_ptr().cast(), size as u32);
        let rc = sys::uv_fs_read(
            (*rf).loop_,
            req,
            (*rf).fd,
            &raw const (*rf).uvbuf,
            1,
            0,
            Some(rf_read),
        );
        check(rc, "uv_fs_read");
    }
}

unsafe extern "C" fn rf_read(req: *mut sys::uv_fs_t) {
    // SAFETY: as above.
    unsafe {
        let rf = (*req).data.cast::<ReadFile>();
        check((*req).result as c_int, "read");
        (*rf).bytes += (*req).result as u64;
        sys::uv_fs_req_cleanup(req);
        check(
            sys::uv_fs_close((*rf).loop_, req, (*rf).fd, Some(rf_closed)),
            "uv_fs_close",
        );
    }
}

unsafe extern "C" fn rf_closed(req: *mut sys::uv_fs_t) {
    // SAFETY: as above.
    unsafe {
        let rf = (*req).data.cast::<ReadFile>();
        check((*req).result as c_int, "close");
        sys::uv_fs_req_cleanup(req);
        (*rf).remaining -= 1;
        if (*rf).remaining > 0 {
            rf_open(rf);
        }
    }
}

/// Reads the whole (small) file at `path` n times, into one reused buffer.
pub fn readfile(lp: &Loop, path: &CStr, cap: usize) -> impl FnMut(u64) {
    // SAFETY: zeroed requests and bufs are valid unused values.
    let mut rf = Box::new(ReadFile {
        loop_: lp.ptr(),
        path: path.to_owned(),
        req: unsafe { zeroed() },
        fd: -1,
        buf: vec![0; cap],
        uvbuf: unsafe { zeroed() },
        remaining: 0,
        bytes: 0,
    });
    let lp = lp.0;
    move |n| {
        rf.remaining = n;
        // SAFETY: idle request; the loop runs the chain to its end.
        unsafe {
            rf_open(&mut *rf);
            sys::uv_run(lp, sys::uv_run_mode_UV_RUN_DEFAULT);
        }
        black_box(rf.bytes);
    }
}

// ---------------------------------------------------------------------------------------
// getaddrinfo

struct Gai {
    loop_: *mut sys::uv_loop_t,
    req: sys::uv_getaddrinfo_t,
    node: CString,
    hints: sys::addrinfo,
    remaining: u64,
    found: u64,
}

unsafe fn gai_submit(g: *mut Gai) {
    // SAFETY: the Gai lives across the run; its request is idle; libuv copies node and hints.
    unsafe {
        let req = &raw mut (*g).req;
        (*req).data = g.cast();
        let rc = sys::uv_getaddrinfo(
            (*g).loop_,
            req,
            Some(gai_cb),
            (*g).node.as_ptr(),
            ptr::null(),
            &(*g).hints,
        );
        check(rc, "uv_getaddrinfo");
    }
}

unsafe extern "C" fn gai_cb(
    req: *mut sys::uv_getaddrinfo_t,
    status: c_int,
    res: *mut sys::addrinfo,
) {
    // SAFETY: `data` is the Gai; `res` is the list libuv hands over, freed here.
    unsafe {
        let g = (*req).data.cast::<Gai>();
        check(status, "getaddrinfo");
        let mut ai = res;
        while !ai.is_null() {
            (*g).found += 1;
            ai = (*ai).ai_next;
        }
        sys::uv_freeaddrinfo(res);
        (*g).remaining -= 1;
        if (*g).remaining > 0 {
            gai_submit(g);
        }
    }
}

pub fn getaddrinfo(lp: &Loop, host: &CStr) -> impl FnMut(u64) {
    // SAFETY: zeroed request and hints are valid.
    let mut hints: sys::addrinfo = unsafe { zeroed() };
    hints.ai_socktype = sys::SOCK_STREAM as c_int;
    let mut g = Box::new(Gai {
        loop_: lp.ptr(),
        req: unsafe { zeroed() },
        node: host.to_owned(),
        hints,
        remaining: 0,
        found: 0,
    });
    let lp = lp.0;
    move |n| {
        g.remaining = n;
        // SAFETY: idle request; the loop runs the chain to its end.
        unsafe {
            gai_submit(&mut *g);
            sys::uv_run(lp, sys::uv_run_mode_UV_RUN_DEFAULT);
        }
        black_box(g.found);
    }
}

// ---------------------------------------------------------------------------------------
// TCP: a pool of handles (closing is asynchronous, so a handle is reused once its close
// callback has run), a listener, connect, writes.

/// Free TCP handles; a handle's `data` points back at the pool while it is in use.
pub struct TcpPool {
    free: Vec<*mut sys::uv_tcp_t>,
}

impl TcpPool {
    pub fn new(prealloc: usize) -> Box<TcpPool> {
        // SAFETY: zeroed handles, initialised on take.
        let free = (0..prealloc)
            .map(|_| Box::into_raw(Box::new(unsafe { zeroed::<sys::uv_tcp_t>() })))
            .collect();
        Box::new(TcpPool { free })
    }

    /// An initialised TCP handle on `lp`, whose `data` is `data`.
    ///
    /// # Safety
    /// `lp` must be a valid loop.
    pub unsafe fn take(
        &mut self,
        lp: *mut sys::uv_loop_t,
        data: *mut c_void,
    ) -> *mut sys::uv_tcp_t {
        // SAFETY: a fresh or recycled (closed) handle.
        let h = self
            .free
            .pop()
            .unwrap_or_else(|| Box::into_raw(Box::new(unsafe { zeroed() })));
        // SAFETY: a valid loop and a handle not in use.
        unsafe {
            check(sys::uv_tcp_init(lp, h), "uv_tcp_init");
            (*h).data = data;
        }
        h
    }
}

/// Closes a handle taken from `pool`; it goes back once closed.
unsafe fn close_to_pool(h: *mut sys::uv_tcp_t, pool: *mut TcpPool, reset: bool) {
    unsafe extern "C" fn back(h: *mut sys::uv_handle_t) {
        // SAFETY: `data` was set to the pool just before closing.
        unsafe { (*(*h).data.cast::<TcpPool>()).free.push(h.cast()) };
    }
    // SAFETY: an open handle, closed once.
    unsafe {
        (*h).data = pool.cast();
        if reset {
            // RST instead of FIN: no TIME_WAIT, so a long connect benchmark can't run out of
            // ephemeral ports. (Falls back to a plain close if the socket can't be reset.)
            if sys::uv_tcp_close_reset(h, Some(back)) == 0 {
                return;
            }
        }
        sys::uv_close(h.cast(), Some(back));
    }
}

pub fn sockaddr_v4(addr: SocketAddrV4) -> sys::sockaddr_in {
    // SAFETY: a zeroed sockaddr_in is valid; uv_ip4_addr fills it.
    unsafe {
        let mut sa: sys::sockaddr_in = zeroed();
        let ip = CString::new(addr.ip().to_string()).unwrap();
        check(
            sys::uv_ip4_addr(ip.as_ptr(), addr.port() as c_int, &mut sa),
            "uv_ip4_addr",
        );
        sa
    }
}

/// A listener on 127.0.0.1 (a free port) calling `on_conn`.
///
/// # Safety
/// `lp` must be a valid loop, and `data` what `on_conn` expects in the listener's `data`.
pub unsafe fn listen(
    lp: *mut sys::uv_loop_t,
    pool: &mut TcpPool,
    data: *mut c_void,
    on_conn: sys::uv_connection_cb,
) -> (*mut sys::uv_tcp_t, SocketAddrV4) {
    // SAFETY: a valid loop, per the contract.
    let h = unsafe { pool.take(lp, data) };
    let sa = sockaddr_v4("127.0.0.1:0".parse().unwrap());
    // SAFETY: an initialised handle; libuv copies the address.
    unsafe {
        check(
            sys::uv_tcp_bind(h, (&raw const sa).cast(), 0),
            "uv_tcp_bind",
        );
        check(sys::uv_listen(h.cast(), 1024, on_conn), "uv_listen");
        let mut bound: sys::sockaddr_in = zeroed();
        let mut len = size_of::<sys::sockaddr_in>() as c_int;
        check(
            sys::uv_tcp_getsockname(h, (&raw mut bound).cast(), &mut len),
            "uv_tcp_getsockname",
        );
        (
            h,
            SocketAddrV4::new([127, 0, 0, 1].into(), u16::from_be(bound.sin_port)),
        )
    }
}

struct Connect {
    loop_: *mut sys::uv_loop_t,
    pool: Box<TcpPool>,
    listener: *mut sys::uv_tcp_t,
    addr: sys::sockaddr_in,
    req: sys::uv_connect_t,
    remaining: u64,
    accepts_due: u64,
}

unsafe fn connect_next(c: *mut Connect) {
    // SAFETY: the Connect lives across the run; its request is idle.
    unsafe {
        let h = (*c).pool.take((*c).loop_, c.cast());
        let req = &raw mut (*c).req;
        (*req).data = c.cast();
        check(
            sys::uv_tcp_connect(req, h, (&raw const (*c).addr).cast(), Some(connected)),
            "uv_tcp_connect",
        );
    }
}

unsafe extern "C" fn connected(req: *mut sys::uv_connect_t, status: c_int) {
    // SAFETY: `data` is the Connect; the handle is one of its pool's.
    unsafe {
        let c = (*req).data.cast::<Connect>();
        check(status, "connect");
        close_to_pool((*req).handle.cast(), &mut *(*c).pool, false);
        (*c).remaining -= 1;
        if (*c).remaining > 0 {
            connect_next(c);
        } else if (*c).accepts_due == 0 {
            sys::uv_stop((*c).loop_);
        }
    }
}

unsafe extern "C" fn accepted(server: *mut sys::uv_stream_t, status: c_int) {
    // SAFETY: the listener's `data` is the Connect.
    unsafe {
        let c = (*server).data.cast::<Connect>();
        check(status, "listen");
        let h = (*c).pool.take((*c).loop_, c.cast());
        check(sys::uv_accept(server, h.cast()), "uv_accept");
        close_to_pool(h, &mut *(*c).pool, false);
        (*c).accepts_due -= 1;
        if (*c).accepts_due == 0 && (*c).remaining == 0 {
            sys::uv_stop((*c).loop_);
        }
    }
}

/// Connects to a listener on the same loop, n times; an op ends when both the connect and
/// the accept have called back (each side then closes its handle).
pub fn tcp_connect(lp: &Loop) -> impl FnMut(u64) {
    let mut c = Box::new(Connect {
        loop_: lp.ptr(),
        pool: TcpPool::new(16),
        listener: ptr::null_mut(),
        // SAFETY: zeroed sockaddr and request are valid placeholders.
        addr: unsafe { zeroed() },
        req: unsafe { zeroed() },
        remaining: 0,
        accepts_due: 0,
    });
    let cp: *mut Connect = &mut *c;
    // SAFETY: the loop lives as long as the process; `c` (boxed, moved into the closure) is
    // what `accepted` expects and outlives the listener.
    let (listener, addr) = unsafe { listen(lp.ptr(), &mut c.pool, cp.cast(), Some(accepted)) };
    c.listener = listener;
    c.addr = sockaddr_v4(addr);
    let lp = lp.0;
    move |n| {
        c.remaining = n;
        c.accepts_due = n;
        // SAFETY: idle request; the loop stops once every connect and accept has run.
        unsafe {
            connect_next(&mut *c);
            sys::uv_run(lp, sys::uv_run_mode_UV_RUN_DEFAULT);
        }
    }
}

/// The receiving end of a stream benchmark: reads everything into a scratch buffer.
pub struct Drain {
    pub buf: Vec<u8>,
    pub bytes: Cell<u64>,
}

unsafe extern "C" fn drain_alloc(
    h: *mut sys::uv_handle_t,
    _suggested: usize,
    buf: *mut sys::uv_buf_t,
) {
    // SAFETY: `data` is the Drain; its buffer is reused for every read.
    unsafe {
        let d = (*h).data.cast::<Drain>();
        *buf = sys::uv_buf_init((*d).buf.as_mut_ptr().cast(), (*d).buf.len() as u32);
    }
}

unsafe extern "C" fn drain_read(
    s: *mut sys::uv_stream_t,
    nread: isize,
    _buf: *const sys::uv_buf_t,
) {
    // SAFETY: `data` is the Drain.
    unsafe {
        let d = &*(*s).data.cast::<Drain>();
        if nread > 0 {
            d.bytes.set(d.bytes.get() + nread as u64);
        } else if nread < 0 {
            sys::uv_read_stop(s);
        }
    }
}

/// Starts draining `h` into `drain`.
///
/// # Safety
/// `h` must be an open, connected handle, and `drain` must outlive its reads.
pub unsafe fn start_drain(h: *mut sys::uv_tcp_t, drain: *mut Drain) {
    // SAFETY: an open, connected handle; the Drain outlives it.
    unsafe {
        (*h).data = drain.cast();
        check(
            sys::uv_read_start(h.cast(), Some(drain_alloc), Some(drain_read)),
            "uv_read_start",
        );
    }
}

/// A connected pair on `lp`: (client, server side), the server side draining into `drain`.
pub struct Pair {
    pub client: *mut sys::uv_tcp_t,
    pub server: *mut sys::uv_tcp_t,
    _pool: Box<TcpPool>,
    _drain: Box<Drain>,
}

struct PairSetup {
    pool: *mut TcpPool,
    loop_: *mut sys::uv_loop_t,
    server: *mut sys::uv_tcp_t,
}

unsafe extern "C" fn pair_accept(server: *mut sys::uv_stream_t, status: c_int) {
    // SAFETY: the listener's `data` is the PairSetup, live during setup.
    unsafe {
        check(status, "listen");
        let ps = (*server).data.cast::<PairSetup>();
        let h = (*(*ps).pool).take((*ps).loop_, ptr::null_mut());
        check(sys::uv_accept(server, h.cast()), "uv_accept");
        (*ps).server = h;
    }
}

unsafe extern "C" fn pair_connected(req: *mut sys::uv_connect_t, status: c_int) {
    check(status, "connect");
    // SAFETY: `data` is a flag on the setup's stack, live during setup.
    unsafe { (*(*req).data.cast::<Cell<bool>>()).set(true) };
}

/// Connects a pair over 127.0.0.1 on the loop `lp`, which must not be running; the server
/// side starts draining. Used by raw variants and by uvco's fallback.
///
/// # Safety
/// `lp` must be a valid loop that outlives the pair.
pub unsafe fn tcp_pair(lp: *mut sys::uv_loop_t) -> Pair {
    let mut pool = TcpPool::new(4);
    let mut drain = Box::new(Drain {
        buf: vec![0; 256 * 1024],
        bytes: Cell::new(0),
    });
    let mut ps = PairSetup {
        pool: &mut *pool,
        loop_: lp,
        server: ptr::null_mut(),
    };
    // SAFETY: a valid loop, per the contract; `ps` is what `pair_accept` expects and lives
    // until the listener is closed below.
    let (listener, addr) =
        unsafe { listen(lp, &mut pool, (&raw mut ps).cast(), Some(pair_accept)) };
    // SAFETY: as above.
    let client = unsafe { pool.take(lp, ptr::null_mut()) };
    let sa = sockaddr_v4(addr);
    let done = Cell::new(false);
    // SAFETY: zeroed request; everything referenced lives on this stack frame until the loop
    // has run both callbacks.
    unsafe {
        let mut req: sys::uv_connect_t = zeroed();
        req.data = (&raw const done).cast_mut().cast();
        check(
            sys::uv_tcp_connect(
                &mut req,
                client,
                (&raw const sa).cast(),
                Some(pair_connected),
            ),
            "uv_tcp_connect",
        );
        while !done.get() || ps.server.is_null() {
            sys::uv_run(lp, sys::uv_run_mode_UV_RUN_ONCE);
        }
        close_to_pool(listener, &mut *pool, false);
        sys::uv_run(lp, sys::uv_run_mode_UV_RUN_NOWAIT);
    }
    // SAFETY: the server side is connected; the drain lives in the Pair with it.
    unsafe { start_drain(ps.server, &mut *drain) };
    Pair {
        client,
        server: ps.server,
        _pool: pool,
        _drain: drain,
    }
}

#[repr(C)]
struct WriteWait {
    req: sys::uv_write_t,
    done: Cell<bool>,
}

unsafe extern "C" fn write_done(req: *mut sys::uv_write_t, status: c_int) {
    check(status, "write");
    // SAFETY: the request is the first field of the WriteWait.
    unsafe { (*req.cast::<WriteWait>()).done.set(true) };
}

/// "write_all" the libuv way: `uv_try_write`, and if the kernel took less, `uv_write` the rest
/// and run the loop until its callback (the loop then also runs the reader).
unsafe fn write_all(
    lp: *mut sys::uv_loop_t,
    h: *mut sys::uv_stream_t,
    ww: *mut WriteWait,
    data: &[u8],
) {
    // SAFETY: an open stream; `data` outlives the write (we wait for its callback).
    unsafe {
        let buf = sys::uv_buf_init(data.as_ptr().cast_mut().cast(), data.len() as u32);
        let n = sys::uv_try_write(h, &buf, 1);
        let written = if n == sys::uv_errno_t_UV_EAGAIN {
            0
        } else {
            check(n, "uv_try_write");
            n as usize
        };
        if written == data.len() {
            return;
        }
        let rest = sys::uv_buf_init(
            data.as_ptr().add(written).cast_mut().cast(),
            (data.len() - written) as u32,
        );
        (*ww).done.set(false);
        check(
            sys::uv_write(&raw mut (*ww).req, h, &rest, 1, Some(write_done)),
            "uv_write",
        );
        while !(*ww).done.get() {
            sys::uv_run(lp, sys::uv_run_mode_UV_RUN_ONCE);
        }
    }
}

/// Writes `size`-byte messages one at a time over a connected pair on this loop.
pub fn tcp_write(lp: &Loop, size: usize) -> impl FnMut(u64) {
    // SAFETY: the loop lives as long as the process.
    let pair = unsafe { tcp_pair(lp.ptr()) };
    let data = vec![0x5au8; size];
    // SAFETY: a zeroed request is valid.
    let mut ww = Box::new(WriteWait {
        req: unsafe { zeroed() },
        done: Cell::new(true),
    });
    let lp = lp.0;
    move |n| {
        // Uses `pair` whole, so that the closure owns it (and its drain) rather than the field.
        let pair = &pair;
        for _ in 0..n {
            // SAFETY: the pair's client is open; `ww` is idle between writes.
            unsafe { write_all(lp, pair.client.cast(), &mut *ww, &data) };
        }
    }
}

unsafe extern "C" fn echo_read(s: *mut sys::uv_stream_t, nread: isize, buf: *const sys::uv_buf_t) {
    // SAFETY: `buf` is the Drain's buffer, holding `nread` bytes just read; the messages are
    // small, so the kernel takes the echo whole.
    unsafe {
        if nread > 0 {
            let back = sys::uv_buf_init((*buf).base, nread as u32);
            let n = sys::uv_try_write(s, &back, 1);
            assert_eq!(n as isize, nread, "echo: short uv_try_write");
        } else if nread < 0 {
            sys::uv_read_stop(s);
        }
    }
}

/// Echo round trips of `size`-byte messages over a connected pair on this loop: the client
/// writes, the server side echoes from its read callback, the client reads it all back.
pub fn tcp_echo(lp: &Loop, size: usize) -> impl FnMut(u64) {
    // SAFETY: the loop lives as long as the process.
    let pair = unsafe { tcp_pair(lp.ptr()) };
    // SAFETY: the server side is open and reading into its Drain; switch it to echoing.
    unsafe {
        let server = pair.server.cast::<sys::uv_stream_t>();
        sys::uv_read_stop(server);
        check(
            sys::uv_read_start(server, Some(drain_alloc), Some(echo_read)),
            "uv_read_start",
        );
    }
    let mut back = Box::new(Drain {
        buf: vec![0; 64 * 1024],
        bytes: Cell::new(0),
    });
    // SAFETY: the client is connected; `back` lives in the closure with the pair.
    unsafe { start_drain(pair.client, &mut *back) };
    let data = vec![0x5au8; size];
    // SAFETY: a zeroed request is valid.
    let mut ww = Box::new(WriteWait {
        req: unsafe { zeroed() },
        done: Cell::new(true),
    });
    let lp = lp.0;
    move |n| {
        let pair = &pair;
        for _ in 0..n {
            let want = back.bytes.get() + size as u64;
            // SAFETY: the pair's client is open; `ww` is idle between writes; the loop runs
            // the echo and the client's read callbacks.
            unsafe {
                write_all(lp, pair.client.cast(), &mut *ww, &data);
                while back.bytes.get() < want {
                    sys::uv_run(lp, sys::uv_run_mode_UV_RUN_ONCE);
                }
            }
        }
    }
}
