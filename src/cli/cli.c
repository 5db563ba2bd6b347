/* cli.c - option helpers shared by the commands. */
#include "cli/cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "ecoact: %s needs a value\n", name);
        exit(2);
    }
    return argv[++*i];
}

bool cli_flag(const char *arg, const char *name)
{
    return strcmp(arg, name) == 0;
}

bool cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
    return false;
}

void cli_common_parse(int *argc, char **argv, struct cli_common *c)
{
    c->db_url = getenv("ECOACT_DB");
    c->key_file = getenv("ECOACT_DATA_KEY");
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *v;
        if ((v = cli_opt(*argc, argv, &i, "--db")))
            c->db_url = v;
        else if ((v = cli_opt(*argc, argv, &i, "--data-key")))
            c->key_file = v;
        else
            argv[out++] = argv[i];
    }
    *argc = out;
    argv[out] = NULL;
    if (!c->db_url || !*c->db_url) c->db_url = "sqlite:./ecoact.db";
    if (!c->key_file || !*c->key_file) c->key_file = "./ecoact.key";
}

struct store *cli_open_db(const struct cli_common *c)
{
    struct store *db = NULL;
    char why[512];
    if (store_open(c->db_url, &db, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact: %s\n", why);
        return NULL;
    }
    return db;
}

bool cli_load_keys(const struct cli_common *c, struct keys *k)
{
    char why[512];
    if (keys_load(c->key_file, k, why, sizeof why) != OK) {
        fprintf(stderr, "ecoact: %s (run 'ecoact init' first, or pass --data-key FILE)\n", why);
        return false;
    }
    return true;
}

char *cli_read_secret_file(const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "ecoact: cannot read %s\n", path);
        return NULL;
    }
    char buf[512];
    char *line = fgets(buf, sizeof buf, f);
    if (f != stdin) fclose(f);
    if (!line) {
        fprintf(stderr, "ecoact: %s is empty\n", path);
        return NULL;
    }
    buf[strcspn(buf, "\r\n")] = '\0';
    return strdup(buf);
}
