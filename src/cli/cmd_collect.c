/**
 * @file cmd_collect.c
 * @brief `eraudit collect`: collect an inventory's devices into a new snapshot.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"

static const char usage_collect[] =
    "usage: eraudit collect -i INVENTORY -o DIR [--force] [-j N] [--accept-new-host-keys] [--sample-interval S]\n"
    "                       [--keep-device-secrets] [--site S] [--role R] [--device PATTERN] [--shard I/N]\n"
    "                       [--progress WHEN] [-q] [--connect-timeout T] [--timeout T]\n"
    "       eraudit collect -i INVENTORY --list [--site S] [--role R] [--device PATTERN] [--shard I/N]\n"
    "\n"
    "Collect raw NETCONF replies and SNMP walks into the snapshot DIR, written\n"
    "atomically. Exit 3 when some devices could not be collected.\n"
    "\n"
    "A poller that reaches part of the network collects a selection: the devices\n"
    "that match every kind given (--site, --role, --device; any value of a kind,\n"
    "each repeatable) and, with --shard I/N, whose name hashes to shard I of N\n"
    "(stable across runs and inventory changes). The partial snapshot records\n"
    "the inventory's digest and the devices it was asked for; 'eraudit snapshot\n"
    "merge' joins the pollers' snapshots. A --site or --role no device has is exit 2.\n"
    "\n"
    "DIR must be a new directory. An existing DIR that is not a snapshot (a\n"
    "directory of yours, a file, a symbolic link) is refused with exit 2 before\n"
    "any device is contacted; an earlier snapshot is replaced only with --force,\n"
    "and only once the new one is complete (links inside it are not followed).\n"
    "\n"
    "  -i, --inventory FILE      inventory (YAML)\n"
    "  -o, --output DIR          the snapshot directory to write\n"
    "      --force               replace an earlier snapshot in DIR (never anything else)\n"
    "  -j, --jobs N              NETCONF devices collected at once\n"
    "      --accept-new-host-keys  record unknown SSH host keys (never changed ones)\n"
    "      --sample-interval S   read interface counters twice, S seconds apart (utilization)\n"
    "      --keep-device-secrets store the NETCONF replies with the devices' secrets (the manifest\n"
    "                            says so); default: each secret value is replaced by eraudit:redacted\n"
    "      --site S              only devices of site S (repeatable)\n"
    "      --role R              only devices of role R: er-edge, internet-edge, firewall, wan, proxy\n"
    "                            (repeatable)\n"
    "      --device PATTERN      only devices whose name matches the glob PATTERN (repeatable)\n"
    "      --shard I/N           only shard I (0 to N-1) of N: a Kubernetes completion index, a\n"
    "                            Slurm array task id\n"
    "      --progress WHEN       auto (default: a status line on a terminal, else a line every 10 s),\n"
    "                            always (the status line even without a terminal), never\n"
    "  -q, --quiet               no progress (as --progress never)\n"
    "      --connect-timeout T   NETCONF: TCP connect, SSH key exchange and login (default 10 s);\n"
    "                            T is seconds (5, 1.5s) or milliseconds (500ms)\n"
    "      --timeout T           one request: a NETCONF reply (default 60 s), an SNMP request before\n"
    "                            it is resent (default 2 s); both win over the inventory's\n"
    "      --list                print the selected devices' names and exit (contacts nothing)\n"
    "  -h, --help                this help\n";


int
audit_collect(const struct audit_opts *o, FILE *errout)
{
    struct run_opts ro;
    struct run s;
    struct er_err err = {0};
    size_t i, bad = 0;

    cli_run_opts(o, &ro);
    if (run_open(&ro, &s, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        run_close(&s);
        return EXIT_BADINPUT;
    }
    cli_secrets_warn(&s, errout);
    for (i = 0; i < s.snap->n_devices; i++) {
        const struct snap_device *d = &s.snap->devices[i];

        if (strcmp(d->status, "collected")) {
            bad++;
            fprintf(errout, "eraudit: %s: %s: %s\n", d->name, d->status, d->reason ? d->reason : "no reason given");
        }
    }
    fprintf(errout, "eraudit: snapshot %s: %zu devices, %zu not fully collected\n", s.snapdir, s.snap->n_devices, bad);
    run_close(&s);
    return bad ? EXIT_INCOMPLETE : EXIT_OK;
}

int
cmd_collect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inventory", required_argument, NULL, 'i'}, {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'}, {"accept-new-host-keys", no_argument, NULL, OPT_ACCEPT},
        {"sample-interval", required_argument, NULL, OPT_SAMPLE}, {"force", no_argument, NULL, OPT_FORCE},
        {"keep-device-secrets", no_argument, NULL, OPT_SECRETS}, {"site", required_argument, NULL, OPT_SITE},
        {"role", required_argument, NULL, OPT_ROLE}, {"device", required_argument, NULL, OPT_DEVICE},
        {"shard", required_argument, NULL, OPT_SHARD}, {"list", no_argument, NULL, OPT_LIST},
        CLI_LIVE_OPTIONS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static struct select sel;
    struct audit_opts o = {.select = &sel};
    struct er_err err;
    int c, r, list = 0;

    while ((c = getopt_long(argc, argv, "i:o:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o.inventory = optarg; break;
        case 'o': o.collect_to = optarg; break;
        case 'j': o.jobs = atoi(optarg); break;
        case OPT_ACCEPT: o.accept_new_host_keys = 1; break;
        case OPT_SAMPLE: o.sample_interval_ms = (unsigned)(atof(optarg) * 1000); break;
        case OPT_SECRETS: o.keep_device_secrets = 1; break;
        case OPT_FORCE: o.force = 1; break;
        case OPT_SITE:
        case OPT_ROLE:
        case OPT_DEVICE:
            if (select_add(&sel, c == OPT_SITE ? "site" : c == OPT_ROLE ? "role" : "device", optarg, &err))
                return cli_bad_usage(usage_collect, err.msg);
            break;
        case OPT_SHARD:
            if (select_parse_shard(&sel, optarg, &err))
                return cli_bad_usage(usage_collect, err.msg);
            break;
        case OPT_LIST: list = 1; break;
        case 'q': o.progress = -1; break;
        case 'h': fputs(usage_collect, stdout); return EXIT_OK;
        default:
            if ((r = cli_live_opt(c, optarg, &o, usage_collect)) <= 0)
                return r < 0 ? EXIT_BADINPUT : cli_bad_usage(usage_collect, NULL);
            break;
        }
    }
    if (list && o.inventory && !o.collect_to && optind == argc)
        return select_list(o.inventory, &sel, stdout, stderr);
    if (list)
        return cli_bad_usage(usage_collect, "collect --list needs -i INVENTORY and no -o");
    if (!o.inventory || !o.collect_to || optind < argc)
        return cli_bad_usage(usage_collect, "collect needs -i INVENTORY and -o DIR");
    return audit_collect(&o, stderr);
}
