/**
 * @file cmd_history.c
 * @brief `eraudit history`: the runs a history recorded, or one run's failing findings.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

static const char usage_history[] =
    "usage: eraudit history FILE [--last N] [--run ID]\n"
    "\n"
    "List the runs the history FILE recorded (eraudit audit --history FILE), newest\n"
    "first: when, exit code, failing findings, new and fixed since the run before,\n"
    "devices and snapshot. --run ID lists one run's failing findings.\n"
    "\n"
    "  -n, --last N   only the N newest runs\n"
    "  -r, --run ID   the failing findings of run ID\n"
    "  -h, --help     this help\n";


static int
audit_history(const char *path, size_t last, long run_id, FILE *out, FILE *errout)
{
    return history_print(path, last, run_id, out, errout);
}

int
cmd_history(int argc, char **argv)
{
    static const struct option opts[] = {
        {"last", required_argument, NULL, 'n'}, {"run", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    long last = 0, run = 0;
    char *end;
    int c;

    while ((c = getopt_long(argc, argv, "n:r:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
        case 'r': {
            long v = strtol(optarg, &end, 10);

            if (*end || v < 1)
                return cli_bad_usage(usage_history, c == 'n' ? "--last takes a positive number" :
                        "--run takes a run number (eraudit history FILE lists them)");
            *(c == 'n' ? &last : &run) = v;
            break;
        }
        case 'h': fputs(usage_history, stdout); return EXIT_OK;
        default: return cli_bad_usage(usage_history, NULL);
        }
    }
    if (optind + 1 != argc)
        return cli_bad_usage(usage_history, "give one history file");
    return audit_history(argv[optind], (size_t)last, run, stdout, stderr);
}
