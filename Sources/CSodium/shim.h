#ifndef CADENCE_CSODIUM_SHIM_H
#define CADENCE_CSODIUM_SHIM_H
#include <sodium.h>
#endif
