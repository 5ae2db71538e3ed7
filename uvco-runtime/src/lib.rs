//! uvco's thin runtime: what the generated request futures and the safe API stand on.
//!
//! - [`alloc`]: thread-local free lists (256-byte size classes up to 4096 bytes) for task
//!   frames and request slots, so that steady-state requests and spawns don't allocate.
//! - [`slot`]: request slots, the one owner of a libuv request from submission to callback,
//!   and [`Op`], the future over one.
//! - [`kind`]: what completion means for each request kind.
//! - [`Runtime`], [`spawn_local`], [`JoinHandle`]: tasks, resumed by a scheduler that runs
//!   between libuv's callbacks (never inside them).
//! - [`UvError`]: libuv's error codes, convertible to `std::io::Error`.
//!
//! Most users depend on the `uvco` facade instead of this crate.

#![warn(
    missing_docs,
    unsafe_op_in_unsafe_fn,
    clippy::undocumented_unsafe_blocks
)]

pub mod alloc;
mod error;
pub mod kind;
mod runtime;
mod scheduler;
pub mod slot;
pub mod sockaddr;
mod task;
pub mod wake;

pub use error::UvError;
pub use runtime::{current_loop, spawn_local, try_current_loop, Builder, EnterGuard, Runtime};
pub use scheduler::PollHook;
pub use slot::{Keep, Op};
pub use task::{yield_now, JoinError, JoinHandle, TaskId};

/// The libuv bindings this runtime is built on.
pub use libuv_sys2 as sys;
