// libebur128 (MIT): EBU R128 / ITU-R BS.1770-4 loudness, true peak.
#ifndef CADENCE_CEBUR128_SHIM_H
#define CADENCE_CEBUR128_SHIM_H

#include <ebur128.h>

#endif
