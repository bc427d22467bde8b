/**
 * @file cli_live.c
 * @brief The options of a live collection shared by collect, audit and
 * check: progress (--progress, --quiet) and timeouts (--connect-timeout,
 * --timeout).
 */
#include "cli.h"

#include "duration.h"
#include "progress.h"

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
        if (dur_parse_ms(arg, c == OPT_TIMEOUT ? &o->timeout_ms : &o->connect_timeout_ms))
            return cli_bad_usage(usage, c == OPT_TIMEOUT ? "--timeout takes a duration: 30, 30s, 500ms"
                    : "--connect-timeout takes a duration: 5, 5s, 500ms"), -1;
        return 1;
    default:
        return 0;
    }
}
