/**
 * @file cmd_audit.c
 * @brief `eraudit audit`: options, the reports of one run (-o, --report), the model dump, the history record, the exit code.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atomicfile.h"
#include "collect.h"
#include "history.h"
#include "report.h"
#include "sanitize.h"

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
    "      --progress WHEN    live: auto (default: a status line on a terminal, else a line every\n"
    "                         10 s), always (the status line even without a terminal), never\n"
    "  -q, --quiet            live: no progress (as --progress never)\n"
    "      --connect-timeout T  live: NETCONF TCP connect, SSH key exchange and login (default\n"
    "                         10 s); T is seconds (5, 1.5s) or milliseconds (500ms)\n"
    "      --timeout T        live: one request: a NETCONF reply (default 60 s), an SNMP request\n"
    "                         before it is resent (default 2 s); both win over the inventory's\n"
    "  -v, --verbose          list every passing check\n"
    "  -h, --help             this help\n";



/* The format a file's extension names, NULL when it names none. */
static const char *
ext_format(const char *path)
{
    static const struct { const char *ext, *fmt; } map[] = {
        {".json", "json"}, {".html", "html"}, {".htm", "html"}, {".xml", "junit"}, {".txt", "text"}};
    const char *base = strrchr(path, '/'), *dot;
    size_t i;

    dot = strrchr(base ? base + 1 : path, '.');
    for (i = 0; dot && i < sizeof map / sizeof *map; i++) {
        if (!strcasecmp(dot, map[i].ext))
            return map[i].fmt;
    }
    return NULL;
}

/*
 * The reports a run writes: -f/-o (the format from -o's extension when -f
 * is not given), then each --report FMT:FILE. An extension that names
 * another format than the one asked for is refused: `-o report.html`
 * must not silently hold text.
 */
er_code
cli_report_outs(const struct audit_opts *o, struct cli_report_out *v, size_t *n, struct er_err *err)
{
    const char *fmt = o->format, *ext;
    size_t i;

    *n = 0;
    if (!fmt)
        fmt = o->output && ext_format(o->output) ? ext_format(o->output) : "text";
    if (!(v[0].rep = report_find(fmt)))
        return er_set(err, ER_EINVAL, "unknown format '%s' (expected %s)", fmt, report_names());
    if (o->output && (ext = ext_format(o->output)) && strcmp(ext, fmt))
        return er_set(err, ER_EINVAL, "-o %s: the extension says %s, the format is %s (give -f %s or another name)",
                o->output, ext, fmt, ext);
    v[0].path = o->output;
    *n = 1;
    for (i = 0; i < o->n_reports; i++) {
        const char *spec = o->reports[i], *colon = strchr(spec, ':');
        char name[16];
        size_t j;

        if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof name)
            return er_set(err, ER_EINVAL, "--report %s: expected FORMAT:FILE (%s)", spec, report_names());
        memcpy(name, spec, (size_t)(colon - spec));
        name[colon - spec] = '\0';
        if (!(v[*n].rep = report_find(name)))
            return er_set(err, ER_EINVAL, "--report %s: unknown format '%s' (expected %s)", spec, name,
                    report_names());
        if ((ext = ext_format(colon + 1)) && strcmp(ext, name))
            return er_set(err, ER_EINVAL, "--report %s: the extension says %s, the format is %s", spec, ext, name);
        v[*n].path = colon + 1;
        for (j = 0; j < *n; j++) {
            if (v[j].path && !strcmp(v[j].path, v[*n].path))
                return er_set(err, ER_EINVAL, "--report %s: %s is written twice", spec, v[*n].path);
        }
        (*n)++;
    }
    return ER_OK;
}

/* --dump-model FILE: the tree the rules saw, written whole or not at all. */
static er_code
dump_model(const struct er_model *m, const char *path, struct er_err *err)
{
    struct atomicfile *af;
    er_code rc;

    ER_TRY(rc, atomicfile_open(path, &af, err), done);
    if ((rc = model_print_json(m, atomicfile_stream(af), err))) {
        cli_output_failed(af, path, err);
        goto done;
    }
    rc = atomicfile_commit(af, err);
done:
    return rc;
}

/* Record the run in the history, with the counts of the report it goes with. */
static er_code
record_run(struct history *hist, const struct report_ctx *rc, const struct findings *f, const struct hist_drift *d,
        struct er_err *err)
{
    struct hist_run run = {.at = rc->generated, .snapshot = rc->snapshot, .snapshot_created = rc->snapshot_created,
            .tool_version = ER_VERSION, .fail_on = sev_name(rc->fail_on), .exit_code = rc->exit_code,
            .rules = f->n_rules};
    struct report_counts c;

    report_count(rc, &c);
    run.devices = c.devices;
    run.not_collected = c.not_collected;
    run.passed = c.passed;
    run.failed = c.failed;
    run.not_evaluated = c.not_evaluated;
    return history_record(hist, &run, f, d, err);
}

int
audit_run(const struct audit_opts *o, FILE *errout)
{
    struct run_opts ro;
    struct run s;
    struct er_model *m = NULL;
    struct findings f = {0};
    struct er_err err = {0};
    struct cli_report_out outs[1 + AUDIT_MAX_REPORTS] = {{0}};
    size_t n_outs = 0, i;
    char generated[32];
    struct norm_opts nopts = {.candidate = o->candidate, .candidate_device = o->candidate_device};
    struct history *hist = NULL;
    struct hist_drift drift = {0};
    int have_drift = 0;
    int code = EXIT_BADINPUT;

    /* Every output is checked before any device is contacted. */
    if (cli_report_outs(o, outs, &n_outs, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    /* A history that cannot be used fails the run before any device is contacted. */
    if (o->history && history_open(o->history, &hist, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    cli_run_opts(o, &ro);
    if (run_open(&ro, &s, &err))
        goto fail;
    cli_secrets_warn(&s, errout);
    if ((o->candidate && run_candidate_gate(&s, o->candidate_device, &err)) || run_evaluate(&s, &nopts, &m, &f, &err))
        goto fail;
    if (hist) {
        if (history_drift(hist, &f, &drift, &err))
            goto fail;
        have_drift = 1;
    }
    if (o->dump_model)
        ER_CHECK_GOTO(dump_model(m, o->dump_model, &err), code, EXIT_BADINPUT, fail);
    code = engine_exit_code(&f, s.fail_on);
    run_fmt_time(run_now(), "%Y-%m-%dT%H:%M:%SZ", generated, sizeof generated);
    {
        struct report_ctx rc = {.f = &f, .m = m, .snapshot = o->snapshot ? o->snapshot : o->collect_to,
                .snapshot_created = s.snap->created, .generated = generated, .fail_on = s.fail_on,
                .exit_code = code, .verbose = o->verbose, .history = o->history,
                .drift = have_drift ? &drift : NULL};

        /*
         * The reports state the exit code, so the run is recorded (once, for
         * every report) before any of them can be seen: the files are written
         * whole first (a report that cannot be written is no run), then the
         * run is recorded, then stdout gets its report, then the files are
         * renamed into place. When recording fails, no report appears and the
         * exit code is 2.
         */
        for (i = 0; i < n_outs; i++) {
            if (!outs[i].path)
                continue;
            ER_CHECK_GOTO(atomicfile_open(outs[i].path, &outs[i].af, &err), code, EXIT_BADINPUT, fail);
            rc.color = cli_use_color(o->color, atomicfile_stream(outs[i].af));
            if (report_write(outs[i].rep, atomicfile_stream(outs[i].af), &rc, &err)) {
                cli_output_failed(outs[i].af, outs[i].path, &err);
                outs[i].af = NULL;
                goto fail;
            }
            if (atomicfile_close(outs[i].af, &err))
                goto fail;
        }
        if (hist && record_run(hist, &rc, &f, &drift, &err))
            goto fail;
        for (i = 0; i < n_outs; i++) {
            if (outs[i].path)
                continue;
            rc.color = cli_use_color(o->color, stdout);
            if (report_write(outs[i].rep, stdout, &rc, &err))
                goto fail;
        }
        run_phase("report");
        for (i = 0; i < n_outs; i++) {
            er_code r = outs[i].af ? atomicfile_commit(outs[i].af, &err) : ER_OK;

            outs[i].af = NULL;
            if (r)
                goto fail;
        }
    }
    goto cleanup;

fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    for (i = 0; i < n_outs; i++)
        atomicfile_abort(outs[i].af);
    hist_drift_free(&drift);
    history_close(hist);
    /* A network of 1,000 devices is millions of nodes: freeing them one by
     * one takes longer than the rules. A process about to exit leaves them to
     * the kernel; sanitizer builds free everything so leaks stay visible. */
#if !ER_ASAN
    if (o->exiting) {
        if (s.temp_snapshot)
            collect_remove(s.tmpdir);
        fflush(NULL);
        return code;
    }
#endif
    findings_clear(&f);
    model_free(m);
    run_close(&s);
    run_phase("free");
    return code;
}

int
cli_audit_or_check(int argc, char **argv, int check)
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
        {"no-cache", no_argument, NULL, OPT_NO_CACHE},
        CLI_LIVE_OPTIONS, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    const char *usage = check ? cli_usage_check : usage_audit;
    static const char *reports[AUDIT_MAX_REPORTS];
    struct audit_opts o = {.reports = reports};
    int c, r;

    while ((c = getopt_long(argc, argv, check ? "i:s:k:f:o:j:d:qvh" : "i:s:k:f:o:j:qvh", opts, NULL)) != -1) {
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
        case OPT_NO_CACHE: o.no_cache = 1; break;
        case OPT_REPORT:
            if (o.n_reports == AUDIT_MAX_REPORTS)
                return cli_bad_usage(usage, "at most 8 --report options");
            reports[o.n_reports++] = optarg;
            break;
        case 'q': o.progress = -1; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default:
            if ((r = cli_live_opt(c, optarg, &o, usage)) <= 0)
                return r < 0 ? EXIT_BADINPUT : cli_bad_usage(usage, NULL);
            break;
        }
    }
    if (optind < argc)
        return cli_bad_usage(usage, "unexpected argument");
    if (!o.inventory && !o.snapshot)
        return cli_bad_usage(usage, "give an inventory (-i) or a snapshot (--snapshot)");
    if (!check && o.no_cache)
        return cli_bad_usage(usage, "--no-cache is a check option");
    if (check && (o.candidate || o.dump_model || o.history))
        return cli_bad_usage(usage, "check compares running with candidate: --candidate, --dump-model and --history "
                "are audit options");
    if (o.color && strcmp(o.color, "auto") && strcmp(o.color, "always") && strcmp(o.color, "never"))
        return cli_bad_usage(usage, "--color takes auto, always or never");
    o.exiting = 1;
    return check ? audit_check(&o, stderr) : audit_run(&o, stderr);
}

int
cmd_audit(int argc, char **argv)
{
    return cli_audit_or_check(argc, argv, 0);
}
