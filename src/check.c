/**
 * @file check.c
 * @brief Pre-change validation (`eraudit check`): the findings candidate
 * configurations would add to and remove from the running network.
 *
 * The network is normalized once, from running, and judged; then only the
 * devices with a candidate are built again, from it, in place, and the rules
 * run once more. Devices are built one by one from their own files and the
 * same inventory parts (norm_build), so the tree judged second is the very
 * tree a full normalization of the candidate network makes: the verdicts are
 * those of `audit --candidate`, at the cost of one normalization instead of
 * two, and of one network in memory instead of two.
 */
#include "audit_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect.h"
#include "engine.h"
#include "history.h"
#include "model_reads.h"
#include "sanitize.h"

static int
cmp_str(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) : (a != NULL) - (b != NULL);
}

/*
 * Findings are the same across the two networks when rule, device, circuit
 * and path agree (the message too when there is no path): the order of
 * check_sorted().
 */
static int
cmp_finding(const void *pa, const void *pb)
{
    const struct finding *a = *(const struct finding *const *)pa, *b = *(const struct finding *const *)pb;
    int c;

    if ((c = strcmp(a->rule, b->rule)) || (c = cmp_str(a->device, b->device)) ||
            (c = cmp_str(a->circuit, b->circuit)) || (c = cmp_str(a->path, b->path)))
        return c;
    return a->path ? 0 : cmp_str(a->message, b->message);
}

/* The failing findings of @p f, sorted by identity; NULL out of memory (or none: *n = 0). */
static const struct finding **
check_sorted(const struct findings *f, size_t *n)
{
    const struct finding **v = malloc((f->n ? f->n : 1) * sizeof *v);
    size_t i;

    *n = 0;
    if (!v)
        return NULL;
    for (i = 0; i < f->n; i++) {
        if (f->v[i].status == ST_FAIL)
            v[(*n)++] = &f->v[i];
    }
    qsort(v, *n, sizeof *v, cmp_finding);
    return v;
}

static int
check_has(const struct finding **v, size_t n, const struct finding *x)
{
    return bsearch(&x, v, n, sizeof *v, cmp_finding) != NULL;
}

/* Which rules ran again on the candidate (all, without an incremental run). */
struct check_rerun {
    const struct rule *rules;
    size_t n;
    const unsigned char *rerun;        /* NULL: every rule */
};

/*
 * Whether findings of rule @p id were made again: a rule not run again kept
 * its running findings, the same on both sides (and no longer in running's
 * list), so it adds and removes nothing.
 */
static int
check_was_rerun(const struct check_rerun *rr, const char *id)
{
    size_t i;

    if (!rr->rerun || !strcmp(id, ENGINE_COLLECT_RULE))
        return 1;
    for (i = 0; i < rr->n; i++) {
        if (!strcmp(rr->rules[i].id, id))
            return rr->rerun[i];
    }
    return 1;
}

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/*
 * What the candidate changes, as the reports show drift: findings failing on
 * the candidate and not on running are new, those failing on running and
 * not on the candidate are fixed. @p blocking gets the new ones at or above
 * @p fail_on (devices not collected never block: they are no change).
 */
static er_code
check_diff(const struct findings *run, const struct findings *cand, const struct check_rerun *rr, enum er_sev fail_on,
        const char *snapdir, const char *created, struct hist_drift *d, size_t *blocking, struct er_err *err)
{
    const struct finding **vr = NULL, **vc = NULL;
    size_t nr, nc, i;
    er_code rc = ER_OK;

    memset(d, 0, sizeof *d);
    *blocking = 0;
    vr = check_sorted(run, &nr);
    vc = check_sorted(cand, &nc);
    d->have_prev = 1;
    d->prev_at = dup_or_null(created);
    d->prev_snapshot = malloc(strlen(snapdir) + sizeof " (running)");
    d->is_new = calloc(cand->n ? cand->n : 1, 1);
    d->fixed = calloc(nr ? nr : 1, sizeof *d->fixed);
    if (!vr || !vc || !d->prev_snapshot || !d->is_new || !d->fixed) {
        rc = er_set(err, ER_ENOMEM, "out of memory");
        goto done;
    }
    sprintf(d->prev_snapshot, "%s (running)", snapdir);
    for (i = 0; i < cand->n; i++) {
        const struct finding *x = &cand->v[i];

        if (x->status != ST_FAIL || !check_was_rerun(rr, x->rule) || check_has(vr, nr, x))
            continue;
        d->is_new[i] = 1;
        d->n_new++;
        *blocking += x->sev >= fail_on && x->section != SECT_COLLECTION;
    }
    /* Fixed ones in the order running reported them. */
    for (i = 0; i < run->n; i++) {
        const struct finding *x = &run->v[i];
        struct hist_item *it = &d->fixed[d->n_fixed];

        if (x->status != ST_FAIL || check_has(vc, nc, x))
            continue;
        d->n_fixed++;
        it->rule = strdup(x->rule);
        it->severity = strdup(sev_name(x->sev));
        it->device = dup_or_null(x->device);
        it->circuit = dup_or_null(x->circuit);
        it->path = dup_or_null(x->path);
        it->message = dup_or_null(x->message);
        if (!it->rule || !it->severity || (x->message && !it->message)) {
            rc = er_set(err, ER_ENOMEM, "out of memory");
            goto done;
        }
    }
done:
    free(vr);
    free(vc);
    return rc;
}

/* The text of a check: the findings the change adds (+) and removes (-), and the verdict. */
static er_code
check_text(FILE *out, const struct report_ctx *rc, const char *device, size_t blocking)
{
    const struct hist_drift *d = rc->drift;
    size_t i;

    fprintf(out, "eraudit check: candidate configuration%s%s against running (snapshot %s), fail-on %s\n\n",
            device ? " of " : "s", device ? device : "", rc->snapshot, sev_name(rc->fail_on));
    fprintf(out, "Findings the change adds:\n");
    for (i = 0; i < rc->f->n; i++) {
        const struct finding *x = &rc->f->v[i];

        if (!d->is_new[i])
            continue;
        fprintf(out, "  + %-9s %-8s %s\n", x->rule, sev_name(x->sev), x->message);
        if (x->path)
            fprintf(out, "              path      %s\n", x->path);
        if (x->seen)
            fprintf(out, "              seen      %s\n", x->seen);
    }
    if (!d->n_new)
        fprintf(out, "  none\n");
    fprintf(out, "\nFindings the change removes:\n");
    for (i = 0; i < d->n_fixed; i++) {
        fprintf(out, "  - %-9s %-8s %s\n", d->fixed[i].rule, d->fixed[i].severity, d->fixed[i].message);
        if (d->fixed[i].path)
            fprintf(out, "              path      %s\n", d->fixed[i].path);
    }
    if (!d->n_fixed)
        fprintf(out, "  none\n");
    fprintf(out, "\n%zu added (%zu at or above %s), %zu removed: %s\n", d->n_new, blocking, sev_name(rc->fail_on),
            d->n_fixed, blocking ? "the change is blocked (exit 1)" : "the change adds nothing at or above fail-on");
    return ferror(out) ? ER_EIO : ER_OK;
}

/* Build device @p name again from its candidate; note in @p changed where its entry differs from running's. */
static er_code
check_replace(struct audit_session *s, const struct norm_opts *cand, struct er_model *m, const char *name,
        struct model_reads *changed, struct er_err *err)
{
    struct lyd_node *before = NULL;
    er_code rc;

    if (changed && lyd_dup_single(model_find_device(m, name), NULL, LYD_DUP_RECURSIVE, &before))
        return model_ly_err(m->ctx, err, name);
    rc = norm_replace_device(s->inv, s->snap, s->ref, cand, m, name, err);
    if (!rc && changed)
        model_reads_diff(before, model_find_device(m, name), changed);
    lyd_free_tree(before);
    return rc;
}

/* Build every device that has a candidate again, from it, in the running tree @p m. */
static er_code
check_apply_candidates(struct audit_session *s, const char *device, struct er_model *m, struct model_reads *changed,
        struct er_err *err)
{
    struct norm_opts cand = {.candidate = 1, .candidate_device = device};
    int root = open(s->snapdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    size_t i;
    er_code rc = ER_OK;

    if (root < 0)
        return er_set(err, ER_EIO, "%s: %s", s->snapdir, strerror(errno));
    for (i = 0; !rc && i < s->inv->n_devices; i++) {
        const char *name = s->inv->devices[i].name;

        /* Without a candidate a device reads running again: nothing to build. */
        if ((device && strcmp(device, name)) || !audit_has_candidate(root, name))
            continue;
        rc = check_replace(s, &cand, m, name, changed, err);
    }
    close(root);
    return rc;
}

/* Write every report of the check: files whole first, then stdout, then the files renamed into place. */
static er_code
check_write(const struct audit_opts *o, struct audit_report_out *outs, size_t n_outs, struct report_ctx *rc,
        size_t blocking, struct er_err *err)
{
    const struct reporter *text = report_find("text");
    size_t i, pass;
    er_code r = ER_OK;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < n_outs; i++) {
            FILE *out;

            /* Files first (pass 0), then stdout (pass 1). */
            if ((pass == 0) != (outs[i].path != NULL))
                continue;
            if (outs[i].path && (r = atomicfile_open(outs[i].path, &outs[i].af, err)))
                return r;
            out = outs[i].path ? atomicfile_stream(outs[i].af) : stdout;
            rc->color = audit_use_color(o->color, out);
            r = outs[i].rep == text ? check_text(out, rc, o->candidate_device, blocking) :
                    report_write(outs[i].rep, out, rc, err);
            if (r && outs[i].path) {
                audit_output_failed(outs[i].af, outs[i].path, err);
                outs[i].af = NULL;
                return r;
            }
            if (r || (!outs[i].path && (fflush(stdout) || ferror(stdout))))
                return er_set(err, ER_EIO, "standard output: cannot write: %s", strerror(errno));
            if (outs[i].path && (r = atomicfile_close(outs[i].af, err)))
                return r;
        }
    }
    for (i = 0; i < n_outs; i++) {
        r = outs[i].af ? atomicfile_commit(outs[i].af, err) : ER_OK;
        outs[i].af = NULL;
        if (r)
            return r;
    }
    return ER_OK;
}

/* The rules' reads on running, one set per rule; NULL out of memory. */
static struct model_reads **
check_reads_new(size_t n)
{
    struct model_reads **v = calloc(n ? n : 1, sizeof *v);
    size_t i;

    for (i = 0; v && i < n; i++) {
        if (!(v[i] = model_reads_new())) {
            while (i--)
                model_reads_free(v[i]);
            free(v);
            return NULL;
        }
    }
    return v;
}

static void
check_reads_free(struct model_reads **v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        model_reads_free(v[i]);
    free(v);
}

/*
 * Running and candidate, incrementally: the network is normalized once and
 * judged with every rule's reads traced; the candidate devices are built
 * again in place, and only the rules that read a schema node where a
 * candidate differs from running run again. The others keep their findings
 * (moved from @p f_run into @p f_cand).
 */
static er_code
check_incremental(struct audit_session *s, const char *device, struct er_model **m, struct findings *f_run,
        struct findings *f_cand, unsigned char **rerun, struct er_err *err)
{
    struct norm_opts run = {0};
    struct model_reads **reads = NULL, *changed = model_reads_new();
    struct engine_opts traced = {0}, again = {0};
    size_t i, k = 0;
    er_code rc;

    if (!changed || !(reads = check_reads_new(s->n_rules)) || !(*rerun = calloc(s->n_rules ? s->n_rules : 1, 1))) {
        rc = er_set(err, ER_ENOMEM, "out of memory");
        goto done;
    }
    traced.reads = reads;
    ER_TRY(rc, model_new(s->ctx, m, err), done);
    ER_TRY(rc, norm_build(s->inv, s->snap, s->ref, &run, *m, err), done);
    audit_phase("normalize");
    ER_TRY(rc, engine_run_opts(*m, s->ref, s->rules, s->n_rules, s->inv, s->today, &traced, f_run, err), done);
    audit_phase("rules");
    ER_TRY(rc, check_apply_candidates(s, device, *m, changed, err), done);
    for (i = 0; i < s->n_rules; i++)
        k += (*rerun)[i] = (unsigned char)model_reads_meet(reads[i], changed);
    if (getenv("ERAUDIT_TIMING"))
        fprintf(stderr, "timing:   candidate differs at %zu schema nodes; %zu of %zu rules run again\n",
                model_reads_count(changed), k, s->n_rules);
    audit_phase("candidate");
    again.prev = f_run;
    again.rerun = *rerun;
    ER_TRY(rc, engine_run_opts(*m, s->ref, s->rules, s->n_rules, s->inv, s->today, &again, f_cand, err), done);
    audit_phase("rules");
done:
    check_reads_free(reads, s->n_rules);
    model_reads_free(changed);
    return rc;
}

int
audit_check(const struct audit_opts *o, FILE *errout)
{
    struct audit_session s;
    struct er_model *m = NULL, *m_run = NULL;
    struct findings f_run = {0}, f_cand = {0};
    struct er_err err = {0};
    struct norm_opts run = {0}, cand = {.candidate = 1, .candidate_device = o->candidate_device};
    struct audit_report_out outs[1 + AUDIT_MAX_REPORTS] = {{0}};
    struct hist_drift drift = {0};
    struct check_rerun rr = {0};
    unsigned char *rerun = NULL;
    size_t n_outs = 0, blocking = 0, i;
    char generated[32];
    int code = EXIT_BADINPUT;

    /* Every output is checked before any device is contacted. */
    if (audit_report_outs(o, outs, &n_outs, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return EXIT_BADINPUT;
    }
    if (audit_session_open(o, &s, &err))
        goto fail;
    audit_secrets_warn(&s, errout);
    if (audit_candidate_gate(&s, o->candidate_device, &err))
        goto fail;
    /* ERAUDIT_CHECK_FULL: both whole networks built and judged (the reference the tests compare with). */
    if (getenv("ERAUDIT_CHECK_FULL")) {
        if (audit_evaluate(&s, &run, &m_run, &f_run, &err) || audit_evaluate(&s, &cand, &m, &f_cand, &err))
            goto fail;
    } else if (check_incremental(&s, o->candidate_device, &m, &f_run, &f_cand, &rerun, &err)) {
        goto fail;
    }
    rr.rules = s.rules;
    rr.n = s.n_rules;
    rr.rerun = rerun;
    if (check_diff(&f_run, &f_cand, &rr, s.fail_on, s.snapdir, s.snap->created, &drift, &blocking, &err))
        goto fail;
    /* The gate's verdict: what the change adds, not what the network already had. */
    code = blocking ? EXIT_FINDINGS : engine_incomplete(&f_cand) ? EXIT_INCOMPLETE : EXIT_OK;
    audit_fmt_time(audit_now(), "%Y-%m-%dT%H:%M:%SZ", generated, sizeof generated);
    {
        struct report_ctx rc = {.f = &f_cand, .m = m, .snapshot = s.snapdir, .snapshot_created = s.snap->created,
                .generated = generated, .fail_on = s.fail_on, .exit_code = code, .verbose = o->verbose,
                .drift = &drift, .drift_title = "the change"};

        if (check_write(o, outs, n_outs, &rc, blocking, &err))
            goto fail;
    }
    audit_phase("report");
    goto cleanup;
fail:
    fprintf(errout, "eraudit: %s\n", err.msg);
    code = EXIT_BADINPUT;
cleanup:
    for (i = 0; i < n_outs; i++)
        atomicfile_abort(outs[i].af);
    hist_drift_free(&drift);
    free(rerun);
    rerun = NULL;
#if !ER_ASAN
    /* As audit: a process about to exit leaves a large network to the kernel. */
    if (o->exiting) {
        if (s.temp_snapshot)
            collect_remove(s.tmpdir);
        fflush(NULL);
        return code;
    }
#endif
    free(rerun);
    findings_clear(&f_run);
    findings_clear(&f_cand);
    model_free(m);
    model_free(m_run);
    audit_session_close(&s);
    return code;
}
