// Counts every heap allocation of the benchmark process, so `make bench` can show how many
// the audio path makes per frame. Linked into the executable, these definitions take the
// place of libc's for every library (the executable's symbols come first in ELF lookup);
// each one counts and calls glibc's own allocator. The per-thread count lives in the
// executable's static TLS, which needs no allocation to reach.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <execinfo.h>
#include <stdio.h>
#include "CMallocCount.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static _Atomic unsigned long total;
static __thread unsigned long mine;
// Where libavutil's code is loaded: every libav library allocates through its av_malloc /
// av_realloc (FFmpeg's rule), so a caller in that range is libav's own allocation.
static _Atomic uintptr_t libav_start, libav_end;
static _Atomic unsigned long libav_total;

// With tracing on, the callers of the first allocations outside libav are kept (no allocation:
// a fixed table), for `cadence_mallocs_print_trace`.
#define TRACE_SLOTS 512
static _Atomic int tracing;
static _Atomic int traced;
#define TRACE_DEPTH 12
static void *trace[TRACE_SLOTS][TRACE_DEPTH];
static __thread int in_trace;

static inline void count(const void *caller) {
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
    mine++;
    uintptr_t at = (uintptr_t)caller;
    if (at >= atomic_load_explicit(&libav_start, memory_order_relaxed)
        && at < atomic_load_explicit(&libav_end, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&libav_total, 1, memory_order_relaxed);
    } else if (atomic_load_explicit(&tracing, memory_order_relaxed) && !in_trace) {
        int slot = atomic_fetch_add(&traced, 1);
        if (slot < TRACE_SLOTS) {
            in_trace = 1;
            backtrace(trace[slot], TRACE_DEPTH);
            in_trace = 0;
        }
    }
}

#define CALLER __builtin_return_address(0)
void *malloc(size_t size) { count(CALLER); return __libc_malloc(size); }
void *calloc(size_t count_, size_t size) { count(CALLER); return __libc_calloc(count_, size); }
void *realloc(void *pointer, size_t size) { count(CALLER); return __libc_realloc(pointer, size); }
void free(void *pointer) { __libc_free(pointer); }
void *memalign(size_t alignment, size_t size) { count(CALLER); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(CALLER); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    count(CALLER);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return 12;  // ENOMEM
    *out = pointer;
    return 0;
}

unsigned long cadence_mallocs_total(void) { return atomic_load_explicit(&total, memory_order_relaxed); }
unsigned long cadence_mallocs_this_thread(void) { return mine; }

struct search { uintptr_t symbol, start, end; };

static int find_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct search *search = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || !(segment->p_flags & PF_X)) continue;
        uintptr_t start = info->dlpi_addr + segment->p_vaddr, end = start + segment->p_memsz;
        if (search->symbol >= start && search->symbol < end) {
            search->start = start;
            search->end = end;
            return 1;
        }
    }
    return 0;
}

int cadence_mallocs_attribute_libav(void) {
    void *symbol = dlsym(RTLD_DEFAULT, "av_malloc");
    if (symbol == NULL) return 0;
    struct search search = {(uintptr_t)symbol, 0, 0};
    if (!dl_iterate_phdr(find_object, &search)) return 0;
    atomic_store(&libav_end, search.end);
    atomic_store(&libav_start, search.start);
    return 1;
}

unsigned long cadence_mallocs_libav(void) { return atomic_load_explicit(&libav_total, memory_order_relaxed); }

void cadence_mallocs_trace(int on) {
    void *warm[2];
    if (on) backtrace(warm, 2);  // its first call loads libgcc, which allocates
    atomic_store(&tracing, on);
}

void cadence_mallocs_print_trace(void) {
    int count_ = atomic_load(&traced);
    if (count_ > TRACE_SLOTS) count_ = TRACE_SLOTS;
    for (int slot = 0; slot < count_; slot++) {
        for (int depth = 0; depth < TRACE_DEPTH; depth++) {
            Dl_info info;
            const void *at = trace[slot][depth];
            if (!at) break;
            if (at && dladdr(at, &info) && info.dli_fname)
                fprintf(stderr, "%s+0x%lx ", info.dli_fname, (unsigned long)((const char *)at - (const char *)info.dli_fbase));
        }
        fprintf(stderr, "\n");
    }
}
