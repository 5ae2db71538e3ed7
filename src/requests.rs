//! Every libuv request function uvco awaits, declared once and turned into futures by
//! `#[uv_awaitable]`: the `uv_fs_*` family of libuv 1.53, DNS, streams, TCP, pipes, UDP, the
//! threadpool and the random source.
//!
//! These futures are the raw layer: their constructors are `unsafe` (they take C pointers)
//! and they submit on creation. The safe API in [`fs`](crate::fs), [`dns`](crate::dns),
//! `net` and `task` is built on them.
//! `cargo expand requests` shows the generated code; `uvco-macros/snapshots/` keeps it.
//!
//! ```
//! use uvco::requests::UvFsStat;
//!
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     // SAFETY: the path is a C string that outlives the call (libuv copies it).
//!     let stat = unsafe { UvFsStat::new(c"Cargo.toml".as_ptr()) }.await?; // a uv_stat_t
//!     assert!(stat.st_size > 0);
//!     Ok(())
//! }
//! ```

use std::os::raw::{c_char, c_int, c_uint, c_void};

use crate::sys::*;
use crate::uv_awaitable;

#[uv_awaitable]
unsafe extern "C" {
    /// Equivalent to close(2).
    pub fn uv_fs_close(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to open(2); resolves to the new file descriptor.
    pub fn uv_fs_open(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        flags: c_int,
        mode: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to preadv(2); an offset below 0 reads at the current position.
    pub fn uv_fs_read(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        #[uv(keep)] bufs: *const uv_buf_t,
        nbufs: c_uint,
        offset: i64,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to unlink(2).
    pub fn uv_fs_unlink(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to pwritev(2); an offset below 0 writes at the current position.
    pub fn uv_fs_write(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        #[uv(keep)] bufs: *const uv_buf_t,
        nbufs: c_uint,
        offset: i64,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Copies a file from `path` to `new_path`.
    pub fn uv_fs_copyfile(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to mkdir(2).
    pub fn uv_fs_mkdir(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        mode: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to mkdtemp(3); resolves to the created path.
    pub fn uv_fs_mkdtemp(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        tpl: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to mkstemp(3); resolves to the fd and the created path.
    pub fn uv_fs_mkstemp(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        tpl: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to rmdir(2).
    pub fn uv_fs_rmdir(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to scandir(3); resolves to the entries.
    pub fn uv_fs_scandir(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        flags: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Opens a directory stream; resolves to it (closed when dropped unless taken).
    pub fn uv_fs_opendir(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Reads up to `dir.nentries` entries from a directory stream into `dir.dirents`.
    pub fn uv_fs_readdir(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        #[uv(keep)] dir: *mut uv_dir_t,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Closes a directory stream and frees it.
    pub fn uv_fs_closedir(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        dir: *mut uv_dir_t,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to stat(2).
    pub fn uv_fs_stat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to fstat(2).
    pub fn uv_fs_fstat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to rename(2).
    pub fn uv_fs_rename(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        new_path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to fsync(2).
    pub fn uv_fs_fsync(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to fdatasync(2).
    pub fn uv_fs_fdatasync(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to ftruncate(2).
    pub fn uv_fs_ftruncate(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        offset: i64,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Limited equivalent to sendfile(2).
    pub fn uv_fs_sendfile(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        out_fd: uv_file,
        in_fd: uv_file,
        in_offset: i64,
        length: usize,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to access(2).
    pub fn uv_fs_access(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        mode: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to chmod(2).
    pub fn uv_fs_chmod(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        mode: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to utime(2).
    pub fn uv_fs_utime(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        atime: f64,
        mtime: f64,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to futimes(3).
    pub fn uv_fs_futime(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        atime: f64,
        mtime: f64,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to lutimes(3).
    pub fn uv_fs_lutime(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        atime: f64,
        mtime: f64,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to lstat(2).
    pub fn uv_fs_lstat(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to link(2).
    pub fn uv_fs_link(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        new_path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to symlink(2).
    pub fn uv_fs_symlink(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        new_path: *const c_char,
        flags: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to readlink(2); resolves to the target.
    pub fn uv_fs_readlink(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to realpath(3); resolves to the canonical path.
    pub fn uv_fs_realpath(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to fchmod(2).
    pub fn uv_fs_fchmod(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        mode: c_int,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to chown(2).
    pub fn uv_fs_chown(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        uid: uv_uid_t,
        gid: uv_gid_t,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to fchown(2).
    pub fn uv_fs_fchown(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        file: uv_file,
        uid: uv_uid_t,
        gid: uv_gid_t,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to lchown(2).
    pub fn uv_fs_lchown(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        uid: uv_uid_t,
        gid: uv_gid_t,
        cb: uv_fs_cb,
    ) -> c_int;
    /// Equivalent to statfs(2); resolves to the statistics.
    pub fn uv_fs_statfs(
        loop_: *mut uv_loop_t,
        req: *mut uv_fs_t,
        path: *const c_char,
        cb: uv_fs_cb,
    ) -> c_int;

    /// Asynchronous getaddrinfo(3); libuv copies `node`, `service` and `hints`.
    pub fn uv_getaddrinfo(
        loop_: *mut uv_loop_t,
        req: *mut uv_getaddrinfo_t,
        getaddrinfo_cb: uv_getaddrinfo_cb,
        node: *const c_char,
        service: *const c_char,
        hints: *const addrinfo,
    ) -> c_int;
    /// Asynchronous getnameinfo(3); libuv copies `addr`.
    pub fn uv_getnameinfo(
        loop_: *mut uv_loop_t,
        req: *mut uv_getnameinfo_t,
        getnameinfo_cb: uv_getnameinfo_cb,
        addr: *const sockaddr,
        flags: c_int,
    ) -> c_int;
    /// Writes data to a stream, in order; libuv copies the `uv_buf_t` array, not the bytes.
    pub fn uv_write(
        req: *mut uv_write_t,
        handle: *mut uv_stream_t,
        #[uv(keep)] bufs: *const uv_buf_t,
        nbufs: c_uint,
        cb: uv_write_cb,
    ) -> c_int;
    /// Writes data to a pipe, sending a handle along with it. libuv reads `send_handle` when
    /// the write goes out, so that handle must stay open until the request completes.
    pub fn uv_write2(
        req: *mut uv_write_t,
        handle: *mut uv_stream_t,
        #[uv(keep)] bufs: *const uv_buf_t,
        nbufs: c_uint,
        send_handle: *mut uv_stream_t,
        cb: uv_write_cb,
    ) -> c_int;
    /// Connects a TCP handle; libuv copies `addr`.
    pub fn uv_tcp_connect(
        req: *mut uv_connect_t,
        handle: *mut uv_tcp_t,
        addr: *const sockaddr,
        cb: uv_connect_cb,
    ) -> c_int;
    /// Connects a pipe handle to a Unix domain socket or named pipe; libuv copies `name`.
    pub fn uv_pipe_connect2(
        req: *mut uv_connect_t,
        handle: *mut uv_pipe_t,
        name: *const c_char,
        namelen: usize,
        flags: c_uint,
        cb: uv_connect_cb,
    ) -> c_int;
    /// Shuts down the write side of a stream, once pending writes are done.
    pub fn uv_shutdown(
        req: *mut uv_shutdown_t,
        handle: *mut uv_stream_t,
        cb: uv_shutdown_cb,
    ) -> c_int;
    /// Sends a datagram; libuv copies `addr` and the `uv_buf_t` array, not the bytes.
    pub fn uv_udp_send(
        req: *mut uv_udp_send_t,
        handle: *mut uv_udp_t,
        #[uv(keep)] bufs: *const uv_buf_t,
        nbufs: c_uint,
        addr: *const sockaddr,
        send_cb: uv_udp_send_cb,
    ) -> c_int;
    /// Runs `work_cb` on the threadpool. To give it context, submit with `with_keep` and find
    /// the payload from the request in `work_cb` with [`keep_of`](crate::keep_of)`::<`
    /// [`kind::Work`](crate::kind::Work)`, Keep<K>>(req)` (the request may start before the
    /// constructor returns, so setting
    /// `req.data` afterwards would race); `uvco::task::spawn_blocking` does exactly this.
    pub fn uv_queue_work(
        loop_: *mut uv_loop_t,
        req: *mut uv_work_t,
        work_cb: uv_work_cb,
        after_work_cb: uv_after_work_cb,
    ) -> c_int;
    /// Fills `buf` with cryptographically strong random bytes, on the threadpool.
    pub fn uv_random(
        loop_: *mut uv_loop_t,
        req: *mut uv_random_t,
        #[uv(keep)] buf: *mut c_void,
        buflen: usize,
        flags: c_uint,
        cb: uv_random_cb,
    ) -> c_int;
}
