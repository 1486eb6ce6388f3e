// inflateInit/deflateInit are macros passing the library version and struct size, which Swift
// cannot call; these wrap them for the gateway's zlib-stream transport.
#ifndef CADENCE_CZLIB_SHIM_H
#define CADENCE_CZLIB_SHIM_H

#include <zlib.h>

static inline int cadence_inflate_init(z_streamp stream) {
    return inflateInit(stream);
}
static inline int cadence_deflate_init(z_streamp stream, int level) {
    return deflateInit(stream, level);
}

#endif
