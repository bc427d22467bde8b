/**
 * @file fuzz_tmp.c
 * @brief A per-process temporary directory for the harnesses whose reader
 * takes a path: inputs are written there and nowhere else.
 */
#define _GNU_SOURCE 1
#include "fuzz.h"

#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>

static char dir[4096];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void
rm_dir(void)
{
    if (dir[0])
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_tmpdir(void)
{
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");

        snprintf(dir, sizeof dir, "%s/eraudit-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(rm_dir);
    }
    return dir;
}

const char *
fuzz_write(const char *rel, const uint8_t *data, size_t len)
{
    static char path[4096 + 256];
    char *p;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir(), rel);
    for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        if (mkdir(path, 0700) && errno != EEXIST)
            abort();
        *p = '/';
    }
    if (!(f = fopen(path, "wb")) || (len && fwrite(data, 1, len, f) != len) || fclose(f)) {
        perror(path);
        abort();
    }
    return path;
}
