#ifndef CONVERGE_CZLIB_SHIM_H
#define CONVERGE_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2 and inflateInit2 are macros, which Swift cannot call: functions around them. */
static inline int converge_deflate_init_gzip(z_streamp s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
static inline int converge_inflate_init_gzip(z_streamp s) { return inflateInit2(s, 15 + 32); }
#endif
