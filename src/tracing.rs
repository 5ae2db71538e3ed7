//! `tracing` integration (feature `tracing`): a span per task, entered on each of its polls.
//!
//! After [`enable`], every task spawned in the process gets a span, `runtime.spawn` (target
//! `uvco::task`, level TRACE, field `task.id`), as tokio's tasks do under `tokio_unstable`.
//! The span is made when the task is spawned, in the spawner's context, so its parent is the
//! span current there: the span of the task that spawned it, or the span a
//! [`tracing::Instrument`] future or an entered guard made current. Each poll of the task
//! enters its span and exits it after (and so does the drop of the task's future), so events
//! and spans inside the task nest under it, and a subscriber sees when the task runs; the
//! span is closed once the task's future is dropped (it finished, panicked, was aborted, or
//! its runtime went away).
//! `tracing::Instrument` works inside tasks as it does under tokio: an instrumented future's
//! span is entered, inside the task's, for each of its polls.
//!
//! Where it lives: the runtime tells a [task hook](crate::runtime::TaskHook) of each
//! task's spawn, poll enter and exit, and drop; this module's hook keeps each task's span in
//! a thread-local table keyed by the task's address (unique among live tasks, whichever
//! runtime runs them), inserted at spawn and removed at drop. So the feature costs, per
//! spawn, the span (whatever the subscriber allocates for it; nothing for a span no
//! subscriber is interested in, which isn't kept) and an amortised table insert; per poll, a
//! table lookup and the subscriber's enter and exit, with no allocation of uvco's. Without
//! [`enable`], the hook costs the runtime one atomic load per task event (a spawn + join
//! goes from 577 to 608 instructions under callgrind); a build without the feature has no
//! hook at all (the runtime's `task-hook` feature, which this one enables).
//!
//! ```
//! use tracing::Instrument;
//!
//! uvco::tracing::enable();
//! let rt = uvco::Runtime::new().unwrap();
//! rt.block_on(async {
//!     let task = uvco::spawn_local(
//!         async {
//!             // Inside the task's `runtime.spawn` span, inside `request`.
//!             tracing::info!("working");
//!             uvco::task::yield_now().await;
//!             6 * 7
//!         }
//!         .instrument(tracing::info_span!("request")),
//!     );
//!     assert_eq!(task.await.unwrap(), 42);
//! });
//! ```

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use ::tracing::Span;
use uvco_runtime::{TaskEvent, TaskId};

/// Makes every task spawned from now on, in this process, get a span (see the
/// [module docs](self)). Idempotent; tasks spawned before are left without one.
pub fn enable() {
    uvco_runtime::set_task_hook(Some(hook));
}

/// Stops giving spans to tasks spawned from now on. A task that has a span keeps it, but is
/// no longer entered into it: call this when no task spawned with a span is still running.
pub fn disable() {
    uvco_runtime::set_task_hook(None);
}

/// A hasher for task addresses: aligned, distinct, and not chosen by an attacker, so a
/// multiplicative mix is enough (and cheaper, per poll, than SipHash).
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, addr: usize) {
        self.0 = (addr as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Spans = HashMap<usize, Span, BuildHasherDefault<AddrHasher>>;

thread_local! {
    /// The spans of this thread's live tasks, by task address.
    static SPANS: RefCell<Spans> = RefCell::new(Spans::default());
}

/// The task hook: makes, enters, exits and drops the spans.
fn hook(event: TaskEvent, id: TaskId, key: usize) {
    match event {
        TaskEvent::Spawned => {
            let span =
                ::tracing::trace_span!(target: "uvco::task", "runtime.spawn", task.id = id.0);
            if span.is_disabled() {
                return;
            }
            let old = SPANS
                .try_with(|spans| spans.try_borrow_mut().ok()?.insert(key, span))
                .ok()
                .flatten();
            // A task whose Dropped we missed (a hook set in between): its span goes now.
            drop(old);
        }
        TaskEvent::Enter | TaskEvent::Exit => {
            let _ = SPANS.try_with(|spans| {
                let Ok(spans) = spans.try_borrow() else {
                    return;
                };
                if let Some(span) = spans.get(&key) {
                    span.with_subscriber(|(id, dispatch)| {
                        if event == TaskEvent::Enter {
                            dispatch.enter(id);
                        } else {
                            dispatch.exit(id);
                        }
                    });
                }
            });
        }
        TaskEvent::Dropped => {
            // Removed under the borrow, dropped (closed, which runs the subscriber) after it.
            let span = SPANS
                .try_with(|spans| spans.try_borrow_mut().ok()?.remove(&key))
                .ok()
                .flatten();
            drop(span);
        }
    }
}
