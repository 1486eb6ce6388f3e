// opus_encoder_ctl is variadic, which Swift cannot call; these wrap the requests Cadence uses.
#ifndef CADENCE_COPUS_SHIM_H
#define CADENCE_COPUS_SHIM_H

#include <opus/opus.h>

static inline int cadence_opus_set_bitrate(OpusEncoder *enc, opus_int32 bps) {
    return opus_encoder_ctl(enc, OPUS_SET_BITRATE(bps));
}
static inline int cadence_opus_set_vbr(OpusEncoder *enc, opus_int32 on) {
    return opus_encoder_ctl(enc, OPUS_SET_VBR(on));
}
static inline int cadence_opus_set_complexity(OpusEncoder *enc, opus_int32 complexity) {
    return opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity));
}
static inline int cadence_opus_set_signal_music(OpusEncoder *enc) {
    return opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_MUSIC));
}
static inline int cadence_opus_reset_encoder(OpusEncoder *enc) {
    return opus_encoder_ctl(enc, OPUS_RESET_STATE);
}
static inline int cadence_opus_reset_decoder(OpusDecoder *dec) {
    return opus_decoder_ctl(dec, OPUS_RESET_STATE);
}

#endif
