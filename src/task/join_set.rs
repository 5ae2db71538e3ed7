//! [`JoinSet`]: a set of spawned tasks, joined in the order they finish and aborted together.

use std::fmt;
use std::future::{poll_fn, Future};
use std::task::{Context, Poll};

use uvco_runtime::{spawn_local, JoinError, JoinHandle, TaskId};

/// Tasks spawned on the current runtime with one output type, as `tokio::task::JoinSet`:
/// [`join_next`](JoinSet::join_next) gives each output as its task finishes, and dropping the
/// set aborts every task still in it (structured spawning: no task outlives its set).
///
/// Each poll of `join_next` looks at every task in the set (a set is meant for tens or
/// hundreds of tasks, not for millions); the handles live in one `Vec`, whose memory is
/// reused as tasks come and go.
///
/// ```
/// use uvco::task::JoinSet;
///
/// #[uvco::main]
/// async fn main() {
///     let mut set = JoinSet::new();
///     for i in 0..3u64 {
///         set.spawn(async move {
///             uvco::time::sleep(std::time::Duration::from_millis(3 - i)).await;
///             i
///         });
///     }
///     let mut sum = 0;
///     while let Some(done) = set.join_next().await {
///         sum += done.unwrap();
///     }
///     assert_eq!(sum, 3);
///     assert!(set.is_empty());
/// }
/// ```
pub struct JoinSet<T> {
    tasks: Vec<JoinHandle<T>>,
}

impl<T: 'static> JoinSet<T> {
    /// An empty set.
    pub const fn new() -> JoinSet<T> {
        JoinSet { tasks: Vec::new() }
    }

    /// Spawns `future` on the current runtime (as [`spawn_local`]) into the set.
    ///
    /// # Panics
    /// Outside a runtime.
    pub fn spawn<F>(&mut self, future: F) -> TaskId
    where
        F: Future<Output = T> + 'static,
    {
        let handle = spawn_local(future);
        let id = handle.id();
        self.tasks.push(handle);
        id
    }

    /// The number of tasks in the set: running, or finished and not joined yet.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the set has no tasks.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Waits for the next task to finish and removes it: its output, or its
    /// [`JoinError`] (a panic, or `Aborted` after [`abort_all`](JoinSet::abort_all)).
    /// `None` once the set is empty. Cancel-safe: dropping the future loses no output.
    pub async fn join_next(&mut self) -> Option<Result<T, JoinError>> {
        poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// As [`join_next`](JoinSet::join_next), also giving the finished task's id.
    pub async fn join_next_with_id(&mut self) -> Option<(TaskId, Result<T, JoinError>)> {
        poll_fn(|cx| self.poll_join_next_with_id(cx)).await
    }

    /// Polls for the next finished task, registering `cx`'s waker with every running one.
    pub fn poll_join_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, JoinError>>> {
        self.poll_join_next_with_id(cx)
            .map(|done| done.map(|(_, out)| out))
    }

    fn poll_join_next_with_id(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<(TaskId, Result<T, JoinError>)>> {
        if self.tasks.is_empty() {
            return Poll::Ready(None);
        }
        for i in 0..self.tasks.len() {
            if let Poll::Ready(out) = poll_handle(&mut self.tasks[i], cx) {
                let handle = self.tasks.swap_remove(i);
                return Poll::Ready(Some((handle.id(), out)));
            }
        }
        Poll::Pending
    }

    /// The next finished task's output, without waiting; `None` if none has finished.
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        let i = self.tasks.iter().position(JoinHandle::is_finished)?;
        let mut handle = self.tasks.swap_remove(i);
        match poll_handle(
            &mut handle,
            &mut Context::from_waker(std::task::Waker::noop()),
        ) {
            Poll::Ready(out) => Some(out),
            // Finished tasks have their output ready; keep it in the set if not.
            Poll::Pending => {
                self.tasks.push(handle);
                None
            }
        }
    }

    /// Aborts every task in the set. They stay in it: [`join_next`](JoinSet::join_next)
    /// gives each one's `JoinError::Aborted` (or the output of one that had finished).
    pub fn abort_all(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }

    /// Aborts every task and waits until each has been removed from the set.
    pub async fn shutdown(&mut self) {
        self.abort_all();
        while self.join_next().await.is_some() {}
    }

    /// Lets every task run on outside the set, which is left empty.
    pub fn detach_all(&mut self) {
        self.tasks.clear();
    }

    /// Waits for every task and returns their outputs, in the order they finished.
    ///
    /// # Panics
    /// Resumes the panic of a task that panicked (as `tokio`'s `join_all`); if a task was
    /// aborted, panics with its `JoinError`.
    pub async fn join_all(mut self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.len());
        while let Some(done) = self.join_next().await {
            match done {
                Ok(value) => out.push(value),
                Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
                Err(err) => panic!("uvco::task::JoinSet::join_all: {err}"),
            }
        }
        out
    }
}

/// Polls a handle in place (`JoinHandle` is `Unpin`).
fn poll_handle<T>(handle: &mut JoinHandle<T>, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>> {
    std::pin::Pin::new(handle).poll(cx)
}

impl<T: 'static> Default for JoinSet<T> {
    fn default() -> JoinSet<T> {
        JoinSet::new()
    }
}

impl<T> Drop for JoinSet<T> {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl<T> fmt::Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet")
            .field("len", &self.tasks.len())
            .finish()
    }
}

impl<T: 'static, F> Extend<F> for JoinSet<T>
where
    F: Future<Output = T> + 'static,
{
    fn extend<I: IntoIterator<Item = F>>(&mut self, iter: I) {
        for future in iter {
            self.spawn(future);
        }
    }
}
