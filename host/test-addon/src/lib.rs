//! The addon `host/tests` load into Node: each operation is defined once, as an async Rust
//! function, and exported once; a trailing callback argument picks the callback form,
//! otherwise the call returns a promise.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use napi::bindgen_prelude::{Buffer, ToNapiValue};
use napi::{sys, Env, JsFunction, JsUnknown};
use napi_derive::napi;
use uvco::Awaitable as _;
use uvco_node::{args, Syscall};

/// What `stat` resolves to: the fields of Node's `fs.Stats` the tests compare.
pub struct Stat {
    pub size: f64,
    pub mode: u32,
    pub ino: f64,
    pub nlink: f64,
    pub mtime_ms: f64,
    pub is_file: bool,
    pub is_directory: bool,
}

static STAT: uvco_node::Shape = uvco_node::Shape::new(&[
    "size",
    "mode",
    "ino",
    "nlink",
    "mtimeMs",
    "isFile",
    "isDirectory",
]);

impl ToNapiValue for Stat {
    unsafe fn to_napi_value(env: sys::napi_env, v: Stat) -> napi::Result<sys::napi_value> {
        // SAFETY: napi-rs converts results on env's thread, inside a handle scope.
        unsafe {
            STAT.object(
                env,
                &[
                    f64::to_napi_value(env, v.size)?,
                    u32::to_napi_value(env, v.mode)?,
                    f64::to_napi_value(env, v.ino)?,
                    f64::to_napi_value(env, v.nlink)?,
                    f64::to_napi_value(env, v.mtime_ms)?,
                    bool::to_napi_value(env, v.is_file)?,
                    bool::to_napi_value(env, v.is_directory)?,
                ],
            )
        }
    }
}

async fn stat_op(path: String) -> uvco_node::Result<Stat> {
    let meta = uvco::fs::metadata(&path).await.syscall("stat", &path)?;
    // Signed, as fs's: a time before 1970 is negative.
    let mtime_ms = meta
        .modified()
        .map_or(0.0, |t| match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => after.as_secs_f64() * 1000.0,
            Err(before) => -before.duration().as_secs_f64() * 1000.0,
        });
    Ok(Stat {
        size: meta.len() as f64,
        mode: meta.mode(),
        ino: meta.ino() as f64,
        nlink: meta.nlink() as f64,
        mtime_ms,
        is_file: meta.is_file(),
        is_directory: meta.is_dir(),
    })
}

/// `stat(path[, cb])`.
#[napi(catch_unwind)]
pub fn stat(env: Env, path: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let path = args::path(&env, path, "path")?;
    uvco_node::settle(&env, cb, stat_op(path))
}

/// `statSize(path[, cb])`: the size alone, from one `uv_fs_stat` in uvco's callback form
/// (`UvFsStat::with_callback`): no task; the promise settles, or the callback is called, from
/// the request's own libuv callback.
#[napi(catch_unwind)]
pub fn stat_size(env: Env, path: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let path = args::path(&env, path, "path")?;
    let c_path = std::ffi::CString::new(path.clone())
        .map_err(|_| napi::Error::from_reason("path must not contain NUL bytes"))?;
    uvco_node::request(&env, cb, move |settle| {
        // SAFETY: the C string is kept in the slot and outlives the call (libuv copies it).
        unsafe {
            uvco::requests::UvFsStat::with_callback(
                c_path,
                |p| (p.as_ptr(),),
                move |res, _| {
                    let size = res.map(|stat| stat.st_size as f64);
                    settle.send(size.map_err(std::io::Error::from).syscall("stat", &path));
                },
            )
        }
    })
}

/// `statSizeTask(path[, cb])`: `statSize` through a uvco task (`settle` with an `async`
/// block awaiting the same `UvFsStat`): what the callback form saves, side by side.
#[napi(catch_unwind)]
pub fn stat_size_task(
    env: Env,
    path: JsUnknown,
    cb: Option<JsFunction>,
) -> napi::Result<JsUnknown> {
    let path = args::path(&env, path, "path")?;
    let c_path = std::ffi::CString::new(path.clone())
        .map_err(|_| napi::Error::from_reason("path must not contain NUL bytes"))?;
    uvco_node::settle(&env, cb, async move {
        // SAFETY: the C string outlives the call (libuv copies it).
        let stat = unsafe { uvco::requests::UvFsStat::new(c_path.as_ptr()) }.await;
        stat.map(|stat| stat.st_size as f64)
            .map_err(std::io::Error::from)
            .syscall("stat", &path)
    })
}

/// `statSizePanics(path[, cb])`: as `statSize`, but its `done` panics: the panic must become
/// the JS error, not an abort of the host.
#[napi(catch_unwind)]
pub fn stat_size_panics(env: Env, path: String, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let c_path = std::ffi::CString::new(path)
        .map_err(|_| napi::Error::from_reason("path must not contain NUL bytes"))?;
    uvco_node::request(&env, cb, move |settle: uvco_node::Settle<f64>| {
        // SAFETY: as in `stat_size`.
        unsafe {
            uvco::requests::UvFsStat::with_callback(
                c_path,
                |p| (p.as_ptr(),),
                move |_, _| {
                    let _settle = settle;
                    panic!("in the request's callback");
                },
            )
        }
    })
}

/// `readFile(path[, cb])`: the contents as a Buffer (open + fstat + read + close).
#[napi(catch_unwind)]
pub fn read_file(env: Env, path: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let path = args::path(&env, path, "path")?;
    uvco_node::settle(&env, cb, async move {
        let bytes = uvco::fs::read(&path).await.syscall("open", &path)?;
        Ok(Buffer::from(bytes))
    })
}

/// `lookup(host[, cb])`: the addresses `getaddrinfo` gives, as strings.
#[napi(catch_unwind)]
pub fn lookup(env: Env, host: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let host = args::string(&env, host, "hostname")?;
    uvco_node::settle(&env, cb, async move {
        let addrs = uvco::dns::lookup(&host, 0)
            .await
            .syscall("getaddrinfo", &host)?;
        Ok(addrs.iter().map(|a| a.ip().to_string()).collect::<Vec<_>>())
    })
}

/// `echo(port, message[, cb])`: connects to 127.0.0.1:port, sends `message`, and resolves with
/// what comes back until the peer closes.
#[napi(catch_unwind)]
pub fn echo(
    env: Env,
    port: JsUnknown,
    message: JsUnknown,
    cb: Option<JsFunction>,
) -> napi::Result<JsUnknown> {
    let port = args::number(&env, port, "port", 0.0, 65535.0)? as u16;
    let message = args::string(&env, message, "message")?;
    uvco_node::settle(&env, cb, async move {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut conn = uvco::net::TcpStream::connect(addr)
            .await
            .syscall("connect", &addr.to_string())?;
        conn.write_all(message.as_bytes()).await?;
        conn.shutdown().await?;
        let mut reply = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            match conn.read(&mut buf).await? {
                0 => break,
                n => reply.extend_from_slice(&buf[..n]),
            }
        }
        Ok(String::from_utf8_lossy(&reply).into_owned())
    })
}

/// `sleep(ms[, cb])`: resolves with the milliseconds that actually passed.
#[napi(catch_unwind)]
pub fn sleep(env: Env, ms: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let ms = args::number(&env, ms, "ms", 0.0, 86_400_000.0)?;
    uvco_node::settle(&env, cb, async move {
        let start = Instant::now();
        uvco::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
        Ok(start.elapsed().as_secs_f64() * 1000.0)
    })
}

/// `panics(when[, cb])`: an operation that panics, `"sync"` before it starts (napi-rs's
/// catch_unwind makes that a JS exception) or `"async"` while it runs (a rejection).
#[napi(catch_unwind)]
pub fn panics(env: Env, when: JsUnknown, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    let when = args::string(&env, when, "when")?;
    if when == "sync" {
        panic!("boom before the operation started");
    }
    uvco_node::settle(&env, cb, async move {
        uvco::time::sleep(Duration::from_millis(1)).await;
        if when == "async" {
            panic!("boom inside the operation");
        }
        Ok(())
    })
}

/// What `convertThrows` resolves to: a value whose conversion to JS throws, as a Buffer past
/// V8's largest does (a `readFile` of a file over 4 GiB), without reading 4 GiB.
pub struct Unconvertible;

impl ToNapiValue for Unconvertible {
    unsafe fn to_napi_value(env: sys::napi_env, _: Unconvertible) -> napi::Result<sys::napi_value> {
        // SAFETY: napi-rs converts results on env's thread, inside a handle scope.
        unsafe {
            sys::napi_throw_range_error(
                env,
                c"ERR_TEST_UNCONVERTIBLE".as_ptr(),
                c"this value has no JS form".as_ptr(),
            )
        };
        Err(napi::Error::from_status(napi::Status::PendingException))
    }
}

/// `convertThrows([cb])`: an operation whose result's conversion to JS throws.
#[napi(catch_unwind)]
pub fn convert_throws(env: Env, cb: Option<JsFunction>) -> napi::Result<JsUnknown> {
    uvco_node::settle(&env, cb, async { Ok(Unconvertible) })
}

/// `statLike(size)`: a `Stat` made synchronously, from a JS call (with or without a uvco
/// runtime on the environment yet), to compare with what `stat` resolves to.
#[napi]
pub fn stat_like(size: f64) -> Stat {
    Stat {
        size,
        mode: 0o100644,
        ino: 1.0,
        nlink: 1.0,
        mtime_ms: 0.5,
        is_file: true,
        is_directory: false,
    }
}

/// The version of the libuv uvco calls (Node's own, in the host build).
#[napi]
pub fn libuv_version() -> String {
    uvco::runtime::libuv::version().to_string()
}

/// Requests uvco submitted on this thread and callbacks that ran: equal when none is in flight.
#[napi]
pub fn request_counts() -> Vec<f64> {
    let stats = uvco::runtime::slot::stats();
    vec![stats.submitted as f64, stats.completed as f64]
}
