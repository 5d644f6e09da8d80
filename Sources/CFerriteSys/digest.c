// Password digests through OpenSSL's libcrypto (Debian's libssl-dev).
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include "CFerriteSys.h"

void ferrite_sha256(const void *data, size_t count, unsigned char digest[32]) {
    unsigned int length = 32;
    EVP_Digest(data, count, digest, &length, EVP_sha256(), NULL);
}

int ferrite_constant_time_equal(const void *a, const void *b, size_t count) {
    return CRYPTO_memcmp(a, b, count) == 0;
}
