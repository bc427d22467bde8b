/**
 * @file engine.c
 * @brief The rule engine: runs rules, applies policy, computes outcomes.
 */
#include "engine.h"

#include "checklist.h"
#include "model_reads.h"
#include "userrules.h"
#include "pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

er_code
engine_check_paths(const struct ly_ctx *ctx, const struct rule *rules, size_t n, struct er_err *err)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        for (j = 0; rules[i].paths && rules[i].paths[j]; j++) {
            if (!lys_find_path(ctx, NULL, rules[i].paths[j], 0))
                return er_set(err, ER_EINTERNAL, "rule %s reads '%s', which is not in the eraudit-network schema",
                        rules[i].id, rules[i].paths[j]);
        }
    }
    return ER_OK;
}

/* Devices whose collection failed or was partial become findings. */
static er_code
collection_findings(const struct er_model *m, struct findings *out)
{
    static const struct rule collect = {
        .id = ENGINE_COLLECT_RULE, .title = "Every device was collected", .section = SECT_COLLECTION,
        .sev = SEV_HIGH, .remediation = "Fix reachability, credentials or the device's reply, then collect again."};
    struct rule_ctx rc = {.rule = &collect, .m = m, .out = out};
    struct lyd_node *dev, *col;

    MODEL_FOR(m->net, "device", dev) {
        const char *status, *reason;
        struct evidence ev = {.source = SRC_COLLECTION};

        col = model_child(dev, "collection");
        status = model_str(col, "status");
        if (!status || !strcmp(status, "collected"))
            continue;
        reason = model_str(col, "reason");
        ev.path = model_path(col);
        ev.seen = status;
        ev.expected = "collected";
        rule_report(&rc, ST_FAIL, -1, model_str(dev, "name"), NULL, &ev, "%s not %scollected: %s",
                model_str(dev, "name"), strcmp(status, "partial") ? "" : "fully ", reason ? reason : "no reason given");
    }
    return rc.rc;
}

static const struct inv_waiver *
find_waiver(const struct inventory *inv, const struct finding *f)
{
    size_t i;

    for (i = 0; inv && i < inv->n_waivers; i++) {
        const struct inv_waiver *w = &inv->waivers[i];

        if (strcmp(w->rule, f->rule))
            continue;
        if (w->device && (!f->device || strcmp(w->device, f->device)))
            continue;
        if (w->circuit && (!f->circuit || strcmp(w->circuit, f->circuit)))
            continue;
        return w;
    }
    return NULL;
}

static void
apply_policy(const struct inventory *inv, const char *today, struct findings *out, size_t from)
{
    size_t i, j;

    for (i = from; i < out->n; i++) {
        struct finding *f = &out->v[i];
        const struct inv_waiver *w;
        char buf[1024];

        for (j = 0; inv && j < inv->n_overrides; j++) {
            int s = sev_parse(inv->overrides[j].severity);

            if (!strcmp(inv->overrides[j].rule, f->rule) && s >= 0)
                f->sev = (enum er_sev)s;
        }
        if (f->status != ST_FAIL || !(w = find_waiver(inv, f)))
            continue;
        if (w->expires && strcmp(w->expires, today) < 0) {
            snprintf(buf, sizeof buf, "%s (waiver by %s expired on %s)", f->message, w->owner ? w->owner : "?",
                    w->expires);
            free(f->message);
            f->message = strdup(buf);
            continue;
        }
        snprintf(buf, sizeof buf, "%s: %s (until %s)", w->owner ? w->owner : "?", w->reason ? w->reason : "",
                w->expires ? w->expires : "no date");
        f->waiver = strdup(buf);
        f->status = ST_WAIVED;
    }
}

static er_code
add_result(struct findings *out, const struct rule *r, size_t from, const struct inventory *inv)
{
    struct rule_result *res;
    size_t i, n_fail = 0, n_skip = 0, n_pass = 0;
    const char *reason = NULL;

    if (out->n_rules == out->cap_rules) {
        size_t cap = out->cap_rules ? out->cap_rules * 2 : 32;
        struct rule_result *v = realloc(out->rules, cap * sizeof *v);

        if (!v)
            return ER_ENOMEM;
        out->rules = v;
        out->cap_rules = cap;
    }
    for (i = from; i < out->n; i++) {
        n_fail += out->v[i].status == ST_FAIL;
        n_pass += out->v[i].status == ST_PASS || out->v[i].status == ST_WAIVED;
        if (out->v[i].status == ST_NOT_EVALUATED) {
            if (!n_skip++)
                reason = out->v[i].message;
        }
    }
    res = &out->rules[out->n_rules++];
    memset(res, 0, sizeof *res);
    res->id = r->id;
    res->title = r->title;
    res->section = r->section;
    res->sev = r->sev;
    for (i = 0; inv && i < inv->n_overrides; i++) {
        if (!strcmp(inv->overrides[i].rule, r->id) && sev_parse(inv->overrides[i].severity) >= 0)
            res->sev = (enum er_sev)sev_parse(inv->overrides[i].severity);
    }
    /* Never a silent pass: a rule that found nothing to judge is not evaluated. */
    if (n_fail)
        res->outcome = OUT_FAIL;
    else if (n_skip || !n_pass)
        res->outcome = OUT_NOT_EVALUATED;
    else
        res->outcome = OUT_PASS;
    if (res->outcome == OUT_NOT_EVALUATED)
        res->reason = strdup(reason ? reason : "nothing in this network for the rule to check");
    return ER_OK;
}

/* One rule of a run: it reports into findings of its own, merged in table order. */
struct rule_job {
    const struct rule *rule;
    struct findings out;
    er_code rc;
    double ms, cpu_ms;           /* wall time, and this thread's CPU time (a busy machine inflates wall only) */
    struct model_reads *reads;   /* records what the rule reads, when traced */
    int skip;                    /* not run: its findings come from an earlier run */
};

struct rule_pool {
    struct rule_job *jobs;
    struct pool_queue q;
    const struct er_model *m;
    const struct refdata *ref;
    struct rule_shared *shared;
};

static double
ms_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

static void
run_job(struct rule_pool *p, struct rule_job *j)
{
    struct rule_ctx rctx = {.rule = j->rule, .m = p->m, .ref = p->ref, .out = &j->out, .shared = p->shared};
    struct timespec t0, t1, c0, c1;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    model_reads_start(j->reads);
    j->rule->check(&rctx);
    model_reads_start(NULL);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    j->ms = ms_between(&t0, &t1);
    j->cpu_ms = ms_between(&c0, &c1);
    j->rc = rctx.rc;
}

/* Built-in rules, taken in table order by whichever thread is free. */
static void *
rule_worker(void *arg)
{
    struct rule_pool *p = arg;
    size_t i;

    while (pool_take(&p->q, &i)) {
        if (!urules_is_user(p->jobs[i].rule) && !p->jobs[i].skip)
            run_job(p, &p->jobs[i]);
    }
    /* model_find()'s index is per thread. */
    model_cache_reset();
    return NULL;
}

/*
 * The findings of rule @p id in @p prev, from index *pos on (an earlier run
 * reports rule by rule in table order): moved to the end of @p out. -1 when
 * out of memory.
 */
static int
take_prev(struct findings *out, struct findings *prev, size_t *pos, const char *id)
{
    size_t end = *pos, k;

    while (end < prev->n && !strcmp(prev->v[end].rule, id))
        end++;
    for (k = *pos; k < end; k++) {
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 256;
            struct finding *v = realloc(out->v, cap * sizeof *v);

            if (!v)
                return -1;
            out->v = v;
            out->cap = cap;
        }
        out->v[out->n++] = prev->v[k];
        memset(&prev->v[k], 0, sizeof prev->v[k]);
    }
    *pos = end;
    return 0;
}

/* Drop the entries of @p prev that take_prev() emptied (their rule is NULL). */
static void
prev_compact(struct findings *prev)
{
    size_t i, k = 0;

    for (i = 0; i < prev->n; i++) {
        if (prev->v[i].rule)
            prev->v[k++] = prev->v[i];
    }
    prev->n = k;
}

/*
 * The built-in rules run on a few threads over the frozen tree: every
 * lookup they make is a read (model_freeze), and what they share is made
 * first and sealed (rule_shared_prepare). User rules evaluate XPath in
 * libyang, which is not safe from several threads on one tree: they run
 * afterwards on this thread. Findings, timings and errors are taken in table
 * order, so the report does not depend on which thread ran what.
 */
er_code
engine_run(const struct er_model *m, const struct refdata *ref, const struct rule *rules, size_t n,
        const struct inventory *inv, const char *today, struct findings *out, struct er_err *err)
{
    return engine_run_opts(m, ref, rules, n, inv, today, NULL, out, err);
}

er_code
engine_run_opts(const struct er_model *m, const struct refdata *ref, const struct rule *rules, size_t n,
        const struct inventory *inv, const char *today, const struct engine_opts *eo, struct findings *out,
        struct er_err *err)
{
    struct model_reads *shared_reads = NULL;
    size_t prev_pos = 0;
    struct rule_shared shared = {0};
    struct rule_pool pool = {.m = m, .ref = ref, .shared = &shared};
    pthread_t tids[ENGINE_MAX_THREADS];
    int timing = getenv("ERAUDIT_TIMING") != NULL;
    size_t ndev = 0;
    struct timespec t0, t1;
    size_t i, from, nt = pool_threads(ENGINE_MAX_THREADS), started = 0;
    er_code rc = ER_OK;

    /* The rules only read the tree: their lookups can be table reads. */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    model_freeze(m);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (timing) {
        struct lyd_node *d;

        /* Per-device costs show what does not grow linearly with the network. */
        MODEL_FOR(m->net, "device", d)
            ndev++;
        if (!ndev)
            ndev = 1;
        fprintf(stderr, "timing:   (freeze)  %8.1f ms\n", ms_between(&t0, &t1));
    }
    if ((rc = collection_findings(m, out))) {
        rc = er_set(err, rc, "out of memory");
        goto done;
    }
    if (!(pool.jobs = calloc(n ? n : 1, sizeof *pool.jobs))) {
        rc = er_set(err, ER_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < n; i++) {
        pool.jobs[i].rule = &rules[i];
        pool.jobs[i].reads = eo && eo->reads ? eo->reads[i] : NULL;
        pool.jobs[i].skip = eo && eo->prev && eo->rerun && !eo->rerun[i];
    }
    /* An earlier run's COLLECT-001 findings come first; they were made again above. */
    while (eo && eo->prev && prev_pos < eo->prev->n && !strcmp(eo->prev->v[prev_pos].rule, ENGINE_COLLECT_RULE))
        prev_pos++;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* Traced, what the rules share is made up front, so that its reads count for every rule. */
    if (nt > 1 || (eo && eo->reads)) {
        struct rule_ctx prep = {.m = m, .ref = ref, .shared = &shared};
        struct timespec c0, c1;

        /* The process's CPU: the preparation runs on two threads, and nothing else runs meanwhile. */
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
        if (eo && eo->reads && !(shared_reads = model_reads_new())) {
            rc = er_set(err, ER_ENOMEM, "out of memory");
            goto done;
        }
        model_reads_start(shared_reads);
        rule_shared_prepare(&prep);
        model_reads_start(NULL);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
        if (timing)
            fprintf(stderr, "timing:   (shared)  %8.1f ms  (%.2f us/device)  cpu %8.1f ms  %.2f us/device\n",
                    ms_between(&t1, &t0), 1000.0 * ms_between(&t1, &t0) / ndev, ms_between(&c0, &c1),
                    1000.0 * ms_between(&c0, &c1) / ndev);
    }
    pool_init(&pool.q, n);
    for (started = 0; started + 1 < nt; started++) {
        if (pthread_create(&tids[started], NULL, rule_worker, &pool))
            break;
    }
    rule_worker(&pool);
    for (i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    pool_destroy(&pool.q);
    for (i = 0; i < n; i++) {
        if (urules_is_user(&rules[i]) && !pool.jobs[i].skip)
            run_job(&pool, &pool.jobs[i]);
        /* XPath is evaluated by libyang, out of sight: a user rule reads everything. */
        if (pool.jobs[i].reads && urules_is_user(&rules[i]))
            model_reads_everything(pool.jobs[i].reads);
        else
            model_reads_merge(pool.jobs[i].reads, shared_reads);
    }

    for (i = 0; i < n; i++) {
        struct rule_job *j = &pool.jobs[i];

        if (timing)
            fprintf(stderr, "timing:   %-9s %8.1f ms  (%.2f us/device)  cpu %8.1f ms  %.2f us/device\n", rules[i].id,
                    j->ms, 1000.0 * j->ms / ndev, j->cpu_ms, 1000.0 * j->cpu_ms / ndev);
        if (j->rc) {
            rc = er_set(err, j->rc, "rule %s: internal error", rules[i].id);
            goto done;
        }
        from = out->n;
        if (j->skip) {
            /* Findings made and judged by the earlier run: policy applied already. */
            if (take_prev(out, eo->prev, &prev_pos, rules[i].id)) {
                rc = er_set(err, ER_ENOMEM, "out of memory");
                goto done;
            }
        } else {
            /* Skip past this rule's earlier findings: they stay in prev. */
            while (eo && eo->prev && prev_pos < eo->prev->n && !strcmp(eo->prev->v[prev_pos].rule, rules[i].id))
                prev_pos++;
            if (findings_take(out, &j->out) || findings_dedup(out, from)) {
                rc = er_set(err, ER_ENOMEM, "out of memory");
                goto done;
            }
            apply_policy(inv, today, out, from);
        }
        if (add_result(out, &rules[i], from, inv)) {
            rc = er_set(err, ER_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (eo && eo->prev) {
        /* The earlier run must have reported rule by rule in this table's order;
         * what follows the rules is the checklist's, made again below. */
        for (i = prev_pos; i < eo->prev->n; i++) {
            for (from = 0; from < n && strcmp(rules[from].id, eo->prev->v[i].rule); from++)
                ;
            if (from < n) {
                rc = er_set(err, ER_EINTERNAL, "the earlier findings are not those of these rules (%s at %zu)",
                        rules[from].id, i);
                goto done;
            }
        }
        prev_compact(eo->prev);
    }
    /* Every checklist question: answered by the rules above, attested in the inventory, or not at all. */
    rc = checklist_answer(inv, rules, n, out, err);
done:
    model_reads_free(shared_reads);
    for (i = 0; pool.jobs && i < n; i++)
        findings_clear(&pool.jobs[i].out);
    free(pool.jobs);
    rule_shared_free(&shared);
    /* Callers may change the tree and run the rules again. */
    model_thaw(m);
    return rc;
}

size_t
engine_incomplete(const struct findings *f)
{
    size_t i, n = 0;

    for (i = 0; i < f->n; i++)
        n += f->v[i].section == SECT_COLLECTION && f->v[i].status == ST_FAIL;
    return n;
}

enum er_exit
engine_exit_code(const struct findings *f, enum er_sev fail_on)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (f->v[i].status == ST_FAIL && f->v[i].section != SECT_COLLECTION && f->v[i].sev >= fail_on)
            return EXIT_FINDINGS;
    }
    return engine_incomplete(f) ? EXIT_INCOMPLETE : EXIT_OK;
}
