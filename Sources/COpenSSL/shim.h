#ifndef CADENCE_COPENSSL_SHIM_H
#define CADENCE_COPENSSL_SHIM_H
// Only libcrypto's EVP AEAD interface: DAVE's real-time AES-GCM (see GCMSealer).
#include <openssl/evp.h>
#endif
