//! The pieces of uvco's benchmark harness and demo: the measuring loop ([`harness`]),
//! allocation counting ([`counting`]), and the same operations written against raw libuv
//! callbacks ([`raw`]), uvco ([`uvco_ops`]) and tokio ([`tokio_ops`], feature `tokio`), with
//! the least an await can cost as a yardstick ([`await_floor`]).

pub mod await_floor;
pub mod counting;
pub mod harness;
pub mod memory;
pub mod raw;
#[cfg(feature = "tokio")]
pub mod tokio_ops;
pub mod uvco_ops;
