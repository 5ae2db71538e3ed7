//! The task state machine: every bit of a task header's state word, and the named transitions
//! that are the only way to change them (after tokio's `runtime/task/state.rs` and
//! async-task's `state.rs`; unlike theirs, this word is not atomic, see below).
//!
//! # Bits
//!
//! | bit             | set by                                 | cleared by                        |
//! |-----------------|----------------------------------------|-----------------------------------|
//! | `SCHEDULED`     | spawn; a wake of an idle task          | the scheduler taking it off the queue |
//! | `RUNNING`       | the scheduler, around one poll         | the same poll's end               |
//! | `DONE`          | finishing (output, panic, abort, shutdown) | never                          |
//! | `JOIN_INTEREST` | spawn                                  | dropping the `JoinHandle`         |
//! | `ABORT`         | an abort while the task is running     | never (the task is done after the poll) |
//! | `LINKED`        | spawn                                  | the scheduler unlinking a done task |
//! | `LISTED`        | the first poll that leaves the task pending | the same unlinking            |
//! | `OUTPUT`        | finishing, while `JOIN_INTEREST`       | the `JoinHandle` taking the output |
//!
//! # Who touches which header field when
//!
//! Everything but the reference count is touched on the scheduler's thread only: a task is
//! `!Send` to whoever holds its `JoinHandle`, polls happen in the scheduler, and wakes from
//! other threads reach the header only through the scheduler's remote queue, which moves them
//! back to its thread before any state is read. So the state word is a plain `Cell`, and each
//! transition costs a load and a store, no atomic read-modify-write.
//!
//! | field                  | written by                                     | when                          |
//! |------------------------|------------------------------------------------|-------------------------------|
//! | `refs` (atomic)        | wakers (any thread), queue, live list, handle   | clone/drop of each            |
//! | `state`                | the transitions below                          | scheduler thread only         |
//! | `id`, `vtable`, `owner`| spawn                                          | never again                   |
//! | `next_ready`           | the ready queue                                | while `SCHEDULED`             |
//! | `prev_live`/`next_live`| the live list                                  | while `LISTED`                |
//! | `join_waker`           | the `JoinHandle` (poll, drop); finishing (wake) | never while `RUNNING` polls it |
//! | the body (future, then output) | the poll (`RUNNING`); finishing; the handle | the future while `!DONE`, the output while `OUTPUT` |
//!
//! # Lifecycle
//!
//! ```text
//!  spawn ─▶ SCHEDULED ─dequeue─▶ idle ─wake─▶ SCHEDULED ─dequeue─▶ RUNNING ─Pending─▶ idle
//!                                  │                                  │ Ready/panic/ABORT
//!                                  └─abort/shutdown─▶ DONE (+OUTPUT) ◀┘
//!  DONE ─unlink─▶ !LINKED;  OUTPUT ─JoinHandle takes it─▶ !OUTPUT
//! ```
//!
//! `LINKED` (the task counts as live, and the live list holds a reference for it) is set at
//! spawn; `LISTED` (it is on the list's links) only when a poll first leaves it pending. A task
//! that is done by its first poll, or before it, never touches the links: `LINKED` without
//! `LISTED` and without `DONE` means never polled, and so on the ready queue, which is where
//! the runtime's shutdown finds such tasks.

use std::cell::Cell;

/// In the ready queue (which holds a reference for it).
const SCHEDULED: u8 = 1 << 0;
/// Being polled right now.
const RUNNING: u8 = 1 << 1;
/// The future is gone (finished, panicked, aborted or dropped with the runtime).
const DONE: u8 = 1 << 2;
/// A `JoinHandle` exists and wants the output.
const JOIN_INTEREST: u8 = 1 << 3;
/// `abort` was called while the task was running; drop the future after this poll.
const ABORT: u8 = 1 << 4;
/// Linked into the scheduler's live list, which holds a reference for it.
const LINKED: u8 = 1 << 5;
/// The body holds the output: the only time a `JoinHandle` may touch it. Checked first, so a
/// task that polls or drops its own `JoinHandle` (while its future is being polled or
/// dropped) never creates a second reference to the body.
const OUTPUT: u8 = 1 << 6;
/// On the live list's links (`prev_live`, `next_live`): since the first poll that left the
/// task pending. Implies `LINKED`.
const LISTED: u8 = 1 << 7;

/// What [`State::end_poll`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EndPoll {
    /// Pending, and on the live list already: wait for a wake.
    Idle,
    /// Pending for the first time: the caller puts it on the live list's links now.
    List,
    /// Ready, panicked, or aborted during the poll: the caller finishes it.
    Finish,
}

/// What [`State::unlink`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unlink {
    /// Unlinked before: nothing to do.
    Already,
    /// Counted as live, never on the links: the caller drops the count and the reference.
    Unlisted,
    /// On the links too: the caller takes it off them as well.
    Listed,
}

/// What [`State::abort`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Abort {
    /// Already done: nothing to do.
    Done,
    /// Running: the poll drops the future when it returns.
    Deferred,
    /// Idle: the caller drops the future now.
    Now,
}

/// A task's state word. Scheduler thread only (see the module docs).
pub(crate) struct State(Cell<u8>);

impl State {
    /// A task just spawned: queued, on the live list, with a `JoinHandle`.
    pub(crate) fn spawned() -> State {
        State(Cell::new(SCHEDULED | LINKED | JOIN_INTEREST))
    }

    #[inline]
    fn get(&self) -> u8 {
        self.0.get()
    }

    #[inline]
    fn set(&self, bits: u8) {
        self.0.set(bits);
    }

    /// A wake: true when the task must be queued (it was idle); false when it is queued
    /// already or done, and the wake's reference is not needed.
    #[inline]
    pub(crate) fn schedule(&self) -> bool {
        let s = self.get();
        if s & (SCHEDULED | DONE) != 0 {
            return false;
        }
        self.set(s | SCHEDULED);
        true
    }

    /// Taken off the ready queue: true when it is to be polled (not done meanwhile).
    #[inline]
    pub(crate) fn dequeue(&self) -> bool {
        let s = self.get() & !SCHEDULED;
        self.set(s);
        s & DONE == 0
    }

    /// Before a poll: false when the task is being polled already (a re-entrant poll, which
    /// must leave it alone).
    #[inline]
    pub(crate) fn start_poll(&self) -> bool {
        let s = self.get();
        if s & RUNNING != 0 {
            return false;
        }
        self.set(s | RUNNING);
        true
    }

    /// After a poll; `pending` says the future returned `Pending`.
    #[inline]
    pub(crate) fn end_poll(&self, pending: bool) -> EndPoll {
        let s = self.get() & !RUNNING;
        // One compare for the common case: pending, not aborted, listed.
        if pending && s & (ABORT | LISTED) == LISTED {
            self.set(s);
            return EndPoll::Idle;
        }
        if !pending || s & ABORT != 0 {
            self.set(s);
            return EndPoll::Finish;
        }
        self.set(s | LISTED);
        EndPoll::List
    }

    /// An abort (from the `JoinHandle`, or the runtime's shutdown).
    pub(crate) fn abort(&self) -> Abort {
        let s = self.get();
        if s & DONE != 0 {
            Abort::Done
        } else if s & RUNNING != 0 {
            self.set(s | ABORT);
            Abort::Deferred
        } else {
            Abort::Now
        }
    }

    /// The future is being dropped for good.
    #[inline]
    pub(crate) fn finish(&self) {
        self.set(self.get() | DONE);
    }

    /// The output is in the body: true when a `JoinHandle` wants it (and may now take it);
    /// false when the caller drops it.
    #[inline]
    pub(crate) fn store_output(&self) -> bool {
        let s = self.get();
        if s & JOIN_INTEREST == 0 {
            return false;
        }
        self.set(s | OUTPUT);
        true
    }

    /// The `JoinHandle` takes the output: true (once) when there is one to take.
    #[inline]
    pub(crate) fn take_output(&self) -> bool {
        let s = self.get();
        if s & OUTPUT == 0 {
            return false;
        }
        self.set(s & !OUTPUT);
        true
    }

    /// The `JoinHandle` is dropped.
    #[inline]
    pub(crate) fn drop_join_interest(&self) {
        self.set(self.get() & !JOIN_INTEREST);
    }

    /// Off the live list: once, the list's reference is to be released (and, if listed,
    /// the links undone).
    #[inline]
    pub(crate) fn unlink(&self) -> Unlink {
        let s = self.get();
        if s & LINKED == 0 {
            return Unlink::Already;
        }
        self.set(s & !(LINKED | LISTED));
        if s & LISTED != 0 {
            Unlink::Listed
        } else {
            Unlink::Unlisted
        }
    }

    /// On the live list's links.
    #[inline]
    pub(crate) fn is_listed(&self) -> bool {
        self.get() & LISTED != 0
    }

    /// The body holds an output that a `JoinHandle` has yet to take.
    #[inline]
    pub(crate) fn has_output(&self) -> bool {
        self.get() & OUTPUT != 0
    }

    /// The future is gone.
    #[inline]
    pub(crate) fn is_done(&self) -> bool {
        self.get() & DONE != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queued_or_done_task_is_not_queued_again() {
        let s = State::spawned();
        assert!(!s.schedule(), "spawned tasks are queued");
        assert!(s.dequeue());
        assert!(s.schedule());
        assert!(!s.schedule());
        assert!(s.dequeue());
        s.finish();
        assert!(!s.schedule(), "done tasks are never queued");
    }

    #[test]
    fn a_task_done_while_queued_is_not_polled() {
        let s = State::spawned();
        assert_eq!(s.abort(), Abort::Now);
        s.finish();
        assert!(!s.dequeue());
        assert_eq!(s.abort(), Abort::Done);
    }

    #[test]
    fn abort_during_a_poll_is_deferred_to_its_end() {
        let s = State::spawned();
        s.dequeue();
        assert!(s.start_poll());
        assert!(!s.start_poll(), "re-entrant poll");
        assert_eq!(s.abort(), Abort::Deferred);
        assert_eq!(s.end_poll(true), EndPoll::Finish);
        assert!(!s.is_done(), "the poller finishes it");
    }

    #[test]
    fn only_the_first_pending_poll_lists_a_task() {
        let s = State::spawned();
        s.dequeue();
        assert!(s.start_poll());
        assert_eq!(s.end_poll(true), EndPoll::List);
        assert!(s.is_listed());
        assert!(s.start_poll());
        assert_eq!(s.end_poll(true), EndPoll::Idle);
        assert!(s.start_poll());
        assert_eq!(s.end_poll(false), EndPoll::Finish);
        s.finish();
        assert_eq!(s.unlink(), Unlink::Listed);
        assert!(!s.is_listed());
    }

    #[test]
    fn a_task_done_by_its_first_poll_is_never_listed() {
        let s = State::spawned();
        s.dequeue();
        assert!(s.start_poll());
        assert_eq!(s.end_poll(false), EndPoll::Finish);
        assert!(!s.is_listed());
        s.finish();
        assert_eq!(s.unlink(), Unlink::Unlisted);
    }

    #[test]
    fn output_is_taken_once_and_only_with_join_interest() {
        let s = State::spawned();
        s.finish();
        assert!(s.store_output());
        assert!(s.take_output());
        assert!(!s.take_output());
        let detached = State::spawned();
        detached.drop_join_interest();
        detached.finish();
        assert!(!detached.store_output());
        assert!(!detached.take_output());
    }

    #[test]
    fn unlink_happens_once() {
        let s = State::spawned();
        assert_eq!(s.unlink(), Unlink::Unlisted);
        assert_eq!(s.unlink(), Unlink::Already);
    }
}
