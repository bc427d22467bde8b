/**
 * @file check.c
 * @brief Pre-change validation (check module): the findings candidate
 * configurations would add to and remove from the running network.
 *
 * The network is normalized once, from running, and judged with every
 * rule's reads recorded (model_reads); then only the devices with a
 * candidate are built again, from it, in place, and only the rules that read
 * a schema node where a candidate differs from running run again. Devices
 * are built one by one from their own files and the same inventory parts
 * (norm_build), so the tree judged second is the very tree a normalization
 * of the candidate network makes; a rule that read nothing that differs
 * reads the same values in the same order, so it reports the same findings.
 * The verdicts are those of two full audits, at the cost of one.
 *
 * Before the candidates go in, the running tree is cut down to what the
 * rules read (their union, with ancestors and keys): on the synthetic
 * networks more than half the nodes (counters, descriptions) that no rule
 * looks at. The rules run again are traced as well; one that read on the
 * candidate a schema node the cut removed would have seen a hole, so the
 * check is then made again on the whole, uncut network.
 */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkcache.h"
#include "engine.h"
#include "model_reads.h"

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

/*
 * Whether findings of rule @p id were made again: a rule not run again kept
 * its running findings, the same on both sides (and no longer in running's
 * list), so it adds and removes nothing.
 */
static int
check_was_rerun(const struct run *s, const unsigned char *rerun, const char *id)
{
    size_t i;

    if (!rerun || !strcmp(id, ENGINE_COLLECT_RULE))
        return 1;
    for (i = 0; i < s->n_rules; i++) {
        if (!strcmp(s->rules[i].id, id))
            return rerun[i];
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
check_diff(const struct run *s, const struct findings *run, const struct findings *cand, const unsigned char *rerun,
        struct hist_drift *d, size_t *blocking, struct er_err *err)
{
    const struct finding **vr = NULL, **vc = NULL;
    size_t nr, nc, i;
    er_code rc = ER_OK;

    memset(d, 0, sizeof *d);
    *blocking = 0;
    vr = check_sorted(run, &nr);
    vc = check_sorted(cand, &nc);
    d->have_prev = 1;
    d->prev_at = dup_or_null(s->snap->created);
    d->prev_snapshot = malloc(strlen(s->snapdir) + sizeof " (running)");
    d->is_new = calloc(cand->n ? cand->n : 1, 1);
    d->fixed = calloc(nr ? nr : 1, sizeof *d->fixed);
    if (!vr || !vc || !d->prev_snapshot || !d->is_new || !d->fixed) {
        rc = er_set(err, ER_ENOMEM, "out of memory");
        goto done;
    }
    sprintf(d->prev_snapshot, "%s (running)", s->snapdir);
    for (i = 0; i < cand->n; i++) {
        const struct finding *x = &cand->v[i];

        if (x->status != ST_FAIL || !check_was_rerun(s, rerun, x->rule) || check_has(vr, nr, x))
            continue;
        d->is_new[i] = 1;
        d->n_new++;
        *blocking += x->sev >= s->fail_on && x->section != SECT_COLLECTION;
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

/* Build device @p name again from its candidate; note in @p changed where its entry differs from running's. */
static er_code
check_replace(struct run *s, const struct norm_opts *cand, struct er_model *m, const char *name,
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
check_apply_candidates(struct run *s, const char *device, struct er_model *m, struct model_reads *changed,
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
        if ((device && strcmp(device, name)) || !run_has_candidate(root, name))
            continue;
        rc = check_replace(s, &cand, m, name, changed, err);
    }
    close(root);
    return rc;
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
 * What the rules read on running, with what a tree cut down to it needs
 * (ancestors, keys): the union of @p reads and of every device's collection
 * (COLLECT-001's), closed; NULL out of memory.
 */
static struct model_reads *
check_keep(struct ly_ctx *ctx, struct model_reads *const *reads, size_t n)
{
    struct model_reads *k = model_reads_new();
    const struct lysc_node *col = lys_find_path(ctx, NULL, "/eraudit-network:network/device/collection", 0), *x;
    size_t i;

    for (i = 0; k && i < n; i++)
        model_reads_merge(k, reads[i]);
    /* COLLECT-001, made again on every run and not traced: what a device's collection says is kept whole. */
    if (k && col) {
        LYSC_TREE_DFS_BEGIN(col, x) {
            model_reads_add(k, x);
            LYSC_TREE_DFS_END(col, x);
        }
    } else if (k) {
        model_reads_everything(k);
    }
    model_reads_close(k);
    return k;
}

/*
 * The running network judged with every rule's reads traced: from the cache
 * entry when @p use_cache finds a valid one, else normalized and judged (and
 * written to the entry). *@p reads is made again when a damaged entry left
 * nodes in it.
 */
static er_code
check_running(struct run *s, int use_cache, int prune, struct check_result *r, struct model_reads ***reads,
        struct model_reads **keep, struct er_err *err)
{
    struct norm_opts run = {0};
    struct engine_opts traced = {0};
    struct er_err cerr = {0};
    char why[PATH_MAX + 64];
    int hit;
    er_code rc;

    if (use_cache && ccache_open(s, &r->cache, &cerr))
        snprintf(r->warning, sizeof r->warning, "check cache not used: %s", cerr.msg);
    if (r->cache) {
        hit = ccache_load(r->cache, s, &r->m, &r->run, *reads, why, sizeof why);
        if (hit < 0)
            snprintf(r->warning, sizeof r->warning, "check cache %s is damaged (%s): built again",
                    ccache_dir(r->cache), why);
        if (getenv("ERAUDIT_TIMING"))
            fprintf(stderr, "timing:   cache %s (%s)\n", hit > 0 ? "warm" : "cold", hit > 0 ? ccache_dir(r->cache) : why);
        run_phase("cache");
        if (hit > 0) {
            r->cache_hit = 1;
            /* The entry's tree was cut down to what the rules read when it was written. */
            if (prune && !(*keep = check_keep(s->ctx, *reads, s->n_rules)))
                return er_set(err, ER_ENOMEM, "out of memory");
            return ER_OK;
        }
        check_reads_free(*reads, s->n_rules);
        if (!(*reads = check_reads_new(s->n_rules)))
            return er_set(err, ER_ENOMEM, "out of memory");
    }
    traced.reads = *reads;
    ER_TRY(rc, model_new(s->ctx, &r->m, err), done);
    ER_TRY(rc, norm_build(s->inv, s->snap, s->ref, &run, r->m, err), done);
    run_phase("normalize");
    ER_TRY(rc, engine_run_opts(r->m, s->ref, s->rules, s->n_rules, s->inv, s->today, &traced, &r->run, err), done);
    run_phase("rules");
    /*
     * What no rule read goes: the candidate is judged on the same cut tree
     * (with or without the cache), which the entry keeps smaller and reads
     * back faster. A rule that reads more on the candidate is caught there.
     */
    if (prune) {
        if (!(*keep = check_keep(s->ctx, *reads, s->n_rules)))
            return er_set(err, ER_ENOMEM, "out of memory");
        model_reads_prune(r->m->net, *keep);
        run_phase("prune");
    }
    if (r->cache && ccache_save(r->cache, s, r->m, &r->run, *reads, &cerr))
        snprintf(r->warning, sizeof r->warning, "check cache not written: %s", cerr.msg);
    run_phase("cache-save");
done:
    return rc;
}

/*
 * Running and candidate, incrementally: the network is normalized once (or
 * read from the cache) and judged with every rule's reads traced; the
 * candidate devices are built again in place, and only the rules that read
 * a schema node where a candidate differs from running run again. The
 * others keep their findings (moved from r->run into r->cand).
 */
static er_code
check_incremental(struct run *s, const char *device, int use_cache, int prune, struct check_result *r,
        int *outside, struct er_err *err)
{
    struct model_reads **reads = NULL, **reads2 = NULL, *changed = model_reads_new(), *keep = NULL;
    struct engine_opts again = {0};
    size_t i, k = 0;
    er_code rc;

    *outside = 0;
    if (!changed || !(reads = check_reads_new(s->n_rules)) || !(reads2 = check_reads_new(s->n_rules)) ||
            !(r->rerun = calloc(s->n_rules ? s->n_rules : 1, 1))) {
        rc = er_set(err, ER_ENOMEM, "out of memory");
        goto done;
    }
    ER_TRY(rc, check_running(s, use_cache, prune, r, &reads, &keep, err), done);
    ER_TRY(rc, check_apply_candidates(s, device, r->m, changed, err), done);
    for (i = 0; i < s->n_rules; i++)
        k += r->rerun[i] = (unsigned char)model_reads_meet(reads[i], changed);
    if (getenv("ERAUDIT_TIMING")) {
        fprintf(stderr, "timing:   candidate differs at %zu schema nodes; %zu of %zu rules run again:",
                model_reads_count(changed), k, s->n_rules);
        for (i = 0; i < s->n_rules; i++)
            if (r->rerun[i])
                fprintf(stderr, " %s", s->rules[i].id);
        fputc('\n', stderr);
    }
    run_phase("candidate");
    again.prev = &r->run;
    again.rerun = r->rerun;
    /* On a cut tree, traced: a rule that read what was cut saw a hole, not the candidate. */
    again.reads = keep ? reads2 : NULL;
    ER_TRY(rc, engine_run_opts(r->m, s->ref, s->rules, s->n_rules, s->inv, s->today, &again, &r->cand, err), done);
    run_phase("rules");
    for (i = 0; keep && i < s->n_rules; i++) {
        if (r->rerun[i] && !model_reads_within(reads2[i], keep)) {
            if (getenv("ERAUDIT_TIMING"))
                fprintf(stderr, "timing:   %s read on the candidate what no rule read on running: "
                        "built again, uncut\n", s->rules[i].id);
            *outside = 1;
            break;
        }
    }
done:
    check_reads_free(reads, s->n_rules);
    check_reads_free(reads2, s->n_rules);
    model_reads_free(changed);
    model_reads_free(keep);
    return rc;
}

er_code
check_run(struct run *s, const char *device, int full, int use_cache, struct check_result *r, struct er_err *err)
{
    struct norm_opts run = {0}, cand = {.candidate = 1, .candidate_device = device};
    er_code rc;

    memset(r, 0, sizeof *r);
    if (full) {
        /* Both whole networks built and judged: the reference the tests hold the check to. */
        ER_TRY(rc, run_evaluate(s, &run, &r->m_run, &r->run, err), done);
        ER_TRY(rc, run_evaluate(s, &cand, &r->m, &r->cand, err), done);
    } else {
        int outside;

        ER_TRY(rc, check_incremental(s, device, use_cache, 1, r, &outside, err), done);
        if (outside) {
            /* Rare: the candidate led a rule to what the cut tree lacks. The whole network, uncut. */
            char warning[sizeof r->warning];

            memcpy(warning, r->warning, sizeof warning);
            check_result_free(r);
            memcpy(r->warning, warning, sizeof warning);
            ER_TRY(rc, check_incremental(s, device, 0, 0, r, &outside, err), done);
        }
    }
    rc = check_diff(s, &r->run, &r->cand, r->rerun, &r->drift, &r->blocking, err);
done:
    return rc;
}

void
check_result_free(struct check_result *r)
{
    if (!r)
        return;
    hist_drift_free(&r->drift);
    free(r->rerun);
    findings_clear(&r->run);
    findings_clear(&r->cand);
    /* After the findings: those read from the cache point to its strings. */
    ccache_free(r->cache);
    model_free(r->m);
    model_free(r->m_run);
    memset(r, 0, sizeof *r);
}
