//! Tasks: spawning on the loop's thread, yielding, and running blocking code on libuv's
//! threadpool.

use std::future::Future;
use std::io;
use std::panic::{self, AssertUnwindSafe};

use uvco_runtime::slot::keep_of;

use crate::requests::UvQueueWork;
use crate::sys;
use crate::Awaitable as _;

mod join_set;
mod local;

pub use join_set::JoinSet;
pub use local::{AccessError, LocalKey, TaskLocalFuture};
pub use uvco_runtime::{spawn_local, yield_now, JoinError, JoinHandle, TaskId};

/// Runs `f` on libuv's threadpool (the one fs requests and DNS use, `UV_THREADPOOL_SIZE`
/// threads) and resolves to its result. If `f` panics, the panic resumes in the awaiting
/// task. Dropping the future before `f` starts cancels it; once started, `f` runs to the end
/// and its result is dropped.
///
/// ```
/// #[uvco::main]
/// async fn main() -> std::io::Result<()> {
///     let sum = uvco::task::spawn_blocking(|| (1..=100u32).sum::<u32>()).await?;
///     assert_eq!(sum, 5050);
///     Ok(())
/// }
/// ```
///
/// # Panics
/// Outside a runtime.
pub fn spawn_blocking<F, R>(f: F) -> impl Future<Output = io::Result<R>>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let job = Job::<F, R> {
        f: Some(f),
        out: None,
    };
    // SAFETY: the job lives in the slot until after_work has run; `run_job` finds it there
    // through the request, and nothing else touches it while the request is in flight.
    let work = unsafe {
        UvQueueWork::with_keep(job, |_| (Some(run_job::<F, R> as unsafe extern "C" fn(_)),))
    };
    async move {
        let (done, job) = work.await;
        done?;
        match job.out {
            Some(Ok(value)) => Ok(value),
            Some(Err(payload)) => panic::resume_unwind(payload),
            None => Err(io::Error::other("uvco: blocking job did not run")),
        }
    }
}

struct Job<F, R> {
    f: Option<F>,
    out: Option<std::thread::Result<R>>,
}

unsafe extern "C" fn run_job<F, R>(req: *mut sys::uv_work_t)
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    // SAFETY: `req` is the request of a Work slot whose payload is `Keep<Job<F, R>>`; while
    // the request runs, only this thread touches the payload.
    let job = unsafe { &mut (*keep_of::<uvco_runtime::kind::Work, crate::Keep<Job<F, R>>>(req)).0 };
    if let Some(f) = job.f.take() {
        // Never unwind into libuv's threadpool.
        job.out = Some(panic::catch_unwind(AssertUnwindSafe(f)));
    }
}
