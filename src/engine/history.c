/**
 * @file history.c
 * @brief The meaning of the audit history, whatever store keeps it
 * (history_backend.h: SQLite file, PostgreSQL): which findings are kept,
 * when two runs' findings are the same, what is new and what is fixed.
 *
 * A finding is the same across runs when its rule, device, circuit and
 * path agree (its message when it has no path), as in `eraudit check`.
 * Only failing findings are kept (a large network passes tens of thousands
 * of checks); one the previous run had that is now waived is neither new
 * nor fixed. Each run is recorded whole or not at all.
 */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "history_backend.h"

struct history {
    const struct hist_backend *be;
    void *db;
};

static const struct hist_backend *const backends[] = {&hist_pg, &hist_sqlite};

static const struct hist_backend *
backend_for(const char *target)
{
    size_t i;

    for (i = 0; i < sizeof backends / sizeof *backends; i++) {
        if (backends[i]->claims(target))
            return backends[i];
    }
    return NULL;
}

static er_code
open_as(const char *target, int reading, struct history **out, struct er_err *err)
{
    const struct hist_backend *be = backend_for(target);
    struct history *h;
    er_code rc;

    *out = NULL;
    if (!be)
        return er_set(err, ER_EINVAL, "%s: not a history (a file, or a postgresql:// URL)", target);
    if (!(h = calloc(1, sizeof *h)))
        return er_set(err, ER_ENOMEM, "out of memory");
    h->be = be;
    if ((rc = be->open(target, reading, &h->db, err))) {
        free(h);
        return rc;
    }
    *out = h;
    return ER_OK;
}

er_code
history_open(const char *path, struct history **h, struct er_err *err)
{
    return open_as(path, 0, h, err);
}

void
history_close(struct history *h)
{
    if (!h)
        return;
    h->be->close(h->db);
    free(h);
}

void
hist_item_clear(struct hist_item *it)
{
    free(it->rule);
    free(it->severity);
    free(it->device);
    free(it->circuit);
    free(it->path);
    free(it->message);
    memset(it, 0, sizeof *it);
}

void
hist_row_clear(struct hist_row *r)
{
    free(r->at);
    free(r->snapshot);
    memset(r, 0, sizeof *r);
}

int
hist_items_push(struct hist_item **v, size_t *n, size_t *cap, struct hist_item *it)
{
    if (*n == *cap) {
        struct hist_item *nv = realloc(*v, (*cap = *cap ? *cap * 2 : 16) * sizeof *nv);

        if (!nv) {
            hist_item_clear(it);
            return -1;
        }
        *v = nv;
    }
    (*v)[(*n)++] = *it;
    return 0;
}

static void
items_free(struct hist_item *v, size_t n)
{
    while (v && n)
        hist_item_clear(&v[--n]);
    free(v);
}

/* The identity of a finding across runs. */
static char *
identity(const char *rule, const char *device, const char *circuit, const char *path, const char *message)
{
    size_t n = strlen(rule) + (device ? strlen(device) : 0) + (circuit ? strlen(circuit) : 0) +
            (path ? strlen(path) : strlen(message ? message : "")) + 8;
    char *k = malloc(n);

    if (k)
        snprintf(k, n, "%s\x1f%s\x1f%s\x1f%c%s", rule, device ? device : "", circuit ? circuit : "", path ? 'p' : 'm',
                path ? path : message ? message : "");
    return k;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the history keeps of a run. */
static int
counts(const struct finding *f)
{
    return f->status == ST_FAIL;
}

void
hist_drift_free(struct hist_drift *d)
{
    if (!d)
        return;
    free(d->prev_at);
    free(d->prev_snapshot);
    free(d->is_new);
    items_free(d->fixed, d->n_fixed);
    memset(d, 0, sizeof *d);
}

/*
 * The identity of each finding of @p f that is failing or waived, by index
 * (NULL for the others), and the same identities sorted in @p sorted (not
 * owned): a finding of the previous run that is only waived now was not fixed.
 */
static int
finding_ids(const struct findings *f, char ***ids, char ***sorted, size_t *n)
{
    size_t i;

    *n = 0;
    *ids = calloc(f->n ? f->n : 1, sizeof **ids);
    *sorted = calloc(f->n ? f->n : 1, sizeof **sorted);
    if (!*ids || !*sorted)
        return -1;
    for (i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];

        if (!counts(x) && x->status != ST_WAIVED)
            continue;
        if (!((*ids)[i] = identity(x->rule, x->device, x->circuit, x->path, x->message)))
            return -1;
        (*sorted)[(*n)++] = (*ids)[i];
    }
    if (*n)
        qsort(*sorted, *n, sizeof **sorted, cmp_str);
    return 0;
}

static void
keys_free(char **k, size_t n)
{
    while (k && n)
        free(k[--n]);
    free(k);
}

er_code
history_drift(struct history *h, const struct findings *f, struct hist_drift *d, struct er_err *err)
{
    char **ids = NULL, **now = NULL, **prev = NULL;
    struct hist_item *items = NULL;
    struct hist_row run = {0};
    size_t n_now = 0, n_items = 0, n_prev = 0, cap_fixed = 0, i;
    er_code rc = ER_OK;

    memset(d, 0, sizeof *d);
    if (!(d->is_new = calloc(f->n ? f->n : 1, 1)) || finding_ids(f, &ids, &now, &n_now))
        goto oom;
    ER_TRY(rc, h->be->latest(h->db, &d->have_prev, &run, &items, &n_items, err), done);
    if (!d->have_prev)
        goto done;
    d->prev_id = run.id;
    d->prev_at = run.at;
    d->prev_snapshot = run.snapshot;
    run.at = run.snapshot = NULL;

    /* The previous run's failing findings: fixed when the current run lacks them. */
    if (!(prev = calloc(n_items ? n_items : 1, sizeof *prev)))
        goto oom;
    for (i = 0; i < n_items; i++) {
        struct hist_item *it = &items[i];

        if (!(prev[n_prev] = identity(it->rule, it->device, it->circuit, it->path, it->message)))
            goto oom;
        n_prev++;
        if (n_now && bsearch(&prev[n_prev - 1], now, n_now, sizeof *now, cmp_str))
            continue;
        if (hist_items_push(&d->fixed, &d->n_fixed, &cap_fixed, it))
            goto oom;
        memset(it, 0, sizeof *it);   /* taken over */
    }
    if (n_prev)
        qsort(prev, n_prev, sizeof *prev, cmp_str);
    for (i = 0; i < f->n; i++) {
        if (!counts(&f->v[i]))
            continue;
        if (!n_prev || !bsearch(&ids[i], prev, n_prev, sizeof *prev, cmp_str)) {
            d->is_new[i] = 1;
            d->n_new++;
        }
    }
    goto done;
oom:
    rc = er_set(err, ER_ENOMEM, "out of memory");
done:
    hist_row_clear(&run);
    items_free(items, n_items);
    free(now);
    keys_free(ids, f->n);
    keys_free(prev, n_prev);
    if (rc)
        hist_drift_free(d);
    return rc;
}

er_code
history_record(struct history *h, const struct hist_run *run, const struct findings *f, const struct hist_drift *d,
        struct er_err *err)
{
    const struct finding **fail = calloc(f->n ? f->n : 1, sizeof *fail);
    size_t i, n = 0;
    er_code rc;

    if (!fail)
        return er_set(err, ER_ENOMEM, "out of memory");
    for (i = 0; i < f->n; i++) {
        if (counts(&f->v[i]))
            fail[n++] = &f->v[i];
    }
    rc = h->be->record(h->db, run, d, fail, n, err);
    free(fail);
    return rc;
}

static int
print_runs(struct history *h, size_t last, FILE *out, FILE *errout)
{
    struct hist_row *rows = NULL;
    struct er_err err = {0};
    size_t n = 0, i;
    char nw[24], fx[24];

    if (h->be->runs(h->db, last, &rows, &n, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return 2;
    }
    fprintf(out, "%-5s %-20s %4s %7s %5s %5s %8s  %s\n", "run", "at", "exit", "failing", "new", "fixed", "devices",
            "snapshot");
    for (i = 0; i < n; i++) {
        const struct hist_row *r = &rows[i];
        char nc[32] = "";

        if (r->not_collected > 0)
            snprintf(nc, sizeof nc, " (%ld not collected)", r->not_collected);
        snprintf(nw, sizeof nw, "%ld", r->n_new);
        snprintf(fx, sizeof fx, "%ld", r->n_fixed);
        fprintf(out, "%-5ld %-20s %4d %7ld %5s %5s %8ld  %s%s\n", r->id, r->at ? r->at : "", r->exit_code,
                r->failing < 0 ? 0 : r->failing, r->n_new < 0 ? "-" : nw, r->n_fixed < 0 ? "-" : fx,
                r->devices < 0 ? 0 : r->devices, r->snapshot ? r->snapshot : "", nc);
    }
    if (!n)
        fprintf(out, "(no runs recorded yet)\n");
    for (i = 0; i < n; i++)
        hist_row_clear(&rows[i]);
    free(rows);
    return 0;
}

static int
print_run(struct history *h, const char *name, long id, FILE *out, FILE *errout)
{
    struct hist_row r = {0};
    struct hist_item *items = NULL;
    struct er_err err = {0};
    size_t n = 0, i;
    int found = 0;

    if (h->be->run(h->db, id, &found, &r, &items, &n, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return 2;
    }
    if (!found) {
        fprintf(errout, "eraudit: %s: no run %ld (eraudit history %s lists them)\n", name, id, name);
        return 2;
    }
    fprintf(out, "run %ld at %s, snapshot %s, exit %d\n", id, r.at ? r.at : "", r.snapshot ? r.snapshot : "",
            r.exit_code);
    for (i = 0; i < n; i++) {
        fprintf(out, "  x %-9s %-8s %s", items[i].rule, items[i].severity ? items[i].severity : "", items[i].message);
        if (items[i].circuit)
            fprintf(out, " [circuit %s]", items[i].circuit);
        fputc('\n', out);
    }
    fprintf(out, "%zu failing findings\n", n);
    hist_row_clear(&r);
    items_free(items, n);
    return 0;
}

int
history_print(const char *path, size_t last, long run_id, FILE *out, FILE *errout)
{
    struct history *h;
    struct er_err err = {0};
    int code;

    if (open_as(path, 1, &h, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return 2;
    }
    code = run_id ? print_run(h, path, run_id, out, errout) : print_runs(h, last, out, errout);
    history_close(h);
    return code;
}
