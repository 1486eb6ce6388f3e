// Counts every heap allocation of the benchmark process, so `make bench` can show how many
// the audio path makes per frame. Linked into the executable, these definitions take the
// place of libc's for every library (the executable's symbols come first in ELF lookup);
// each one counts and calls glibc's own allocator. The per-thread count lives in the
// executable's static TLS, which needs no allocation to reach.
#include <stddef.h>
#include <stdatomic.h>
#include "CMallocCount.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

static _Atomic unsigned long total;
static __thread unsigned long mine;

static inline void count(void) {
    atomic_fetch_add_explicit(&total, 1, memory_order_relaxed);
    mine++;
}

void *malloc(size_t size) { count(); return __libc_malloc(size); }
void *calloc(size_t count_, size_t size) { count(); return __libc_calloc(count_, size); }
void *realloc(void *pointer, size_t size) { count(); return __libc_realloc(pointer, size); }
void free(void *pointer) { __libc_free(pointer); }
void *memalign(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    count();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return 12;  // ENOMEM
    *out = pointer;
    return 0;
}

unsigned long cadence_mallocs_total(void) { return atomic_load_explicit(&total, memory_order_relaxed); }
unsigned long cadence_mallocs_this_thread(void) { return mine; }
