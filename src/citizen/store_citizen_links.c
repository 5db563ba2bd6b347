/* store_citizen_links.c - the SQL of what hangs off a public account (see citizen_store.h):
 * its sessions, its consents and its guardian links (tables citizen_sessions, citizen_consents,
 * citizen_guardians of migration 0008_citizen.sql), each keyed by the account first. */
#include "citizen/citizen_store.h"
#include "store/counters.h"
#include <stdio.h>
#include <string.h>

/* ---- sessions ---- */

enum err citizen_store_session_insert(struct store *db, long long id, const char *hash,
                                      long long now)
{
    return store_do(db,
                    "INSERT INTO citizen_sessions(citizen_id, token_hash, created_at, last_seen,"
                    " expires_at) VALUES (?,?,?,?,?)",
                    "itiii", id, hash, now, now, now + CITIZEN_SESSION_MAX);
}

enum err citizen_store_session_find(struct store *db, long long id, const char *hash,
                                    long long *last_seen, long long *expires, bool *found)
{
    struct store_stmt *q = store_q(db,
                                   "SELECT s.last_seen, s.expires_at FROM citizen_sessions s"
                                   " JOIN citizens c ON c.id = s.citizen_id"
                                   " WHERE s.citizen_id = ? AND s.token_hash = ?"
                                   " AND c.status = 'active'",
                                   "it", id, hash);
    *found = store_row(q);
    if (*found) {
        *last_seen = store_int(q, 0);
        *expires = store_int(q, 1);
    }
    store_done(q);
    return store_err(db);
}

enum err citizen_store_session_touch(struct store *db, long long id, const char *hash,
                                     long long now)
{
    return store_do(db,
                    "UPDATE citizen_sessions SET last_seen = ? WHERE citizen_id = ? AND"
                    " token_hash = ?",
                    "iit", now, id, hash);
}

enum err citizen_store_session_delete(struct store *db, long long id, const char *hash)
{
    return store_do(db, "DELETE FROM citizen_sessions WHERE citizen_id = ? AND token_hash = ?",
                    "it", id, hash);
}

enum err citizen_store_sessions_end(struct store *db, long long id)
{
    return store_do(db, "DELETE FROM citizen_sessions WHERE citizen_id = ?", "i", id);
}

/* ---- consents ---- */

enum err citizen_store_consent_add(struct store *db, long long id, const char *kind,
                                   const char *version, long long by, long long now)
{
    long long no;
    enum err e = counter_next(db, "citizen_consents", id, &no);
    if (e != OK) return e;
    return store_do(
        db,
        "INSERT INTO citizen_consents(citizen_id, id, kind, version, given_at, given_by)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        "iittii", id, no, kind, version, now, by);
}

enum err citizen_store_consent_withdraw(struct store *db, long long id, const char *kind,
                                        long long now, long long *n)
{
    enum err e = store_do(db,
                          "UPDATE citizen_consents SET withdrawn_at = ? WHERE citizen_id = ?"
                          " AND kind = ? AND withdrawn_at IS NULL",
                          "iit", now, id, kind);
    *n = e == OK ? store_changes(db) : 0;
    return e;
}

json_t *citizen_store_consents_json(struct store *db, long long id)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(db,
                                   "SELECT kind, version, given_at, given_by, withdrawn_at FROM"
                                   " citizen_consents WHERE citizen_id = ? ORDER BY id",
                                   "i", id);
    while (store_row(q)) {
        json_t *o =
            json_pack("{s:s,s:s,s:I,s:b}", "kind", store_text(q, 0), "version", store_text(q, 1),
                      "given_at", store_int(q, 2), "by_guardian", store_int(q, 3) != id);
        json_object_set_new(o, "withdrawn_at",
                            store_null(q, 4) ? json_null() : json_integer(store_int(q, 4)));
        json_array_append_new(a, o);
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err citizen_store_consents_delete(struct store *db, long long id)
{
    return store_do(db, "DELETE FROM citizen_consents WHERE citizen_id = ?", "i", id);
}

/* ---- guardians ---- */

enum err citizen_store_guardian_request(struct store *db, long long child, long long guardian,
                                        long long now)
{
    return store_do(db,
                    "INSERT INTO citizen_guardians(child_id, guardian_id, status, requested_at)"
                    " VALUES (?,?,'pending',?) ON CONFLICT (child_id, guardian_id) DO UPDATE"
                    " SET status = 'pending', requested_at = ?, decided_at = NULL",
                    "iiii", child, guardian, now, now);
}

enum err citizen_store_guardian_status(struct store *db, long long child, long long guardian,
                                       char status[12])
{
    status[0] = '\0';
    struct store_stmt *q =
        store_q(db, "SELECT status FROM citizen_guardians WHERE child_id = ? AND guardian_id = ?",
                "ii", child, guardian);
    if (store_row(q)) snprintf(status, 12, "%s", store_text(q, 0));
    store_done(q);
    return store_err(db);
}

enum err citizen_store_guardian_decide(struct store *db, long long child, long long guardian,
                                       bool approve, long long now, bool *done)
{
    /* only a pending request: of two decisions at once, the second changes nothing */
    enum err e =
        store_do(db,
                 "UPDATE citizen_guardians SET status = ?, decided_at = ? WHERE child_id = ?"
                 " AND guardian_id = ? AND status = 'pending'",
                 "tiii", approve ? "approved" : "refused", now, child, guardian);
    *done = e == OK && store_changes(db) == 1;
    return e;
}

json_t *citizen_store_guardians_json(struct store *db, long long id, bool as_guardian)
{
    json_t *a = json_array();
    struct store_stmt *q = store_q(
        db,
        as_guardian
            ? "SELECT g.child_id, g.status, g.requested_at, c.name_mask, c.phone_mask FROM"
              " citizen_guardians g JOIN citizens c ON c.id = g.child_id WHERE g.guardian_id = ?"
              " ORDER BY g.child_id"
            : "SELECT g.guardian_id, g.status, g.requested_at, c.name_mask, c.phone_mask FROM"
              " citizen_guardians g JOIN citizens c ON c.id = g.guardian_id WHERE g.child_id = ?"
              " ORDER BY g.guardian_id",
        "i", id);
    while (store_row(q)) {
        const char *nm = store_text(q, 3), *ph = store_text(q, 4);
        json_array_append_new(a, json_pack("{s:I,s:s,s:I,s:s,s:s}", "id", store_int(q, 0), "status",
                                           store_text(q, 1), "requested_at", store_int(q, 2),
                                           "name", nm ? nm : "", "phone", ph ? ph : ""));
    }
    store_done(q);
    if (store_err(db)) {
        json_decref(a);
        return NULL;
    }
    return a;
}

enum err citizen_store_guardians_delete(struct store *db, long long id)
{
    return store_do(db, "DELETE FROM citizen_guardians WHERE child_id = ? OR guardian_id = ?", "ii",
                    id, id);
}
