/**
 * @file datadir.c
 * @brief Where eraudit finds the data it ships (see datadir.h).
 */
#include "datadir.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef ER_BIN_TO_DATADIR
#define ER_BIN_TO_DATADIR "../share/eraudit"
#endif
#ifndef ER_INSTALL_DATADIR
#define ER_INSTALL_DATADIR "/usr/local/share/eraudit"
#endif

static const struct {
    const char *env, *sub;
} kinds[] = {
    [ER_DATA_YANG] = {"ERAUDIT_YANG_DIR", "yang"},
    [ER_DATA_REF] = {"ERAUDIT_DATA_DIR", "data"},
};

static char found[sizeof kinds / sizeof *kinds][PATH_MAX];
static pthread_once_t found_once = PTHREAD_ONCE_INIT;

static int
is_dir(const char *path)
{
    struct stat st;

    return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/* DIR/SUB next to the binary when it exists, else under the install prefix. */
static void
find_dirs(void)
{
    char exe[PATH_MAX], try[PATH_MAX], *slash = NULL;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t i;

    if (n > 0) {
        exe[n] = '\0';
        slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
    }
    for (i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        snprintf(found[i], sizeof found[i], "%s/%s", ER_INSTALL_DATADIR, kinds[i].sub);
        if (n <= 0 || !slash)
            continue;
        if ((size_t)snprintf(try, sizeof try, "%s/%s/%s", exe, ER_BIN_TO_DATADIR, kinds[i].sub) >= sizeof try)
            continue;
        /* realpath: messages name /usr/share/eraudit/yang, not /usr/bin/../share/... */
        if (is_dir(try) && !realpath(try, found[i]))
            snprintf(found[i], sizeof found[i], "%s", try);
    }
}

const char *
er_data_dir(enum er_data_kind kind)
{
    const char *env = getenv(kinds[kind].env);

    if (env && *env)
        return env;
    pthread_once(&found_once, find_dirs);
    return found[kind];
}
