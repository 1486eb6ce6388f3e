#ifndef CMALLOCCOUNT_H
#define CMALLOCCOUNT_H

/// Heap allocations (malloc, calloc, realloc, memalign, aligned_alloc, posix_memalign) the
/// whole process has made since it started.
unsigned long cadence_mallocs_total(void);

/// The same, made by the calling thread only.
unsigned long cadence_mallocs_this_thread(void);

/// Finds libavutil's code in the process, so that from now on the allocations it makes (all of
/// libav's, through av_malloc and av_realloc) are also counted apart. Returns 0 if libav is
/// not loaded.
int cadence_mallocs_attribute_libav(void);

/// Allocations made by libav's allocator since `cadence_mallocs_attribute_libav`, all threads.
unsigned long cadence_mallocs_libav(void);

/// Keeps (1) or stops keeping (0) the callers of allocations outside libav, up to 512 of them.
void cadence_mallocs_trace(int on);

/// Prints the kept callers to standard error, one allocation per line (library+offset).
void cadence_mallocs_print_trace(void);

#endif
