/* document.h - answering an official document (base/gbdoc.h) as printable HTML or as a PDF
 * attachment: one helper for the dispatch notices, the ledger's reports and the evaluation's
 * scorecards (issue 19 §8). */
#ifndef ECOACT_HTTP_DOCUMENT_H
#define ECOACT_HTTP_DOCUMENT_H
#include <stdbool.h>
#include "base/gbdoc.h"
#include "http/req.h"

/* Renders d (pdf: application/pdf with the Content-Disposition name, else text/html) and
 * answers 200 with it; X-Document-State says "draft" or "issued". name: e.g. "督办单_….pdf". */
enum err req_reply_gbdoc(struct req *r, const struct gbdoc *d, bool pdf, const char *name);

#endif
