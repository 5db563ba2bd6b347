/* err.h - the one error enum of ecoact and its mapping to HTTP statuses and stable codes.
 * Every function that can fail returns enum err; OK is 0. The HTTP layer turns an err into
 * a status and an envelope through err_http_status() and err_code(); nowhere else. */
#ifndef ECOACT_ERR_H
#define ECOACT_ERR_H

enum err {
    OK = 0,
    ERR_BAD_REQUEST,  /* 400 malformed: not JSON, wrong type, unknown field */
    ERR_UNAUTHORIZED, /* 401 no or bad credentials */
    ERR_FORBIDDEN,    /* 403 role or unit does not allow it */
    ERR_NOT_FOUND,    /* 404 */
    ERR_METHOD,       /* 405 */
    ERR_CONFLICT,     /* 409 duplicate, idempotency key reused, state does not allow */
    ERR_TOO_LARGE,    /* 413 */
    ERR_MEDIA_TYPE,   /* 415 */
    ERR_RULE,         /* 422 well-formed but breaks a rule */
    ERR_LOCKED,       /* 423 account locked */
    ERR_RATE,         /* 429 */
    ERR_INTERNAL,     /* 500 a bug */
    ERR_UNAVAILABLE,  /* 503 storage failed or busy */
    ERR_PW_CHANGE,    /* 403 password must be changed first */
    ERR__COUNT
};

/* What went wrong, for the person who must fix it: the error, the field at fault ("" for the
 * request as a whole) and a Chinese message. The one problem type of every area: a service fills
 * it with problem_set() and returns p->err; a route answers it with req_fail_problem(). A
 * problem left empty (err OK, no message) means "a storage error": the route answers the
 * connection's error (503, or 500 for a bug). */
struct problem {
    enum err err;
    char field[128];
    char msg[512];
};
/* Fills p (the message formatted, cut on a character boundary) and returns e. */
enum err problem_set(struct problem *p, enum err e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int err_http_status(enum err e);
/* Stable machine code, e.g. "bad_request". */
const char *err_code(enum err e);
/* Default Chinese message for when the caller has no better one. */
const char *err_message(enum err e);

#endif
