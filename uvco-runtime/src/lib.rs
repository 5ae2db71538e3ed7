//! uvco's thin runtime: what the generated request futures and the safe API stand on.
//!
//! **This crate has no API of its own for users.** Depend on [`uvco`](https://docs.rs/uvco)
//! instead: everything here that a program can use is re-exported there, and documented there.
//! `uvco` pins this crate with `=` to its own version; the two are released together, and
//! nothing here is stable on its own.
//!
//! Where its items live in `uvco`:
//!
//! - [`Runtime`], [`Builder`], [`EnterGuard`], [`PollHook`], [`spawn_local`], [`JoinHandle`],
//!   [`JoinError`], [`TaskId`], [`Keep`], [`UvError`], [`current_loop`], [`try_current_loop`]:
//!   at `uvco`'s root (`uvco::Runtime`, ...); [`yield_now`] as `uvco::task::yield_now`.
//! - [`kind`] (what completion means for each request kind): `uvco::kind`.
//! - [`alloc`] (thread-local free lists, 128-byte size classes up to 4096 bytes, for task
//!   frames and request slots), [`slot`] (request slots and [`Op`], the future over one),
//!   [`wake`] and [`sockaddr`]: under `uvco::runtime`.
//! - [`sys`], the libuv bindings: `uvco::sys`.

#![warn(
    missing_docs,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]

pub mod alloc;
#[doc(hidden)]
pub mod awaitable;
mod error;
pub mod kind;
pub mod libuv;
mod runtime;
mod scheduler;
pub mod slot;
pub mod sockaddr;
mod state;
mod task;
pub mod wake;

pub use error::{RuntimeError, UvError};
pub use runtime::{
    current_loop, spawn_local, try_current_loop, Builder, EnterGuard, Runtime, ShutdownReport,
};

/// The runtime's record of the facade's handles, so that a shutdown closes those whose owners
/// outlive the runtime. For uvco's own handle types; not a user API.
#[doc(hidden)]
pub mod handles {
    pub use crate::runtime::{
        register_handle, register_handle_beside, unregister_handle, HandleLink,
    };
}
#[doc(hidden)]
pub use runtime::{set_park_hook, Park, ParkHook};
pub use scheduler::PollHook;
pub use slot::{Completion, Keep, Op, Outcome};
#[cfg(feature = "task-hook")]
pub use task::{set_task_hook, TaskEvent, TaskHook};
pub use task::{yield_now, JoinError, JoinHandle, TaskId};

pub mod sys;
