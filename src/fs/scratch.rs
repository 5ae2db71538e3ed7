//! Read buffers reused from one whole-file read to the next, on the loop thread.
//!
//! A one-hop read doesn't know a file's size until the pool thread has opened it, so it
//! reads a small file into a scratch buffer that travels in the job's slot, and the loop
//! thread then allocates the returned `Vec` at its exact size and copies into it: one
//! allocation per read, made (and later freed) on the loop thread, in its own malloc arena,
//! where a `Vec` allocated on a pool thread would be freed across threads. A scratch buffer
//! lost with a dropped future is simply allocated anew.

use std::cell::Cell;

/// The size of a scratch buffer: files up to this (less a probe) are read into one.
pub(super) const SCRATCH: usize = 16 * 1024;

/// Buffers kept per thread: as many small reads as the default threadpool runs at once.
const KEPT: usize = 4;

thread_local! {
    static KEPT_BUFS: [Cell<Vec<u8>>; KEPT] = const { [const { Cell::new(Vec::new()) }; KEPT] };
}

/// A scratch buffer: empty, with [`SCRATCH`] bytes of capacity. Allocates only when none
/// is kept, or returns an empty `Vec` (no capacity) when even that fails.
pub(super) fn take() -> Vec<u8> {
    let kept = KEPT_BUFS
        .try_with(|bufs| bufs.iter().map(Cell::take).find(|buf| buf.capacity() > 0))
        .ok()
        .flatten();
    kept.unwrap_or_else(|| {
        let mut buf = Vec::new();
        let _ = buf.try_reserve_exact(SCRATCH);
        buf
    })
}

/// Gives a scratch buffer back for the next read (dropped if enough are kept).
pub(super) fn give(mut buf: Vec<u8>) {
    if buf.capacity() != SCRATCH {
        return;
    }
    buf.clear();
    let _ = KEPT_BUFS.try_with(|bufs| {
        if let Some(free) = bufs.iter().find(|cell| {
            let held = cell.take();
            let empty = held.capacity() == 0;
            cell.set(held);
            empty
        }) {
            free.set(buf);
        }
    });
}
