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
#include "inventory_import.h"

static const char usage_inventory[] =
    "usage: eraudit inventory check [-i] FILE\n"
    "       eraudit inventory import --from netbox|ansible|oxidized FILE [-o OUT] [options]\n"
    "\n"
    "check: validate an inventory and print it normalized. Secrets are references\n"
    "(environment variable, file, ssh-agent); they are never read or printed.\n"
    "import: draft a commented inventory to review from a NetBox devices export\n"
    "(/api/dcim/devices/ JSON), an Ansible YAML inventory or an Oxidized router.db.\n"
    "No credential is read or invented: fill in the auth profile it names.\n"
    "\n"
    "  -i, --inventory FILE   check: the inventory (or FILE alone)\n"
    "      --from FORMAT      import: netbox, ansible or oxidized\n"
    "  -o, --output FILE      import: write the draft here (default: standard output)\n"
    "      --force            import: replace an existing output file\n"
    "      --auth NAME        import: the auth profile to name (default: default)\n"
    "      --map MAP          import oxidized: fields, as source.csv.map (default name=0,model=1)\n"
    "      --delimiter C      import oxidized: the field separator (default :)\n"
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

static int
cmd_inventory_import(int argc, char **argv)
{
    enum { OPT_FROM = 300, OPT_AUTH, OPT_MAP, OPT_DELIM };
    static const struct option opts[] = {
        {"from", required_argument, NULL, OPT_FROM}, {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE}, {"auth", required_argument, NULL, OPT_AUTH},
        {"map", required_argument, NULL, OPT_MAP}, {"delimiter", required_argument, NULL, OPT_DELIM},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"netbox", "ansible", "oxidized"};
    struct imp_opts o = {0};
    const char *out = NULL, *from = NULL;
    struct er_err err = {0};
    int c, force = 0, fmt = -1, i;

    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_FROM: from = optarg; break;
        case 'o': out = optarg; break;
        case OPT_FORCE: force = 1; break;
        case OPT_AUTH: o.auth = optarg; break;
        case OPT_MAP: o.map = optarg; break;
        case OPT_DELIM:
            if (strlen(optarg) != 1 || optarg[0] == '\n')
                return cli_bad_usage(usage_inventory, "--delimiter: expected one character");
            o.delimiter = optarg[0];
            break;
        case 'h': fputs(usage_inventory, stdout); return EXIT_OK;
        default: return cli_bad_usage(usage_inventory, NULL);
        }
    }
    for (i = 0; from && i < 3; i++) {
        if (!strcmp(from, formats[i]))
            fmt = i;
    }
    if (fmt < 0)
        return cli_bad_usage(usage_inventory, "--from: expected netbox, ansible or oxidized");
    if (optind + 1 != argc)
        return cli_bad_usage(usage_inventory, "give one file to import");
    if ((o.map || o.delimiter) && fmt != IMP_OXIDIZED)
        return cli_bad_usage(usage_inventory, "--map and --delimiter are for --from oxidized");
    if (imp_run((enum imp_format)fmt, argv[optind], &o, out, force, stderr, &err)) {
        fprintf(stderr, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
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
    if (!strcmp(argv[1], "import"))
        return cmd_inventory_import(argc - 1, argv + 1);
    if (strcmp(argv[1], "check"))
        return cli_bad_usage(usage_inventory, "the inventory verb has two actions: check and import");
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
