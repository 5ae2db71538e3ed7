//! Thread-local free lists for task frames and request slots.
//!
//! Blocks come in 32 size classes of 128 bytes (128, 256, ... 4096), all aligned to
//! [`BLOCK_ALIGN`]. 128 rather than 256: an idle spawned task (a 72-byte header and a small
//! future) fits 128 bytes, and took a 256-byte block.
//!
//! A freed block goes onto its class's list on the freeing thread; past the
//! class's limit, or for anything larger than 4096 bytes or more strictly aligned, the global
//! allocator is used directly.
//!
//! The limit adapts to bursts: a class keeps as many free blocks as it once had in use at the
//! same time on this thread (at least [`MIN_CACHED`], at most [`CLASS_BUDGET`] bytes), so a
//! burst that comes back, such as 64 requests in flight on every round of a loop, costs no
//! allocation after its first round. A fixed cap of 32 made every block past the 32nd go back
//! to the global allocator at the end of each round and come from it again at the next.
//! What a burst left cached stays until [`trim`], as a thread cache of `malloc` keeps it.
//!
//! Every block of a class is allocated from the global allocator with the same layout, so a
//! block is not tied to the thread that allocated it: a block freed on another thread simply
//! joins that thread's cache (or goes back to the global allocator). A thread's cache is
//! returned to the global allocator when the thread exits, and a free that happens while the
//! thread-local is already destroyed goes straight to the global allocator.
//!
//! Blocks that are made on one thread and freed on another by design (a task spawned onto a
//! worker, whose handle and worker race to drop the last reference) would make the first
//! thread's cache drain into the second's, one allocation each time. For them the allocating
//! thread hands out a [`Home`], and [`deallocate_home`] on another thread pushes the block
//! onto that home's stack of returns (one atomic exchange), which the home thread takes back
//! into its lists the next time one of them is empty.

use std::alloc::{self, Layout};
use std::cell::{Cell, OnceCell, UnsafeCell};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;

/// Granularity of the size classes.
pub const CLASS_SIZE: usize = 128;
/// Number of size classes; the largest holds `CLASS_SIZE * CLASSES` = 4096 bytes.
pub const CLASSES: usize = 32;
/// Largest request served from a free list.
pub const MAX_BLOCK: usize = CLASS_SIZE * CLASSES;
/// Free blocks a class keeps on each thread whatever its past use.
pub const MIN_CACHED: usize = 32;
/// Bytes of free blocks a class may keep on each thread after a burst: 2048 blocks of 128
/// bytes, 64 of 4096.
pub const CLASS_BUDGET: usize = 256 * 1024;
/// Alignment of every free-list block; stricter requests use the global allocator.
pub const BLOCK_ALIGN: usize = 16;

/// Counters of the calling thread's free lists, from [`stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocStats {
    /// Allocations served from a cached block.
    pub hits: u64,
    /// Allocations that went to the global allocator (empty list, or too large).
    pub misses: u64,
    /// Blocks currently cached, over all classes.
    pub cached_blocks: usize,
    /// Bytes currently cached, over all classes.
    pub cached_bytes: usize,
    /// Blocks handed out by this thread minus blocks freed on this thread. Blocks freed on
    /// another thread than the one that allocated them make the two threads' counts drift
    /// apart; their sum stays right.
    pub in_use: isize,
}

/// A cached block: the first word of a free block links to the next one.
struct FreeBlock {
    next: *mut FreeBlock,
}

struct Class {
    head: Cell<*mut FreeBlock>,
    len: Cell<usize>,
    /// Blocks of this class handed out by this thread minus those freed on it.
    live: Cell<isize>,
    /// The most `live` has been since the last [`trim`]: how many blocks the list may keep.
    peak: Cell<usize>,
    /// `peak` within this class's bounds, kept with it: what every free compares against.
    limit: Cell<usize>,
}

impl Class {
    /// Puts a free block on the list (the caller checked the limit).
    ///
    /// # Safety
    /// `block` is a block of this class, no longer used.
    #[inline]
    unsafe fn push(&self, block: *mut FreeBlock) {
        // SAFETY: the block is at least 128 bytes, 16-aligned, and the list's now.
        unsafe {
            block.write(FreeBlock {
                next: self.head.get(),
            })
        };
        self.head.set(block);
        self.len.set(self.len.get() + 1);
    }

    /// Takes a block off the list, or null when it is empty.
    #[inline]
    fn pop(&self) -> *mut FreeBlock {
        let head = self.head.get();
        if !head.is_null() {
            // SAFETY: `head` is a cached block of this class, owned by the list.
            self.head.set(unsafe { (*head).next });
            self.len.set(self.len.get() - 1);
        }
        head
    }

    /// How many free blocks this class keeps now.
    #[inline]
    fn limit(&self) -> usize {
        self.limit.get()
    }

    /// Records a new peak of class `index`, and with it the limit.
    fn set_peak(&self, peak: usize, index: usize) {
        self.peak.set(peak);
        self.limit.set(peak.clamp(MIN_CACHED, BUDGET_BLOCKS[index]));
    }
}

/// [`CLASS_BUDGET`] in blocks of each class, worked out at compile time: `deallocate` checks
/// it on every free.
const BUDGET_BLOCKS: [usize; CLASSES] = {
    let mut blocks = [0; CLASSES];
    let mut i = 0;
    while i < CLASSES {
        blocks[i] = CLASS_BUDGET / ((i + 1) * CLASS_SIZE);
        i += 1;
    }
    blocks
};

struct Cache {
    classes: [Class; CLASSES],
    hits: Cell<u64>,
    misses: Cell<u64>,
}

impl Drop for Cache {
    fn drop(&mut self) {
        for (index, class) in self.classes.iter().enumerate() {
            let layout = class_layout(index);
            let mut block = class.head.replace(ptr::null_mut());
            while !block.is_null() {
                // SAFETY: every block on a list was allocated by the global allocator with
                // this class's layout and is owned by the list; we read its link before
                // freeing it.
                unsafe {
                    let next = (*block).next;
                    alloc::dealloc(block.cast(), layout);
                    block = next;
                }
            }
            class.len.set(0);
        }
    }
}

// Only ever copied into the thread-local's const initialiser (an array repeat needs a
// constant), never shared: each copy is a fresh set of cells.
#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_CLASS: Class = Class {
    head: Cell::new(ptr::null_mut()),
    len: Cell::new(0),
    live: Cell::new(0),
    peak: Cell::new(0),
    limit: Cell::new(MIN_CACHED),
};

thread_local! {
    // `const` initialisation: touching the cache never allocates, and has no lazy-init check.
    static CACHE: UnsafeCell<Cache> = const {
        UnsafeCell::new(Cache {
            classes: [EMPTY_CLASS; CLASSES],
            hits: Cell::new(0),
            misses: Cell::new(0),
        })
    };
}

/// The class serving `layout`, or `None` when the global allocator must.
#[inline]
fn class_of(layout: Layout) -> Option<usize> {
    if layout.size() == 0 || layout.size() > MAX_BLOCK || layout.align() > BLOCK_ALIGN {
        return None;
    }
    Some((layout.size() - 1) / CLASS_SIZE)
}

#[inline]
fn class_layout(index: usize) -> Layout {
    // SAFETY: the size is a non-zero multiple of 128 and the alignment a power of two.
    unsafe { Layout::from_size_align_unchecked((index + 1) * CLASS_SIZE, BLOCK_ALIGN) }
}

/// The number of bytes a request for `layout` really occupies: its class size, or its own
/// size when the global allocator serves it.
pub fn block_size(layout: Layout) -> usize {
    match class_of(layout) {
        Some(index) => class_layout(index).size(),
        None => layout.size(),
    }
}

/// Allocates a block for `layout`, from the calling thread's free list when one fits.
///
/// Aborts through [`alloc::handle_alloc_error`] when memory is exhausted.
///
/// # Safety
/// `layout` must have a non-zero size.
// Inline, so that a caller's constant layout picks its class at compile time.
#[inline]
pub unsafe fn allocate(layout: Layout) -> NonNull<u8> {
    debug_assert!(layout.size() != 0);
    match class_of(layout) {
        Some(index) => allocate_in(index),
        None => {
            count_miss();
            // SAFETY: non-zero size per this function's contract.
            global(unsafe { alloc::alloc(layout) }, layout)
        }
    }
}

// Inline, as `deallocate_in`: once per task and per request, from generic code compiled in
// the user's crate; what a miss or a full list costs is left out of line.
#[inline]
fn allocate_in(index: usize) -> NonNull<u8> {
    let cached = CACHE
        .try_with(|cache| {
            // SAFETY: the cache is only touched by this thread, and never re-entrantly: no
            // code that runs while a reference is live can call back into this module.
            let cache = unsafe { &*cache.get() };
            let class = &cache.classes[index];
            let live = class.live.get() + 1;
            class.live.set(live);
            if live > class.peak.get() as isize {
                class.set_peak(live as usize, index);
            }
            let head = class.pop();
            if head.is_null() {
                // Popped and counted there, when a return refilled the list.
                let back = take_back_returns(cache, index);
                if back.is_null() {
                    cache.misses.set(cache.misses.get() + 1);
                }
                return back;
            }
            cache.hits.set(cache.hits.get() + 1);
            head
        })
        .unwrap_or(ptr::null_mut());
    match NonNull::new(cached) {
        Some(block) => block.cast(),
        None => allocate_global(index),
    }
}

/// A block on a [`Home`]'s stack of returns: its class travels with it.
#[repr(C)]
struct Returned {
    next: *mut Returned,
    class: usize,
}

/// The stack of blocks other threads returned to one thread, linked through the blocks.
struct Returns {
    head: AtomicPtr<Returned>,
}

impl Returns {
    fn new() -> Arc<Returns> {
        Arc::new(Returns {
            head: AtomicPtr::new(ptr::null_mut()),
        })
    }

    fn push(&self, block: NonNull<u8>, class: usize) {
        let node = block.as_ptr().cast::<Returned>();
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: the block (at least 128 bytes, 16-aligned) is the caller's to give away,
            // and nobody else sees it until the exchange below publishes it.
            unsafe { node.write(Returned { next: head, class }) };
            // Release: the home thread that takes the stack sees the link written.
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(now) => head = now,
            }
        }
    }

    /// Empties the stack (only its home thread, or its drop, takes from it: no ABA).
    fn take(&self) -> *mut Returned {
        if self.head.load(Ordering::Relaxed).is_null() {
            return ptr::null_mut();
        }
        self.head.swap(ptr::null_mut(), Ordering::Acquire)
    }
}

impl Drop for Returns {
    fn drop(&mut self) {
        // The home thread is gone and so is every other holder: the returns go back to the
        // global allocator.
        let mut node = self.take();
        while !node.is_null() {
            // SAFETY: each node is a block of its class's layout owned by the stack; its link
            // is read before it is freed.
            unsafe {
                let Returned { next, class } = node.read();
                alloc::dealloc(node.cast(), class_layout(class));
                node = next;
            }
        }
    }
}

/// Where a block goes back to when another thread frees it: see [`deallocate_home`].
#[derive(Clone)]
pub struct Home(Arc<Returns>);

impl std::fmt::Debug for Home {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Home").field(&Arc::as_ptr(&self.0)).finish()
    }
}

thread_local! {
    /// This thread's returns, once something asked for its [`home`].
    static HOME: OnceCell<Arc<Returns>> = const { OnceCell::new() };
}

/// The calling thread's [`Home`]: blocks it allocates and hands to [`deallocate_home`] with
/// it come back to its free lists, whichever thread frees them. The first call on a thread
/// allocates the home; later ones clone it (an atomic increment).
pub fn home() -> Home {
    HOME.try_with(|home| Home(home.get_or_init(Returns::new).clone()))
        // The thread is exiting: a home of its own, which frees its returns when dropped.
        .unwrap_or_else(|_| Home(Returns::new()))
}

/// Frees a block from [`allocate`] made on `home`'s thread: into this thread's free list when
/// this is that thread, else onto the home's returns.
///
/// # Safety
/// As for [`deallocate`]; `home` is the allocating thread's.
pub unsafe fn deallocate_home(block: NonNull<u8>, layout: Layout, home: &Home) {
    let Some(index) = class_of(layout) else {
        // SAFETY: forwarded contract.
        return unsafe { deallocate(block, layout) };
    };
    let at_home = HOME
        .try_with(|mine| mine.get().is_some_and(|mine| Arc::ptr_eq(mine, &home.0)))
        .unwrap_or(false);
    if at_home {
        // SAFETY: forwarded contract.
        unsafe { deallocate_in(block, index) };
    } else {
        home.0.push(block, index);
    }
}

/// Takes back the blocks other threads returned to this one (see [`Home`]) into their lists
/// and pops one of class `index`, or returns null. Runs when that list is empty, so a thread
/// that has no home, or no returns, pays a thread-local read for its misses only.
#[cold]
#[inline(never)]
fn take_back_returns(cache: &Cache, index: usize) -> *mut FreeBlock {
    let mut node = HOME
        .try_with(|home| home.get().map_or(ptr::null_mut(), |home| home.take()))
        .unwrap_or(ptr::null_mut());
    while !node.is_null() {
        // SAFETY: the stack owned the node, a block of its class; its fields are read
        // before the block is reused.
        let Returned { next, class: c } = unsafe { node.read() };
        let class = &cache.classes[c];
        // Freed at last, as far as this thread's counts go: it allocated the block.
        class.live.set(class.live.get() - 1);
        if class.len.get() < class.limit() {
            // SAFETY: a block of class `c`, ours now.
            unsafe { class.push(node.cast()) };
        } else {
            // SAFETY: a block of class `c`, allocated with its layout, no longer used.
            unsafe { alloc::dealloc(node.cast(), class_layout(c)) };
        }
        node = next;
    }
    let head = cache.classes[index].pop();
    if !head.is_null() {
        cache.hits.set(cache.hits.get() + 1);
    }
    head
}

#[cold]
#[inline(never)]
fn allocate_global(index: usize) -> NonNull<u8> {
    let layout = class_layout(index);
    // SAFETY: class layouts have a non-zero size.
    global(unsafe { alloc::alloc(layout) }, layout)
}

/// Returns a block from [`allocate`] to the calling thread's free list, or to the global
/// allocator when the list is full. Any thread may free any block.
///
/// # Safety
/// `block` must come from [`allocate`] with the same `layout`, and must not be used after.
#[inline]
pub unsafe fn deallocate(block: NonNull<u8>, layout: Layout) {
    match class_of(layout) {
        // SAFETY: forwarded contract.
        Some(index) => unsafe { deallocate_in(block, index) },
        // SAFETY: per the contract, `block` came from `alloc::alloc(layout)`.
        None => unsafe { alloc::dealloc(block.as_ptr(), layout) },
    }
}

/// # Safety
/// `block` is a block of class `index`, no longer used.
#[inline]
unsafe fn deallocate_in(block: NonNull<u8>, index: usize) {
    let cached = CACHE
        .try_with(|cache| {
            // SAFETY: as in `allocate`: this thread's cache, not re-entered.
            let cache = unsafe { &*cache.get() };
            let class = &cache.classes[index];
            class.live.set(class.live.get() - 1);
            if class.len.get() >= class.limit() {
                return false;
            }
            // SAFETY: a block of this class, no longer used (the caller's contract).
            unsafe { class.push(block.as_ptr().cast()) };
            true
        })
        .unwrap_or(false);
    if !cached {
        // SAFETY: forwarded.
        unsafe { deallocate_global(block, index) };
    }
}

/// # Safety
/// As for [`deallocate_in`].
#[cold]
#[inline(never)]
unsafe fn deallocate_global(block: NonNull<u8>, index: usize) {
    // SAFETY: every block of this class was allocated with the class layout.
    unsafe { alloc::dealloc(block.as_ptr(), class_layout(index)) };
}

fn count_miss() {
    let _ = CACHE.try_with(|cache| {
        // SAFETY: this thread's cache, not re-entered.
        let cache = unsafe { &*cache.get() };
        cache.misses.set(cache.misses.get() + 1);
    });
}

fn global(block: *mut u8, layout: Layout) -> NonNull<u8> {
    NonNull::new(block).unwrap_or_else(|| alloc::handle_alloc_error(layout))
}

/// Returns the calling thread's cached blocks past [`MIN_CACHED`] per class to the global
/// allocator, and forgets the bursts the classes have seen: for a thread that is done with a
/// burst it won't see again.
pub fn trim() {
    let _ = CACHE.try_with(|cache| {
        // SAFETY: this thread's cache, not re-entered.
        let cache = unsafe { &*cache.get() };
        for (index, class) in cache.classes.iter().enumerate() {
            class.set_peak(class.live.get().max(0) as usize, index);
            while class.len.get() > MIN_CACHED {
                let block = class.head.get();
                // SAFETY: a cached block of this class, owned by the list, allocated with the
                // class layout; its link is read before it is freed.
                unsafe {
                    class.head.set((*block).next);
                    alloc::dealloc(block.cast(), class_layout(index));
                }
                class.len.set(class.len.get() - 1);
            }
        }
    });
}

/// The calling thread's free-list counters.
///
/// ```
/// use std::alloc::Layout;
/// use uvco_runtime::alloc;
///
/// let layout = Layout::from_size_align(300, 8).unwrap();
/// // SAFETY: the layout is non-zero; the block is freed with the same layout.
/// unsafe {
///     let block = alloc::allocate(layout);
///     alloc::deallocate(block, layout);
///     let again = alloc::allocate(layout); // served by the 384-byte class's list
///     assert_eq!(again, block);
///     alloc::deallocate(again, layout);
/// }
/// assert!(alloc::stats().hits >= 1);
/// ```
pub fn stats() -> AllocStats {
    CACHE
        .try_with(|cache| {
            // SAFETY: this thread's cache, not re-entered.
            let cache = unsafe { &*cache.get() };
            let mut stats = AllocStats {
                hits: cache.hits.get(),
                misses: cache.misses.get(),
                ..AllocStats::default()
            };
            for (index, class) in cache.classes.iter().enumerate() {
                stats.cached_blocks += class.len.get();
                stats.cached_bytes += class.len.get() * class_layout(index).size();
                stats.in_use += class.live.get();
            }
            stats
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    #[test]
    fn classes_round_up_to_128() {
        assert_eq!(block_size(layout(1)), 128);
        assert_eq!(block_size(layout(128)), 128);
        assert_eq!(block_size(layout(129)), 256);
        assert_eq!(block_size(layout(257)), 384);
        assert_eq!(block_size(layout(4096)), 4096);
        assert_eq!(block_size(layout(4097)), 4097);
        assert_eq!(class_of(Layout::from_size_align(64, 64).unwrap()), None);
    }

    #[test]
    fn freed_block_is_reused_lifo() {
        let before = stats();
        // SAFETY: matching layouts, each block freed once.
        unsafe {
            let a = allocate(layout(1000));
            let b = allocate(layout(1000));
            deallocate(a, layout(1000));
            deallocate(b, layout(1000));
            assert_eq!(allocate(layout(1000)), b);
            assert_eq!(allocate(layout(1024)), a);
            deallocate(a, layout(1000));
            deallocate(b, layout(1000));
        }
        let after = stats();
        assert_eq!(after.hits - before.hits, 2);
        assert_eq!(after.in_use, before.in_use);
    }

    fn cached_in_class(l: Layout) -> usize {
        let class = class_of(l).unwrap();
        // SAFETY: this thread's cache, read without any other reference live.
        CACHE.with(|c| unsafe { (*c.get()).classes[class].len.get() })
    }

    /// `n` blocks of `l` at once, then all freed: one round of a burst.
    fn burst(l: Layout, n: usize) {
        // SAFETY: matching layouts, each block freed once.
        unsafe {
            let blocks: Vec<_> = (0..n).map(|_| allocate(l)).collect();
            for b in blocks {
                deallocate(b, l);
            }
        }
    }

    #[test]
    fn a_recurring_burst_is_served_from_the_cache() {
        let l = layout(2000);
        burst(l, 64);
        assert_eq!(cached_in_class(l), 64);
        let before = stats();
        burst(l, 64);
        let after = stats();
        assert_eq!(after.misses, before.misses, "the second round allocated");
        assert_eq!(after.hits - before.hits, 64);
        trim();
        assert_eq!(cached_in_class(l), MIN_CACHED);
    }

    #[test]
    fn cache_is_bounded_per_class() {
        let l = layout(4000);
        let budget = CLASS_BUDGET / 4096;
        burst(l, budget + 10);
        assert_eq!(cached_in_class(l), budget);
        trim();
        assert_eq!(cached_in_class(l), MIN_CACHED);
        // After trim the class keeps no more than MIN_CACHED of a smaller burst.
        burst(l, MIN_CACHED + 5);
        assert_eq!(cached_in_class(l), MIN_CACHED + 5);
        trim();
        burst(l, 10);
        assert!(cached_in_class(l) <= MIN_CACHED);
    }

    #[test]
    fn large_and_overaligned_go_to_the_global_allocator() {
        let before = stats();
        let big = layout(10_000);
        let aligned = Layout::from_size_align(512, 4096).unwrap();
        // SAFETY: matching layouts, each block freed once.
        unsafe {
            let a = allocate(big);
            let b = allocate(aligned);
            assert_eq!(b.as_ptr() as usize % 4096, 0);
            a.as_ptr().write_bytes(1, 10_000);
            deallocate(a, big);
            deallocate(b, aligned);
        }
        let after = stats();
        assert_eq!(after.misses - before.misses, 2);
        assert_eq!(after.hits, before.hits);
    }

    #[test]
    fn a_block_freed_elsewhere_goes_home() {
        let l = layout(3300);
        let home = home();
        // SAFETY: allocated here, freed once on the other thread with this thread's home.
        let block = unsafe { allocate(l) };
        let before = stats();
        let addr = block.as_ptr() as usize;
        let away = home.clone();
        std::thread::spawn(move || {
            let block = NonNull::new(addr as *mut u8).unwrap();
            // SAFETY: same layout; no longer used by the first thread.
            unsafe { deallocate_home(block, l, &away) };
            assert_eq!(stats().cached_blocks, 0, "not cached on the freeing thread");
        })
        .join()
        .unwrap();
        // The class's list here is empty: the next allocation takes the return back.
        // SAFETY: matching layout, freed once (at home, into the list).
        unsafe {
            let again = allocate(l);
            assert_eq!(again.as_ptr() as usize, addr);
            let after = stats();
            assert_eq!(after.misses, before.misses);
            assert_eq!(after.in_use, before.in_use, "the return counted as a free");
            deallocate_home(again, l, &home);
        }
        assert_eq!(stats().in_use, before.in_use - 1);
    }

    #[test]
    fn returns_to_a_thread_that_is_gone_are_freed() {
        let l = layout(1500);
        let (home, addr) = std::thread::spawn(move || {
            // SAFETY: freed once, below, on another thread.
            let block = unsafe { allocate(l) };
            (home(), block.as_ptr() as usize)
        })
        .join()
        .unwrap();
        let block = NonNull::new(addr as *mut u8).unwrap();
        // SAFETY: same layout; its thread has exited; the stack frees it with the home.
        unsafe { deallocate_home(block, l, &home) };
        drop(home);
    }

    #[test]
    fn block_freed_on_another_thread() {
        let l = layout(700);
        // SAFETY: the block is allocated here and freed exactly once, on the other thread.
        let block = unsafe { allocate(l) };
        let addr = block.as_ptr() as usize;
        std::thread::spawn(move || {
            let block = NonNull::new(addr as *mut u8).unwrap();
            // SAFETY: same layout; the block is no longer used by the first thread.
            unsafe { deallocate(block, l) };
            assert_eq!(stats().cached_blocks, 1);
            assert_eq!(stats().in_use, -1);
            // Reused by this thread; returned to the global allocator when it exits.
            // SAFETY: matching layout, freed once.
            unsafe {
                let again = allocate(l);
                assert_eq!(again.as_ptr() as usize, addr);
                deallocate(again, l);
            }
        })
        .join()
        .unwrap();
    }
}
