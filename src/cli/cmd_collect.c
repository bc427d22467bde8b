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

static const char usage_collect[] =
    "usage: eraudit collect -i INVENTORY -o DIR [--force] [-j N] [--accept-new-host-keys] [--sample-interval S]\n"
    "                       [--keep-device-secrets]\n"
    "\n"
    "Collect raw NETCONF replies and SNMP walks into the snapshot DIR, written\n"
    "atomically. Exit 3 when some devices could not be collected.\n"
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
        {"keep-device-secrets", no_argument, NULL, OPT_SECRETS}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    struct audit_opts o = {0};
    int c;

    while ((c = getopt_long(argc, argv, "i:o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o.inventory = optarg; break;
        case 'o': o.collect_to = optarg; break;
        case 'j': o.jobs = atoi(optarg); break;
        case OPT_ACCEPT: o.accept_new_host_keys = 1; break;
        case OPT_SAMPLE: o.sample_interval_ms = (unsigned)(atof(optarg) * 1000); break;
        case OPT_SECRETS: o.keep_device_secrets = 1; break;
        case OPT_FORCE: o.force = 1; break;
        case 'h': fputs(usage_collect, stdout); return EXIT_OK;
        default: return cli_bad_usage(usage_collect, NULL);
        }
    }
    if (!o.inventory || !o.collect_to || optind < argc)
        return cli_bad_usage(usage_collect, "collect needs -i INVENTORY and -o DIR");
    return audit_collect(&o, stderr);
}
