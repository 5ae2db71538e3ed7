//! The least an `.await` of a libuv request can cost under the runtime's resume rule (R4 in
//! the architecture: a callback records the result and wakes the task, which is polled
//! before the loop next blocks): a callback records its result and wakes, and the loop's
//! prepare phase polls what was woken, which reads the result and submits the next request.
//!
//! Nothing else: no request slots (a future owns its request, which a dropped future would
//! leave to libuv), no cancellation, no list of what is in flight, no counters, wakers with
//! no count and no thread check, no panic containment, no spawn or join. It is not a runtime
//! but a yardstick: the instruction counts (`make bench-instructions`) and the timings of
//! raw, this and uvco in one row say how much of uvco's cost over raw callbacks the await
//! itself takes, and how much the rest.
//!
//! Two runners, as uvco has two paths: [`run_main`] polls one future, woken through a flag
//! (uvco's `block_on` future); [`Tasks`] polls several, woken into a ring of indices
//! (uvco's spawned tasks and their run queue).

mod fs;
mod tcp;

pub use fs::{fs_stat, fs_stat_wide, readfile};
pub use tcp::tcp_echo;

use std::cell::Cell;
use std::ffi::c_void;
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::rc::Rc;
use std::task::{Context, RawWaker, RawWakerVTable, Waker};

use libuv_sys2 as sys;

/// A prepare handle on `lp` for a runner, boxed so it stays put; it is never closed (the
/// process ends with the benchmarks).
pub(crate) fn prepare(lp: *mut sys::uv_loop_t) -> Box<sys::uv_prepare_t> {
    // SAFETY: a zeroed handle is what uv_prepare_init expects.
    let mut prepare: Box<sys::uv_prepare_t> = Box::new(unsafe { std::mem::zeroed() });
    // SAFETY: a live loop and a fresh handle.
    unsafe { sys::uv_prepare_init(lp, &mut *prepare) };
    prepare
}

// ---------------------------------------------------------------------------------------
// One future, woken through a flag

/// The wake flag of [`run_main`], which its waker's data points at.
type Woken = Cell<bool>;

static MAIN_VTABLE: RawWakerVTable = RawWakerVTable::new(main_clone, main_wake, main_wake, no_drop);

unsafe fn main_clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &MAIN_VTABLE)
}

unsafe fn main_wake(data: *const ()) {
    // SAFETY: `data` is the `Woken` of a run that is still going: the future (and so every
    // clone of the waker, which only its requests hold) lives inside that run.
    unsafe { (*data.cast::<Woken>()).set(true) }
}

unsafe fn no_drop(_: *const ()) {}

/// What the prepare callback of [`run_main`] polls: one run's future.
struct Main<'a> {
    future: Pin<&'a mut dyn Future<Output = ()>>,
    woken: &'a Woken,
    done: bool,
}

unsafe extern "C" fn main_prepare(handle: *mut sys::uv_prepare_t) {
    // SAFETY: `data` is the run's Main while the handle is started (see `run_main`).
    let main = unsafe { &mut *(*handle).data.cast::<Main<'_>>() };
    if !main.woken.replace(false) {
        return;
    }
    // SAFETY: the MAIN_VTABLE contract: data is a Woken that outlives every clone.
    let waker = unsafe {
        Waker::from_raw(RawWaker::new(
            ptr::from_ref(main.woken).cast(),
            &MAIN_VTABLE,
        ))
    };
    if main
        .future
        .as_mut()
        .poll(&mut Context::from_waker(&waker))
        .is_ready()
    {
        main.done = true;
        // SAFETY: the loop is running on this thread.
        unsafe { sys::uv_stop((*handle).loop_) };
    }
}

/// Runs `lp` until `future` is done, polling it from `prepare` (an initialised, stopped
/// handle of `lp`) whenever it was woken. The future must wake only through the waker it is
/// given, and only from the loop's callbacks.
pub(crate) fn run_main(
    lp: *mut sys::uv_loop_t,
    prepare: &mut sys::uv_prepare_t,
    future: Pin<&mut dyn Future<Output = ()>>,
) {
    let woken = Woken::new(true);
    let mut main = Main {
        future,
        woken: &woken,
        done: false,
    };
    // SAFETY: `main` outlives the run: the handle is stopped before it goes, and the run
    // ends only when the future is done (uv_stop in its last poll).
    unsafe {
        prepare.data = (&raw mut main).cast::<c_void>();
        sys::uv_prepare_start(prepare, Some(main_prepare));
        sys::uv_run(lp, sys::uv_run_mode_UV_RUN_DEFAULT);
        sys::uv_prepare_stop(prepare);
    }
    assert!(main.done, "the loop ended before the future did");
}

// ---------------------------------------------------------------------------------------
// Several futures, woken into a ring

/// One task's place in the ring's bookkeeping; a task's waker points at its entry.
struct Entry {
    ring: *const Ring,
    index: usize,
    queued: Cell<bool>,
}

/// The woken tasks' indices in wake order; each task is in it at most once, so `capacity`
/// entries never overflow.
struct Ring {
    entries: Box<[Entry]>,
    slots: Box<[Cell<usize>]>,
    head: Cell<usize>,
    len: Cell<usize>,
}

impl Ring {
    fn new(capacity: usize) -> Rc<Ring> {
        Rc::new_cyclic(|me: &std::rc::Weak<Ring>| Ring {
            entries: (0..capacity)
                .map(|index| Entry {
                    ring: me.as_ptr(),
                    index,
                    queued: Cell::new(false),
                })
                .collect(),
            slots: (0..capacity).map(|_| Cell::new(0)).collect(),
            head: Cell::new(0),
            len: Cell::new(0),
        })
    }

    fn push(&self, entry: &Entry) {
        if entry.queued.replace(true) {
            return;
        }
        let mut tail = self.head.get() + self.len.get();
        if tail >= self.slots.len() {
            tail -= self.slots.len();
        }
        self.slots[tail].set(entry.index);
        self.len.set(self.len.get() + 1);
    }

    fn pop(&self) -> Option<usize> {
        let len = self.len.get();
        if len == 0 {
            return None;
        }
        let head = self.head.get();
        let index = self.slots[head].get();
        self.head.set(if head + 1 == self.slots.len() {
            0
        } else {
            head + 1
        });
        self.len.set(len - 1);
        self.entries[index].queued.set(false);
        Some(index)
    }

    /// The waker of task `index`: a pointer to its entry, uncounted.
    fn waker(&self, index: usize) -> Waker {
        let data = ptr::from_ref(&self.entries[index]).cast::<()>();
        // SAFETY: the TASK_VTABLE contract: data is an Entry of a live ring (see `Tasks`).
        unsafe { Waker::from_raw(RawWaker::new(data, &TASK_VTABLE)) }
    }
}

static TASK_VTABLE: RawWakerVTable = RawWakerVTable::new(task_clone, task_wake, task_wake, no_drop);

unsafe fn task_clone(data: *const ()) -> RawWaker {
    RawWaker::new(data, &TASK_VTABLE)
}

unsafe fn task_wake(data: *const ()) {
    // SAFETY: `data` is an Entry of a ring that a `Tasks` keeps alive, and `Tasks` lives as
    // long as the futures that hold its wakers (see `Tasks`).
    unsafe {
        let entry = &*data.cast::<Entry>();
        (*entry.ring).push(entry);
    }
}

/// A future run by [`Tasks`].
type Task = Pin<Box<dyn Future<Output = ()>>>;

/// Futures polled from a prepare handle when woken, in wake order. The futures, and so
/// every clone of their wakers, are dropped before the ring they point into (the field
/// order), and `Tasks` is never moved while its loop runs (it is boxed).
pub(crate) struct Tasks {
    tasks: Vec<Option<Task>>,
    /// Tasks at the front that are never waited for (a server that runs across runs).
    background: usize,
    /// Tasks not yet done that a run waits for.
    left: usize,
    prepare: Box<sys::uv_prepare_t>,
    lp: *mut sys::uv_loop_t,
    ring: Rc<Ring>,
}

impl Tasks {
    /// Room for `capacity` tasks on the loop `lp`, which outlives this.
    pub(crate) fn new(lp: *mut sys::uv_loop_t, capacity: usize) -> Box<Tasks> {
        Box::new(Tasks {
            tasks: Vec::with_capacity(capacity),
            background: 0,
            left: 0,
            prepare: prepare(lp),
            lp,
            ring: Ring::new(capacity),
        })
    }

    /// Adds a task, to be polled first when the loop next runs. Background tasks come
    /// first and are never waited for; the others are dropped when done.
    pub(crate) fn spawn(&mut self, task: Task, background: bool) {
        let index = self.tasks.len();
        assert!(
            index < self.ring.entries.len(),
            "more tasks than the ring holds"
        );
        assert!(
            !background || index == self.background,
            "background tasks come first"
        );
        self.tasks.push(Some(task));
        if background {
            self.background += 1;
        } else {
            self.left += 1;
        }
        self.ring.push(&self.ring.entries[index]);
    }

    /// Runs the loop until every task that is not a background one is done.
    pub(crate) fn run(self: &mut Box<Tasks>) {
        if self.left > 0 {
            let this: *mut Tasks = &raw mut **self;
            // SAFETY: `self` is boxed and borrowed for the whole run, the run reaches it only
            // through `this` (the prepare callback too), and the handle is stopped before
            // the borrow ends.
            unsafe {
                let prepare = &raw mut *(*this).prepare;
                (*prepare).data = this.cast::<c_void>();
                sys::uv_prepare_start(prepare, Some(tasks_prepare));
                sys::uv_run((*this).lp, sys::uv_run_mode_UV_RUN_DEFAULT);
                sys::uv_prepare_stop(prepare);
            }
        }
        assert_eq!(self.left, 0, "the loop ended before the tasks did");
        self.tasks.truncate(self.background);
    }
}

unsafe extern "C" fn tasks_prepare(handle: *mut sys::uv_prepare_t) {
    // SAFETY: `data` is the running `Tasks` (see `Tasks::run`); the wakers reach only its
    // ring, which the futures never touch.
    let tasks = unsafe { &mut *(*handle).data.cast::<Tasks>() };
    while let Some(index) = tasks.ring.pop() {
        let Some(task) = tasks.tasks[index].as_mut() else {
            continue;
        };
        let waker = tasks.ring.waker(index);
        if task
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_ready()
        {
            tasks.tasks[index] = None;
            tasks.left -= 1;
            if tasks.left == 0 {
                // SAFETY: the loop is running on this thread.
                unsafe { sys::uv_stop(tasks.lp) };
            }
        }
    }
}
