/**
 * @file cmd_inventory.c
 * @brief `eraudit inventory check`: validate an inventory and print it normalized.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"

static const char usage_inventory[] =
    "usage: eraudit inventory check [-i] FILE\n"
    "\n"
    "Validate an inventory and print it normalized. Secrets are references\n"
    "(environment variable, file, ssh-agent); they are never read or printed.\n"
    "\n"
    "  -i, --inventory FILE   the inventory (or FILE alone)\n"
    "  -h, --help             this help\n";


static int
audit_inventory_check(const char *inventory, FILE *out, FILE *errout)
{
    struct inventory *inv = NULL;
    struct refdata *ref = NULL;
    struct er_err err = {0};

    if (inv_load(inventory, &inv, &err) || refdata_load(inv->reference_data, &ref, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        inv_free(inv);
        return EXIT_BADINPUT;
    }
    inv_print(out, inv);
    refdata_free(ref);
    inv_free(inv);
    return EXIT_OK;
}

int
cmd_inventory(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inventory", required_argument, NULL, 'i'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *inv = NULL;
    int c;

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_inventory, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BADINPUT : EXIT_OK;
    }
    if (strcmp(argv[1], "check"))
        return cli_bad_usage(usage_inventory, "the inventory verb has one action: check");
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': inv = optarg; break;
        case 'h': fputs(usage_inventory, stdout); return EXIT_OK;
        default: return cli_bad_usage(usage_inventory, NULL);
        }
    }
    if (!inv && optind < argc)
        inv = argv[optind++];
    if (!inv || optind < argc)
        return cli_bad_usage(usage_inventory, "give one inventory file");
    return audit_inventory_check(inv, stdout, stderr);
}
