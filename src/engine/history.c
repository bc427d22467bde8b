/**
 * @file history.c
 * @brief The audit history in SQLite: one row per run, one per failing
 * finding of the run. A finding is the same across runs when its rule,
 * device, circuit and path agree (its message when it has no path), as in
 * `eraudit check`. Each run is written in one transaction, so a history is
 * never left with half a run. Only failing findings are kept (a large
 * network passes tens of thousands of checks); one the previous run had
 * that is now waived is neither new nor fixed.
 *
 * A history file that does not exist yet is created only when a run is
 * recorded: in a temporary file beside it, renamed into place once the
 * first run is committed, so an interrupted run never leaves an empty or
 * half-made history. An existing one is protected by SQLite's transaction.
 */
#define _GNU_SOURCE /* renameat2, mkostemp */
#include "history.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "cleanup.h"

#include <sqlite3.h>

#define HIST_VERSION 1
#define HIST_BUSY_MS 5000

struct history {
    sqlite3 *db;             /* NULL until recorded, when the file does not exist yet */
    char *path;
};

static const char hist_schema[] =
    "CREATE TABLE run ("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, snapshot TEXT, snapshot_created TEXT, tool_version TEXT,"
    " fail_on TEXT, exit_code INTEGER, devices INTEGER, not_collected INTEGER, rules INTEGER,"
    " passed INTEGER, failed INTEGER, not_evaluated INTEGER, failing INTEGER, new INTEGER, fixed INTEGER);"
    "CREATE TABLE finding ("
    " run INTEGER NOT NULL REFERENCES run(id), rule TEXT NOT NULL, severity TEXT NOT NULL,"
    " device TEXT, circuit TEXT, path TEXT, message TEXT NOT NULL);"
    "CREATE INDEX finding_run ON finding(run);"
    "PRAGMA user_version = 1;";

static er_code
db_err(struct history *h, struct er_err *err, const char *what)
{
    int code = sqlite3_errcode(h->db);

    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return er_set(err, ER_EINVAL, "%s: not an eraudit history (%s)", h->path, sqlite3_errmsg(h->db));
    return er_set(err, ER_EIO, "%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

/* One integer a query returns, -1 when it returns nothing. */
static er_code
query_int(struct history *h, const char *sql, long *out, struct er_err *err)
{
    sqlite3_stmt *st;
    int r;

    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_err(h, err, "reading");
    r = sqlite3_step(st);
    *out = r == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? ER_OK : db_err(h, err, "reading");
}

er_code
history_open(const char *path, struct history **out, struct er_err *err)
{
    struct history *h = calloc(1, sizeof *h);
    long version, tables;
    er_code rc;

    *out = NULL;
    if (!h || !(h->path = strdup(path))) {
        free(h);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    if (access(path, F_OK) && errno == ENOENT) {
        /* Created when the run is recorded; its directory must take it. */
        char dir[PATH_MAX];
        const char *slash = strrchr(path, '/');

        snprintf(dir, sizeof dir, "%.*s", !slash ? 1 : slash == path ? 1 : (int)(slash - path), !slash ? "." : path);
        if (access(dir, W_OK | X_OK)) {
            rc = er_set(err, ER_EIO, "%s: cannot open the history: %s", path, strerror(errno));
            goto fail;
        }
        *out = h;
        return ER_OK;
    }
    if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = er_set(err, ER_EIO, "%s: cannot open the history: %s", path, h->db ? sqlite3_errmsg(h->db) :
                "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(h->db, HIST_BUSY_MS);
    ER_TRY(rc, query_int(h, "PRAGMA user_version", &version, err), fail);
    ER_TRY(rc, query_int(h, "SELECT count(*) FROM sqlite_master", &tables, err), fail);
    if (version == 0 && tables == 0) {
        if (sqlite3_exec(h->db, hist_schema, NULL, NULL, NULL) != SQLITE_OK) {
            rc = db_err(h, err, "creating the history");
            goto fail;
        }
    } else if (version == 0) {
        rc = er_set(err, ER_EINVAL, "%s: not an eraudit history (an SQLite file holding other tables)", path);
        goto fail;
    } else if (version != HIST_VERSION) {
        rc = er_set(err, ER_EINVAL, "%s: not an eraudit history (an SQLite file of version %ld, expected %d)",
                path, version, HIST_VERSION);
        goto fail;
    }
    *out = h;
    return ER_OK;
fail:
    history_close(h);
    return rc;
}

void
history_close(struct history *h)
{
    if (!h)
        return;
    sqlite3_close(h->db);
    free(h->path);
    free(h);
}

static char *
dup_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t ? strdup((const char *)t) : NULL;
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

static int
counts(const struct finding *f)
{
    return f->status == ST_FAIL;
}

static void
item_free(struct hist_item *it)
{
    free(it->rule);
    free(it->severity);
    free(it->device);
    free(it->circuit);
    free(it->path);
    free(it->message);
}

void
hist_drift_free(struct hist_drift *d)
{
    size_t i;

    if (!d)
        return;
    free(d->prev_at);
    free(d->prev_snapshot);
    free(d->is_new);
    for (i = 0; i < d->n_fixed; i++)
        item_free(&d->fixed[i]);
    free(d->fixed);
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
    sqlite3_stmt *st = NULL;
    char **ids = NULL, **now = NULL, **prev = NULL, *key;
    size_t n_now = 0, n_prev = 0, cap_prev = 0, cap_fixed = 0, i;
    er_code rc = ER_OK;
    int r;

    memset(d, 0, sizeof *d);
    if (!(d->is_new = calloc(f->n ? f->n : 1, 1)) || finding_ids(f, &ids, &now, &n_now))
        goto oom;
    if (!h->db)
        goto done;   /* a new history: no run before this one */
    if (sqlite3_prepare_v2(h->db, "SELECT id, at, snapshot FROM run ORDER BY id DESC LIMIT 1", -1, &st, NULL) !=
            SQLITE_OK) {
        rc = db_err(h, err, "reading");
        goto done;
    }
    if ((r = sqlite3_step(st)) == SQLITE_ROW) {
        d->have_prev = 1;
        d->prev_id = (long)sqlite3_column_int64(st, 0);
        d->prev_at = dup_text(st, 1);
        d->prev_snapshot = dup_text(st, 2);
    } else if (r != SQLITE_DONE) {
        rc = db_err(h, err, "reading");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!d->have_prev)
        goto done;

    /* The previous run's failing findings: fixed when the current run lacks them. */
    if (sqlite3_prepare_v2(h->db, "SELECT rule, severity, device, circuit, path, message FROM finding WHERE run = ?",
            -1, &st, NULL) != SQLITE_OK) {
        rc = db_err(h, err, "reading");
        goto done;
    }
    sqlite3_bind_int64(st, 1, d->prev_id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct hist_item it = {dup_text(st, 0), dup_text(st, 1), dup_text(st, 2), dup_text(st, 3), dup_text(st, 4),
            dup_text(st, 5)};

        if (!it.rule || !it.message || !(key = identity(it.rule, it.device, it.circuit, it.path, it.message))) {
            item_free(&it);
            goto oom;
        }
        if (n_prev == cap_prev) {
            char **v = realloc(prev, (cap_prev = cap_prev ? cap_prev * 2 : 64) * sizeof *v);

            if (!v) {
                free(key);
                item_free(&it);
                goto oom;
            }
            prev = v;
        }
        prev[n_prev++] = key;
        if (n_now && bsearch(&key, now, n_now, sizeof *now, cmp_str)) {
            item_free(&it);
            continue;
        }
        if (d->n_fixed == cap_fixed) {
            struct hist_item *v = realloc(d->fixed, (cap_fixed = cap_fixed ? cap_fixed * 2 : 16) * sizeof *v);

            if (!v) {
                item_free(&it);
                goto oom;
            }
            d->fixed = v;
        }
        d->fixed[d->n_fixed++] = it;
    }
    if (r != SQLITE_DONE) {
        rc = db_err(h, err, "reading");
        goto done;
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
    sqlite3_finalize(st);
    free(now);
    keys_free(ids, f->n);
    keys_free(prev, n_prev);
    if (rc)
        hist_drift_free(d);
    return rc;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* The run and its failing findings into the open history, in one transaction. */
static er_code
record_in(struct history *h, const struct hist_run *run, const struct findings *f, const struct hist_drift *d,
        struct er_err *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 id;
    size_t i, failing = 0;

    for (i = 0; i < f->n; i++)
        failing += counts(&f->v[i]);
    if (sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return db_err(h, err, "recording the run");
    if (sqlite3_prepare_v2(h->db, "INSERT INTO run (at, snapshot, snapshot_created, tool_version, fail_on, exit_code,"
            " devices, not_collected, rules, passed, failed, not_evaluated, failing, new, fixed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    bind_text(st, 1, run->at);
    bind_text(st, 2, run->snapshot);
    bind_text(st, 3, run->snapshot_created);
    bind_text(st, 4, run->tool_version);
    bind_text(st, 5, run->fail_on);
    sqlite3_bind_int(st, 6, run->exit_code);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)run->devices);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)run->not_collected);
    sqlite3_bind_int64(st, 9, (sqlite3_int64)run->rules);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)run->passed);
    sqlite3_bind_int64(st, 11, (sqlite3_int64)run->failed);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)run->not_evaluated);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)failing);
    if (d && d->have_prev) {
        sqlite3_bind_int64(st, 14, (sqlite3_int64)d->n_new);
        sqlite3_bind_int64(st, 15, (sqlite3_int64)d->n_fixed);
    }
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    id = sqlite3_last_insert_rowid(h->db);
    if (sqlite3_prepare_v2(h->db, "INSERT INTO finding (run, rule, severity, device, circuit, path, message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < f->n; i++) {
        const struct finding *x = &f->v[i];

        if (!counts(x))
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, x->rule);
        bind_text(st, 3, sev_name(x->sev));
        bind_text(st, 4, x->device);
        bind_text(st, 5, x->circuit);
        bind_text(st, 6, x->path);
        bind_text(st, 7, x->message);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return ER_OK;
fail:
    {
        er_code rc = db_err(h, err, "recording the run");

        sqlite3_finalize(st);
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
}

/*
 * A new history: the schema and the first run in a temporary file beside
 * @p h->path (no journal: an unfinished file is removed whole), then
 * renamed into place, never over a history another run made meanwhile.
 */
static er_code
record_new(struct history *h, const struct hist_run *run, const struct findings *f, const struct hist_drift *d,
        struct er_err *err)
{
    char tmp[PATH_MAX];
    er_code rc = ER_OK;
    int fd, r;

    if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", h->path) >= (int)sizeof tmp)
        return er_set(err, ER_EINVAL, "%s: path too long", h->path);
    cleanup_hold();   /* created and registered together */
    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
        cleanup_release();
        return er_set(err, ER_EIO, "%s: cannot create the history: %s", h->path, strerror(errno));
    }
    cleanup_add(tmp);
    cleanup_release();
    r = fchmod(fd, (mode_t)atomicfile_new_mode());
    close(fd);
    if (r || sqlite3_open_v2(tmp, &h->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = er_set(err, ER_EIO, "%s: cannot create the history: %s", h->path, h->db ? sqlite3_errmsg(h->db) :
                strerror(errno));
        goto done;
    }
    if (sqlite3_exec(h->db, "PRAGMA journal_mode = MEMORY", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(h->db, hist_schema, NULL, NULL, NULL) != SQLITE_OK) {
        rc = db_err(h, err, "creating the history");
        goto done;
    }
    ER_TRY(rc, record_in(h, run, f, d, err), done);
    if (sqlite3_close(h->db) != SQLITE_OK) {
        rc = db_err(h, err, "creating the history");
        goto done;
    }
    h->db = NULL;
    cleanup_hold();
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, h->path, RENAME_NOREPLACE) && (errno != EINVAL || link(tmp, h->path))) {
        rc = er_set(err, ER_EIO, "%s: cannot create the history: %s", h->path,
                errno == EEXIST ? "another run created it meanwhile; this run is not recorded" : strerror(errno));
        cleanup_release();
        goto done;
    }
    unlink(tmp);   /* after link(); ENOENT after the rename */
    cleanup_drop(tmp);
    cleanup_release();
    {
        char dir[PATH_MAX];
        const char *slash = strrchr(h->path, '/');

        snprintf(dir, sizeof dir, "%.*s", !slash ? 1 : slash == h->path ? 1 : (int)(slash - h->path),
                !slash ? "." : h->path);
        if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    return ER_OK;
done:
    sqlite3_close(h->db);
    h->db = NULL;
    unlink(tmp);
    cleanup_drop(tmp);
    return rc;
}

er_code
history_record(struct history *h, const struct hist_run *run, const struct findings *f, const struct hist_drift *d,
        struct er_err *err)
{
    return h->db ? record_in(h, run, f, d, err) : record_new(h, run, f, d, err);
}

static const char *
col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? (const char *)t : "";
}

static int
print_runs(struct history *h, size_t last, FILE *out, FILE *errout)
{
    sqlite3_stmt *st;
    size_t n = 0;
    int r;

    if (sqlite3_prepare_v2(h->db, "SELECT id, at, exit_code, failing, new, fixed, devices, not_collected, snapshot"
            " FROM run ORDER BY id DESC", -1, &st, NULL) != SQLITE_OK) {
        fprintf(errout, "eraudit: %s: %s\n", h->path, sqlite3_errmsg(h->db));
        return 2;
    }
    fprintf(out, "%-5s %-20s %4s %7s %5s %5s %8s  %s\n", "run", "at", "exit", "failing", "new", "fixed", "devices",
            "snapshot");
    while ((r = sqlite3_step(st)) == SQLITE_ROW && (!last || n < last)) {
        char nc[32] = "";

        if (sqlite3_column_int64(st, 7))
            snprintf(nc, sizeof nc, " (%lld not collected)", (long long)sqlite3_column_int64(st, 7));
        fprintf(out, "%-5lld %-20s %4d %7lld %5s %5s %8lld  %s%s\n", (long long)sqlite3_column_int64(st, 0),
                col(st, 1), sqlite3_column_int(st, 2), (long long)sqlite3_column_int64(st, 3),
                sqlite3_column_type(st, 4) == SQLITE_NULL ? "-" : col(st, 4),
                sqlite3_column_type(st, 5) == SQLITE_NULL ? "-" : col(st, 5), (long long)sqlite3_column_int64(st, 6),
                col(st, 8), nc);
        n++;
    }
    sqlite3_finalize(st);
    if (!n)
        fprintf(out, "(no runs recorded yet)\n");
    return 0;
}

static int
print_run(struct history *h, long id, FILE *out, FILE *errout)
{
    sqlite3_stmt *st;
    size_t n = 0;
    int r;

    if (sqlite3_prepare_v2(h->db, "SELECT at, snapshot, exit_code FROM run WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fprintf(errout, "eraudit: %s: no run %ld (eraudit history %s lists them)\n", h->path, id, h->path);
        return 2;
    }
    fprintf(out, "run %ld at %s, snapshot %s, exit %d\n", id, col(st, 0), col(st, 1), sqlite3_column_int(st, 2));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(h->db, "SELECT rule, severity, device, circuit, message FROM finding WHERE run = ?"
            " ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        goto dberr;
    sqlite3_bind_int64(st, 1, id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        fprintf(out, "  x %-9s %-8s %s", col(st, 0), col(st, 1), col(st, 4));
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            fprintf(out, " [circuit %s]", col(st, 3));
        fputc('\n', out);
        n++;
    }
    sqlite3_finalize(st);
    fprintf(out, "%zu failing findings\n", n);
    return 0;
dberr:
    fprintf(errout, "eraudit: %s: %s\n", h->path, sqlite3_errmsg(h->db));
    return 2;
}

int
history_print(const char *path, size_t last, long run_id, FILE *out, FILE *errout)
{
    struct history *h;
    struct er_err err = {0};
    int code;

    if (access(path, F_OK)) {
        fprintf(errout, "eraudit: %s: no such history file\n", path);
        return 2;
    }
    if (history_open(path, &h, &err)) {
        fprintf(errout, "eraudit: %s\n", err.msg);
        return 2;
    }
    code = run_id ? print_run(h, run_id, out, errout) : print_runs(h, last, out, errout);
    history_close(h);
    return code;
}
