// An LD_PRELOAD allocation counter for bench/node/fs_bench.js.
//
//   cc -O2 -shared -fPIC -o target/malloc_count.so bench/node/malloc_count.c -ldl
//   MALLOC_COUNT_FILE=/tmp/count LD_PRELOAD=target/malloc_count.so node ...
//
// Counts every call of malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign,
// valloc and pvalloc, on every thread (so the libuv threadpool's allocations are counted with
// the operation that caused them), and forwards it to the next definition (glibc's).
// operator new in libstdc++ calls malloc (or aligned_alloc), so C++ allocations are counted
// too. free is not counted.
//
// The count is exposed to JS without an addon: at load time the library maps the file named
// by MALLOC_COUNT_FILE (8 bytes, MAP_SHARED) and keeps the counter in it, so the process can
// read it with fs.readSync from that file (the page cache is shared with the mapping). The
// counter is a little-endian uint64 at offset 0, incremented atomically (relaxed). Without
// MALLOC_COUNT_FILE the library counts into a private variable and nobody sees it.
//
// Bootstrap: dlsym can itself call calloc/malloc (glibc's dlerror buffer) before the real
// functions are known; those calls are served from a small static arena, which free and
// realloc recognise and never pass to glibc.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t private_count;
static uint64_t *counter = &private_count;

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);
static void *(*real_memalign)(size_t, size_t);
static void *(*real_valloc)(size_t);
static void *(*real_pvalloc)(size_t);

// The bootstrap arena: bump allocation, never freed.
static _Alignas(64) unsigned char arena[16384];
static size_t arena_used;
static int resolving;

static int in_arena(const void *p) {
    return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + sizeof arena;
}

static void *arena_alloc(size_t size) {
    size_t start = (__atomic_fetch_add(&arena_used, (size + 15) & ~(size_t)15, __ATOMIC_RELAXED));
    if (start + size > sizeof arena) return NULL;
    return arena + start; // static storage: already zeroed, fine for calloc
}

static void resolve(void) {
    if (real_malloc || resolving) return;
    resolving = 1;
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "aligned_alloc");
    real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "memalign");
    real_valloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "valloc");
    real_pvalloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "pvalloc");
    void *m = dlsym(RTLD_NEXT, "malloc");
    __atomic_store_n(&real_malloc, (void *(*)(size_t))m, __ATOMIC_RELEASE);
    resolving = 0;
}

static inline void count(void) {
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

__attribute__((constructor)) static void init(void) {
    resolve();
    const char *path = getenv("MALLOC_COUNT_FILE");
    if (!path || !*path) return;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return;
    if (ftruncate(fd, 8) == 0) {
        void *p = mmap(NULL, 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p != MAP_FAILED) {
            uint64_t *shared = p;
            // Single-threaded here (constructors run before main); carry over the early count.
            *shared = private_count;
            __atomic_store_n(&counter, shared, __ATOMIC_RELEASE);
        }
    }
    close(fd);
}

void *malloc(size_t size) {
    if (!real_malloc) {
        resolve();
        if (!real_malloc) return arena_alloc(size);
    }
    count();
    return real_malloc(size);
}

void *calloc(size_t n, size_t size) {
    if (!real_calloc || resolving) {
        resolve();
        if (!real_calloc || resolving) {
            if (size && n > SIZE_MAX / size) return NULL;
            return arena_alloc(n * size);
        }
    }
    count();
    return real_calloc(n, size);
}

void *realloc(void *p, size_t size) {
    if (in_arena(p)) {
        // Rare (only bootstrap blocks): move out to a real block. The old size is unknown,
        // but never more than what is left of the arena after p.
        void *q = malloc(size);
        size_t avail = (size_t)(arena + sizeof arena - (unsigned char *)p);
        if (q) memcpy(q, p, size < avail ? size : avail);
        return q;
    }
    if (!real_realloc) {
        resolve();
        if (!real_realloc) return p ? NULL : arena_alloc(size);
    }
    count();
    return real_realloc(p, size);
}

void free(void *p) {
    if (!p || in_arena(p)) return;
    if (!real_free) resolve();
    if (real_free) real_free(p);
}

int posix_memalign(void **out, size_t align, size_t size) {
    if (!real_posix_memalign) resolve();
    if (!real_posix_memalign) return ENOMEM;
    count();
    return real_posix_memalign(out, align, size);
}

void *aligned_alloc(size_t align, size_t size) {
    if (!real_aligned_alloc) resolve();
    if (!real_aligned_alloc) return NULL;
    count();
    return real_aligned_alloc(align, size);
}

void *memalign(size_t align, size_t size) {
    if (!real_memalign) resolve();
    if (!real_memalign) return NULL;
    count();
    return real_memalign(align, size);
}

void *valloc(size_t size) {
    if (!real_valloc) resolve();
    if (!real_valloc) return NULL;
    count();
    return real_valloc(size);
}

void *pvalloc(size_t size) {
    if (!real_pvalloc) resolve();
    if (!real_pvalloc) return NULL;
    count();
    return real_pvalloc(size);
}

// For C callers (and a quick check with a tiny program); JS reads the mapped file instead.
uint64_t malloc_count(void) {
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}
