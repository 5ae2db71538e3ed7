//! Whole-file reads and writes: `read`, `read_to_string`, `write`.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd};

use super::fd::Fd;
use std::os::raw::c_int;
use std::path::Path;

use super::OpenOptions;
use crate::path::with_c_path;
use crate::requests::{UvFsClose, UvFsFstat, UvFsOpen, UvFsRead};
use crate::sys;

/// Bytes read past the size `fstat` reported, to find the end of the file without growing
/// the buffer when the size was right.
const PROBE: usize = 32;

/// The least spare capacity each read of a file of unknown size asks for.
const CHUNK: usize = 8 * 1024;

const S_IFMT: u64 = 0o170000;
const S_IFREG: u64 = 0o100000;

/// What each read request of [`read`] keeps in its slot: the fd (closed if the future is
/// dropped), the buffer, the probe past its capacity, and the two `uv_buf_t`s over them.
struct ReadKeep {
    fd: Fd,
    buf: Vec<u8>,
    probe: [u8; PROBE],
    bufs: [sys::uv_buf_t; 2],
}

const NO_BUF: sys::uv_buf_t = sys::uv_buf_t {
    base: std::ptr::null_mut(),
    len: 0,
};

/// Reads the whole file at `path`: open, fstat, reads until end of file, close, all as
/// libuv requests. The returned `Vec` is the only heap allocation (for paths under 512
/// bytes, and a file that doesn't grow while it is read): its capacity is the size fstat
/// reports, and the end of the file is found by reading into a small probe buffer kept in
/// the request's slot.
///
/// Files that are not regular (a FIFO, a pipe such as `/dev/stdin`, a character device) are
/// read sequentially until a read returns 0, as `std::fs::read` does; the allocation bound
/// above holds for regular files only.
///
/// Dropping the future at any point closes the file once no request uses it any more.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("uvco-read-doc-{}", std::process::id()));
/// uvco::fs::write(&path, [1, 2, 3]).await?;
/// assert_eq!(uvco::fs::read(&path).await?, [1, 2, 3]);
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn read(path: impl AsRef<Path>) -> io::Result<Vec<u8>> {
    read_path(path.as_ref()).await
}

async fn read_path(path: &Path) -> io::Result<Vec<u8>> {
    let flags = sys::UV_FS_O_RDONLY as c_int;
    // SAFETY: libuv copies the path when the request is submitted.
    let open = with_c_path(path, |path| unsafe {
        UvFsOpen::new(path.as_ptr(), flags, 0)
    })?;
    let fd = open.await?.result() as c_int;
    // SAFETY: a successful open resolves to a new fd that nothing else owns. From here on the
    // Fd travels in each request's slot, so a dropped future closes it after the
    // request's callback.
    let fd = Fd::from(unsafe { OwnedFd::from_raw_fd(fd) });

    // SAFETY: no pointers; the fd is kept in the slot until the callback.
    let stat = unsafe { UvFsFstat::with_keep(fd, |fd| (fd.as_raw_fd(),)) };
    let (stat, fd) = stat.await;
    let stat = stat?;
    let size = stat.stat().map_or(0, |stat| stat.st_size);
    let is_regular = stat.stat().is_some_and(|st| st.st_mode & S_IFMT == S_IFREG);
    let size = usize::try_from(size).map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
    // The size a short read may be trusted against (see `reached_eof`): only a regular
    // file's, and not 0 (procfs and the like report 0 whatever they hold).
    let known_size = (is_regular && size > 0).then_some(size);
    let mut buf = Vec::new();
    buf.try_reserve_exact(size)
        .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;

    let mut keep = ReadKeep {
        fd,
        buf,
        probe: [0; PROBE],
        bufs: [NO_BUF; 2],
    };
    loop {
        if known_size.is_none() && keep.buf.capacity() - keep.buf.len() < CHUNK {
            // Nothing says how much is left (a FIFO, a pipe, a tty, procfs): read in chunks
            // that double with what has arrived, rather than a probe's worth at a time.
            let more = CHUNK.max(keep.buf.len());
            keep.buf
                .try_reserve(more)
                .map_err(|_| io::Error::from(io::ErrorKind::OutOfMemory))?;
        }
        let spare = keep.buf.capacity() - keep.buf.len();
        // A regular file is read at explicit offsets: its position isn't needed, and can't be
        // disturbed. Anything else may not be seekable at all (preadv fails with ESPIPE on a
        // FIFO, a pipe or a tty, which std::fs::read reads fine): read it sequentially, from
        // the position open left it at, which is where std starts too.
        let offset = if is_regular {
            keep.buf.len() as i64
        } else {
            -1
        };
        // SAFETY: libuv writes into the Vec's spare capacity and the probe, and reads the two
        // uv_buf_t, until its callback has run; all are owned by `keep`, which stays in the
        // request's slot until then (moving a Vec doesn't move its heap bytes), as does the
        // fd.
        let op = unsafe {
            UvFsRead::with_keep(keep, move |k| {
                let spare = k.buf.spare_capacity_mut();
                k.bufs = [
                    sys::uv_buf_t {
                        base: spare.as_mut_ptr().cast(),
                        len: spare.len(),
                    },
                    sys::uv_buf_t {
                        base: k.probe.as_mut_ptr().cast(),
                        len: PROBE,
                    },
                ];
                (k.fd.as_raw_fd(), k.bufs.as_ptr(), 2, offset)
            })
        };
        let (res, back) = op.await;
        keep = back;
        let n = match res {
            Ok(done) => done.result().min(spare + PROBE),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err.into()),
        };
        let filled = n.min(spare);
        // SAFETY: preadv filled the first `filled` bytes of the spare capacity, in order,
        // before any byte of the probe.
        unsafe { keep.buf.set_len(keep.buf.len() + filled) };
        if n > spare {
            // The file grew since fstat: keep the probe's bytes (the Vec grows, amortised).
            keep.buf.extend_from_slice(&keep.probe[..n - spare]);
        }
        if reached_eof(n, spare + PROBE, keep.buf.len(), known_size) {
            break;
        }
    }

    let ReadKeep { fd, buf, .. } = keep;
    // SAFETY: no pointers; libuv closes the fd, whose ownership `into_raw_fd` gives up.
    let close = unsafe { UvFsClose::new(fd.into_raw_fd()) };
    close.await?;
    Ok(buf)
}

/// Whether a read of [`read`] that returned `n` of the `asked` bytes, leaving `read_so_far`
/// bytes in the buffer, found the end of the file. `known_size` is the size fstat reported
/// for a regular file (`None` for anything else, or a size of 0).
///
/// A read that returns 0 is the end. A short read is the end too, saving one more read (and
/// threadpool round trip) to see 0, but only once the size fstat reported has been read: a
/// single read(2) returns at most `UV__IO_MAX_BYTES` (0x7ffff000, as Linux caps it too), and
/// libuv drops the probe buffer from a request above that, so the reads of a file larger
/// than about 2 GiB are short long before its end.
fn reached_eof(n: usize, asked: usize, read_so_far: usize, known_size: Option<usize>) -> bool {
    n == 0 || (n < asked && known_size.is_some_and(|size| read_so_far >= size))
}

/// Reads the whole file at `path` as UTF-8; `InvalidData` if it isn't.
///
/// ```
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let toml = uvco::fs::read_to_string("Cargo.toml").await?;
///     assert!(toml.contains("[package]"));
///     Ok(())
/// }
/// ```
pub async fn read_to_string(path: impl AsRef<Path>) -> io::Result<String> {
    let bytes = read_path(path.as_ref()).await?;
    String::from_utf8(bytes).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

/// Writes `contents` as the whole file at `path`, creating it or truncating it. Owned
/// contents (`Vec<u8>`, `String`) are moved into the request without a copy.
///
/// ```
/// # uvco::Runtime::new().unwrap().block_on(async {
/// let path = std::env::temp_dir().join(format!("uvco-write-doc-{}", std::process::id()));
/// uvco::fs::write(&path, "some text").await?;
/// uvco::fs::write(&path, String::from("other text")).await?;
/// assert_eq!(uvco::fs::read_to_string(&path).await?, "other text");
/// # uvco::fs::remove_file(&path).await?;
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub async fn write(path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> io::Result<()> {
    let contents = contents.into();
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .await?;
    file.write_all(contents).await.0?;
    file.close().await
}

#[cfg(test)]
mod tests {
    use super::reached_eof;

    /// Just under 2 GiB: the most one read request returns (`UV__IO_MAX_BYTES`).
    const IO_MAX: usize = 0x7fff_f000;

    #[test]
    fn zero_is_always_the_end() {
        assert!(reached_eof(0, 100, 0, None));
        assert!(reached_eof(0, 100, 0, Some(50)));
        assert!(reached_eof(0, 100, 10, Some(50)), "the file shrank");
    }

    #[test]
    fn a_short_read_past_the_known_size_is_the_end() {
        assert!(reached_eof(50, 82, 50, Some(50)));
        assert!(reached_eof(10, 82, 60, Some(50)), "grew a little");
    }

    #[test]
    fn a_full_read_is_not_the_end() {
        assert!(
            !reached_eof(82, 82, 82, Some(50)),
            "the probe filled: it grew"
        );
        assert!(!reached_eof(82, 82, 82, None));
    }

    #[test]
    fn a_short_read_of_an_unknown_size_is_not_the_end() {
        assert!(!reached_eof(10, 4096, 10, None));
    }

    #[test]
    fn a_read_capped_below_a_big_files_size_is_not_the_end() {
        let size = (1 << 31) + (64 << 20);
        let asked = size + 32;
        // The first read of a 2.2 GB file stops at the cap...
        assert!(!reached_eof(IO_MAX, asked, IO_MAX, Some(size)));
        // ... a short read of a file that shrank since fstat isn't trusted either ...
        assert!(!reached_eof(
            1000,
            asked - IO_MAX,
            IO_MAX + 1000,
            Some(size)
        ));
        // ... and the read that reaches its size, with the probe short, is the end.
        assert!(reached_eof(size - IO_MAX, asked - IO_MAX, size, Some(size)));
    }
}
