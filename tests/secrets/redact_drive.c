/**
 * @file redact_drive.c
 * @brief Redact saved NETCONF replies in place, as collection would have
 * (redact_xml()), for the golden-report check of tests/secrets/golden.
 * Usage: redact_drive FILE...   Prints "N FILE" per file (values redacted).
 */
#include <stdio.h>
#include <stdlib.h>

#include "redact.h"

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

int
main(int argc, char **argv)
{
    int bad = 0;

    for (int i = 1; i < argc; i++) {
        size_t len = 0, out_len, n = 0;
        char *buf = slurp(argv[i], &len), *out = NULL;
        struct er_err err = {0};
        FILE *f;

        if (!buf) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            bad = 1;
            continue;
        }
        if (redact_xml(buf, len, &out, &out_len, &n, &err)) {
            fprintf(stderr, "%s: %s\n", argv[i], err.msg);
            bad = 1;
        } else if (out && (!(f = fopen(argv[i], "wb")) || fwrite(out, 1, out_len, f) != out_len || fclose(f))) {
            fprintf(stderr, "%s: cannot write\n", argv[i]);
            bad = 1;
        }
        printf("%zu %s\n", n, argv[i]);
        free(buf);
        free(out);
    }
    return bad ? 2 : 0;
}
