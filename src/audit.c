/**
 * @file audit.c
 * @brief The audit pipeline: inventory, snapshot, tree, rules, report.
 */
#include "audit.h"
#include "cleanup.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../rules/checklist.h"
#include "../rules/rule.h"
#include "../rules/userrules.h"
#include "collect.h"
#include "engine.h"
#include "history.h"
#include "inventory.h"
#include "model.h"
#include "normalize.h"
#include "report/report.h"
#include "sanitize.h"
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
    static struct timespec last, last_cpu;
    struct timespec t, cpu;

    if (!getenv("ERAUDIT_TIMING"))
        return;
    clock_gettime(CLOCK_MONOTONIC, &t);
    /* CPU time of all threads: how well the phase used the cores. */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    if (name)
        fprintf(stderr, "timing: %-10s %8.1f ms  (cpu %.1f ms)\n", name,
                (t.tv_sec - last.tv_sec) * 1e3 + (t.tv_nsec - last.tv_nsec) / 1e6,
                (cpu.tv_sec - last_cpu.tv_sec) * 1e3 + (cpu.tv_nsec - last_cpu.tv_nsec) / 1e6);
    last = t;
    last_cpu = cpu;
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

/* What every audit loads before it evaluates anything. */
struct session {
    struct ly_ctx *ctx;
    struct inventory *inv;
    struct refdata *ref;
    struct snapshot *snap;
    const struct rule *rules;
    size_t n_rules;
    struct urules *urules;       /* the inventory's user rules, when it names a file */
    const char *snapdir;
    int temp_snapshot;           /* collected for this run only: removed at the end */
    enum er_sev fail_on;
    char invpath[PATH_MAX];
    char today[16];
    char tmpdir[PATH_MAX];
};

static void
session_close(struct session *s)
{
    if (s->temp_snapshot)
        collect_remove(s->snapdir);
    snap_free(s->snap);
    refdata_free(s->ref);
    urules_free(s->urules);
    inv_free(s->inv);
    ly_ctx_destroy(s->ctx);
}

/*
 * A data file the inventory names. Auditing a snapshot with its own
 * inventory, the snapshot's copy is read (collect puts it there); a file
 * named outside the inventory's directory that the snapshot lacks (one
 * written by hand, or by an older eraudit) is read where the inventory says.
 */
static const char *
data_path(const struct session *s, const char *snapdir, const char *kind, const char *path, char *buf, size_t size)
{
    char name[PATH_MAX];
    const char *n;
    struct stat st;

    if (snapdir && (n = snap_data_name(kind, path, name, sizeof name)) && n == name) {
        snprintf(buf, size, "%s/%s", snapdir, n);
        if (!stat(buf, &st))
            return buf;
    }
    return inv_resolve(s->inv, path, buf, size);
}

/* Schema, rules, inventory, reference data, and a snapshot (collected live when none is given). */
static er_code
session_open(const struct audit_opts *o, struct session *s, struct er_err *err)
{
    int sev;
    er_code rc;

    memset(s, 0, sizeof *s);
    phase(NULL);
    ER_TRY(rc, model_ctx_new(NULL, &s->ctx, err), done);
    s->rules = rules_builtin(&s->n_rules);
    ER_TRY(rc, engine_check_paths(s->ctx, s->rules, s->n_rules, err), done);
    s->snapdir = o->snapshot;
    if (!o->inventory && !s->snapdir) {
        rc = er_set(err, ER_EINVAL, "nothing to audit: give an inventory (-i) or a snapshot (--snapshot)");
        goto done;
    }
    if (o->inventory)
        snprintf(s->invpath, sizeof s->invpath, "%s", o->inventory);
    else
        snprintf(s->invpath, sizeof s->invpath, "%s/inventory.yaml", s->snapdir);
    ER_TRY(rc, inv_load(s->invpath, &s->inv, err), done);
    {
        char dbuf[PATH_MAX], tbuf[PATH_MAX], mbuf[PATH_MAX];
        const char *snap = o->inventory ? NULL : s->snapdir;

        /* Data paths in the inventory are relative to the inventory's directory. */
        ER_TRY(rc, refdata_load(data_path(s, snap, "reference-data", s->inv->reference_data, dbuf, sizeof dbuf),
                &s->ref, err), done);
        ER_TRY(rc, refdata_load_services(s->ref, data_path(s, snap, "service-tags", s->inv->service_tags, tbuf,
                sizeof tbuf), data_path(s, snap, "m365-endpoints", s->inv->m365_endpoints, mbuf, sizeof mbuf), err),
                done);
        ER_TRY(rc, refdata_load_pac(s->ref, data_path(s, snap, "pac-file", s->inv->pac_file, tbuf, sizeof tbuf), err),
                done);
        /* User rules are compiled against the schema here, before any device is contacted. */
        if (s->inv->user_rules)
            ER_TRY(rc, urules_load(s->ctx, data_path(s, snap, "user-rules", s->inv->user_rules, tbuf, sizeof tbuf),
                    &s->urules, err), done);
        s->rules = urules_table(s->urules, &s->n_rules);
        ER_TRY(rc, checklist_check_inventory(s->inv, err), done);
    }
    sev = sev_parse(o->fail_on ? o->fail_on : s->inv->fail_on ? s->inv->fail_on : "high");
    if (sev < 0) {
        rc = er_set(err, ER_EINVAL, "unknown severity '%s' for --fail-on (expected info|low|medium|high|critical)",
                o->fail_on);
        goto done;
    }
    s->fail_on = (enum er_sev)sev;
    fmt_time(now(), "%Y-%m-%d", s->today, sizeof s->today);
    if (getenv("ERAUDIT_TODAY"))
        snprintf(s->today, sizeof s->today, "%s", getenv("ERAUDIT_TODAY"));

    if (!s->snapdir) {
        /* Live audit: collect into a snapshot first, kept only if asked. */
        const char *tmp = getenv("TMPDIR");

        snprintf(s->tmpdir, sizeof s->tmpdir, "%s/eraudit-collect-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        s->snapdir = o->collect_to;
        if (!s->snapdir) {
            if (!mkdtemp(s->tmpdir)) {
                rc = er_set(err, ER_EIO, "cannot create a temporary directory");
                goto done;
            }
            rmdir(s->tmpdir);
            s->snapdir = s->tmpdir;
            s->temp_snapshot = 1;
            cleanup_add(s->tmpdir);
        }
        {
            struct collect_opts co = {.jobs = o->jobs, .accept_new_host_keys = o->accept_new_host_keys,
                    .sample_interval_ms = o->sample_interval_ms, .ref = s->ref};

            ER_TRY(rc, collect_run(s->ctx, s->inv, s->invpath, s->snapdir, &co, err), done);
        }
    }
    rc = snap_open(s->ctx, s->snapdir, &s->snap, err);
    phase("load");
done:
    return rc;
}

/* Build the network tree (running or candidate configs) and run the rules. */
static er_code
evaluate(struct session *s, const struct norm_opts *nopts, struct er_model **m, struct findings *f,
        struct er_err *err)
{
    er_code rc;

    ER_TRY(rc, model_new(s->ctx, m, err), done);
    ER_TRY(rc, norm_build(s->inv, s->snap, s->ref, nopts, *m, err), done);
    phase("normalize");
    ER_TRY(rc, engine_run(*m, s->ref, s->rules, s->n_rules, s->inv, s->today, f, err), done);
    phase("rules");
done:
    return rc;
}

int
audit_run(const struct audit_opts *o, FILE *errout)
{
    struct session s;
    struct er_model *m = NULL;
    struct findings f = {0};
    struct er_err err = {0};
    const struct reporter *rep;
    char generated[32];
    const char *fmt = o->format ? o->format : "text";
    struct norm_opts nopts = {.candidate = o->candidate, .candidate_device = o->candidate_device};
    struct history *hist = NULL;
    struct hist_drift drift = {0};
    int have_drift = 0;
    FILE *out = stdout;
    int code = EXIT_BADINPUT;

    if (!(rep = report_find(fmt))) {
        fprintf(errout, "eraudit: unknown format '%s' (expected %s)\n", fmt, report_names());
        return EXIT_BADINPUT;
    }
    /* A history that cannot be used fails the run before any device is contacted. */
    if (o->history && history_open(o->history, &hist, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    if (session_open(o, &s, &err) || evaluate(&s, &nopts, &m, &f, &err))
        goto fail;
    if (hist) {
        if (history_drift(hist, &f, &drift, &err))
            goto fail;
        have_drift = 1;
    }
    if (o->dump_model) {
        FILE *d = fopen(o->dump_model, "w");

        if (!d || model_print_json(m, d, &err) || fclose(d)) {
            if (!err.code)
                er_set(&err, ER_EIO, "%s: cannot write the model", o->dump_model);
            goto fail;
        }
    }
    code = engine_exit_code(&f, s.fail_on);
    if (o->output && !(out = fopen(o->output, "w"))) {
        er_set(&err, ER_EIO, "%s: cannot open for writing", o->output);
        goto fail;
    }
    fmt_time(now(), "%Y-%m-%dT%H:%M:%SZ", generated, sizeof generated);
    {
        struct report_ctx rc = {.f = &f, .m = m, .snapshot = o->snapshot ? o->snapshot : o->collect_to,
                .snapshot_created = s.snap->created, .generated = generated, .fail_on = s.fail_on,
                .exit_code = code, .color = use_color(o->color, out), .verbose = o->verbose,
                .history = o->history, .drift = have_drift ? &drift : NULL};
        struct report_counts c;

        if (report_write(rep, out, &rc, &err))
            goto fail;
        phase("report");
        /* Recorded once the report is out: a run nobody saw is not history. */
        if (hist) {
            struct hist_run run = {.at = generated, .snapshot = rc.snapshot, .snapshot_created = rc.snapshot_created,
                    .tool_version = ER_VERSION, .fail_on = sev_name(s.fail_on), .exit_code = code,
                    .rules = f.n_rules};

            report_count(&rc, &c);
            run.devices = c.devices;
            run.not_collected = c.not_collected;
            run.passed = c.passed;
            run.failed = c.failed;
            run.not_evaluated = c.not_evaluated;
            if (history_record(hist, &run, &f, &drift, &err))
                goto fail;
        }
    }
    goto cleanup;

fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    hist_drift_free(&drift);
    history_close(hist);
    if (out != stdout && out && fclose(out) && code != EXIT_BADINPUT) {
        fprintf(errout, "eraudit: %s: cannot write the report\n", o->output);
        code = EXIT_BADINPUT;
    }
    /* A network of 1,000 devices is millions of nodes: freeing them one by
     * one takes longer than the rules. A process about to exit leaves them to
     * the kernel; sanitizer builds free everything so leaks stay visible. */
#if !ER_ASAN
    if (o->exiting) {
        if (s.temp_snapshot)
            collect_remove(s.snapdir);
        fflush(NULL);
        return code;
    }
#endif
    findings_clear(&f);
    model_free(m);
    session_close(&s);
    phase("free");
    return code;
}

/* Findings are the same across two audits when rule, device, circuit and path agree. */
static int
same_finding(const struct finding *a, const struct finding *b)
{
#define SAME(x) ((!a->x && !b->x) || (a->x && b->x && !strcmp(a->x, b->x)))
    return !strcmp(a->rule, b->rule) && SAME(device) && SAME(circuit) && SAME(path) &&
            (a->path || SAME(message));
#undef SAME
}

/* Failing findings of @a that @b does not have, printed with @mark; returns how many at or above @fail_on. */
static size_t
print_only_in(FILE *out, const struct findings *a, const struct findings *b, const char *mark,
        enum er_sev fail_on, size_t *n)
{
    size_t i, j, blocking = 0;

    *n = 0;
    for (i = 0; i < a->n; i++) {
        if (a->v[i].status != ST_FAIL)
            continue;
        for (j = 0; j < b->n && !(b->v[j].status == ST_FAIL && same_finding(&a->v[i], &b->v[j])); j++)
            ;
        if (j < b->n)
            continue;
        (*n)++;
        blocking += a->v[i].sev >= fail_on && a->v[i].section != SECT_COLLECTION;
        fprintf(out, "  %s %-9s %-8s %s\n", mark, a->v[i].rule, sev_name(a->v[i].sev), a->v[i].message);
        if (a->v[i].path)
            fprintf(out, "              path      %s\n", a->v[i].path);
        if (a->v[i].seen)
            fprintf(out, "              seen      %s\n", a->v[i].seen);
    }
    return blocking;
}

int
audit_check(const struct audit_opts *o, FILE *errout)
{
    struct session s;
    struct er_model *m_run = NULL, *m_cand = NULL;
    struct findings f_run = {0}, f_cand = {0};
    struct er_err err = {0};
    struct norm_opts run = {0}, cand = {.candidate = 1, .candidate_device = o->candidate_device};
    FILE *out = stdout;
    size_t added, fixed, blocking;
    int code = EXIT_BADINPUT;

    if (session_open(o, &s, &err) || evaluate(&s, &run, &m_run, &f_run, &err) ||
            evaluate(&s, &cand, &m_cand, &f_cand, &err))
        goto fail;
    if (o->output && !(out = fopen(o->output, "w"))) {
        er_set(&err, ER_EIO, "%s: cannot open for writing", o->output);
        goto fail;
    }
    fprintf(out, "eraudit check: candidate configuration%s%s against running (snapshot %s), fail-on %s\n\n",
            o->candidate_device ? " of " : "s", o->candidate_device ? o->candidate_device : "", s.snapdir,
            sev_name(s.fail_on));
    fprintf(out, "Findings the change adds:\n");
    blocking = print_only_in(out, &f_cand, &f_run, "+", s.fail_on, &added);
    if (!added)
        fprintf(out, "  none\n");
    fprintf(out, "\nFindings the change removes:\n");
    print_only_in(out, &f_run, &f_cand, "-", s.fail_on, &fixed);
    if (!fixed)
        fprintf(out, "  none\n");
    code = blocking ? EXIT_FINDINGS : engine_incomplete(&f_cand) ? EXIT_INCOMPLETE : EXIT_OK;
    fprintf(out, "\n%zu added (%zu at or above %s), %zu removed: %s\n", added, blocking, sev_name(s.fail_on), fixed,
            blocking ? "the change is blocked (exit 1)" : "the change adds nothing at or above fail-on");
    goto cleanup;
fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    if (out != stdout && out)
        fclose(out);
    findings_clear(&f_run);
    findings_clear(&f_cand);
    model_free(m_run);
    model_free(m_cand);
    session_close(&s);
    return code;
}

int
audit_collect(const struct audit_opts *o, FILE *errout)
{
    struct session s;
    struct er_err err = {0};
    size_t i, bad = 0;

    if (session_open(o, &s, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        session_close(&s);
        return EXIT_BADINPUT;
    }
    for (i = 0; i < s.snap->n_devices; i++) {
        const struct snap_device *d = &s.snap->devices[i];

        if (strcmp(d->status, "collected")) {
            bad++;
            fprintf(errout, "eraudit: %s: %s: %s\n", d->name, d->status, d->reason ? d->reason : "no reason given");
        }
    }
    fprintf(errout, "eraudit: snapshot %s: %zu devices, %zu not fully collected\n", s.snapdir, s.snap->n_devices, bad);
    session_close(&s);
    return bad ? EXIT_INCOMPLETE : EXIT_OK;
}

int
audit_list_rules(const char *format, FILE *out, FILE *errout)
{
    const struct rule *rules;
    const struct checklist_q *qs;
    size_t n, i, nq;
    int json = format && !strcmp(format, "json");

    if (format && !json && strcmp(format, "text")) {
        fprintf(errout, "eraudit: unknown format '%s' (expected text|json)\n", format);
        return EXIT_BADINPUT;
    }
    rules = rules_builtin(&n);
    if (json)
        fputs("[\n", out);
    for (i = 0; i < n; i++) {
        char q[128];

        checklist_of_rule(rules[i].id, NULL, q, sizeof q);
        if (json)
            fprintf(out, "  {\"id\": \"%s\", \"severity\": \"%s\", \"section\": \"%s\", \"title\": \"%s\", "
                    "\"questions\": \"%s\"}%s\n", rules[i].id, sev_name(rules[i].sev), section_name(rules[i].section),
                    rules[i].title, q, i + 1 < n ? "," : "");
        else
            fprintf(out, "%-9s %-8s  %-25s  %-20s %s\n", rules[i].id, sev_name(rules[i].sev),
                    section_title(rules[i].section), q, rules[i].title);
    }
    if (json) {
        fputs("]\n", out);
        return EXIT_OK;
    }
    /* Which question of the readiness checklist each rule answers; the rest need an attestation. */
    qs = checklist_questions(&nq);
    fputs("\nChecklist questions (attest those no rule can answer in the inventory: attestations):\n", out);
    for (i = 0; i < nq; i++)
        fprintf(out, "%-9s %-25s  %s\n          rules: %s\n", qs[i].id, section_title(qs[i].section), qs[i].text,
                qs[i].rules);
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

int
audit_history(const char *path, size_t last, long run_id, FILE *out, FILE *errout)
{
    return history_print(path, last, run_id, out, errout);
}
