/* static.h - serves the built console and portal (web/dist): MIME types, ETag, long caching
 * for hashed assets, index.html for console routes and m/index.html for the portal's (/m/…),
 * precompressed name.gz, no path traversal. */
#ifndef ECOACT_STATIC_H
#define ECOACT_STATIC_H
#include <event2/http.h>

/* Answers the request; returns the status sent. */
int static_serve(struct evhttp_request *ev, const char *web_dir, const char *path);

#endif
