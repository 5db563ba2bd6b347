/* upload.h - what every area's file upload and download route shares (ledger evidence, notice
 * evidence, meeting topic attachments): the checks of an uploaded body (file name, declared type
 * on the allow-list, not empty, content matching the declared type), the answer after storing,
 * and the download answer as an attachment. An HTTP helper: it knows requests and answers, and
 * takes its rules (names, the allow-list, sniffing) from base/filetype.h; the bytes themselves
 * go through store/files.h. */
#ifndef ECOACT_HTTP_UPLOAD_H
#define ECOACT_HTTP_UPLOAD_H
#include <stdbool.h>
#include "http/req.h"

/* Checks r's body for the file `name`; on success *declared is the allowed content type.
 * Otherwise the request's error is recorded (422 name or empty file, 415 type) and returned. */
enum err upload_check(struct req *r, const char *name, const char **declared);
/* 201 (new name) or 200 (replaced) with {"name","content_type","type_label","size","hash"};
 * also sets the audit detail. */
enum err upload_answer(struct req *r, const char *name, const char *declared, const char *hash,
                       bool created);
/* The stored file as an attachment named `name` (RFC 5987). */
enum err upload_download(struct req *r, const char *name, const char *type, const void *data,
                         size_t len);
/* Allocation callback for files_get() and the areas' readers: the request arena. */
void *upload_arena_alloc(void *arena, size_t n);

#endif
