/* crypto.h - everything ecoact does with libsodium: the data key file and its subkeys,
 * personal-data encryption (XChaCha20-Poly1305) with keyed lookup hashes, Argon2id passwords,
 * random tokens and their hashes, the audit chain MAC, and the Ed25519 key pair that signs QR
 * codes (its seed derived from the data key like the other subkeys). */
#ifndef ECOACT_CRYPTO_H
#define ECOACT_CRYPTO_H
#include <stdbool.h>
#include <stddef.h>
#include "base/err.h"

#define CRYPTO_KEY_BYTES 32
#define CRYPTO_HASH_HEX 65    /* 32-byte hash as hex + NUL */
#define CRYPTO_TOKEN_CHARS 44 /* 32 random bytes, base64url without padding, + NUL */

/* Subkeys derived from the one data key. The master key never leaves keys_load(). */
struct keys {
    unsigned char pii[CRYPTO_KEY_BYTES];    /* AEAD for personal data */
    unsigned char lookup[CRYPTO_KEY_BYTES]; /* keyed hash for uniqueness and lookup */
    unsigned char audit[CRYPTO_KEY_BYTES];  /* MAC of the audit chain */
    unsigned char qr_sk[64];                /* Ed25519 signing key of QR codes (qr/qr.h) */
    unsigned char qr_pk[32];                /* and its public key */
};

enum err crypto_init(void);
/* Creates the key file (mode 0600) when absent; *created tells which happened. */
enum err keys_create_if_absent(const char *path, bool *created);
enum err keys_load(const char *path, struct keys *out, char *why, size_t whylen);

/* Encrypts text under the pii key; out gets nonce||ciphertext, malloc'd (caller frees).
 * `field` is bound as associated data so a ciphertext cannot be moved to another field. */
enum err pii_seal(const struct keys *k, const char *field, const char *text, unsigned char **out,
                  size_t *outlen);
/* Decrypts into a malloc'd NUL-terminated string (caller frees). */
enum err pii_open(const struct keys *k, const char *field, const unsigned char *in, size_t inlen,
                  char **text);
/* Keyed hash of a field's value, as hex. */
void pii_lookup_hash(const struct keys *k, const char *field, const char *text,
                     char out[CRYPTO_HASH_HEX]);

/* Argon2id with OWASP's recommended cost (t=2, m=19 MiB). out must hold crypto_pwhash_STRBYTES. */
enum err pw_hash(const char *password, char *out, size_t outlen);
bool pw_verify(const char *stored, const char *password);
/* A string of 44 bytes for comparing against a hash in constant time when the user is unknown. */
const char *pw_dummy_hash(void);

/* 256-bit random token, base64url; and its stored hash (hex). */
void token_new(char out[CRYPTO_TOKEN_CHARS]);
void token_hash(const char *token, char out[CRYPTO_HASH_HEX]);
/* Plain (unkeyed) hash of bytes as hex: content addressing of files and request bodies. */
void hash_hex(const void *data, size_t len, char out[CRYPTO_HASH_HEX]);
/* Keyed MAC for the audit chain. */
void audit_mac(const struct keys *k, const void *data, size_t len, char out[CRYPTO_HASH_HEX]);
void crypto_random_hex(char *out, size_t bytes); /* out holds 2*bytes+1 */
bool crypto_eq(const char *a, const char *b);    /* constant-time string comparison */

#endif
