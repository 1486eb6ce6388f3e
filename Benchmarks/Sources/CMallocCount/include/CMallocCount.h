#ifndef CMALLOCCOUNT_H
#define CMALLOCCOUNT_H

/// Heap allocations (malloc, calloc, realloc, memalign, aligned_alloc, posix_memalign) the
/// whole process has made since it started.
unsigned long cadence_mallocs_total(void);

/// The same, made by the calling thread only.
unsigned long cadence_mallocs_this_thread(void);

#endif
