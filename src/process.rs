//! Child processes: a [`Command`] shaped like `std::process::Command` and
//! `tokio::process::Command`, spawned with `uv_spawn` on the current runtime's loop.
//!
//! A [`Child`]'s exit arrives through libuv's `SIGCHLD` handling for that loop;
//! [`Child::wait`] resolves to a `std::process::ExitStatus` (its `code()`, and with
//! `std::os::unix::process::ExitStatusExt` its `signal()` when a signal ended the process).
//! Piped stdio ([`Stdio::piped`]) is a socket pair whose parent end is a uvco stream (the
//! same stream core as [`crate::net::UnixStream`]): [`ChildStdin`] implements
//! `futures_io::AsyncWrite`, [`ChildStdout`] and [`ChildStderr`] `futures_io::AsyncRead`.
//!
//! A dropped [`Child`] whose process still runs is not left a zombie: it is killed first if
//! [`Command::kill_on_drop`] was set, and reaped in the background either way (by a task on
//! the runtime, or, once no runtime is left to run one, by a thread blocked in `waitpid`).
//!
//! ```
//! use uvco::process::{Command, Stdio};
//!
//! #[uvco::main]
//! async fn main() -> std::io::Result<()> {
//!     let out = Command::new("echo").arg("hello").output().await?;
//!     assert!(out.status.success());
//!     assert_eq!(out.stdout, b"hello\n");
//!
//!     let mut cat = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
//!     let mut stdin = cat.stdin.take().unwrap();
//!     stdin.write_all(b"round trip").await?;
//!     drop(stdin); // EOF for cat
//!     let out = cat.wait_with_output().await?;
//!     assert_eq!(out.stdout, b"round trip");
//!     Ok(())
//! }
//! ```

use std::cell::Cell;
use std::collections::BTreeMap;
use std::ffi::{c_char, c_int, CString, OsStr, OsString};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{ExitStatus, Output};
use std::ptr;
use std::task::{Context, Poll, Waker};

use crate::handle::{Handle, HandleState, UvHandle};
use crate::net::UnixStream;
use crate::{current_loop, sys, UvError};

// SAFETY: uv_process_t is a libuv handle struct.
unsafe impl UvHandle for sys::uv_process_t {}

/// Where a child's stdin, stdout or stderr goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stdio(StdioKind);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StdioKind {
    Inherit,
    Null,
    Piped,
}

impl Stdio {
    /// The parent's own stream (the default of [`Command::spawn`] and [`Command::status`]).
    pub fn inherit() -> Stdio {
        Stdio(StdioKind::Inherit)
    }
    /// `/dev/null`.
    pub fn null() -> Stdio {
        Stdio(StdioKind::Null)
    }
    /// A new pipe to the parent: [`Child::stdin`], [`Child::stdout`], [`Child::stderr`].
    pub fn piped() -> Stdio {
        Stdio(StdioKind::Piped)
    }
}

/// A process to spawn: program, arguments, environment, working directory, stdio.
///
/// Input with a NUL byte (in the program, an argument, an environment variable or the
/// directory) is remembered and reported by the spawning call as `InvalidInput`.
pub struct Command {
    program: OsString,
    /// `argv`, the program first; each CString's bytes stay put when the Vec grows, so
    /// `argv_ptrs` (the same, then a null) stays valid.
    argv: Vec<CString>,
    argv_ptrs: Vec<*mut c_char>,
    /// Changes to the inherited environment (`None`: removed).
    env: BTreeMap<OsString, Option<OsString>>,
    env_clear: bool,
    cwd: Option<PathBuf>,
    stdio: [Option<Stdio>; 3],
    kill_on_drop: bool,
    /// The first input that had a NUL byte.
    nul: Option<&'static str>,
}

// SAFETY: the raw pointers point into the CStrings `argv` owns, which move with it; nothing
// else is shared.
unsafe impl Send for Command {}
// SAFETY: as above; `&Command` reads nothing through the pointers.
unsafe impl Sync for Command {}

impl Command {
    /// A command that runs `program` (looked up in `PATH` when it has no slash), with no
    /// arguments, the parent's environment and working directory, and stdio inherited.
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        let program = program.as_ref().to_os_string();
        let mut cmd = Command {
            program: program.clone(),
            argv: Vec::new(),
            argv_ptrs: vec![ptr::null_mut()],
            env: BTreeMap::new(),
            env_clear: false,
            cwd: None,
            stdio: [None; 3],
            kill_on_drop: false,
            nul: None,
        };
        cmd.push_arg(&program, "the program");
        cmd
    }

    fn push_arg(&mut self, arg: &OsStr, what: &'static str) {
        match CString::new(arg.as_bytes()) {
            Ok(c) => {
                // The C string's heap bytes don't move when `argv` grows.
                self.argv_ptrs.pop();
                self.argv_ptrs.push(c.as_ptr().cast_mut());
                self.argv_ptrs.push(ptr::null_mut());
                self.argv.push(c);
            }
            Err(_) => {
                self.nul.get_or_insert(what);
            }
        }
    }

    /// Adds an argument.
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        self.push_arg(arg.as_ref(), "an argument");
        self
    }

    /// Adds arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for arg in args {
            self.arg(arg);
        }
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(&mut self, key: impl AsRef<OsStr>, val: impl AsRef<OsStr>) -> &mut Command {
        self.env.insert(
            key.as_ref().to_os_string(),
            Some(val.as_ref().to_os_string()),
        );
        self
    }

    /// Sets environment variables for the child.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        for (k, v) in vars {
            self.env(k, v);
        }
        self
    }

    /// Removes an environment variable from what the child inherits.
    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Command {
        self.env.insert(key.as_ref().to_os_string(), None);
        self
    }

    /// The child inherits no environment variables, only those set with [`env`](Self::env)
    /// from now on.
    pub fn env_clear(&mut self) -> &mut Command {
        self.env.clear();
        self.env_clear = true;
        self
    }

    /// The child's working directory. A relative program path is taken relative to it.
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Command {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The child's stdin.
    pub fn stdin(&mut self, cfg: Stdio) -> &mut Command {
        self.stdio[0] = Some(cfg);
        self
    }

    /// The child's stdout.
    pub fn stdout(&mut self, cfg: Stdio) -> &mut Command {
        self.stdio[1] = Some(cfg);
        self
    }

    /// The child's stderr.
    pub fn stderr(&mut self, cfg: Stdio) -> &mut Command {
        self.stdio[2] = Some(cfg);
        self
    }

    /// Whether dropping the [`Child`] before its exit was collected kills it (`SIGKILL`).
    /// Off by default: the process runs on, and is reaped in the background when it exits.
    pub fn kill_on_drop(&mut self, kill_on_drop: bool) -> &mut Command {
        self.kill_on_drop = kill_on_drop;
        self
    }

    /// The program.
    pub fn get_program(&self) -> &OsStr {
        &self.program
    }

    /// Spawns the process; stdio not configured is inherited.
    ///
    /// # Errors
    /// `NotFound` for a program that is not there (or not in `PATH`), and for a working
    /// directory that is not there; `PermissionDenied` for one that may not be executed;
    /// `InvalidInput` for input with a NUL byte.
    ///
    /// ```
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// use uvco::process::Command;
    /// let err = Command::new("/no/such/program").spawn().unwrap_err();
    /// assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    /// let mut child = Command::new("true").spawn().unwrap();
    /// assert!(child.wait().await.unwrap().success());
    /// # });
    /// ```
    ///
    /// # Panics
    /// Outside a runtime.
    pub fn spawn(&mut self) -> io::Result<Child> {
        self.spawn_with([Stdio::inherit(); 3])
    }

    /// Spawns the process with stdin from `/dev/null` and stdout and stderr piped (unless
    /// configured otherwise), and collects its exit status and all it wrote.
    ///
    /// ```
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let out = uvco::process::Command::new("sh").args(["-c", "echo err >&2; exit 3"])
    ///     .output().await.unwrap();
    /// assert_eq!(out.status.code(), Some(3));
    /// assert_eq!(out.stderr, b"err\n");
    /// # });
    /// ```
    pub async fn output(&mut self) -> io::Result<Output> {
        let child = self.spawn_with([Stdio::null(), Stdio::piped(), Stdio::piped()])?;
        child.wait_with_output().await
    }

    /// Spawns the process (stdio inherited unless configured) and waits for its exit.
    ///
    /// ```
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let status = uvco::process::Command::new("false").status().await.unwrap();
    /// assert_eq!(status.code(), Some(1));
    /// # });
    /// ```
    pub async fn status(&mut self) -> io::Result<ExitStatus> {
        // No Child: its streams would only be made to be dropped (this is the lean path,
        // that the spawn+wait bench measures).
        let (proc, [stdin, _stdout, _stderr]) = self.spawn_proc([Stdio::inherit(); 3])?;
        // As std's `status`: the child gets no open stdin pipe of ours to wait on.
        drop(stdin);
        let waiting = Orphan {
            proc: Some(proc),
            kill_on_drop: self.kill_on_drop,
        };
        poll_fn(|cx| match &waiting.proc {
            Some(proc) => proc.poll_exit(cx),
            None => Poll::Ready(Err(io::Error::other("uvco::process: no process"))),
        })
        .await
    }

    /// Spawns the process: its handle, and the parent's ends of the pipes asked for.
    fn spawn_proc(&mut self, defaults: [Stdio; 3]) -> io::Result<(Proc, StdPipes)> {
        if let Some(what) = self.nul {
            return Err(invalid(format!(
                "uvco::process: {what} of {:?} has a NUL byte",
                self.program
            )));
        }
        let cwd = match &self.cwd {
            Some(dir) => Some(
                CString::new(dir.as_os_str().as_bytes())
                    .map_err(|_| invalid("uvco::process: the working directory has a NUL byte"))?,
            ),
            None => None,
        };
        // `None`: the child inherits `environ` as it is.
        let env = if self.env_clear || !self.env.is_empty() {
            Some(self.env_block()?)
        } else {
            None
        };
        let mut env_ptrs: Vec<*mut c_char> = Vec::new();
        if let Some(env) = &env {
            env_ptrs.extend(env.iter().map(|c| c.as_ptr().cast_mut()));
            env_ptrs.push(ptr::null_mut());
        }

        // SAFETY: a zeroed container is UV_IGNORE; each is set below.
        let mut stdio: [sys::uv_stdio_container_t; 3] = unsafe { std::mem::zeroed() };
        // Our ends of the pipes, and the child's (closed here once it has them).
        let mut ours: StdPipes = [None, None, None];
        let mut theirs: [Option<OwnedFd>; 3] = [None, None, None];
        for i in 0..3 {
            match self.stdio[i].unwrap_or(defaults[i]).0 {
                StdioKind::Inherit => {
                    stdio[i].flags = sys::uv_stdio_flags_UV_INHERIT_FD;
                    stdio[i].data.fd = i as c_int;
                }
                // libuv opens /dev/null for an ignored stdio fd.
                StdioKind::Null => stdio[i].flags = sys::uv_stdio_flags_UV_IGNORE,
                StdioKind::Piped => {
                    // Both ends close on exec, so no other child inherits them; libuv dup2s
                    // the child's end onto fd `i` in the child, which does not.
                    let (parent, child) = std::os::unix::net::UnixStream::pair()?;
                    stdio[i].flags = sys::uv_stdio_flags_UV_INHERIT_FD;
                    stdio[i].data.fd = child.as_raw_fd();
                    ours[i] = Some(parent);
                    theirs[i] = Some(child.into());
                }
            }
        }

        let loop_ = current_loop();
        // The strings are C strings owned by `self.argv`, `env` and `cwd`, which outlive the
        // call; libuv copies what it needs before uv_spawn returns.
        let options = sys::uv_process_options_t {
            exit_cb: Some(on_exit),
            file: self.argv[0].as_ptr(),
            args: self.argv_ptrs.as_mut_ptr(),
            env: if env.is_some() {
                env_ptrs.as_mut_ptr()
            } else {
                ptr::null_mut()
            },
            cwd: cwd.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
            flags: 0,
            stdio_count: 3,
            stdio: stdio.as_mut_ptr(),
            uid: 0,
            gid: 0,
        };
        let mut ret = 0;
        // uv_spawn initialises the handle (it is in the loop's handle list) even when it
        // fails, and it must then be closed: so the block is kept (init reports success)
        // and dropped below on failure, which closes it.
        // SAFETY: a valid loop on its thread; the handle is zeroed, at its final address;
        // `options` and everything it points to outlive the call.
        let handle = Handle::new(ProcState::default(), |h| {
            // SAFETY: as above.
            ret = unsafe { sys::uv_spawn(loop_, h, &options) };
            0
        })?;
        drop(theirs);
        if let Err(err) = UvError::check(ret) {
            drop(handle);
            return Err(self.spawn_error(err));
        }
        // SAFETY: a spawned process handle.
        let pid = unsafe { sys::uv_process_get_pid(handle.as_ptr()) } as u32;
        let proc = Proc {
            handle: Some(handle),
            pid,
        };
        Ok((proc, ours))
    }

    fn spawn_with(&mut self, defaults: [Stdio; 3]) -> io::Result<Child> {
        let (proc, [stdin, stdout, stderr]) = self.spawn_proc(defaults)?;
        let mut child = Child {
            stdin: None,
            stdout: None,
            stderr: None,
            pid: proc.pid,
            proc: Some(proc),
            status: None,
            kill_on_drop: self.kill_on_drop,
        };
        // On an error here the child's drop deals with the process.
        child.stdin = stdin
            .map(UnixStream::from_std)
            .transpose()?
            .map(|inner| ChildStdin { inner });
        child.stdout = stdout
            .map(UnixStream::from_std)
            .transpose()?
            .map(|inner| ChildStdout { inner });
        child.stderr = stderr
            .map(UnixStream::from_std)
            .transpose()?
            .map(|inner| ChildStderr { inner });
        Ok(child)
    }

    /// The child's whole environment as `KEY=value` C strings.
    fn env_block(&self) -> io::Result<Vec<CString>> {
        let mut vars: BTreeMap<OsString, OsString> = if self.env_clear {
            BTreeMap::new()
        } else {
            std::env::vars_os().collect()
        };
        for (k, v) in &self.env {
            match v {
                Some(v) => vars.insert(k.clone(), v.clone()),
                None => vars.remove(k),
            };
        }
        vars.into_iter()
            .map(|(k, v)| {
                if k.is_empty() || k.as_bytes().contains(&b'=') {
                    return Err(invalid(format!(
                        "uvco::process: environment variable name {k:?} is empty or has a '='"
                    )));
                }
                let mut kv = k.into_vec();
                kv.push(b'=');
                kv.extend_from_slice(v.as_bytes());
                CString::new(kv)
                    .map_err(|_| invalid("uvco::process: an environment variable has a NUL byte"))
            })
            .collect()
    }

    /// libuv reports the child's failed `chdir` and `execvp` alike; say which it was.
    fn spawn_error(&self, err: UvError) -> io::Error {
        let io_err = io::Error::from(err);
        let kind = io_err.kind();
        if let Some(dir) = &self.cwd {
            if !dir.is_dir() {
                return io::Error::new(
                    if kind == io::ErrorKind::NotFound {
                        kind
                    } else {
                        io::ErrorKind::NotFound
                    },
                    format!("uvco::process: working directory {dir:?}: {io_err}"),
                );
            }
        }
        io::Error::new(
            kind,
            format!("uvco::process: spawning {:?}: {io_err}", self.program),
        )
    }
}

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.into())
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("argv", &self.argv)
            .field("env", &self.env)
            .field("env_clear", &self.env_clear)
            .field("cwd", &self.cwd)
            .field("stdio", &self.stdio)
            .field("kill_on_drop", &self.kill_on_drop)
            .finish()
    }
}

/// What the exit callback records for the waiter.
#[derive(Default)]
struct ProcState {
    /// libuv's `exit_status` and `term_signal`, once the process has exited.
    exit: Cell<Option<(i64, c_int)>>,
    waker: Cell<Option<Waker>>,
}

impl HandleState for ProcState {
    fn runtime_closing(&self) {
        // `poll_exit` finds the handle closed: an error.
        uvco_runtime::wake::wake(&self.waker);
    }
}

unsafe extern "C" fn on_exit(handle: *mut sys::uv_process_t, status: i64, signal: c_int) {
    // SAFETY: libuv passes the handle of a live process block.
    let state = unsafe { Handle::<sys::uv_process_t, ProcState>::state_of(handle) };
    state.exit.set(Some((status, signal)));
    uvco_runtime::wake::wake(&state.waker);
}

/// The wait status `waitpid` would have given, from libuv's split of it.
fn exit_status(code: i64, signal: c_int) -> ExitStatus {
    if signal != 0 {
        ExitStatus::from_raw(signal & 0x7f)
    } else {
        ExitStatus::from_raw(((code as c_int) & 0xff) << 8)
    }
}

/// A spawned process's handle, until its exit is collected.
struct Proc {
    /// Always `Some` until dropped.
    handle: Option<Handle<sys::uv_process_t, ProcState>>,
    pid: u32,
}

impl Proc {
    fn handle(&self) -> &Handle<sys::uv_process_t, ProcState> {
        self.handle
            .as_ref()
            .unwrap_or_else(|| unreachable!("a Proc has its handle until dropped"))
    }

    fn exited(&self) -> Option<ExitStatus> {
        let (code, signal) = self.handle().state().exit.get()?;
        Some(exit_status(code, signal))
    }

    fn poll_exit(&self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        if let Some(status) = self.exited() {
            return Poll::Ready(Ok(status));
        }
        let handle = self.handle();
        // SAFETY: our own live handle's block.
        let link = unsafe { Handle::<sys::uv_process_t, ProcState>::link_of(handle.as_ptr()) };
        if link.closed_by_runtime() {
            return Poll::Ready(Err(io::Error::other(
                "uvco::process: the runtime shut down before the child exited",
            )));
        }
        uvco_runtime::wake::register(&handle.state().waker, cx);
        Poll::Pending
    }

    fn kill(&self, signum: c_int) -> io::Result<()> {
        if self.exited().is_some() {
            return Ok(());
        }
        let handle = self.handle();
        // SAFETY: our own live handle's block.
        let link = unsafe { Handle::<sys::uv_process_t, ProcState>::link_of(handle.as_ptr()) };
        if link.closed_by_runtime() {
            // libuv forgot the child when the runtime closed the handle, and reaps it no
            // more; only this Proc's drop does. So it is still our child, unreaped, and its
            // pid can't have been reused: kill(2) it directly.
            // SAFETY: kill(2) has no memory preconditions.
            if unsafe { libc::kill(self.pid as libc::pid_t, signum) } == 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            return match err.raw_os_error() {
                Some(libc::ESRCH) => Ok(()),
                Some(libc::EINVAL) => {
                    Err(invalid(format!("uvco::process: {signum} is not a signal")))
                }
                _ => Err(err),
            };
        }
        // SAFETY: a spawned, open process handle whose exit has not been seen, so its pid
        // is still our (possibly zombie) child's.
        match UvError::check(unsafe { sys::uv_process_kill(handle.as_ptr(), signum) }) {
            Ok(_) => Ok(()),
            Err(err) if err.code() == -libc::ESRCH => Ok(()),
            Err(err) if err.code() == -libc::EINVAL => {
                Err(invalid(format!("uvco::process: {signum} is not a signal")))
            }
            Err(err) => Err(err.into()),
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let exited = self.exited().is_some();
        // Closing the handle takes the pid off libuv's list of children to reap.
        drop(self.handle.take());
        if !exited {
            // Nobody else will wait for it now. A thread is the last resort (no runtime is
            // left to run a task on); waitpid on this pid takes no other process's status.
            let pid = self.pid as libc::pid_t;
            let _ = std::thread::Builder::new()
                .name("uvco-reaper".into())
                .spawn(move || loop {
                    let mut status = 0;
                    // SAFETY: waitpid with a valid out pointer, for our own child.
                    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
                    if r != -1 || io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
                        break;
                    }
                });
        }
    }
}

/// A spawned process, from [`Command::spawn`].
pub struct Child {
    /// Its stdin, if it was [`Stdio::piped`]; drop it (or shut it down) to send EOF.
    pub stdin: Option<ChildStdin>,
    /// Its stdout, if it was [`Stdio::piped`].
    pub stdout: Option<ChildStdout>,
    /// Its stderr, if it was [`Stdio::piped`].
    pub stderr: Option<ChildStderr>,
    proc: Option<Proc>,
    status: Option<ExitStatus>,
    pid: u32,
    kill_on_drop: bool,
}

impl Child {
    /// The process id, until its exit status has been collected (then the id may be
    /// reused, and this is `None`).
    pub fn id(&self) -> Option<u32> {
        self.status.is_none().then_some(self.pid)
    }

    /// Waits for the process to exit. Closes [`stdin`](Child::stdin) first, so that a child
    /// reading it to the end is not waited for forever. Cancel-safe: dropping the future
    /// loses nothing, and a later call still gets the status.
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let mut child = uvco::process::Command::new("sleep").arg("10").spawn().unwrap();
    /// child.start_kill().unwrap();
    /// let status = child.wait().await.unwrap();
    /// assert_eq!(status.signal(), Some(libc::SIGKILL));
    /// assert_eq!(status.code(), None);
    /// # });
    /// ```
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        poll_fn(|cx| self.poll_wait(cx)).await
    }

    fn poll_wait(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        if let Some(status) = self.status {
            return Poll::Ready(Ok(status));
        }
        let Some(proc) = &self.proc else {
            return Poll::Ready(Err(io::Error::other("uvco::process: no process")));
        };
        let status = std::task::ready!(proc.poll_exit(cx))?;
        self.status = Some(status);
        // Exited and reaped: the handle has no more to tell.
        self.proc = None;
        Poll::Ready(Ok(status))
    }

    /// The exit status if the process has exited, without waiting.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        let waker = Waker::noop();
        match self.poll_wait(&mut Context::from_waker(waker)) {
            Poll::Ready(status) => status.map(Some),
            Poll::Pending => Ok(None),
        }
    }

    /// Sends `SIGKILL`, without waiting; `Ok` also when the process has already exited.
    pub fn start_kill(&mut self) -> io::Result<()> {
        self.send_signal(libc::SIGKILL)
    }

    /// Kills the process (`SIGKILL`) and waits for it to exit.
    pub async fn kill(&mut self) -> io::Result<()> {
        self.start_kill()?;
        self.wait().await.map(drop)
    }

    /// Sends `signum` to the process (with `uv_process_kill`); `Ok` when it has already
    /// exited.
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    /// # uvco::Runtime::new().unwrap().block_on(async {
    /// let mut child = uvco::process::Command::new("sleep").arg("10").spawn().unwrap();
    /// child.send_signal(libc::SIGTERM).unwrap();
    /// assert_eq!(child.wait().await.unwrap().signal(), Some(libc::SIGTERM));
    /// # });
    /// ```
    pub fn send_signal(&mut self, signum: c_int) -> io::Result<()> {
        match &self.proc {
            Some(proc) => proc.kill(signum),
            None => Ok(()),
        }
    }

    /// Waits for the exit while reading all of stdout and stderr (those that are piped);
    /// stdin is closed first.
    pub async fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.stdin.take());
        let mut stdout = self.stdout.take().map(|s| s.inner);
        let mut stderr = self.stderr.take().map(|s| s.inner);
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let mut status = None;
        poll_fn(|cx| {
            let out_done = drain(&mut stdout, &mut out, cx)?;
            let err_done = drain(&mut stderr, &mut err, cx)?;
            if status.is_none() {
                if let Poll::Ready(s) = self.poll_wait(cx) {
                    status = Some(s?);
                }
            }
            if out_done && err_done && status.is_some() {
                Poll::Ready(Ok::<(), io::Error>(()))
            } else {
                Poll::Pending
            }
        })
        .await?;
        Ok(Output {
            status: status.unwrap_or_else(|| unreachable!("the poll ended with a status")),
            stdout: out,
            stderr: err,
        })
    }
}

/// Reads `stream` into `into` until EOF (then drops it): `true` once done.
fn drain(
    stream: &mut Option<UnixStream>,
    into: &mut Vec<u8>,
    cx: &mut Context<'_>,
) -> io::Result<bool> {
    let Some(s) = stream else {
        return Ok(true);
    };
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match futures_io::AsyncRead::poll_read(Pin::new(&mut *s), cx, &mut chunk) {
            Poll::Ready(Ok(0)) => {
                *stream = None;
                return Ok(true);
            }
            Poll::Ready(Ok(n)) => into.extend_from_slice(&chunk[..n]),
            Poll::Ready(Err(err)) => return Err(err),
            Poll::Pending => return Ok(false),
        }
    }
}

/// The parent's ends of the stdio pipes, before they become uvco streams.
type StdPipes = [Option<std::os::unix::net::UnixStream>; 3];

/// A process whose exit nobody may wait for any more, unless it has exited: on drop it is
/// killed if `kill_on_drop`, and reaped in the background.
struct Orphan {
    proc: Option<Proc>,
    kill_on_drop: bool,
}

impl Drop for Orphan {
    fn drop(&mut self) {
        if let Some(proc) = self.proc.take() {
            orphan(proc, self.kill_on_drop);
        }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        if let Some(proc) = self.proc.take() {
            orphan(proc, self.kill_on_drop);
        }
    }
}

/// Lets `proc` go: killed first if `kill`, reaped when it exits.
fn orphan(proc: Proc, kill: bool) {
    if proc.exited().is_some() {
        return;
    }
    if kill {
        let _ = proc.kill(libc::SIGKILL);
    }
    if crate::try_current_loop().is_some() {
        // libuv reaps it when it exits, if its handle is open till then.
        crate::spawn_local(async move {
            let _ = poll_fn(|cx| proc.poll_exit(cx)).await;
        })
        .detach();
    }
    // Otherwise `proc`'s drop hands it to a reaper thread.
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("pid", &self.pid)
            .field("status", &self.status)
            .field("stdin", &self.stdin.is_some())
            .field("stdout", &self.stdout.is_some())
            .field("stderr", &self.stderr.is_some())
            .finish_non_exhaustive()
    }
}

macro_rules! pipe_end {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name {
            inner: UnixStream,
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).field("fd", &self.as_raw_fd()).finish()
            }
        }

        impl AsRawFd for $name {
            /// The parent's end of the pipe (-1 once the runtime has closed it).
            fn as_raw_fd(&self) -> RawFd {
                self.inner.as_raw_fd()
            }
        }

        impl AsFd for $name {
            /// # Panics
            /// Once the runtime has closed the stream (as `UnixStream`'s).
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.inner.as_fd()
            }
        }
    };
}

pipe_end!(
    /// The parent's end of a child's piped stdin: `futures_io::AsyncWrite`.
    ChildStdin
);
pipe_end!(
    /// The parent's end of a child's piped stdout: `futures_io::AsyncRead`.
    ChildStdout
);
pipe_end!(
    /// The parent's end of a child's piped stderr: `futures_io::AsyncRead`.
    ChildStderr
);

impl ChildStdin {
    /// Writes all of `buf` (what the pipe doesn't take at once is copied and written in the
    /// background of this future, in order).
    pub async fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf).await
    }

    /// Waits for the writes, then sends EOF to the child (its stdin stays open until this
    /// is dropped, but reads end).
    pub async fn shutdown(&mut self) -> io::Result<()> {
        self.inner.shutdown().await
    }
}

impl futures_io::AsyncWrite for ChildStdin {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_close(cx)
    }
}

macro_rules! read_end {
    ($name:ident) => {
        impl $name {
            /// Reads what is there (waiting for at least one byte); `Ok(0)` at EOF.
            pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.inner.read(buf).await
            }

            /// Reads to EOF, appending to `into`; returns how many bytes were read.
            pub async fn read_to_end(&mut self, into: &mut Vec<u8>) -> io::Result<usize> {
                let start = into.len();
                let mut chunk = [0u8; 16 * 1024];
                loop {
                    let n = self.inner.read(&mut chunk).await?;
                    if n == 0 {
                        return Ok(into.len() - start);
                    }
                    into.extend_from_slice(&chunk[..n]);
                }
            }
        }

        impl futures_io::AsyncRead for $name {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
            }
        }
    };
}

read_end!(ChildStdout);
read_end!(ChildStderr);
