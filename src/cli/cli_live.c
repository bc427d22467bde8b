/**
 * @file cli_live.c
 * @brief The options of a live collection shared by collect, audit and
 * check: progress (--progress, --quiet) and timeouts (--connect-timeout,
 * --timeout).
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"

/* "500ms", "2s", "2", "1.5": milliseconds; a bare number is seconds. */
static int
parse_duration_ms(const char *s, unsigned *ms)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v <= 0)
        return -1;
    if (!strcmp(end, "ms"))
        v /= 1000;
    else if (*end && strcmp(end, "s"))
        return -1;
    if (v * 1000 < 1 || v * 1000 > 86400000.0)
        return -1;
    *ms = (unsigned)(v * 1000 + 0.5);
    return 0;
}

int
cli_live_opt(int c, const char *arg, struct audit_opts *o, const char *usage)
{
    switch (c) {
    case OPT_QUIET:
        o->progress = PROGRESS_NEVER;
        return 1;
    case OPT_PROGRESS:
        if ((o->progress = progress_parse_mode(arg)) == -2)
            return cli_bad_usage(usage, "--progress takes auto, always or never"), -1;
        return 1;
    case OPT_CONNECT_TIMEOUT:
    case OPT_TIMEOUT:
        if (parse_duration_ms(arg, c == OPT_TIMEOUT ? &o->timeout_ms : &o->connect_timeout_ms))
            return cli_bad_usage(usage, c == OPT_TIMEOUT ? "--timeout takes a duration: 30, 30s, 500ms"
                    : "--connect-timeout takes a duration: 5, 5s, 500ms"), -1;
        return 1;
    default:
        return 0;
    }
}
