/**
 * @file cmd_snapshot.c
 * @brief `eraudit snapshot merge`: join the partial snapshots of regional pollers.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "snapshot_merge.h"

static const char usage_snapshot[] =
    "usage: eraudit snapshot merge SNAPSHOT... -o DIR [--force]\n"
    "\n"
    "Join partial snapshots of one inventory (eraudit collect --shard, --site, ...,\n"
    "run by regional pollers) into the snapshot DIR, written atomically, for\n"
    "'eraudit audit --snapshot DIR'. Snapshots of different inventories (their\n"
    "inventory.yaml differs) are refused with exit 2. A device collected by\n"
    "several pollers is taken from the newest snapshot (the others are named on\n"
    "stderr); a device of the inventory nobody collected is recorded as failed,\n"
    "\"not collected by any poller\". Every data file of the snapshots is carried.\n"
    "Exit 3 when devices are not collected, else 0.\n"
    "\n"
    "  -o, --output DIR   the merged snapshot (a new directory, or an earlier snapshot with --force)\n"
    "      --force        replace an earlier snapshot in DIR (never anything else)\n"
    "  -h, --help         this help\n";

int
cmd_snapshot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int c, force = 0;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_snapshot, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : EXIT_OK;
    }
    if (strcmp(argv[1], "merge"))
        return cli_bad_usage(usage_snapshot, "the snapshot verb has one action: merge");
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_FORCE: force = 1; break;
        case 'h': fputs(usage_snapshot, stdout); return EXIT_OK;
        default: return cli_bad_usage(usage_snapshot, NULL);
        }
    }
    if (!out || optind >= argc)
        return cli_bad_usage(usage_snapshot, "snapshot merge needs one or more snapshots and -o DIR");
    return snap_merge_run((const char *const *)argv + optind, (size_t)(argc - optind), out, force, stderr);
}
