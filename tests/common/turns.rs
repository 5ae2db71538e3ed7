//! Counting a runtime's loop turns with a check handle: shared by the facade's and the
//! runtime's tests (each includes this file with `#[path]`), which bring `sys` and `Runtime`
//! into scope from their own crate (`uvco::sys` is `uvco_runtime::sys`).

use std::cell::Cell;

use super::{sys, Runtime};

thread_local! {
    static TURNS: Cell<u32> = const { Cell::new(0) };
}

unsafe extern "C" fn count_turn(_: *mut sys::uv_check_t) {
    TURNS.with(|t| t.set(t.get() + 1));
}

/// The loop turns counted on this thread so far, by every [`TurnCounter`] of it.
pub fn turns() -> u32 {
    TURNS.with(Cell::get)
}

/// A check handle on a runtime's loop that counts its turns ([`turns`]); unreferenced, so it
/// doesn't keep the loop alive. Closed on drop (also when a test's assert unwinds), which
/// must come before the runtime's.
pub struct TurnCounter {
    lp: *mut sys::uv_loop_t,
    check: Box<sys::uv_check_t>,
}

impl TurnCounter {
    pub fn start(rt: &Runtime) -> TurnCounter {
        let lp = rt.loop_ptr();
        // SAFETY: a zeroed handle, initialised on rt's loop and boxed, so it stays put until
        // the drop closes it.
        let mut check: Box<sys::uv_check_t> = unsafe { Box::new(std::mem::zeroed()) };
        // SAFETY: as above.
        unsafe {
            sys::uv_check_init(lp, &mut *check);
            sys::uv_check_start(&mut *check, Some(count_turn));
            sys::uv_unref((&raw mut *check).cast());
        }
        TurnCounter { lp, check }
    }
}

impl Drop for TurnCounter {
    fn drop(&mut self) {
        // SAFETY: the handle is open and ours; the loop's turn runs its close callback, so
        // libuv is done with the box before it is freed.
        unsafe {
            sys::uv_close((&raw mut *self.check).cast(), None);
            sys::uv_run(self.lp, sys::uv_run_mode_UV_RUN_NOWAIT);
        }
    }
}
