/**
 * @file main.c
 * @brief The eraudit command line: one verb per cmd_*.c; this file only picks it.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "bound.h"
#include "cleanup.h"

#ifdef ERAUDIT_JEMALLOC
/*
 * jemalloc reads this before its first allocation (CMakeLists.txt says why
 * it is linked). The tree is millions of small nodes that live until the
 * run ends: huge pages take one fault per 2 MB instead of one per 4 KB.
 * MALLOC_CONF in the environment still overrides it.
 */
const char *malloc_conf = "thp:always,metadata_thp:auto";
#endif

static const char usage_main[] =
    "usage: eraudit [--version] [--help] VERB [options]\n"
    "\n"
    "Audit a network's readiness for Power Platform over Azure ExpressRoute.\n"
    "\n"
    "verbs:\n"
    "  audit             collect (or read a snapshot), run the rules, report\n"
    "  check             pre-change: the findings candidate configs would add or remove\n"
    "  collect           collect raw data from the devices (or some of them) into a snapshot\n"
    "  snapshot merge    join the partial snapshots of regional pollers into one\n"
    "  rules             list the rules: id, severity, checklist section, title\n"
    "  history           list the runs a history (audit --history) recorded\n"
    "  inventory check   validate an inventory and print it normalized\n"
    "  inventory import  draft an inventory from NetBox, Ansible or Oxidized\n"
    "\n"
    "exit codes: 0 nothing at or above fail-on, 1 findings at or above it,\n"
    "            2 bad input or usage, or an output that cannot be written,\n"
    "            3 devices not collected (nothing worse),\n"
    "            128+N interrupted by signal N (nothing half-written is left)\n"
    "Run 'eraudit VERB --help' for a verb's options.\n";


int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } verbs[] = {{"audit", cmd_audit}, {"check", cmd_check}, {"collect", cmd_collect}, {"rules", cmd_rules},
        {"history", cmd_history}, {"inventory", cmd_inventory}, {"snapshot", cmd_snapshot}};
    struct er_err err;
    size_t i;

    /* Before any thread starts: an interruption removes half-written snapshots. */
    cleanup_on_signals();
    if (bound_init(&err)) {
        fprintf(stderr, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    if (argc < 2)
        return cli_bad_usage(usage_main, NULL);
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("eraudit %s\n", ER_VERSION);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        fputs(usage_main, stdout);
        return EXIT_OK;
    }
    for (i = 0; i < sizeof verbs / sizeof *verbs; i++) {
        if (!strcmp(argv[1], verbs[i].name))
            return verbs[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "eraudit: unknown verb '%s'\n", argv[1]);
    return cli_bad_usage(usage_main, NULL);
}
