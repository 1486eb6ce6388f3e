// The benchmark's own view of libopus (the main package's COpus is not a product). Only
// what the encoding floor and the FFmpeg-subprocess baseline need.
#ifndef CADENCE_BENCH_OPUS_SHIM_H
#define CADENCE_BENCH_OPUS_SHIM_H
#include <opus/opus.h>
static inline int bench_opus_configure(OpusEncoder *enc, opus_int32 bps, opus_int32 complexity) {
    int r = opus_encoder_ctl(enc, OPUS_SET_BITRATE(bps));
    r |= opus_encoder_ctl(enc, OPUS_SET_VBR(1));
    r |= opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity));
    r |= opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_MUSIC));
    return r;
}
#endif
