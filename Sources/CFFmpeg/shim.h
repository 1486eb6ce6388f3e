// What Swift cannot import from libav* directly: function-like macros and
// stack-buffer helpers. Everything else is used through the real headers.
#ifndef CADENCE_CFFMPEG_SHIM_H
#define CADENCE_CFFMPEG_SHIM_H

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswresample/swresample.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/opt.h>
#include <libavutil/samplefmt.h>

static inline int cadence_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int cadence_averror_eof(void) { return AVERROR_EOF; }
static inline int cadence_averror_exit(void) { return AVERROR_EXIT; }
static inline int cadence_averror(int posix_errno) { return AVERROR(posix_errno); }
static inline int cadence_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
static inline int cadence_averror_http_not_found(void) { return AVERROR_HTTP_NOT_FOUND; }
static inline int cadence_averror_http_forbidden(void) { return AVERROR_HTTP_FORBIDDEN; }
static inline int cadence_averror_http_other_4xx(void) { return AVERROR_HTTP_OTHER_4XX; }
static inline int cadence_averror_http_server_error(void) { return AVERROR_HTTP_SERVER_ERROR; }
static inline int cadence_averror_stream_not_found(void) { return AVERROR_STREAM_NOT_FOUND; }
static inline int cadence_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int64_t cadence_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline AVRational cadence_av_time_base_q(void) { return AV_TIME_BASE_Q; }

/// Copies libav's message for `errnum` into `buf` (at least AV_ERROR_MAX_STRING_SIZE bytes).
static inline void cadence_av_err2str(int errnum, char *buf, size_t size) {
    av_strerror(errnum, buf, size);
}

/// Default layout for a channel count; returns 0 on success.
static inline int cadence_default_layout(AVChannelLayout *layout, int channels) {
    av_channel_layout_default(layout, channels);
    return 0;
}

/// The stereo layout used for Cadence's 48 kHz output.
static inline AVChannelLayout cadence_stereo_layout(void) {
    AVChannelLayout layout = AV_CHANNEL_LAYOUT_STEREO;
    return layout;
}

#endif
