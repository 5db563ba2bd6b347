/* static.c - the web file server: the officials' console and the public portal (/m/), both
 * built by scripts/build-web into web/dist; see static.h. */
#include "http/static.h"
#include "http/compress.h"
#include <event2/http.h>
#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
};

static const char *mime_for(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof *types; i++)
            if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return "application/octet-stream";
}

/* Only plain segments: no "..", no ".", no empty or hidden ones, no backslashes. */
static int safe_path(const char *p)
{
    if (p[0] != '/' || strlen(p) > 512 || strchr(p, '\\')) return 0;
    for (const char *s = p + 1; *s;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 && e) return 0;
        if (n > 0 && s[0] == '.') return 0;
        s += n + (e ? 1 : 0);
    }
    return 1;
}

static int send_plain(struct evhttp_request *ev, int code, const char *reason)
{
    evhttp_add_header(evhttp_request_get_output_headers(ev), "Content-Type",
                      "text/plain; charset=utf-8");
    struct evbuffer *b = evbuffer_new();
    evbuffer_add_printf(b, "%d %s\n", code, reason);
    evhttp_send_reply(ev, code, reason, b);
    evbuffer_free(b);
    return code;
}

/* When the client takes gzip and scripts/build-web left a name.gz no older than the file, swaps
 * *fd and *st for it. */
static bool use_gz(struct evhttp_request *ev, const char *full, int *fd, struct stat *st)
{
    if (!accepts_gzip(evhttp_find_header(evhttp_request_get_input_headers(ev), "Accept-Encoding")))
        return false;
    char path[1100];
    snprintf(path, sizeof path, "%s.gz", full);
    int gfd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat gst;
    if (gfd < 0) return false;
    if (fstat(gfd, &gst) != 0 || !S_ISREG(gst.st_mode) || gst.st_mtime < st->st_mtime) {
        close(gfd);
        return false;
    }
    close(*fd);
    *fd = gfd;
    *st = gst;
    return true;
}

int static_serve(struct evhttp_request *ev, const char *web_dir, const char *path)
{
    if (!web_dir) return send_plain(ev, 404, "Not Found");
    if (!safe_path(path)) return send_plain(ev, 404, "Not Found");
    char full[1024];
    const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
    snprintf(full, sizeof full, "%s%s", web_dir, rel);
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (fd < 0) {
        /* An app route (no file extension in the last segment) gets its app's shell: the
         * portal's under /m, the console's elsewhere. */
        const char *last = strrchr(path, '/');
        if (last && strchr(last, '.')) return send_plain(ev, 404, "Not Found");
        bool portal = strcmp(path, "/m") == 0 || strncmp(path, "/m/", 3) == 0;
        rel = portal ? "/m/index.html" : "/index.html";
        snprintf(full, sizeof full, "%s%s", web_dir, rel);
        fd = open(full, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) != 0) {
            if (fd >= 0) close(fd);
            return send_plain(ev, 404,
                              portal ? "Not Found (the portal is not built: run make web)"
                                     : "Not Found (the console is not built: run make web)");
        }
    }
    struct evkeyvalq *out = evhttp_request_get_output_headers(ev);
    const char *type = mime_for(rel);
    bool gz = compressible_type(type) && use_gz(ev, full, &fd, &st);
    if (compressible_type(type)) evhttp_add_header(out, "Vary", "Accept-Encoding");
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx%s\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime, gz ? "-gz" : "");
    evhttp_add_header(out, "ETag", etag);
    evhttp_add_header(out, "Cache-Control",
                      strncmp(rel, "/assets/", 8) == 0 ? "public, max-age=31536000, immutable"
                                                       : "no-cache");
    const char *inm = evhttp_find_header(evhttp_request_get_input_headers(ev), "If-None-Match");
    if (etag_matches(inm, etag)) {
        close(fd);
        evhttp_send_reply(ev, 304, "Not Modified", NULL);
        return 304;
    }
    if (gz) evhttp_add_header(out, "Content-Encoding", "gzip");
    evhttp_add_header(out, "Content-Type", type);
    struct evbuffer *b = evbuffer_new();
    if (st.st_size > 0)
        evbuffer_add_file(b, fd, 0, st.st_size); /* takes the fd */
    else
        close(fd);
    evhttp_send_reply(ev, 200, "OK", b);
    evbuffer_free(b);
    return 200;
}
