/* test_base.c - unit tests of the arena, JSON body validation, crypto helpers, the error table
 * and the storage layer on an in-memory SQLite database. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>
#include "base/arena.h"
#include "base/crypto.h"
#include "base/err.h"
#include "base/jv.h"
#include "store/store.h"

Test(arena, allocates_zeroed_aligned_memory_across_blocks)
{
    struct arena *a = arena_new(256);
    char *first = arena_alloc(a, 10);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(first[i], 0);
    for (int i = 0; i < 100; i++) {
        void *p = arena_alloc(a, 24);
        cr_assert_eq((uintptr_t)p % _Alignof(max_align_t), 0);
    }
    char *big = arena_alloc(a, 10000); /* larger than a block: its own */
    memset(big, 'x', 10000);
    cr_assert_str_eq(arena_printf(a, "%s-%d", "渝中", 103), "渝中-103");
    cr_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
    cr_assert_null(arena_strdup(a, NULL));
    cr_assert_geq(arena_used(a), 10000u + 2400u);
    arena_free(a);
    arena_free(NULL);
}

Test(jv, parses_and_reads_typed_fields)
{
    struct jv v;
    const char *body = "{\"name\":\"万州\",\"n\":7,\"ok\":true,\"tags\":[\"a\",\"b\"]}";
    json_t *j = jv_parse(&v, body, strlen(body), 8);
    cr_assert_not_null(j);
    static const char *const allowed[] = {"name", "n", "ok", "tags", NULL};
    cr_assert(jv_begin(&v, j, allowed));
    cr_assert_str_eq(jv_str(&v, "name", true, 64), "万州");
    cr_assert_eq(jv_int(&v, "n", true, 0, 10, -1), 7);
    cr_assert(jv_bool(&v, "ok", false, false));
    cr_assert_eq(json_array_size(jv_str_array(&v, "tags", false, 5, 8)), 2);
    cr_assert_eq(jv_int(&v, "absent", false, 0, 10, 3), 3);
    cr_assert(jv_ok(&v));
    json_decref(j);
}

Test(jv, names_the_field_at_fault)
{
    struct jv v;
    const char *body = "{\"name\":\"x\",\"extra\":1}";
    json_t *j = jv_parse(&v, body, strlen(body), 8);
    static const char *const allowed[] = {"name", NULL};
    cr_assert_not(jv_begin(&v, j, allowed));
    cr_assert_eq(v.err, ERR_BAD_REQUEST);
    cr_assert_str_eq(v.field, "extra");
    json_decref(j);

    body = "{\"n\":\"seven\",\"m\":99}";
    j = jv_parse(&v, body, strlen(body), 8);
    static const char *const nm[] = {"n", "m", NULL};
    jv_begin(&v, j, nm);
    jv_int(&v, "n", true, 0, 10, 0);
    jv_int(&v, "m", true, 0, 10, 0); /* second problem: the first one is kept */
    cr_assert_eq(v.err, ERR_BAD_REQUEST);
    cr_assert_str_eq(v.field, "n");
    json_decref(j);

    body = "{\"m\":99}";
    j = jv_parse(&v, body, strlen(body), 8);
    jv_begin(&v, j, nm);
    jv_int(&v, "m", true, 0, 10, 0);
    cr_assert_eq(v.err, ERR_RULE);
    json_decref(j);
}

Test(jv, refuses_bad_json_deep_nesting_and_duplicate_keys)
{
    struct jv v;
    cr_assert_null(jv_parse(&v, "{\"a\":", 5, 8));
    cr_assert_eq(v.err, ERR_BAD_REQUEST);
    const char *deep = "{\"a\":[[[[[[[[[[1]]]]]]]]]]}";
    cr_assert_null(jv_parse(&v, deep, strlen(deep), 8));
    cr_assert_not_null(strstr(v.msg, "嵌套"));
    const char *strings = "{\"a\":\"[[[[[[[[[[[[\"}"; /* brackets inside strings do not count */
    json_t *j = jv_parse(&v, strings, strlen(strings), 4);
    cr_assert_not_null(j);
    json_decref(j);
    const char *dup = "{\"a\":1,\"a\":2}";
    cr_assert_null(jv_parse(&v, dup, strlen(dup), 8));
    cr_assert_null(jv_parse(&v, "", 0, 8));
}

Test(crypto, seals_and_opens_personal_data_bound_to_its_field)
{
    cr_assert_eq(crypto_init(), OK);
    char path[] = "/tmp/ecoact-key-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    bool created;
    cr_assert_eq(keys_create_if_absent(path, &created), OK);
    cr_assert(created);
    cr_assert_eq(keys_create_if_absent(path, &created), OK);
    cr_assert_not(created);
    struct keys k;
    char why[256];
    cr_assert_eq(keys_load(path, &k, why, sizeof why), OK);
    unsigned char *sealed;
    size_t n;
    cr_assert_eq(pii_seal(&k, "phone", "13800138000", &sealed, &n), OK);
    cr_assert_null(memmem(sealed, n, "13800138000", 11));
    char *clear = NULL;
    cr_assert_eq(pii_open(&k, "phone", sealed, n, &clear), OK);
    cr_assert_str_eq(clear, "13800138000");
    free(clear);
    cr_assert_neq(pii_open(&k, "resident_id", sealed, n, &clear), OK,
                  "another field's data does not open");
    sealed[n - 1] ^= 1;
    cr_assert_neq(pii_open(&k, "phone", sealed, n, &clear), OK, "altered data does not open");
    free(sealed);
    char h1[CRYPTO_HASH_HEX], h2[CRYPTO_HASH_HEX];
    pii_lookup_hash(&k, "phone", "13800138000", h1);
    pii_lookup_hash(&k, "phone", "13800138000", h2);
    cr_assert_str_eq(h1, h2);
    pii_lookup_hash(&k, "resident_id", "13800138000", h2);
    cr_assert_str_neq(h1, h2);
    chmod(path, 0644);
    cr_assert_neq(keys_load(path, &k, why, sizeof why), OK, "a key readable by others is refused");
    cr_assert_not_null(strstr(why, "chmod 600"));
    unlink(path);
}

Test(crypto, passwords_and_tokens)
{
    cr_assert_eq(crypto_init(), OK);
    char h[256];
    cr_assert_eq(pw_hash("Correct-Horse-9", h, sizeof h), OK);
    cr_assert_eq(strncmp(h, "$argon2id$", 10), 0);
    cr_assert(pw_verify(h, "Correct-Horse-9"));
    cr_assert_not(pw_verify(h, "correct-horse-9"));
    char t1[CRYPTO_TOKEN_CHARS], t2[CRYPTO_TOKEN_CHARS];
    token_new(t1);
    token_new(t2);
    cr_assert_eq(strlen(t1), 43);
    cr_assert_str_neq(t1, t2);
    cr_assert(crypto_eq("abc", "abc"));
    cr_assert_not(crypto_eq("abc", "abd"));
    cr_assert_not(crypto_eq("abc", "abcd"));
}

Test(err, every_error_has_a_status_code_and_message)
{
    cr_assert_eq(err_http_status(ERR_RULE), 422);
    cr_assert_eq(err_http_status(ERR_UNAVAILABLE), 503);
    cr_assert_eq(err_http_status(ERR_LOCKED), 423);
    for (int e = 0; e < ERR__COUNT; e++) {
        cr_assert_not_null(err_code((enum err)e));
        cr_assert_gt(strlen(err_message((enum err)e)), 0);
        cr_assert_geq(err_http_status((enum err)e), 200);
    }
}

Test(store, sqlite_binds_reads_and_maps_errors)
{
    struct store *db;
    char why[256];
    cr_assert_eq(store_open("sqlite::memory:", &db, why, sizeof why), OK, "%s", why);
    cr_assert_eq(store_exec_script(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                                       "b BLOB, parent INTEGER)"),
                 OK);
    cr_assert_eq(store_begin(db), OK);
    struct store_stmt *q =
        store_q(db, "INSERT INTO t(name, b, parent) VALUES (?, ?, ?) RETURNING id", "tbI", "渝中区",
                "\x00\x01\x02", (size_t)3, 0LL);
    cr_assert(store_row(q));
    long long id = store_int(q, 0);
    store_done(q);
    cr_assert_eq(store_commit(db), OK);
    q = store_q(db, "SELECT name, b, parent FROM t WHERE id = ?", "i", id);
    cr_assert(store_row(q));
    cr_assert_str_eq(store_text(q, 0), "渝中区");
    size_t n;
    const unsigned char *b = store_blob(q, 1, &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(b[2], 2);
    cr_assert(store_null(q, 2), "I with 0 binds NULL");
    store_done(q);
    cr_assert_eq(store_do(db, "INSERT INTO t(name) VALUES (?)", "t", "渝中区"), ERR_CONFLICT);
    store_clear_err(db);
    cr_assert_eq(store_do(db, "SELECT nothing FROM nowhere", ""), ERR_INTERNAL);
    store_clear_err(db);
    /* a nested query with the same text gets its own statement */
    struct store_stmt *outer = store_q(db, "SELECT id FROM t", "");
    cr_assert(store_row(outer));
    struct store_stmt *inner = store_q(db, "SELECT id FROM t", "");
    cr_assert(store_row(inner));
    store_done(inner);
    store_done(outer);
    cr_assert_eq(store_err(db), OK);
    store_close(db);
}

#include "base/jw.h"

Test(jw, writes_commas_nesting_and_escapes)
{
    struct jw w;
    jw_init(&w);
    jw_obj(&w);
    jw_kstr(&w, "name", "渝中区 \"中心\"\n\\");
    jw_kint(&w, "n", -9223372036854775807LL - 1);
    jw_kid(&w, "parent", 0);
    jw_key(&w, "list");
    jw_arr(&w);
    jw_int(&w, 1);
    jw_bool(&w, true);
    jw_str(&w, NULL);
    jw_obj(&w);
    jw_obj_end(&w);
    jw_str(&w, "\x01");
    jw_arr_end(&w);
    jw_obj_end(&w);
    size_t len;
    char *s = jw_take(&w, &len);
    cr_assert_str_eq(
        s, "{\"name\":\"渝中区 \\\"中心\\\"\\n\\\\\",\"n\":-9223372036854775808,\"parent\":null,"
           "\"list\":[1,true,null,{},\"\\u0001\"]}");
    cr_assert_eq(len, strlen(s));
    json_t *back = json_loads(s, 0, NULL);
    cr_assert_not_null(back, "the text is valid JSON");
    json_decref(back);
    free(s);
}

Test(jw, refuses_nesting_beyond_its_limit)
{
    struct jw w;
    jw_init(&w);
    for (int i = 0; i < 40; i++)
        jw_arr(&w);
    cr_assert(w.failed);
    cr_assert_null(jw_take(&w, NULL));
}
