// libsoundtouch's own C API (SoundTouchDLL.h, library libSoundTouchDll from Debian's
// libsoundtouch1), so no C++ shim is needed. Debian builds it with float samples.
#ifndef CADENCE_CSOUNDTOUCH_SHIM_H
#define CADENCE_CSOUNDTOUCH_SHIM_H

#include <SoundTouchDLL.h>

#endif
