/* embedded.h - files compiled into the binary by tools/embed.c: migrations per backend and the
 * data the CLI loads (units, plans). Each array ends with {NULL, NULL}. */
#ifndef ECOACT_EMBEDDED_H
#define ECOACT_EMBEDDED_H

struct embedded_file {
    const char *name;
    const char *text;
};

extern const struct embedded_file embedded_migrations_sqlite[];
extern const struct embedded_file embedded_migrations_pg[];
extern const struct embedded_file embedded_data[];

/* The embedded file with this name, or NULL. */
const char *embedded_find(const struct embedded_file *files, const char *name);

#endif
