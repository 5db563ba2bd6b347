/* store_citizen.c - the SQL of public accounts (see citizen_store.h): one-time codes, the
 * values unique across accounts and the accounts, over the tables of migration
 * 0008_citizen.sql. Sessions, consents and guardian links are in store_citizen_links.c,
 * organisations in store_citizen_org.c. */
#include "citizen/citizen_store.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one-time codes ---- */

enum err citizen_store_otp_counts(struct store *db, const char *phone_hash, const char *ip,
                                  long long now, struct otp_counts *c)
{
    memset(c, 0, sizeof *c);
    struct store_stmt *q = store_q(db,
                                   "SELECT COUNT(*), COALESCE(MIN(created_at), 0), "
                                   "COALESCE(MAX(created_at), 0) FROM citizen_otps"
                                   " WHERE phone_hash = ? AND created_at > ?",
                                   "ti", phone_hash, now - 3600);
    if (store_row(q)) {
        c->phone_hour = store_int(q, 0);
        c->oldest_phone = store_int(q, 1);
        c->last_sent = store_int(q, 2);
    }
    store_done(q);
    q = store_q(db,
                "SELECT COUNT(*), COALESCE(MIN(created_at), 0) FROM citizen_otps"
                " WHERE ip = ? AND created_at > ?",
                "ti", ip, now - 3600);
    if (store_row(q)) {
        c->ip_hour = store_int(q, 0);
        c->oldest_ip = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err citizen_store_otp_insert(struct store *db, const char *phone_hash, const char *purpose,
                                  const char *code_hash, const char *ip, long long now)
{
    return store_do(db,
                    "INSERT INTO citizen_otps(phone_hash, purpose, code_hash, ip, created_at,"
                    " expires_at) VALUES (?,?,?,?,?,?)",
                    "ttttii", phone_hash, purpose, code_hash, ip, now, now + CITIZEN_OTP_TTL);
}

enum err citizen_store_otp_latest(struct store *db, const char *phone_hash, const char *purpose,
                                  long long *id, char code_hash[CRYPTO_HASH_HEX],
                                  struct otp_state *s)
{
    *id = 0;
    memset(s, 0, sizeof *s);
    code_hash[0] = '\0';
    struct store_stmt *q = store_q(db,
                                   "SELECT id, code_hash, expires_at, COALESCE(used_at, 0), tries"
                                   " FROM citizen_otps WHERE phone_hash = ? AND purpose = ?"
                                   " ORDER BY id DESC LIMIT 1",
                                   "tt", phone_hash, purpose);
    if (store_row(q)) {
        *id = store_int(q, 0);
        snprintf(code_hash, CRYPTO_HASH_HEX, "%s", store_text(q, 1));
        s->exists = true;
        s->expires_at = store_int(q, 2);
        s->used_at = store_int(q, 3);
        s->tries = (int)store_int(q, 4);
    }
    store_done(q);
    return store_err(db);
}

enum err citizen_store_otp_wrong(struct store *db, long long id)
{
    return store_do(db, "UPDATE citizen_otps SET tries = tries + 1 WHERE id = ?", "i", id);
}

enum err citizen_store_otp_use(struct store *db, long long id, long long now, bool *won)
{
    enum err e = store_do(
        db, "UPDATE citizen_otps SET used_at = ? WHERE id = ? AND used_at IS NULL", "ii", now, id);
    *won = e == OK && store_changes(db) == 1;
    return e;
}

/* ---- unique values ---- */

enum err citizen_store_unique_claim(struct store *db, const char *kind, const char *key,
                                    long long owner_id, long long now, long long *owner)
{
    enum err e = store_do(db,
                          "INSERT INTO citizen_unique(kind, key_hash, owner_id, created_at)"
                          " VALUES (?,?,?,?) ON CONFLICT (kind, key_hash) DO NOTHING",
                          "ttii", kind, key, owner_id, now);
    if (e != OK) return e;
    return citizen_store_unique_owner(db, kind, key, owner);
}

enum err citizen_store_unique_owner(struct store *db, const char *kind, const char *key,
                                    long long *owner)
{
    *owner = 0;
    struct store_stmt *q = store_q(
        db, "SELECT owner_id FROM citizen_unique WHERE kind = ? AND key_hash = ?", "tt", kind, key);
    if (store_row(q)) *owner = store_int(q, 0);
    store_done(q);
    return store_err(db);
}

enum err citizen_store_unique_release(struct store *db, const char *kind, long long owner_id)
{
    return store_do(db, "DELETE FROM citizen_unique WHERE owner_id = ? AND kind = ?", "it",
                    owner_id, kind);
}

/* ---- accounts ---- */

enum err citizen_store_insert(struct store *db, const struct sealed *phone, const char *mask,
                              const char *pw_hash, long long now, long long *id)
{
    struct store_stmt *q =
        store_q(db,
                "INSERT INTO citizens(phone_seal, phone_mask, pw_hash, created_at,"
                " updated_at) VALUES (?,?,?,?,?) RETURNING id",
                "bttii", phone->b, phone->n, mask, pw_hash, now, now);
    *id = store_row(q) ? store_int(q, 0) : 0;
    store_done(q);
    return store_err(db);
}

static void copy_sealed(struct store_stmt *q, int col, struct sealed *s)
{
    s->b = NULL;
    s->n = 0;
    if (store_null(q, col)) return;
    size_t n;
    const void *b = store_blob(q, col, &n);
    if (!b || !n) return;
    s->b = malloc(n);
    if (!s->b) abort();
    memcpy(s->b, b, n);
    s->n = n;
}

static void copy_text(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%s", s ? s : "");
}

enum err citizen_store_get(struct store *db, long long id, struct citizen_row *row, bool *found)
{
    memset(row, 0, sizeof *row);
    struct store_stmt *q = store_q(
        db,
        "SELECT id, status, phone_seal, phone_mask, pw_hash, failures, locked_until, nickname,"
        " name_seal, name_mask, id_seal, id_mask, birth_date, realname, COALESCE(realname_at, 0),"
        " created_at, updated_at FROM citizens WHERE id = ?",
        "i", id);
    *found = store_row(q);
    if (*found) {
        row->id = store_int(q, 0);
        copy_text(row->status, sizeof row->status, store_text(q, 1));
        copy_sealed(q, 2, &row->phone);
        copy_text(row->phone_mask, sizeof row->phone_mask, store_text(q, 3));
        copy_text(row->pw_hash, sizeof row->pw_hash, store_text(q, 4));
        row->failures = store_int(q, 5);
        row->locked_until = store_int(q, 6);
        copy_text(row->nickname, sizeof row->nickname, store_text(q, 7));
        copy_sealed(q, 8, &row->name);
        copy_text(row->name_mask, sizeof row->name_mask, store_text(q, 9));
        copy_sealed(q, 10, &row->idno);
        copy_text(row->id_mask, sizeof row->id_mask, store_text(q, 11));
        copy_text(row->birth_date, sizeof row->birth_date, store_text(q, 12));
        copy_text(row->realname, sizeof row->realname, store_text(q, 13));
        row->realname_at = store_int(q, 14);
        row->created_at = store_int(q, 15);
        row->updated_at = store_int(q, 16);
    }
    store_done(q);
    return store_err(db);
}

static void sealed_free(struct sealed *s)
{
    if (s->b) sodium_memzero(s->b, s->n);
    free(s->b);
    s->b = NULL;
    s->n = 0;
}

void citizen_row_free(struct citizen_row *row)
{
    if (!row) return;
    sealed_free(&row->phone);
    sealed_free(&row->name);
    sealed_free(&row->idno);
    sodium_memzero(row->pw_hash, sizeof row->pw_hash);
}

enum err citizen_store_failures(struct store *db, long long id, long long failures,
                                long long locked_until, long long now)
{
    return store_do(
        db, "UPDATE citizens SET failures = ?, locked_until = ?, updated_at = ? WHERE id = ?",
        "iiii", failures, locked_until, now, id);
}

enum err citizen_store_set_password(struct store *db, long long id, const char *pw_hash,
                                    long long now)
{
    return store_do(
        db,
        "UPDATE citizens SET pw_hash = ?, failures = 0, locked_until = 0, updated_at = ?"
        " WHERE id = ? AND status = 'active'",
        "tii", pw_hash, now, id);
}

enum err citizen_store_set_phone(struct store *db, long long id, const struct sealed *phone,
                                 const char *mask, long long now)
{
    return store_do(
        db, "UPDATE citizens SET phone_seal = ?, phone_mask = ?, updated_at = ? WHERE id = ?",
        "btii", phone->b, phone->n, mask, now, id);
}

enum err citizen_store_set_realname(struct store *db, long long id, const struct sealed *name,
                                    const char *name_mask, const struct sealed *idno,
                                    const char *id_mask, const char *birth, const char *status,
                                    long long now, bool *done)
{
    /* only over no real name: of two verifications of one account at once, one wins */
    enum err e =
        store_do(db,
                 "UPDATE citizens SET name_seal = ?, name_mask = ?, id_seal = ?, id_mask = ?,"
                 " birth_date = ?, realname = ?, realname_at = ?, updated_at = ?"
                 " WHERE id = ? AND birth_date IS NULL",
                 "btbtttiii", name->b, name->n, name_mask, idno->b, idno->n, id_mask, birth, status,
                 now, now, id);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

enum err citizen_store_set_status(struct store *db, long long id, const char *realname,
                                  long long now)
{
    if (strcmp(realname, "none") == 0)
        return store_do(db,
                        "UPDATE citizens SET realname = 'none', name_seal = NULL, name_mask = NULL,"
                        " id_seal = NULL, id_mask = NULL, birth_date = NULL, realname_at = NULL,"
                        " updated_at = ? WHERE id = ?",
                        "ii", now, id);
    return store_do(
        db, "UPDATE citizens SET realname = ?, realname_at = ?, updated_at = ? WHERE id = ?",
        "tiii", realname, now, now, id);
}

enum err citizen_store_set_names(struct store *db, long long id, const char *nickname,
                                 const struct sealed *name, const char *name_mask, long long now)
{
    enum err e = OK;
    if (nickname)
        e = store_do(db, "UPDATE citizens SET nickname = ?, updated_at = ? WHERE id = ?", "tii",
                     nickname, now, id);
    if (e == OK && name)
        e = store_do(
            db, "UPDATE citizens SET name_seal = ?, name_mask = ?, updated_at = ? WHERE id = ?",
            "btii", name->b, name->n, name_mask, now, id);
    return e;
}

enum err citizen_store_anonymise(struct store *db, long long id, long long now)
{
    enum err e = store_do(db,
                          "UPDATE citizens SET status = 'deleted', phone_seal = NULL,"
                          " phone_mask = NULL, pw_hash = NULL, nickname = NULL, name_seal = NULL,"
                          " name_mask = NULL, id_seal = NULL, id_mask = NULL, birth_date = NULL,"
                          " realname = 'none', realname_at = NULL, failures = 0, locked_until = 0,"
                          " updated_at = ?, deleted_at = ? WHERE id = ?",
                          "iii", now, now, id);
    if (e == OK)
        e = store_do(db, "DELETE FROM citizen_unique WHERE owner_id = ? AND kind <> 'uscc'", "i",
                     id);
    return e;
}
