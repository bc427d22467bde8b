/**
 * @file audit.c
 * @brief The audit pipeline: inventory, snapshot, tree, rules, report.
 */
#include "audit.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../rules/rule.h"
#include "collect.h"
#include "engine.h"
#include "inventory.h"
#include "model.h"
#include "normalize.h"
#include "report/report.h"
#include "snapshot.h"

/* Reproducible times for tests and golden files: SOURCE_DATE_EPOCH wins. */
static time_t
now(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");

    return e ? (time_t)strtoll(e, NULL, 10) : time(NULL);
}

static void
fmt_time(time_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, size, fmt, &tm);
}

/* Phase timings on stderr when ERAUDIT_TIMING is set (benchmarks use it). */
static void
phase(const char *name)
{
    static struct timespec last;
    struct timespec t;

    if (!getenv("ERAUDIT_TIMING"))
        return;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (name)
        fprintf(stderr, "timing: %-10s %8.1f ms\n", name,
                (t.tv_sec - last.tv_sec) * 1e3 + (t.tv_nsec - last.tv_nsec) / 1e6);
    last = t;
}

static int
use_color(const char *mode, FILE *out)
{
    if (mode && !strcmp(mode, "always"))
        return 1;
    if (mode && !strcmp(mode, "never"))
        return 0;
    return isatty(fileno(out)) && !getenv("NO_COLOR");
}

int
audit_run(const struct audit_opts *o, FILE *errout)
{
    struct ly_ctx *ctx = NULL;
    struct inventory *inv = NULL;
    struct snapshot *snap = NULL;
    struct refdata *ref = NULL;
    struct er_model *m = NULL;
    struct findings f = {0};
    struct er_err err = {0};
    const struct reporter *rep;
    const struct rule *rules;
    char invpath[PATH_MAX], today[16], generated[32], tmpdir[] = "/tmp/eraudit-collect-XXXXXX";
    const char *snapdir = o->snapshot, *fmt = o->format ? o->format : "text";
    struct norm_opts nopts = {.candidate = o->candidate, .candidate_device = o->candidate_device};
    FILE *out = stdout;
    int code = EXIT_BADINPUT, sev;
    size_t n_rules;

    if (!(rep = report_find(fmt))) {
        fprintf(errout, "eraudit: unknown format '%s' (expected %s)\n", fmt, report_names());
        return EXIT_BADINPUT;
    }
    phase(NULL);
    if (model_ctx_new(NULL, &ctx, &err))
        goto fail;
    rules = rules_builtin(&n_rules);
    if (engine_check_paths(ctx, rules, n_rules, &err))
        goto fail;

    if (!o->inventory && !snapdir) {
        er_set(&err, ER_EINVAL, "nothing to audit: give an inventory (-i) or a snapshot (--snapshot)");
        goto fail;
    }
    if (o->inventory)
        snprintf(invpath, sizeof invpath, "%s", o->inventory);
    else
        snprintf(invpath, sizeof invpath, "%s/inventory.yaml", snapdir);
    if (inv_load(invpath, &inv, &err))
        goto fail;
    if (refdata_load(inv->reference_data, &ref, &err))
        goto fail;

    if (!snapdir) {
        /* Live audit: collect into a snapshot first, kept only if asked. */
        snapdir = o->collect_to;
        if (!snapdir && !(snapdir = mkdtemp(tmpdir))) {
            er_set(&err, ER_EIO, "cannot create a temporary directory");
            goto fail;
        }
        if (!o->collect_to)
            rmdir(tmpdir);
        if (collect_run(ctx, inv, invpath, snapdir, o->jobs, o->accept_new_host_keys, &err))
            goto fail;
    }
    if (snap_open(ctx, snapdir, &snap, &err))
        goto fail;
    phase("load");
    if (model_new(ctx, &m, &err) || norm_build(inv, snap, ref, &nopts, m, &err))
        goto fail;
    phase("normalize");
    if (o->dump_model) {
        FILE *d = fopen(o->dump_model, "w");

        if (!d || model_print_json(m, d, &err) || fclose(d)) {
            if (!err.code)
                er_set(&err, ER_EIO, "%s: cannot write the model", o->dump_model);
            goto fail;
        }
    }

    fmt_time(now(), "%Y-%m-%d", today, sizeof today);
    if (getenv("ERAUDIT_TODAY"))
        snprintf(today, sizeof today, "%s", getenv("ERAUDIT_TODAY"));
    if (engine_run(m, ref, rules, n_rules, inv, today, &f, &err))
        goto fail;
    phase("rules");

    sev = sev_parse(o->fail_on ? o->fail_on : inv->fail_on ? inv->fail_on : "high");
    if (sev < 0) {
        er_set(&err, ER_EINVAL, "unknown severity '%s' for --fail-on (expected info|low|medium|high|critical)",
                o->fail_on);
        goto fail;
    }
    code = engine_exit_code(&f, (enum er_sev)sev);

    if (o->output && !(out = fopen(o->output, "w"))) {
        er_set(&err, ER_EIO, "%s: cannot open for writing", o->output);
        code = EXIT_BADINPUT;
        goto fail;
    }
    fmt_time(now(), "%Y-%m-%dT%H:%M:%SZ", generated, sizeof generated);
    {
        struct report_ctx rc = {.f = &f, .m = m, .snapshot = o->snapshot ? o->snapshot : o->collect_to,
                .snapshot_created = snap->created, .generated = generated, .fail_on = (enum er_sev)sev,
                .exit_code = code, .color = use_color(o->color, out), .verbose = o->verbose};

        if (rep->write(out, &rc, &err)) {
            code = EXIT_BADINPUT;
            goto fail;
        }
        phase("report");
    }
    goto cleanup;

fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    if (out != stdout && out)
        fclose(out);
    if (!o->snapshot && !o->collect_to && snapdir)
        collect_remove(snapdir);
    findings_clear(&f);
    model_free(m);
    snap_free(snap);
    refdata_free(ref);
    inv_free(inv);
    ly_ctx_destroy(ctx);
    return code;
}

int
audit_collect(const char *inventory, const char *outdir, int jobs, int accept_new_host_keys, FILE *errout)
{
    struct ly_ctx *ctx = NULL;
    struct inventory *inv = NULL;
    struct snapshot *snap = NULL;
    struct er_err err = {0};
    int code = EXIT_BADINPUT;
    size_t i, bad = 0;

    if (model_ctx_new(NULL, &ctx, &err) || inv_load(inventory, &inv, &err) ||
            collect_run(ctx, inv, inventory, outdir, jobs, accept_new_host_keys, &err) ||
            snap_open(ctx, outdir, &snap, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        goto cleanup;
    }
    for (i = 0; i < snap->n_devices; i++) {
        if (strcmp(snap->devices[i].status, "collected")) {
            bad++;
            fprintf(errout, "eraudit: %s: %s: %s\n", snap->devices[i].name, snap->devices[i].status,
                    snap->devices[i].reason ? snap->devices[i].reason : "no reason given");
        }
    }
    fprintf(errout, "eraudit: snapshot %s: %zu devices, %zu not fully collected\n", outdir, snap->n_devices, bad);
    code = bad ? EXIT_INCOMPLETE : EXIT_OK;
cleanup:
    snap_free(snap);
    inv_free(inv);
    ly_ctx_destroy(ctx);
    return code;
}

int
audit_list_rules(const char *format, FILE *out, FILE *errout)
{
    const struct rule *rules;
    size_t n, i;
    int json = format && !strcmp(format, "json");

    if (format && !json && strcmp(format, "text")) {
        fprintf(errout, "eraudit: unknown format '%s' (expected text|json)\n", format);
        return EXIT_BADINPUT;
    }
    rules = rules_builtin(&n);
    if (json)
        fputs("[\n", out);
    for (i = 0; i < n; i++) {
        if (json)
            fprintf(out, "  {\"id\": \"%s\", \"severity\": \"%s\", \"section\": \"%s\", \"title\": \"%s\"}%s\n",
                    rules[i].id, sev_name(rules[i].sev), section_name(rules[i].section), rules[i].title,
                    i + 1 < n ? "," : "");
        else
            fprintf(out, "%-9s %-8s  %-25s  %s\n", rules[i].id, sev_name(rules[i].sev),
                    section_title(rules[i].section), rules[i].title);
    }
    if (json)
        fputs("]\n", out);
    return EXIT_OK;
}

int
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
