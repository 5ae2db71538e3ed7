//! The `tracing` feature: a span per task, made at spawn under the spawner's current span,
//! entered for each poll and exited after, closed when the task's future is dropped; and
//! `tracing::Instrument` spans nest inside. Checked with a small recording subscriber.
//! Run with `cargo test --features tracing --test tracing`, as `make unit` does.
#![cfg(feature = "tracing")]

mod common;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Instrument, Metadata, Subscriber};
use uvco::task::yield_now;

#[global_allocator]
static A: common::Counting = common::Counting;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Enter(u64),
    Exit(u64),
    Close(u64),
    /// An event, with the span current when it was emitted.
    Event(&'static str, Option<u64>),
}

#[derive(Debug, Clone)]
struct SpanInfo {
    name: &'static str,
    parent: Option<u64>,
    task_id: Option<u64>,
}

#[derive(Default)]
struct State {
    spans: Vec<SpanInfo>,
    /// The entered spans, innermost last (one thread: the tests' runtime thread).
    stack: Vec<u64>,
    log: Vec<Ev>,
    /// Enter/exit counted only, not logged (for the allocation test).
    quiet: bool,
    enters: u64,
    refs: Vec<u64>,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<State>>);

impl Recorder {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0.lock().unwrap()
    }

    fn span(&self, id: u64) -> SpanInfo {
        self.state().spans[id as usize - 1].clone()
    }

    fn spans_named(&self, name: &str) -> Vec<u64> {
        let st = self.state();
        (1..=st.spans.len() as u64)
            .filter(|&id| st.spans[id as usize - 1].name == name)
            .collect()
    }

    fn task_span(&self, task: uvco::TaskId) -> u64 {
        let st = self.state();
        let found: Vec<u64> = (1..=st.spans.len() as u64)
            .filter(|&id| st.spans[id as usize - 1].task_id == Some(task.0))
            .collect();
        assert_eq!(found.len(), 1, "one span for task {task:?}");
        found[0]
    }

    fn log(&self) -> Vec<Ev> {
        self.state().log.clone()
    }
}

struct TaskIdVisitor(Option<u64>);

impl tracing::field::Visit for TaskIdVisitor {
    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        if field.name() == "task.id" {
            self.0 = Some(value);
        }
    }
    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

struct MessageVisitor(&'static str);

impl tracing::field::Visit for MessageVisitor {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            // The tests' messages are literals; keep a static copy of the known ones.
            let text = format!("{value:?}");
            self.0 = ["inside", "nested", "outer", "spawner", "quiet"]
                .into_iter()
                .find(|m| *m == text)
                .unwrap_or("other");
        }
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, attrs: &Attributes<'_>) -> Id {
        let mut visitor = TaskIdVisitor(None);
        attrs.record(&mut visitor);
        let mut st = self.state();
        let parent = if let Some(parent) = attrs.parent() {
            Some(parent.into_u64())
        } else if attrs.is_contextual() {
            st.stack.last().copied()
        } else {
            None
        };
        st.spans.push(SpanInfo {
            name: attrs.metadata().name(),
            parent,
            task_id: visitor.0,
        });
        st.refs.push(1);
        Id::from_u64(st.spans.len() as u64)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut visitor = MessageVisitor("other");
        event.record(&mut visitor);
        let mut st = self.state();
        let current = st.stack.last().copied();
        st.log.push(Ev::Event(visitor.0, current));
    }

    fn enter(&self, span: &Id) {
        let mut st = self.state();
        st.stack.push(span.into_u64());
        st.enters += 1;
        if !st.quiet {
            st.log.push(Ev::Enter(span.into_u64()));
        }
    }

    fn exit(&self, span: &Id) {
        let mut st = self.state();
        assert_eq!(st.stack.pop(), Some(span.into_u64()), "exits nest");
        if !st.quiet {
            st.log.push(Ev::Exit(span.into_u64()));
        }
    }

    fn clone_span(&self, id: &Id) -> Id {
        self.state().refs[id.into_u64() as usize - 1] += 1;
        id.clone()
    }

    fn try_close(&self, id: Id) -> bool {
        let mut st = self.state();
        let refs = &mut st.refs[id.into_u64() as usize - 1];
        *refs -= 1;
        let closed = *refs == 0;
        if closed {
            st.log.push(Ev::Close(id.into_u64()));
        }
        closed
    }
}

/// Runs `test` on a fresh runtime with a recording subscriber as this thread's default.
fn traced<F: std::future::Future<Output = ()>>(test: impl FnOnce(Recorder) -> F) -> Recorder {
    uvco::tracing::enable();
    let rec = Recorder::default();
    let _default = tracing::subscriber::set_default(rec.clone());
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(test(rec.clone()));
    rt.close().unwrap();
    rec
}

#[test]
fn a_task_span_is_entered_for_each_poll_and_closed_at_the_end() {
    let rec = traced(|_| async {
        let task = uvco::spawn_local(async {
            for _ in 0..3 {
                tracing::info!("inside");
                yield_now().await;
            }
        });
        let id = task.id();
        task.await.unwrap();
        let _ = id;
    });
    let spans = rec.spans_named("runtime.spawn");
    assert_eq!(spans.len(), 1);
    let span = spans[0];
    assert_eq!(rec.span(span).parent, None, "spawned outside any span");
    assert!(rec.span(span).task_id.is_some());
    let task_log: Vec<Ev> = rec.log();
    // 4 polls (3 yields): enter, event, exit each time, the last poll without an event.
    let mut expected = Vec::new();
    for _ in 0..3 {
        expected.extend([
            Ev::Enter(span),
            Ev::Event("inside", Some(span)),
            Ev::Exit(span),
        ]);
    }
    // The last poll, then the drop of the future, inside the span too.
    expected.extend([
        Ev::Enter(span),
        Ev::Exit(span),
        Ev::Enter(span),
        Ev::Exit(span),
        Ev::Close(span),
    ]);
    assert_eq!(task_log, expected);
}

#[test]
fn nested_spawns_have_the_spawner_as_parent() {
    let inner_id = Rc::new(Cell::new(None));
    let got = inner_id.clone();
    let rec = traced(|_| async move {
        let seen = got.clone();
        let outer = uvco::spawn_local(async move {
            let inner = uvco::spawn_local(async {
                tracing::info!("nested");
            });
            got.set(Some(inner.id()));
            inner.await.unwrap();
            tracing::info!("outer");
        });
        let outer_id = outer.id();
        outer.await.unwrap();
        assert_ne!(Some(outer_id), seen.get());
    });
    let spans = rec.spans_named("runtime.spawn");
    assert_eq!(spans.len(), 2);
    let inner = rec.task_span(inner_id.get().unwrap());
    let outer = *spans.iter().find(|&&s| s != inner).unwrap();
    assert_eq!(rec.span(inner).parent, Some(outer));
    assert_eq!(rec.span(outer).parent, None);
    let log = rec.log();
    assert!(log.contains(&Ev::Event("nested", Some(inner))), "{log:?}");
    assert!(log.contains(&Ev::Event("outer", Some(outer))), "{log:?}");
    assert!(log.contains(&Ev::Close(inner)) && log.contains(&Ev::Close(outer)));
}

#[test]
fn a_spawn_under_an_entered_span_or_instrument_gets_it_as_parent() {
    let rec = traced(|_| async {
        let caller = tracing::info_span!("caller");
        let task = {
            let _entered = caller.enter();
            uvco::spawn_local(async {})
        };
        task.await.unwrap();
        async { uvco::spawn_local(async {}).await.unwrap() }
            .instrument(tracing::info_span!("instrumented"))
            .await;
    });
    let caller = rec.spans_named("caller")[0];
    let instrumented = rec.spans_named("instrumented")[0];
    let parents: Vec<Option<u64>> = rec
        .spans_named("runtime.spawn")
        .into_iter()
        .map(|s| rec.span(s).parent)
        .collect();
    assert_eq!(parents, [Some(caller), Some(instrumented)]);
}

#[test]
fn instrument_spans_nest_inside_the_task_span() {
    let rec = traced(|_| async {
        uvco::spawn_local(
            async {
                yield_now().await;
                tracing::info!("inside");
            }
            .instrument(tracing::info_span!("work")),
        )
        .await
        .unwrap();
    });
    let work = rec.spans_named("work")[0];
    let task = rec.spans_named("runtime.spawn")[0];
    // `work` was made before the spawn, in no span.
    assert_eq!(rec.span(work).parent, None);
    let log: Vec<Ev> = rec
        .log()
        .into_iter()
        .filter(|e| !matches!(e, Ev::Close(_)))
        .collect();
    assert_eq!(
        log,
        [
            Ev::Enter(task),
            Ev::Enter(work),
            Ev::Exit(work),
            Ev::Exit(task),
            Ev::Enter(task),
            Ev::Enter(work),
            Ev::Event("inside", Some(work)),
            Ev::Exit(work),
            Ev::Exit(task),
            // The future is dropped inside the task's span; `Instrumented` enters its own
            // to drop what it wraps.
            Ev::Enter(task),
            Ev::Enter(work),
            Ev::Exit(work),
            Ev::Exit(task),
        ]
    );
}

#[test]
fn aborted_and_dropped_tasks_close_their_spans() {
    let rec = traced(|_| async {
        let parked = uvco::spawn_local(std::future::pending::<()>());
        yield_now().await;
        parked.abort();
        assert!(parked.await.unwrap_err().to_string().contains("aborted"));
        // Left running when the runtime is dropped.
        uvco::spawn_local(std::future::pending::<()>()).detach();
        yield_now().await;
    });
    let spans = rec.spans_named("runtime.spawn");
    assert_eq!(spans.len(), 2);
    let log = rec.log();
    for span in spans {
        assert!(log.contains(&Ev::Close(span)), "{span} closed: {log:?}");
    }
}

#[test]
fn a_panicking_task_exits_and_closes_its_span() {
    let rec = traced(|_| async {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let res = uvco::spawn_local(async { panic!("boom") }).await;
        std::panic::set_hook(prev);
        assert!(res.unwrap_err().is_panic());
    });
    let task = rec.spans_named("runtime.spawn")[0];
    assert_eq!(
        rec.log(),
        [
            Ev::Enter(task),
            Ev::Exit(task),
            Ev::Enter(task),
            Ev::Exit(task),
            Ev::Close(task)
        ]
    );
}

#[test]
fn polls_allocate_nothing() {
    let polls = Arc::new(AtomicU64::new(0));
    let counted = polls.clone();
    let rec = traced(|rec| async move {
        {
            let mut st = rec.state();
            st.quiet = true;
            st.stack.reserve(16);
        }
        let task = uvco::spawn_local(async move {
            // Warm up.
            yield_now().await;
            let before = common::allocs();
            for _ in 0..1000 {
                yield_now().await;
                counted.fetch_add(1, Ordering::Relaxed);
            }
            common::allocs() - before
        });
        let allocs = task.await.unwrap();
        assert_eq!(allocs, 0, "1000 polls, each entering and exiting the span");
    });
    assert_eq!(polls.load(Ordering::Relaxed), 1000);
    assert!(rec.state().enters >= 1002);
}

#[test]
fn without_a_subscriber_spawning_allocates_nothing() {
    uvco::tracing::enable();
    let rt = uvco::Runtime::new().unwrap();
    rt.block_on(async {
        // Warm up the free list's class for this task frame.
        uvco::spawn_local(async {}).await.unwrap();
        let before = common::allocs();
        for _ in 0..100 {
            uvco::spawn_local(async { yield_now().await })
                .await
                .unwrap();
        }
        assert_eq!(common::allocs() - before, 0, "100 spawns + joins");
    });
    rt.close().unwrap();
}
