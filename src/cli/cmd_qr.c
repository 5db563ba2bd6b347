/* cmd_qr.c - `ecoact qr issue`: issues a signed code as the areas do through qr_issue() (for an
 * operator printing a poster's check-in code, and for the tests), printing its text and writing
 * it as PNG or SVG when asked. Needs only the data key: a code is not stored until redeemed. */
#include "cli/cli.h"
#include "qr/qr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "usage: ecoact qr issue --purpose checkin|booking|voucher|person --subject ID\n"
    "                       [--ttl SECONDS] [--png FILE] [--svg FILE] [--data-key FILE]\n"
    "Prints a signed QR code's text (valid --ttl seconds, default 3600, at most a year) and\n"
    "writes its picture to --png / --svg.\n";

static bool write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static int draw(const char *text, const char *png_path, const char *svg_path)
{
    if (png_path) {
        unsigned char *png;
        size_t len;
        bool ok = qr_png(text, 8, &png, &len) == OK && write_file(png_path, png, len);
        free(png);
        if (!ok) return fprintf(stderr, "ecoact qr: cannot write %s\n", png_path), 1;
    }
    if (svg_path) {
        char *svg;
        size_t len;
        bool ok = qr_svg(text, &svg, &len) == OK && write_file(svg_path, svg, len);
        free(svg);
        if (!ok) return fprintf(stderr, "ecoact qr: cannot write %s\n", svg_path), 1;
    }
    return 0;
}

int cmd_qr(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2 || strcmp(argv[1], "issue") != 0) {
        fputs(help, argc < 2 || cli_wants_help(argc, argv) ? stdout : stderr);
        return cli_wants_help(argc, argv) ? 0 : 2;
    }
    struct cli_common c;
    cli_common_parse(&argc, argv, &c);
    const char *purpose = NULL, *png = NULL, *svg = NULL, *v;
    long long subject = 0, ttl = 3600;
    for (int i = 2; i < argc; i++) {
        if ((v = cli_opt(argc, argv, &i, "--purpose")))
            purpose = v;
        else if ((v = cli_opt(argc, argv, &i, "--subject")))
            subject = atoll(v);
        else if ((v = cli_opt(argc, argv, &i, "--ttl")))
            ttl = atoll(v);
        else if ((v = cli_opt(argc, argv, &i, "--png")))
            png = v;
        else if ((v = cli_opt(argc, argv, &i, "--svg")))
            svg = v;
        else
            return fprintf(stderr, "ecoact qr: unknown option '%s'\n%s", argv[i], help), 2;
    }
    enum qr_purpose p;
    if (!qr_purpose_parse(purpose, &p))
        return fprintf(stderr, "ecoact qr: --purpose checkin|booking|voucher|person\n"), 2;
    if (subject <= 0) return fprintf(stderr, "ecoact qr: --subject wants an id > 0\n"), 2;
    if (ttl < 1 || ttl > QR_TTL_MAX)
        return fprintf(stderr, "ecoact qr: --ttl wants 1..%lld seconds\n", QR_TTL_MAX), 2;
    struct keys k;
    if (!cli_load_keys(&c, &k)) return 1;
    char text[QR_TEXT_MAX];
    if (qr_issue(&k, p, subject, ttl, (long long)time(NULL), text) != OK) return 1;
    printf("%s\n", text);
    return draw(text, png, svg);
}
