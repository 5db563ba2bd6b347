/* api_sys.c - health, readiness, metrics and the public meta document the console reads
 * before login (product name, demo banner). */
#include "http/route.h"
#include "http/server.h"
#include <stdlib.h>
#include <string.h>

static enum err healthz(struct req *r)
{
    return reply_raw(r, 200, "text/plain; charset=utf-8", "ok\n", 3, NULL);
}

static enum err readyz(struct req *r)
{
    if (store_ping(r->db) != OK) return req_fail(r, ERR_UNAVAILABLE, NULL, "数据库不可用");
    return reply_json(r, 200, json_pack("{s:s}", "status", "ready"));
}

static enum err metrics(struct req *r)
{
    char *text = metrics_render(&r->app->metrics);
    if (!text) return ERR_INTERNAL;
    char *copy = arena_strdup(r->a, text);
    free(text);
    return reply_raw(r, 200, "text/plain; version=0.0.4", copy, strlen(copy), NULL);
}

static enum err meta(struct req *r)
{
    return reply_json(r, 200,
                      json_pack("{s:s,s:s,s:b}", "product", "ecoact", "title",
                                "美丽中国，我是行动者 · 生态文明宣传教育工作平台", "demo",
                                r->app->demo));
}

const struct route sys_routes[] = {
    {M_GET, "/healthz", PERM_PUBLIC, BODY_NONE, NULL, healthz, 0},
    {M_GET, "/readyz", PERM_PUBLIC, BODY_NONE, NULL, readyz, 0},
    {M_GET, "/metrics", PERM_PUBLIC, BODY_NONE, NULL, metrics, 0},
    {M_GET, "/api/v1/meta", PERM_PUBLIC, BODY_NONE, NULL, meta, 0},
    {0},
};
