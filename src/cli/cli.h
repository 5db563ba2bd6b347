/* cli.h - shared pieces of the operator commands: option parsing, opening the database and the
 * data key with errors that say what to do. Each command lives in its own cli/cmd_*.c. */
#ifndef ECOACT_CLI_H
#define ECOACT_CLI_H
#include <stdbool.h>
#include <jansson.h>
#include "base/crypto.h"
#include "store/store.h"

struct cli_common {
    const char *db_url;   /* --db, else $ECOACT_DB, else sqlite:./ecoact.db */
    const char *key_file; /* --data-key, else $ECOACT_DATA_KEY, else ./ecoact.key */
};

/* Reads --db and --data-key out of argv (removing them); fills defaults from the environment. */
void cli_common_parse(int *argc, char **argv, struct cli_common *c);
/* Value of "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i. NULL if not this option. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);
bool cli_flag(const char *arg, const char *name);
bool cli_wants_help(int argc, char **argv);
/* Opens the database; prints why and returns NULL on failure. */
struct store *cli_open_db(const struct cli_common *c);
/* Loads the key; prints why and returns false on failure. */
bool cli_load_keys(const struct cli_common *c, struct keys *k);
/* Reads a secret from a file (first line, without the newline) into a malloc'd string. */
char *cli_read_secret_file(const char *path);

/* The push webhook's configuration (cmd_outbox.c): url and secret_file (NULL: from
 * $ECOACT_WEBHOOK_URL, $ECOACT_WEBHOOK_SECRET_FILE) and the $ECOACT_WEBHOOK_* tuning. False when
 * no URL is configured, or (saying why) when the secret is missing; free with cli_webhook_free. */
struct webhook_opts;
bool cli_webhook_config(const char *url, const char *secret_file, struct webhook_opts *o);
void cli_webhook_free(struct webhook_opts *o);

/* What /me adds for the console from every area: {"policy": {grace_days, default_plan},
 * "labels": the words it shows} (console_labels.c); the caller owns it. */
json_t *console_json(void);
/* The human name of another area's audit log object (a notice's or a report's title) in a, or
 * NULL (server_opts.audit_name; audit_objects.c). */
struct arena;
const char *audit_object_name(struct store *db, struct arena *a, const char *kind, long long id,
                              const char *key);

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_qr(int argc, char **argv);
int cmd_outbox(int argc, char **argv);

#endif
