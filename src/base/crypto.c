/* crypto.c - libsodium wrappers; see crypto.h. */
#include "base/crypto.h"
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PW_OPSLIMIT 2ULL
#define PW_MEMLIMIT (19ULL * 1024 * 1024)

enum err crypto_init(void)
{
    return sodium_init() < 0 ? ERR_INTERNAL : OK;
}

enum err keys_create_if_absent(const char *path, bool *created)
{
    *created = false;
    if (access(path, F_OK) == 0) return OK;
    unsigned char key[CRYPTO_KEY_BYTES];
    char hex[2 * CRYPTO_KEY_BYTES + 2];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    sodium_memzero(key, sizeof key);
    size_t n = strlen(hex);
    hex[n++] = '\n';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) return ERR_INTERNAL;
    bool ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
    sodium_memzero(hex, sizeof hex);
    if (close(fd) != 0) ok = false;
    if (!ok) {
        unlink(path);
        return ERR_INTERNAL;
    }
    *created = true;
    return OK;
}

enum err keys_load(const char *path, struct keys *out, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(why, whylen, "cannot open data key file %s: %s", path, strerror(errno));
        return ERR_INTERNAL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077)) {
        close(fd);
        snprintf(why, whylen,
                 "data key file %s must not be readable by group or others (chmod 600)", path);
        return ERR_INTERNAL;
    }
    char hex[128];
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    if (n < 0) n = 0;
    hex[n] = '\0';
    unsigned char master[CRYPTO_KEY_BYTES];
    size_t len = 0;
    if (sodium_hex2bin(master, sizeof master, hex, (size_t)n, " \r\n", &len, NULL) != 0 ||
        len != sizeof master) {
        sodium_memzero(hex, sizeof hex);
        snprintf(why, whylen, "data key file %s does not hold 64 hex digits", path);
        return ERR_INTERNAL;
    }
    sodium_memzero(hex, sizeof hex);
    crypto_kdf_derive_from_key(out->pii, sizeof out->pii, 1, "ecoactpi", master);
    crypto_kdf_derive_from_key(out->lookup, sizeof out->lookup, 2, "ecoactlk", master);
    crypto_kdf_derive_from_key(out->audit, sizeof out->audit, 3, "ecoactau", master);
    unsigned char seed[crypto_sign_SEEDBYTES];
    crypto_kdf_derive_from_key(seed, sizeof seed, 4, "ecoactqr", master);
    crypto_sign_seed_keypair(out->qr_pk, out->qr_sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(master, sizeof master);
    return OK;
}

enum err pii_seal(const struct keys *k, const char *field, const char *text, unsigned char **out,
                  size_t *outlen)
{
    size_t tl = strlen(text);
    size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    size_t total = nb + tl + crypto_aead_xchacha20poly1305_ietf_ABYTES;
    unsigned char *buf = malloc(total);
    if (!buf) return ERR_INTERNAL;
    randombytes_buf(buf, nb);
    unsigned long long cl = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(buf + nb, &cl, (const unsigned char *)text, tl,
                                               (const unsigned char *)field, strlen(field), NULL,
                                               buf, k->pii);
    *out = buf;
    *outlen = nb + (size_t)cl;
    return OK;
}

enum err pii_open(const struct keys *k, const char *field, const unsigned char *in, size_t inlen,
                  char **text)
{
    size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    size_t ab = crypto_aead_xchacha20poly1305_ietf_ABYTES;
    if (inlen < nb + ab) return ERR_INTERNAL;
    char *p = malloc(inlen - nb - ab + 1);
    if (!p) return ERR_INTERNAL;
    unsigned long long ml = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)p, &ml, NULL, in + nb,
                                                   inlen - nb, (const unsigned char *)field,
                                                   strlen(field), in, k->pii) != 0) {
        free(p);
        return ERR_INTERNAL;
    }
    p[ml] = '\0';
    *text = p;
    return OK;
}

static void to_hex(const unsigned char *h, char out[CRYPTO_HASH_HEX])
{
    sodium_bin2hex(out, CRYPTO_HASH_HEX, h, 32);
}

void pii_lookup_hash(const struct keys *k, const char *field, const char *text,
                     char out[CRYPTO_HASH_HEX])
{
    crypto_generichash_state st;
    unsigned char h[32];
    crypto_generichash_init(&st, k->lookup, sizeof k->lookup, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)field, strlen(field) + 1);
    crypto_generichash_update(&st, (const unsigned char *)text, strlen(text));
    crypto_generichash_final(&st, h, sizeof h);
    to_hex(h, out);
}

enum err pw_hash(const char *password, char *out, size_t outlen)
{
    if (outlen < crypto_pwhash_STRBYTES) return ERR_INTERNAL;
    if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return ERR_INTERNAL;
    return OK;
}

bool pw_verify(const char *stored, const char *password)
{
    return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

const char *pw_dummy_hash(void)
{
    /* Computed once; verifying against it costs what a real verification costs, so an unknown
     * username takes as long as a wrong password. */
    static char dummy[crypto_pwhash_STRBYTES];
    static int done;
    if (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
        char tmp[crypto_pwhash_STRBYTES];
        if (pw_hash("ecoact-dummy-password", tmp, sizeof tmp) == OK) {
            memcpy(dummy, tmp, sizeof dummy);
            __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
        }
    }
    return dummy;
}

void token_new(char out[CRYPTO_TOKEN_CHARS])
{
    unsigned char r[32];
    randombytes_buf(r, sizeof r);
    sodium_bin2base64(out, CRYPTO_TOKEN_CHARS, r, sizeof r,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(r, sizeof r);
}

void hash_hex(const void *data, size_t len, char out[CRYPTO_HASH_HEX])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    to_hex(h, out);
}

void token_hash(const char *token, char out[CRYPTO_HASH_HEX])
{
    hash_hex(token, strlen(token), out);
}

void audit_mac(const struct keys *k, const void *data, size_t len, char out[CRYPTO_HASH_HEX])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, data, len, k->audit, sizeof k->audit);
    to_hex(h, out);
}

void crypto_random_hex(char *out, size_t bytes)
{
    unsigned char r[64];
    if (bytes > sizeof r) bytes = sizeof r;
    randombytes_buf(r, bytes);
    sodium_bin2hex(out, 2 * bytes + 1, r, bytes);
}

bool crypto_eq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb) return false;
    return sodium_memcmp(a, b, la) == 0;
}
