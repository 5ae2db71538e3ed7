//! Thread per core: [`Workers`] runs N threads, each with a uvco [`Runtime`] of its own (its
//! own libuv loop, its own free lists), and places tasks on them from any thread.
//!
//! A uvco runtime is single-threaded, and so is `#[uvco::main]`: its tasks may be `!Send`
//! and never move. To use more cores, run one runtime per core and give each its share of
//! the work; tasks stay on the worker they were placed on, and what they spawn with
//! [`spawn_local`](crate::spawn_local) stays there too. There is no work stealing. For a
//! program on N workers, write a plain `fn main` that makes a [`Workers`] and joins (or
//! waits for) what it started, as below, rather than `#[uvco::main]`.
//!
//! - [`spawn_with`](Workers::spawn_with) sends a closure to the least-loaded worker, which
//!   builds the future there: the future itself may be `!Send`. uvco's own futures and
//!   sockets belong to their loop and are all `!Send`, so this is how a task that does uvco
//!   I/O (and a per-worker server) is placed. [`spawn_with_on`](Workers::spawn_with_on)
//!   chooses the worker.
//! - [`spawn`](Workers::spawn) and [`spawn_on`](Workers::spawn_on) take a future that is
//!   `Send` already (computation, or another library's `Send` futures).
//! - Each returns a [`JoinHandle`] that is `Send`: await it from any worker (or any other
//!   executor), or [`join`](JoinHandle::join) it from a thread outside the runtimes.
//! - [`listen`](Workers::listen) binds one TCP listener per worker on one address, with
//!   `SO_REUSEPORT`, so that the kernel spreads the connections over the workers, and runs a
//!   server on each ([`reuseport_listeners`] makes the sockets alone).
//!
//! ```
//! use std::rc::Rc;
//! use uvco::workers::Workers;
//!
//! fn main() -> std::io::Result<()> {
//!     let workers = Workers::new(2)?;
//!     // A `Send` future, on the least-loaded worker.
//!     let sum = workers.spawn(async { 20 + 22 });
//!     // A future built on worker 1: `Rc` never crosses threads.
//!     let local = workers.spawn_with_on(1, || {
//!         let shared = Rc::new(21);
//!         async move { *shared * 2 }
//!     });
//!     assert_eq!(sum.join().unwrap(), 42);
//!     assert_eq!(local.join().unwrap(), 42);
//!
//!     // An echo server on each worker, on one port.
//!     let servers = workers.listen("127.0.0.1:0", |listener| async move {
//!         loop {
//!             let Ok((mut conn, _)) = listener.accept().await else { break };
//!             uvco::spawn_local(async move {
//!                 let mut buf = vec![0; 1024];
//!                 while let Ok(n @ 1..) = conn.read(&mut buf).await {
//!                     let _ = conn.write_all(&buf[..n]).await;
//!                 }
//!             })
//!             .detach();
//!         }
//!     })?;
//!     use std::io::{Read, Write};
//!     let mut client = std::net::TcpStream::connect(servers.local_addr())?;
//!     client.write_all(b"ping")?;
//!     let mut reply = [0; 4];
//!     client.read_exact(&mut reply)?;
//!     assert_eq!(&reply, b"ping");
//!     drop(workers); // cancels the servers, joins the threads
//!     Ok(())
//! }
//! ```
//!
//! Submitting a task to a worker costs a lock of its queue (a `Mutex<VecDeque>`) and, when
//! the worker was idle, one `uv_async_send` (the runtime's own cross-thread wake) to wake
//! its loop. The task's bookkeeping (the closure or future, its output, two wakers) is one
//! block from the submitting thread's uvco free list, and the worker runs it as a task whose
//! frame comes from the worker's: in steady state, a spawn whose future (with its output)
//! fits a free-list class (4 KiB) costs no heap allocation on either side.
//!
//! Dropping [`Workers`] (or [`shutdown`](Workers::shutdown)) cancels every task still in
//! flight (its handle gets [`JoinError::RuntimeDropped`]), shuts each runtime down and joins
//! the threads. A panicking task is reported by its handle ([`JoinError::Panicked`]) and
//! takes nothing else down.

use std::alloc::Layout;
use std::cell::{RefCell, UnsafeCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::marker::PhantomData;
use std::mem;
use std::net::{SocketAddr, ToSocketAddrs};
use std::os::fd::{FromRawFd, IntoRawFd};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

use crate::net::{TcpListener, TcpSocket};
use crate::runtime::alloc;
use crate::{JoinError, Runtime, ShutdownReport};

/// N threads, each running a uvco [`Runtime`] of its own, and the queues that feed them.
/// See the [module docs](self).
///
/// Dropping it cancels the tasks still in flight and joins the threads.
pub struct Workers {
    handle: Handle,
    threads: Vec<thread::JoinHandle<ShutdownReport>>,
}

/// A cloneable, `Send` handle to a [`Workers`], for spawning from anywhere (a task on one
/// of the workers, say: [`Handle::current`]). Tasks spawned through it after the `Workers`
/// is gone complete at once with [`JoinError::RuntimeDropped`].
#[derive(Clone)]
pub struct Handle {
    shared: Arc<Shared>,
}

struct Shared {
    workers: Box<[Worker]>,
    /// Where the search for the least-loaded worker starts, so that ties rotate.
    next: AtomicUsize,
    /// How long each runtime's shutdown may wait, in milliseconds (set before the inboxes
    /// close; read by the workers after, under the inbox lock).
    bound_ms: AtomicU64,
}

struct Worker {
    inbox: Mutex<Inbox>,
    /// Tasks placed here through `Workers` and not finished.
    load: AtomicUsize,
}

struct Inbox {
    jobs: VecDeque<Job>,
    /// The worker's main future, waiting for jobs.
    waker: Option<Waker>,
    /// The worker is shutting down: no more jobs.
    closed: bool,
}

/// A submitted task (a packet) not yet started on its worker; owns one reference.
struct Job(NonNull<Header>);

// SAFETY: until it starts, a job's packet holds only `Send` data (the closure); its header is
// thread-safe (atomics and a mutex).
unsafe impl Send for Job {}

thread_local! {
    /// On a worker thread: its `Workers` and its index.
    static CURRENT: RefCell<Option<(Handle, usize)>> = const { RefCell::new(None) };
}

/// The index of the worker the calling thread is, or `None` on other threads.
///
/// ```
/// let workers = uvco::workers::Workers::new(2)?;
/// let on = workers.spawn_on(1, async { uvco::workers::current_index() });
/// assert_eq!(on.join().unwrap(), Some(1));
/// assert_eq!(uvco::workers::current_index(), None);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn current_index() -> Option<usize> {
    CURRENT
        .try_with(|current| current.borrow().as_ref().map(|(_, index)| *index))
        .ok()
        .flatten()
}

impl Workers {
    /// Starts `n` worker threads, each with a fresh [`Runtime`], and waits until every one is
    /// up.
    ///
    /// # Errors
    /// `InvalidInput` for `n == 0`; the error of a thread or runtime that failed to start (the
    /// others are shut down again).
    ///
    /// ```
    /// let err = uvco::workers::Workers::new(0).err().unwrap();
    /// assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    /// ```
    pub fn new(n: usize) -> io::Result<Workers> {
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "Workers::new: at least one worker",
            ));
        }
        let shared = Arc::new(Shared {
            workers: (0..n)
                .map(|_| Worker {
                    inbox: Mutex::new(Inbox {
                        jobs: VecDeque::new(),
                        waker: None,
                        closed: false,
                    }),
                    load: AtomicUsize::new(0),
                })
                .collect(),
            next: AtomicUsize::new(0),
            bound_ms: AtomicU64::new(0),
        });
        let mut workers = Workers {
            handle: Handle { shared },
            threads: Vec::with_capacity(n),
        };
        let (started, up) = mpsc::channel::<io::Result<()>>();
        for index in 0..n {
            let shared = workers.handle.shared.clone();
            let started = started.clone();
            let spawned = thread::Builder::new()
                .name(format!("uvco-worker-{index}"))
                .spawn(move || run_worker(shared, index, started));
            match spawned {
                Ok(thread) => workers.threads.push(thread),
                // Dropping `workers` stops the threads already started.
                Err(err) => return Err(err),
            }
        }
        drop(started);
        for _ in 0..n {
            match up.recv() {
                Ok(Ok(())) => {}
                Ok(Err(err)) => return Err(err),
                Err(_) => return Err(io::Error::other("a uvco worker thread died at start")),
            }
        }
        Ok(workers)
    }

    /// One worker per core: [`std::thread::available_parallelism`] of them (1 if unknown).
    pub fn per_core() -> io::Result<Workers> {
        Workers::new(thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// A handle for spawning from elsewhere (it is `Clone` and `Send`).
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The number of workers.
    pub fn len(&self) -> usize {
        self.handle.len()
    }

    /// Always false: there is at least one worker.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// See [`Handle::load`].
    pub fn load(&self, index: usize) -> usize {
        self.handle.load(index)
    }

    /// See [`Handle::spawn`].
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future)
    }

    /// See [`Handle::spawn_on`].
    pub fn spawn_on<F>(&self, index: usize, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn_on(index, future)
    }

    /// See [`Handle::spawn_with`].
    pub fn spawn_with<M, F>(&self, make: M) -> JoinHandle<F::Output>
    where
        M: FnOnce() -> F + Send + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn_with(make)
    }

    /// See [`Handle::spawn_with_on`].
    pub fn spawn_with_on<M, F>(&self, index: usize, make: M) -> JoinHandle<F::Output>
    where
        M: FnOnce() -> F + Send + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn_with_on(index, make)
    }

    /// See [`Handle::listen`].
    pub fn listen<S, F>(
        &self,
        addr: impl ToSocketAddrs,
        serve: S,
    ) -> io::Result<Listening<F::Output>>
    where
        S: Fn(TcpListener) -> F + Send + Sync + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        self.handle.listen(addr, serve)
    }

    /// Cancels every task still in flight, shuts each worker's runtime down (waiting at most
    /// `bound` for what libuv can't cancel, see [`Runtime::shutdown`]) and joins the threads.
    /// Returns each worker's report, in order. Dropping `Workers` does the same with
    /// [`Runtime::DEFAULT_SHUTDOWN_BOUND`]. From a task on one of its own workers, that worker
    /// is not joined (it stops once the task returns) and its report is the default one.
    ///
    /// ```
    /// let workers = uvco::workers::Workers::new(2)?;
    /// let pending = workers.spawn(std::future::pending::<()>());
    /// let reports = workers.shutdown(std::time::Duration::from_secs(1));
    /// assert!(reports.iter().all(|r| r.is_clean()));
    /// assert!(matches!(pending.join(), Err(uvco::JoinError::RuntimeDropped)));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn shutdown(mut self, bound: Duration) -> Vec<ShutdownReport> {
        self.stop(bound)
    }

    fn stop(&mut self, bound: Duration) -> Vec<ShutdownReport> {
        let ms = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
        self.handle.shared.bound_ms.store(ms, Ordering::Relaxed);
        for worker in self.handle.shared.workers.iter() {
            let waker = {
                let mut inbox = lock(&worker.inbox);
                inbox.closed = true;
                inbox.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        let me = thread::current().id();
        self.threads
            .drain(..)
            .map(|thread| {
                if thread.thread().id() == me {
                    // Dropped by one of its own tasks: that worker can't be joined from
                    // itself; it shuts down on its own once this task returns.
                    return ShutdownReport::default();
                }
                thread.join().unwrap_or_default()
            })
            .collect()
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.stop(Runtime::DEFAULT_SHUTDOWN_BOUND);
    }
}

impl fmt::Debug for Workers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workers").field("len", &self.len()).finish()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle").field("len", &self.len()).finish()
    }
}

impl Handle {
    /// The handle of the workers the calling thread belongs to, or `None` on other threads.
    ///
    /// ```
    /// let workers = uvco::workers::Workers::new(2)?;
    /// let hop = workers.spawn_on(0, async {
    ///     let handle = uvco::workers::Handle::current().unwrap();
    ///     // Cross-worker: spawned on worker 1, awaited on worker 0.
    ///     handle.spawn_on(1, async { uvco::workers::current_index() }).await
    /// });
    /// assert_eq!(hop.join().unwrap().unwrap(), Some(1));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn current() -> Option<Handle> {
        CURRENT
            .try_with(|current| current.borrow().as_ref().map(|(handle, _)| handle.clone()))
            .ok()
            .flatten()
    }

    /// The number of workers.
    pub fn len(&self) -> usize {
        self.shared.workers.len()
    }

    /// Always false: there is at least one worker.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The tasks placed on worker `index` through these workers and not finished yet (what
    /// least-loaded placement compares; tasks the worker's own tasks spawn with
    /// `spawn_local` don't count).
    ///
    /// # Panics
    /// If `index` is not below [`len`](Self::len).
    pub fn load(&self, index: usize) -> usize {
        self.shared.workers[index].load.load(Ordering::Relaxed)
    }

    /// Runs `future` on the least-loaded worker (the one with the fewest unfinished tasks
    /// placed by these workers; ties go round). The future moves to that thread, hence
    /// `Send`; to run a `!Send` future, build it there with [`spawn_with`](Self::spawn_with).
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_with(move || future)
    }

    /// Runs `future` on worker `index`.
    ///
    /// # Panics
    /// If `index` is not below [`len`](Self::len).
    pub fn spawn_on<F>(&self, index: usize, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_with_on(index, move || future)
    }

    /// Calls `make` on the least-loaded worker and runs the future it returns there, as a task
    /// of that worker's runtime. Only `make` and the output cross threads: the future may be
    /// `!Send`. A panic in `make` is reported by the handle, as one in the future is.
    pub fn spawn_with<M, F>(&self, make: M) -> JoinHandle<F::Output>
    where
        M: FnOnce() -> F + Send + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        self.spawn_with_on(self.least_loaded(), make)
    }

    /// As [`spawn_with`](Self::spawn_with), on worker `index`.
    ///
    /// # Panics
    /// If `index` is not below [`len`](Self::len).
    pub fn spawn_with_on<M, F>(&self, index: usize, make: M) -> JoinHandle<F::Output>
    where
        M: FnOnce() -> F + Send + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        let worker = &self.shared.workers[index];
        let header = Packet::<M, F>::allocate(make, worker);
        worker.load.fetch_add(1, Ordering::Relaxed);
        let mut inbox = lock(&worker.inbox);
        if inbox.closed {
            drop(inbox);
            // SAFETY: a fresh packet, never queued: this is its worker-side reference.
            unsafe { (header.as_ref().vtable.cancel)(header) };
        } else {
            inbox.jobs.push_back(Job(header));
            let waker = inbox.waker.take();
            drop(inbox);
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        JoinHandle {
            header,
            _output: PhantomData,
        }
    }

    fn least_loaded(&self) -> usize {
        let workers = &self.shared.workers;
        let n = workers.len();
        let start = self.shared.next.fetch_add(1, Ordering::Relaxed) % n;
        let mut best = start;
        let mut best_load = usize::MAX;
        for i in 0..n {
            let index = (start + i) % n;
            let load = workers[index].load.load(Ordering::Relaxed);
            if load < best_load {
                (best, best_load) = (index, load);
            }
        }
        best
    }

    /// Binds one TCP listener per worker on `addr` ([`reuseport_listeners`]: `SO_REUSEPORT`,
    /// listening before this returns), and runs `serve(listener)` on each worker, with that
    /// worker's listener. Port 0 picks one free port for all of them. The kernel spreads
    /// incoming connections over the listeners (by a hash of the connection's addresses).
    ///
    /// # Errors
    /// Those of creating, binding or listening on the sockets (`AddrInUse`, ...).
    pub fn listen<S, F>(
        &self,
        addr: impl ToSocketAddrs,
        serve: S,
    ) -> io::Result<Listening<F::Output>>
    where
        S: Fn(TcpListener) -> F + Send + Sync + 'static,
        F: Future + 'static,
        F::Output: Send + 'static,
    {
        let listeners = reuseport_listeners(addr, self.len())?;
        let local_addr = listeners[0].local_addr()?;
        let serve = Arc::new(serve);
        let servers = listeners
            .into_iter()
            .enumerate()
            .map(|(index, listener)| {
                let serve = serve.clone();
                self.spawn_with_on(index, move || {
                    let listener = TcpListener::from_std(listener);
                    async move { Ok((*serve)(listener?).await) }
                })
            })
            .collect();
        Ok(Listening {
            local_addr,
            servers,
        })
    }
}

/// The servers [`Workers::listen`] started: the address they share, and a handle per worker.
#[derive(Debug)]
pub struct Listening<T> {
    local_addr: SocketAddr,
    servers: Vec<JoinHandle<io::Result<T>>>,
}

impl<T> Listening<T> {
    /// The address every worker's listener is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The server tasks, one per worker, in worker order. Each resolves to what `serve`
    /// returned, or the error of turning the socket into a uvco listener.
    pub fn into_servers(self) -> Vec<JoinHandle<io::Result<T>>> {
        self.servers
    }
}

/// `n` TCP sockets bound to one address with `SO_REUSEADDR` and `SO_REUSEPORT`, each already
/// listening (backlog 1024), for a listener per thread: turn each into a uvco listener on its
/// own runtime with [`TcpListener::from_std`]. Connections that arrive before the listeners
/// are taken over wait in the kernel's queues. With port 0, the first socket picks a free
/// port and the others bind it too. Needs no runtime. Each address `addr` yields is tried in
/// turn, as `std`'s `bind` does (a host name is resolved by the system, blocking).
///
/// ```
/// let sockets = uvco::workers::reuseport_listeners("127.0.0.1:0", 3)?;
/// let addr = sockets[0].local_addr()?;
/// assert!(sockets.iter().all(|s| s.local_addr().unwrap() == addr));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn reuseport_listeners(
    addr: impl ToSocketAddrs,
    n: usize,
) -> io::Result<Vec<std::net::TcpListener>> {
    let mut last = io::Error::new(io::ErrorKind::InvalidInput, "no address to bind");
    for addr in addr.to_socket_addrs()? {
        match bind_group(addr, n) {
            Ok(listeners) => return Ok(listeners),
            Err(err) => last = err,
        }
    }
    Err(last)
}

fn bind_group(mut addr: SocketAddr, n: usize) -> io::Result<Vec<std::net::TcpListener>> {
    let mut listeners = Vec::with_capacity(n);
    for _ in 0..n {
        let socket = match addr {
            SocketAddr::V4(_) => TcpSocket::new_v4()?,
            SocketAddr::V6(_) => TcpSocket::new_v6()?,
        };
        socket.set_reuseaddr(true)?;
        socket.set_reuseport(true)?;
        socket.bind(addr)?;
        addr = socket.local_addr()?;
        let fd = socket.into_raw_fd();
        // SAFETY: `fd` is the socket we own (just released from `TcpSocket`), and it is
        // owned by the std listener from here on, which closes it on every path.
        let listener = unsafe { std::net::TcpListener::from_raw_fd(fd) };
        // SAFETY: listen(2) on a bound socket we own; it returns 0 or -1.
        if unsafe { libc::listen(fd, 1024) } != 0 {
            return Err(io::Error::last_os_error());
        }
        listeners.push(listener);
    }
    Ok(listeners)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing user-supplied runs under these locks but waker drops, which are contained;
    // the data is consistent at every point a panic could leave it.
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// A worker thread: its runtime serves the inbox until the workers shut down.
fn run_worker(
    shared: Arc<Shared>,
    index: usize,
    started: mpsc::Sender<io::Result<()>>,
) -> ShutdownReport {
    let rt = match Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            let _ = started.send(Err(err.into()));
            return ShutdownReport::default();
        }
    };
    let _ = started.send(Ok(()));
    drop(started);
    CURRENT.with(|current| {
        *current.borrow_mut() = Some((
            Handle {
                shared: shared.clone(),
            },
            index,
        ))
    });
    let worker = &shared.workers[index];
    let mut batch = VecDeque::new();
    rt.block_on(poll_fn(|cx| serve_inbox(worker, &mut batch, cx)));
    // Closed: what was queued and not started is cancelled here, on the worker.
    let left = mem::take(&mut lock(&worker.inbox).jobs);
    for job in left {
        // SAFETY: a queued job's reference, used once.
        unsafe { (job.0.as_ref().vtable.cancel)(job.0) };
    }
    // Cancels the running tasks: each one's handle gets `RuntimeDropped`.
    let bound = Duration::from_millis(shared.bound_ms.load(Ordering::Relaxed));
    let report = rt.shutdown(bound);
    let _ = CURRENT.try_with(|current| current.borrow_mut().take());
    report
}

/// The worker's main future: starts the jobs of its inbox; ready once the inbox is closed.
fn serve_inbox(worker: &Worker, batch: &mut VecDeque<Job>, cx: &mut Context<'_>) -> Poll<()> {
    let mut inbox = lock(&worker.inbox);
    if inbox.closed {
        return Poll::Ready(());
    }
    if !inbox.jobs.is_empty() {
        // Swapped with the spare batch, which first gets the room the inbox grew to: the
        // spawners push into whichever is in, and should not be the ones to grow it.
        if batch.capacity() < inbox.jobs.capacity() {
            batch.reserve_exact(inbox.jobs.capacity());
        }
        mem::swap(&mut inbox.jobs, batch);
        drop(inbox);
        for job in batch.drain(..) {
            // SAFETY: a queued job's reference, used once, on its worker inside its runtime.
            unsafe { (job.0.as_ref().vtable.start)(job.0) };
        }
        inbox = lock(&worker.inbox);
        if inbox.closed {
            return Poll::Ready(());
        }
    }
    if inbox.jobs.is_empty() {
        if !inbox
            .waker
            .as_ref()
            .is_some_and(|w| w.will_wake(cx.waker()))
        {
            inbox.waker = Some(cx.waker().clone());
        }
    } else {
        // More arrived meanwhile: let the started tasks and I/O run first.
        cx.waker().wake_by_ref();
    }
    Poll::Pending
}

// --- the packet: one block per spawned task, shared by its handle and its worker ---------

/// The task has an output (or an error) and its future is gone.
const DONE: u8 = 1;
/// [`JoinHandle::abort`] was called.
const ABORT: u8 = 2;

struct Header {
    state: AtomicU8,
    /// The handle's and the worker side's (a queued job, then the running task).
    refs: AtomicUsize,
    wakers: Mutex<Wakers>,
    /// The worker the task was placed on; its `Shared` outlives the task (the worker thread
    /// and every submitter hold it).
    worker: NonNull<Worker>,
    vtable: &'static VTable,
    /// The spawning thread's free lists, where the block goes back to whichever side drops
    /// the last reference: the handle nearly always, but the worker when it is preempted
    /// between publishing the output and releasing its reference, and each time it did, the
    /// spawner's cache lost a block and its next spawn allocated.
    home: alloc::Home,
}

#[derive(Default)]
struct Wakers {
    /// Whoever awaits the handle.
    join: Option<Waker>,
    /// The worker's task running the future, for `abort`.
    task: Option<Waker>,
}

struct VTable {
    /// On the worker, in its runtime: calls the closure and spawns the task. Takes over the
    /// worker-side reference.
    start: unsafe fn(NonNull<Header>),
    /// Never started: drops the closure, completes with `RuntimeDropped`. Takes over the
    /// worker-side reference.
    cancel: unsafe fn(NonNull<Header>),
    /// After `DONE`: moves the output into `*mut Option<Result<T, JoinError>>`.
    take_output: unsafe fn(NonNull<Header>, *mut ()),
    /// The last reference is gone: drops what is left and frees the block.
    free: unsafe fn(NonNull<Header>),
}

#[repr(C)]
struct Packet<M, F: Future> {
    /// First: a `*mut Header` is a `*mut Packet`.
    header: Header,
    /// `Make` until started; `Run` on the worker only; `Done` once `DONE` is set.
    stage: UnsafeCell<Stage<M, F>>,
}

enum Stage<M, F: Future> {
    Make(M),
    Run(F),
    Done(Result<F::Output, JoinError>),
    Empty,
}

impl<M, F> Packet<M, F>
where
    M: FnOnce() -> F + Send + 'static,
    F: Future + 'static,
    F::Output: Send + 'static,
{
    const VTABLE: VTable = VTable {
        start: Self::start,
        cancel: Self::cancel,
        take_output: Self::take_output,
        free: Self::free,
    };

    fn allocate(make: M, worker: &Worker) -> NonNull<Header> {
        let layout = Layout::new::<Self>();
        // SAFETY: the header makes the size non-zero; freed in `free` with this layout.
        let block = unsafe { alloc::allocate(layout) }.cast::<Self>();
        // SAFETY: a fresh block, sized and aligned for `Self`.
        unsafe {
            block.as_ptr().write(Packet {
                header: Header {
                    state: AtomicU8::new(0),
                    refs: AtomicUsize::new(2),
                    wakers: Mutex::new(Wakers::default()),
                    worker: NonNull::from(worker),
                    vtable: &Self::VTABLE,
                    home: alloc::home(),
                },
                stage: UnsafeCell::new(Stage::Make(make)),
            })
        };
        block.cast()
    }

    /// # Safety
    /// The caller holds a reference; no other access to the stage is live.
    #[allow(clippy::mut_from_ref)]
    unsafe fn stage<'a>(header: NonNull<Header>) -> &'a mut Stage<M, F> {
        // SAFETY: per the contract; the header is the packet's first field.
        unsafe { &mut *(*header.cast::<Self>().as_ptr()).stage.get() }
    }

    unsafe fn start(header: NonNull<Header>) {
        // SAFETY: the worker side owns the stage until `DONE`; the closure was written before
        // the job was queued, under the inbox lock we took since.
        let stage = unsafe { Self::stage(header) };
        let Stage::Make(make) = mem::replace(stage, Stage::Empty) else {
            unreachable!("uvco: a worker job started twice")
        };
        // SAFETY: the caller's reference keeps the header live.
        let aborted = unsafe { header.as_ref() }.state.load(Ordering::Acquire) & ABORT != 0;
        if aborted {
            crate::runtime::wake::contain_panic(|| drop(make));
            // SAFETY: the worker-side reference, passed on.
            unsafe { Self::finish(header, Err(JoinError::Aborted)) };
            return;
        }
        match catch_unwind(AssertUnwindSafe(make)) {
            Ok(future) => {
                *stage = Stage::Run(future);
                crate::spawn_local(Runner::<M, F> {
                    header: Some(header),
                    registered: false,
                    _types: PhantomData,
                })
                .detach();
            }
            // SAFETY: the worker-side reference, passed on.
            Err(payload) => unsafe { Self::finish(header, Err(JoinError::Panicked(payload))) },
        }
    }

    unsafe fn cancel(header: NonNull<Header>) {
        // SAFETY: never started, so the stage is the closure's, and only ours.
        let old = mem::replace(unsafe { Self::stage(header) }, Stage::Empty);
        crate::runtime::wake::contain_panic(|| drop(old));
        // SAFETY: the worker-side reference, passed on.
        unsafe { Self::finish(header, Err(JoinError::RuntimeDropped)) };
    }

    /// Drops the future (contained: this may run in the runtime's shutdown), stores `result`,
    /// publishes it and wakes the handle's waiter; releases the worker-side reference before
    /// that wake, so that the waiter, not the worker, frees the block in the usual case.
    /// Either way the block goes back to the free lists of the thread that allocated it
    /// (`Header::home`).
    ///
    /// # Safety
    /// The caller owns the worker-side reference and gives it up; the stage is not `Done`.
    unsafe fn finish(header: NonNull<Header>, result: Result<F::Output, JoinError>) {
        // SAFETY: the worker side owns the stage until `DONE` is set below.
        let stage = unsafe { Self::stage(header) };
        let old = mem::replace(stage, Stage::Empty);
        crate::runtime::wake::contain_panic(|| drop(old));
        *stage = Stage::Done(result);
        // SAFETY: our reference keeps the header live until the release below.
        let head = unsafe { header.as_ref() };
        head.state.fetch_or(DONE, Ordering::AcqRel);
        // SAFETY: the worker's `Shared` outlives its tasks (see `Header::worker`).
        unsafe { head.worker.as_ref() }
            .load
            .fetch_sub(1, Ordering::Relaxed);
        let (join, task) = {
            let mut wakers = lock(&head.wakers);
            (wakers.join.take(), wakers.task.take())
        };
        // SAFETY: our reference, not used after this.
        unsafe { release(header) };
        drop(task);
        if let Some(join) = join {
            crate::runtime::wake::wake_contained(join);
        }
    }

    unsafe fn take_output(header: NonNull<Header>, out: *mut ()) {
        // SAFETY: after `DONE` (acquired by the caller) the stage is the handle's alone.
        let stage = unsafe { Self::stage(header) };
        if let Stage::Done(result) = mem::replace(stage, Stage::Empty) {
            // SAFETY: the caller passes an `Option<Result<F::Output, JoinError>>`.
            unsafe { *out.cast::<Option<Result<F::Output, JoinError>>>() = Some(result) };
        }
    }

    unsafe fn free(header: NonNull<Header>) {
        let block = header.cast::<Self>();
        // SAFETY: the last reference: nobody else touches the block. What is left is an
        // output nobody took (`Send`), dropped on this thread; a panic in its drop is
        // contained, and the block freed all the same, with the layout it was allocated with,
        // to the home it was allocated from (cloned first: the drop takes the header's).
        unsafe {
            let home = (*block.as_ptr()).header.home.clone();
            crate::runtime::wake::contain_panic(|| std::ptr::drop_in_place(block.as_ptr()));
            alloc::deallocate_home(block.cast(), Layout::new::<Self>(), &home);
        }
    }
}

/// Drops one reference; the last frees the packet.
///
/// # Safety
/// The caller owns the reference and doesn't use it after.
unsafe fn release(header: NonNull<Header>) {
    // SAFETY: the reference keeps the header live until the decrement.
    let head = unsafe { header.as_ref() };
    // AcqRel rather than Release and a fence: the last one sees every other thread's use of
    // the packet, and ThreadSanitizer understands it (it doesn't model fences).
    if head.refs.fetch_sub(1, Ordering::AcqRel) == 1 {
        let free = head.vtable.free;
        // SAFETY: the last reference.
        unsafe { free(header) };
    }
}

/// The worker's task over a packet's future.
struct Runner<M, F> {
    /// The worker-side reference, until the packet is finished.
    header: Option<NonNull<Header>>,
    /// The task's waker is in the packet (for `abort`).
    registered: bool,
    _types: PhantomData<(M, F)>,
}

impl<M, F> Unpin for Runner<M, F> {}

impl<M, F> Future for Runner<M, F>
where
    M: FnOnce() -> F + Send + 'static,
    F: Future + 'static,
    F::Output: Send + 'static,
{
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let Some(header) = this.header else {
            return Poll::Ready(());
        };
        // SAFETY: our reference keeps the packet live.
        let head = unsafe { header.as_ref() };
        if !this.registered {
            // A task's waker always wakes the same task: storing it once is enough.
            this.registered = true;
            lock(&head.wakers).task = Some(cx.waker().clone());
        }
        if head.state.load(Ordering::Acquire) & ABORT != 0 {
            this.header = None;
            // SAFETY: our reference, given up.
            unsafe { Packet::<M, F>::finish(header, Err(JoinError::Aborted)) };
            return Poll::Ready(());
        }
        // SAFETY: the stage is `Run` while the runner holds the reference, and only this
        // thread touches it; the packet never moves, so the future is pinned.
        let Stage::Run(future) = (unsafe { Packet::<M, F>::stage(header) }) else {
            unreachable!("uvco: a worker task without its future")
        };
        // SAFETY: see above: the future stays at this address until it is dropped.
        let future = unsafe { Pin::new_unchecked(future) };
        let result = match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(payload) => Err(JoinError::Panicked(payload)),
        };
        this.header = None;
        // SAFETY: our reference, given up.
        unsafe { Packet::<M, F>::finish(header, result) };
        Poll::Ready(())
    }
}

impl<M, F> Drop for Runner<M, F> {
    fn drop(&mut self) {
        if let Some(header) = self.header.take() {
            // Dropped unfinished: the runtime is shutting down. The packet's vtable knows
            // the types: `cancel` drops whatever the stage holds (here the future, on its
            // own thread) and reports `RuntimeDropped`.
            // SAFETY: our reference, given up.
            unsafe { (header.as_ref().vtable.cancel)(header) };
        }
    }
}

/// A handle to a task spawned on [`Workers`]: await it (from any thread or executor) for the
/// task's output, or [`join`](Self::join) it from a thread outside the runtimes. `Send`, and
/// `Sync`, when the output is `Send`. Dropping it detaches the task, which runs on.
pub struct JoinHandle<T> {
    header: NonNull<Header>,
    _output: PhantomData<T>,
}

// SAFETY: the handle only moves the output (`T: Send`) out, after the `DONE` acquire; the
// rest of the packet it touches is atomics and a mutex.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: `&self` methods only read atomics and take the mutex.
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl<T> Unpin for JoinHandle<T> {}

impl<T> JoinHandle<T> {
    fn head(&self) -> &Header {
        // SAFETY: the handle's reference keeps the packet live.
        unsafe { self.header.as_ref() }
    }

    /// Whether the task has finished (with an output, a panic, or cancelled).
    pub fn is_finished(&self) -> bool {
        self.head().state.load(Ordering::Acquire) & DONE != 0
    }

    /// Asks the worker to drop the task's future; awaiting the handle then gives
    /// [`JoinError::Aborted`] (unless the task finished first). From any thread; the future is
    /// dropped on its worker, at its next turn.
    ///
    /// ```
    /// let workers = uvco::workers::Workers::new(1)?;
    /// let task = workers.spawn(std::future::pending::<()>());
    /// task.abort();
    /// assert!(matches!(task.join(), Err(uvco::JoinError::Aborted)));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn abort(&self) {
        let head = self.head();
        if head.state.fetch_or(ABORT, Ordering::AcqRel) & (ABORT | DONE) != 0 {
            return;
        }
        let task = lock(&head.wakers).task.clone();
        if let Some(task) = task {
            crate::runtime::wake::wake_contained(task);
        }
        // Not started yet: the worker sees the flag when it starts it.
    }

    /// Blocks the calling thread until the task finishes, and returns its output.
    ///
    /// # Panics
    /// When called inside a uvco runtime (a task, `block_on`): blocking a loop thread would
    /// stall its tasks, and would never return for a task on the same worker. Await the
    /// handle there.
    pub fn join(self) -> Result<T, JoinError> {
        assert!(
            crate::try_current_loop().is_none(),
            "uvco: JoinHandle::join called inside a runtime (await the handle instead)"
        );
        struct Unpark(thread::Thread);
        impl std::task::Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
            fn wake_by_ref(self: &Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Waker::from(Arc::new(Unpark(thread::current())));
        let mut cx = Context::from_waker(&waker);
        let mut this = self;
        loop {
            if let Poll::Ready(result) = Pin::new(&mut this).poll(&mut cx) {
                return result;
            }
            thread::park();
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let head = self.head();
        if head.state.load(Ordering::Acquire) & DONE == 0 {
            let mut wakers = lock(&head.wakers);
            // Checked again under the lock: `finish` sets `DONE` before taking it.
            if head.state.load(Ordering::Acquire) & DONE == 0 {
                let old = match &wakers.join {
                    Some(waker) if waker.will_wake(cx.waker()) => None,
                    _ => wakers.join.replace(cx.waker().clone()),
                };
                drop(wakers);
                drop(old);
                return Poll::Pending;
            }
        }
        let mut output: Option<Result<T, JoinError>> = None;
        // SAFETY: `DONE` was acquired; the packet's output type is `T`.
        unsafe { (head.vtable.take_output)(self.header, (&raw mut output).cast()) };
        match output {
            Some(result) => Poll::Ready(result),
            None => panic!("uvco: a workers::JoinHandle polled after it returned its output"),
        }
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        // SAFETY: the handle's reference, given up.
        unsafe { release(self.header) };
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("finished", &self.is_finished())
            .finish()
    }
}
