/* filetype.h - the files ecoact takes and hands out, shared by every area that stores files
 * (ledger evidence, notice evidence, meeting attachments) and by the HTTP upload helper
 * (http/upload.h): safe file names, the allow-listed media types with their Chinese labels,
 * sniffing what the content really is, and the RFC 5987 form of a name for Content-Disposition.
 * Pure functions. */
#ifndef ECOACT_FILETYPE_H
#define ECOACT_FILETYPE_H
#include <stdbool.h>
#include <stddef.h>

/* The longest file name, in characters. */
#define FILETYPE_NAME_MAX 120

/* 1..FILETYPE_NAME_MAX characters of valid UTF-8, no / \ or control characters (C0, DEL, C1),
 * no bidirectional controls, not "." or "..". */
bool filetype_name_valid(const char *name);
/* The allow-listed media type of a Content-Type header (parameters dropped, lowercased), or
 * NULL when the type is not allowed. */
const char *filetype_allowed(const char *content_type);
/* What the first bytes say the file is (one of filetype_allowed's results), or NULL when they
 * match none. Office files (zip) are told apart by their parts (word/ or xl/). Text is UTF-8
 * without NUL or other control characters except tab, CR, LF and form feed. */
const char *filetype_sniff(const void *data, size_t len);
/* Chinese name of a media type for messages ("PDF 文档"). */
const char *filetype_label(const char *type);

/* RFC 5987 percent-encoding of a UTF-8 file name into out (attr-char kept, the rest %XX);
 * when it does not fit in outlen, the name is shortened at a character boundary keeping its
 * extension. Returns out. */
char *filetype_rfc5987(const char *name, char *out, size_t outlen);

#endif
