/* document.c - an official document as the answer: rendered by base/gbdoc.c, copied into the
 * request's arena, sent as HTML (printable) or as a PDF attachment (see document.h). */
#include "http/document.h"
#include "base/arena.h"
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

enum err req_reply_gbdoc(struct req *r, const struct gbdoc *d, bool pdf, const char *name)
{
    void *data = NULL;
    size_t len = 0;
    char *html = NULL;
    bool ok = pdf ? gbdoc_pdf(d, &data, &len) : gbdoc_html(d, &html, &len);
    if (!ok) return req_fail(r, ERR_INTERNAL, NULL, "文档生成失败");
    void *copy = arena_alloc(r->a, len ? len : 1);
    memcpy(copy, pdf ? data : html, len);
    free(data);
    free(html);
    struct evkeyvalq *h = evhttp_request_get_output_headers(r->ev);
    evhttp_add_header(h, "X-Document-State", d->draft ? "draft" : "issued");
    if (!pdf) return reply_raw(r, 200, "text/html; charset=utf-8", copy, len, NULL);
    /* the raw name: the answer's Content-Disposition encodes it (RFC 5987, server.c) */
    return reply_raw(r, 200, "application/pdf", copy, len, arena_strdup(r->a, name));
}
