/**
 * @file main.c
 * @brief The eraudit command line: parses arguments and calls the library.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "bound.h"
#include "cleanup.h"
#include "engine.h"
#include "select.h"
#include "snapshot_merge.h"

static const char usage_main[] =
    "usage: eraudit [--version] [--help] VERB [options]\n"
    "\n"
    "Audit a network's readiness for Power Platform over Azure ExpressRoute.\n"
    "\n"
    "verbs:\n"
    "  audit            collect (or read a snapshot), run the rules, report\n"
    "  check            pre-change: the findings candidate configs would add or remove\n"
    "  collect          collect raw data from the devices (or some of them) into a snapshot\n"
    "  snapshot merge   join the partial snapshots of regional pollers into one\n"
    "  rules            list the rules: id, severity, checklist section, title\n"
    "  history          list the runs a history (audit --history) recorded\n"
    "  inventory check  validate an inventory and print it normalized\n"
    "\n"
    "exit codes: 0 nothing at or above fail-on, 1 findings at or above it,\n"
    "            2 bad input or usage, or an output that cannot be written,\n"
    "            3 devices not collected (nothing worse),\n"
    "            128+N interrupted by signal N (nothing half-written is left)\n"
    "Run 'eraudit VERB --help' for a verb's options.\n";

static const char usage_audit[] =
    "usage: eraudit audit [-i INVENTORY] [--snapshot DIR] [options]\n"
    "\n"
    "Audit a snapshot (--snapshot DIR; its inventory.yaml is used unless -i is\n"
    "given), or collect the inventory's devices live and audit the result.\n"
    "\n"
    "  -i, --inventory FILE   inventory (YAML)\n"
    "  -s, --snapshot DIR     audit this snapshot instead of collecting\n"
    "  -k, --keep DIR         live audit: keep the collected snapshot in DIR (a new directory)\n"
    "      --force            let --keep replace an earlier snapshot in DIR (never anything else)\n"
    "  -f, --format FMT       text (default), json (eraudit-findings), html (for people), junit (CI)\n"
    "  -o, --output FILE      write the report to FILE instead of stdout (replaced only once\n"
    "                         written whole; on a write error the old FILE stays); without -f,\n"
    "                         its extension (.json .html .xml .txt) names the format, and an\n"
    "                         extension that contradicts -f is an error\n"
    "      --report FMT:FILE  also write a FMT report of the same run to FILE (repeatable, up\n"
    "                         to 8): JSON for the pipeline and HTML for people, one history record\n"
    "      --fail-on SEV      info|low|medium|high|critical (default: inventory, else high)\n"
    "      --dump-model FILE  write the normalized network tree (JSON) the rules see\n"
    "      --candidate[=DEV]  audit NETCONF candidate configs (of DEV only) instead of running\n"
    "      --history FILE|URL show what is new and fixed since the latest run in FILE (SQLite,\n"
    "                         created when this run is recorded) or in the PostgreSQL database of\n"
    "                         URL (postgresql://..., password from PGPASSWORD or a .pgpass file,\n"
    "                         never the URL), then record this run in it; a run that cannot be\n"
    "                         recorded writes no report and exits 2\n"
    "      --color WHEN       auto (default), always, never\n"
    "  -j, --jobs N           devices collected at once (live)\n"
    "      --accept-new-host-keys  record unknown SSH host keys (never changed ones)\n"
    "      --sample-interval S  live: read interface counters twice, S seconds apart\n"
    "      --keep-device-secrets  live: store the NETCONF replies with the devices' secrets\n"
    "                         (default: each secret value is replaced by eraudit:redacted)\n"
    "  -v, --verbose          list every passing check\n"
    "  -h, --help             this help\n";

static const char usage_check[] =
    "usage: eraudit check [-i INVENTORY] [--snapshot DIR] [--device DEV] [options]\n"
    "\n"
    "Pre-change validation: audit the NETCONF candidate configurations (of DEV\n"
    "only, with --device) against the running ones and list the findings the\n"
    "change would add and remove. Exit 1 when it adds a finding at or above the\n"
    "fail-on severity, so a pipeline can block the change. Exit 2 when there is\n"
    "nothing to check: DEV not in the inventory, DEV without a candidate, or no\n"
    "device with a candidate at all.\n"
    "\n"
    "  -i, --inventory FILE   inventory (YAML)\n"
    "  -s, --snapshot DIR     snapshot holding netconf/candidate.xml files\n"
    "  -k, --keep DIR         live: keep the collected snapshot in DIR (a new directory)\n"
    "      --force            let --keep replace an earlier snapshot in DIR (never anything else)\n"
    "  -d, --device DEV       only this device's candidate\n"
    "  -o, --output FILE      write to FILE instead of stdout\n"
    "      --fail-on SEV      info|low|medium|high|critical\n"
    "  -j, --jobs N, --accept-new-host-keys, --keep-device-secrets   as for audit\n"
    "  -h, --help             this help\n";

static const char usage_collect[] =
    "usage: eraudit collect -i INVENTORY -o DIR [--force] [-j N] [--accept-new-host-keys] [--sample-interval S]\n"
    "                       [--keep-device-secrets] [--site S] [--role R] [--device PATTERN] [--shard I/N]\n"
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
    "      --list                print the selected devices' names and exit (contacts nothing)\n"
    "  -h, --help                this help\n";

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

static const char usage_history[] =
    "usage: eraudit history FILE|URL [--last N] [--run ID]\n"
    "\n"
    "List the runs the history FILE (SQLite) or URL (postgresql://...) recorded\n"
    "(eraudit audit --history FILE|URL), newest\n"
    "first: when, exit code, failing findings, new and fixed since the run before,\n"
    "devices and snapshot. --run ID lists one run's failing findings.\n"
    "\n"
    "  -n, --last N   only the N newest runs\n"
    "  -r, --run ID   the failing findings of run ID\n"
    "  -h, --help     this help\n";

static const char usage_rules[] =
    "usage: eraudit rules [--format text|json]\n"
    "\n"
    "List the built-in rules: id, severity, checklist section and title.\n"
    "\n"
    "  -f, --format FMT   text (default) or json\n"
    "  -h, --help         this help\n";

static const char usage_inventory[] =
    "usage: eraudit inventory check [-i] FILE\n"
    "\n"
    "Validate an inventory and print it normalized. Secrets are references\n"
    "(environment variable, file, ssh-agent); they are never read or printed.\n"
    "\n"
    "  -i, --inventory FILE   the inventory (or FILE alone)\n"
    "  -h, --help             this help\n";

enum {
    OPT_FAIL_ON = 256, OPT_DUMP, OPT_CANDIDATE, OPT_COLOR, OPT_ACCEPT, OPT_SAMPLE, OPT_HISTORY, OPT_SECRETS, OPT_FORCE,
    OPT_REPORT, OPT_SITE, OPT_ROLE, OPT_DEVICE, OPT_SHARD, OPT_LIST
};

static int
bad_usage(const char *usage, const char *what)
{
    if (what)
        fprintf(stderr, "eraudit: %s\n", what);
    fputs(usage, stderr);
    return EXIT_BADINPUT;
}

static int
cmd_audit_or_check(int argc, char **argv, int check)
{
    static const struct option opts[] = {
        {"inventory", required_argument, NULL, 'i'}, {"snapshot", required_argument, NULL, 's'},
        {"keep", required_argument, NULL, 'k'}, {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"fail-on", required_argument, NULL, OPT_FAIL_ON},
        {"dump-model", required_argument, NULL, OPT_DUMP}, {"candidate", optional_argument, NULL, OPT_CANDIDATE},
        {"color", required_argument, NULL, OPT_COLOR}, {"jobs", required_argument, NULL, 'j'},
        {"accept-new-host-keys", no_argument, NULL, OPT_ACCEPT}, {"verbose", no_argument, NULL, 'v'},
        {"device", required_argument, NULL, 'd'}, {"sample-interval", required_argument, NULL, OPT_SAMPLE},
        {"history", required_argument, NULL, OPT_HISTORY}, {"keep-device-secrets", no_argument, NULL, OPT_SECRETS},
        {"force", no_argument, NULL, OPT_FORCE}, {"report", required_argument, NULL, OPT_REPORT},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *usage = check ? usage_check : usage_audit;
    static const char *reports[AUDIT_MAX_REPORTS];
    struct audit_opts o = {.reports = reports};
    int c;

    while ((c = getopt_long(argc, argv, check ? "i:s:k:o:j:d:h" : "i:s:k:f:o:j:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': o.inventory = optarg; break;
        case 's': o.snapshot = optarg; break;
        case 'k': o.collect_to = optarg; break;
        case 'f': o.format = optarg; break;
        case 'o': o.output = optarg; break;
        case 'j': o.jobs = atoi(optarg); break;
        case 'v': o.verbose = 1; break;
        case OPT_FAIL_ON: o.fail_on = optarg; break;
        case OPT_DUMP: o.dump_model = optarg; break;
        case OPT_CANDIDATE: o.candidate = 1; o.candidate_device = optarg; break;
        case OPT_COLOR: o.color = optarg; break;
        case OPT_ACCEPT: o.accept_new_host_keys = 1; break;
        case 'd': o.candidate_device = optarg; break;
        case OPT_SAMPLE: o.sample_interval_ms = (unsigned)(atof(optarg) * 1000); break;
        case OPT_HISTORY: o.history = optarg; break;
        case OPT_SECRETS: o.keep_device_secrets = 1; break;
        case OPT_FORCE: o.force = 1; break;
        case OPT_REPORT:
            if (o.n_reports == AUDIT_MAX_REPORTS)
                return bad_usage(usage, "at most 8 --report options");
            reports[o.n_reports++] = optarg;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return bad_usage(usage, NULL);
        }
    }
    if (optind < argc)
        return bad_usage(usage, "unexpected argument");
    if (check && o.n_reports)
        return bad_usage(usage, "--report is an audit option");
    if (!o.inventory && !o.snapshot)
        return bad_usage(usage, "give an inventory (-i) or a snapshot (--snapshot)");
    if (check && (o.candidate || o.format || o.dump_model || o.color || o.history))
        return bad_usage(usage, "check compares running with candidate: --candidate, --format, --dump-model, "
                "--color and --history are audit options");
    if (o.color && strcmp(o.color, "auto") && strcmp(o.color, "always") && strcmp(o.color, "never"))
        return bad_usage(usage, "--color takes auto, always or never");
    o.exiting = 1;
    return check ? audit_check(&o, stderr) : audit_run(&o, stderr);
}

static int
cmd_audit(int argc, char **argv)
{
    return cmd_audit_or_check(argc, argv, 0);
}

static int
cmd_check(int argc, char **argv)
{
    return cmd_audit_or_check(argc, argv, 1);
}

static int
cmd_collect(int argc, char **argv)
{
    static const struct option opts[] = {
        {"inventory", required_argument, NULL, 'i'}, {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'}, {"accept-new-host-keys", no_argument, NULL, OPT_ACCEPT},
        {"sample-interval", required_argument, NULL, OPT_SAMPLE}, {"force", no_argument, NULL, OPT_FORCE},
        {"keep-device-secrets", no_argument, NULL, OPT_SECRETS}, {"site", required_argument, NULL, OPT_SITE},
        {"role", required_argument, NULL, OPT_ROLE}, {"device", required_argument, NULL, OPT_DEVICE},
        {"shard", required_argument, NULL, OPT_SHARD}, {"list", no_argument, NULL, OPT_LIST},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    static struct select sel;
    struct audit_opts o = {.select = &sel};
    struct er_err err;
    int c, list = 0;

    while ((c = getopt_long(argc, argv, "i:o:j:h", opts, NULL)) != -1) {
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
                return bad_usage(usage_collect, err.msg);
            break;
        case OPT_SHARD:
            if (select_parse_shard(&sel, optarg, &err))
                return bad_usage(usage_collect, err.msg);
            break;
        case OPT_LIST: list = 1; break;
        case 'h': fputs(usage_collect, stdout); return EXIT_OK;
        default: return bad_usage(usage_collect, NULL);
        }
    }
    if (list && o.inventory && !o.collect_to && optind == argc)
        return select_list(o.inventory, &sel, stdout, stderr);
    if (list)
        return bad_usage(usage_collect, "collect --list needs -i INVENTORY and no -o");
    if (!o.inventory || !o.collect_to || optind < argc)
        return bad_usage(usage_collect, "collect needs -i INVENTORY and -o DIR");
    return audit_collect(&o, stderr);
}

static int
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
        return bad_usage(usage_snapshot, "the snapshot verb has one action: merge");
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_FORCE: force = 1; break;
        case 'h': fputs(usage_snapshot, stdout); return EXIT_OK;
        default: return bad_usage(usage_snapshot, NULL);
        }
    }
    if (!out || optind >= argc)
        return bad_usage(usage_snapshot, "snapshot merge needs one or more snapshots and -o DIR");
    return snap_merge_run((const char *const *)argv + optind, (size_t)(argc - optind), out, force, stderr);
}

static int
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
                return bad_usage(usage_history, c == 'n' ? "--last takes a positive number" :
                        "--run takes a run number (eraudit history FILE lists them)");
            *(c == 'n' ? &last : &run) = v;
            break;
        }
        case 'h': fputs(usage_history, stdout); return EXIT_OK;
        default: return bad_usage(usage_history, NULL);
        }
    }
    if (optind + 1 != argc)
        return bad_usage(usage_history, "give one history file or postgresql:// URL");
    return audit_history(argv[optind], (size_t)last, run, stdout, stderr);
}

static int
cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *fmt = NULL;
    int c;

    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'h': fputs(usage_rules, stdout); return EXIT_OK;
        default: return bad_usage(usage_rules, NULL);
        }
    }
    if (optind < argc)
        return bad_usage(usage_rules, "unexpected argument");
    return audit_list_rules(fmt, stdout, stderr);
}

static int
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
        return bad_usage(usage_inventory, "the inventory verb has one action: check");
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
        switch (c) {
        case 'i': inv = optarg; break;
        case 'h': fputs(usage_inventory, stdout); return EXIT_OK;
        default: return bad_usage(usage_inventory, NULL);
        }
    }
    if (!inv && optind < argc)
        inv = argv[optind++];
    if (!inv || optind < argc)
        return bad_usage(usage_inventory, "give one inventory file");
    return audit_inventory_check(inv, stdout, stderr);
}

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
        return bad_usage(usage_main, NULL);
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
    return bad_usage(usage_main, NULL);
}
