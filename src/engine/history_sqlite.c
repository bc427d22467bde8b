/**
 * @file history_sqlite.c
 * @brief The history in an SQLite file (hist_sqlite): one row per run, one
 * per failing finding of the run, each run in one transaction.
 *
 * A history file that does not exist yet is created only when a run is
 * recorded: in a temporary file beside it, renamed into place once the
 * first run is committed, so an interrupted run never leaves an empty or
 * half-made history. An existing one is protected by SQLite's transaction
 * (BEGIN IMMEDIATE: two runs recording at once take turns).
 */
#define _GNU_SOURCE /* renameat2, mkostemp */
#include "history_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "atomicfile.h"
#include "cleanup.h"

#define HIST_VERSION 1
#define HIST_BUSY_MS 5000

struct hist_sqlite {
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
db_err(struct hist_sqlite *h, struct er_err *err, const char *what)
{
    int code = sqlite3_errcode(h->db);

    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return er_set(err, ER_EINVAL, "%s: not an eraudit history (%s)", h->path, sqlite3_errmsg(h->db));
    return er_set(err, ER_EIO, "%s: %s: %s", h->path, what, sqlite3_errmsg(h->db));
}

/* One integer a query returns, -1 when it returns nothing. */
static er_code
query_int(struct hist_sqlite *h, const char *sql, long *out, struct er_err *err)
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

static void
sq_close(void *db)
{
    struct hist_sqlite *h = db;

    if (!h)
        return;
    sqlite3_close(h->db);
    free(h->path);
    free(h);
}

/* The directory of @p path, for access() and fsync(). */
static const char *
dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');

    snprintf(dir, size, "%.*s", !slash ? 1 : slash == path ? 1 : (int)(slash - path), !slash ? "." : path);
    return dir;
}

static int
sq_claims(const char *target)
{
    return !strstr(target, "://");
}

static er_code
sq_open(const char *path, int reading, void **out, struct er_err *err)
{
    struct hist_sqlite *h = calloc(1, sizeof *h);
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

        if (reading) {
            rc = er_set(err, ER_ENOTFOUND, "%s: no such history file", path);
            goto fail;
        }
        if (access(dir_of(path, dir, sizeof dir), W_OK | X_OK)) {
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
    sq_close(h);
    return rc;
}

static char *
dup_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);

    return t ? strdup((const char *)t) : NULL;
}

static long
col_long(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, col);
}

/* A run's failing findings, in the order recorded. */
static er_code
read_items(struct hist_sqlite *h, long id, struct hist_item **items, size_t *n, struct er_err *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int r;

    *items = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(h->db, "SELECT rule, severity, device, circuit, path, message FROM finding WHERE run = ?"
            " ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
        return db_err(h, err, "reading");
    sqlite3_bind_int64(st, 1, id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct hist_item it = {dup_text(st, 0), dup_text(st, 1), dup_text(st, 2), dup_text(st, 3), dup_text(st, 4),
            dup_text(st, 5)};

        if (!it.rule || !it.message || hist_items_push(items, n, &cap, &it)) {
            hist_item_clear(&it);
            sqlite3_finalize(st);
            return er_set(err, ER_ENOMEM, "out of memory");
        }
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? ER_OK : db_err(h, err, "reading");
}

/* Columns 0..8 of a run row: id, at, exit_code, failing, new, fixed, devices, not_collected, snapshot. */
#define RUN_COLS "id, at, exit_code, failing, new, fixed, devices, not_collected, snapshot"

static void
row_of(sqlite3_stmt *st, struct hist_row *r)
{
    r->id = (long)sqlite3_column_int64(st, 0);
    r->at = dup_text(st, 1);
    r->exit_code = sqlite3_column_int(st, 2);
    r->failing = col_long(st, 3);
    r->n_new = col_long(st, 4);
    r->n_fixed = col_long(st, 5);
    r->devices = col_long(st, 6);
    r->not_collected = col_long(st, 7);
    r->snapshot = dup_text(st, 8);
}

static er_code
sq_run(void *db, long id, int *found, struct hist_row *row, struct hist_item **items, size_t *n, struct er_err *err)
{
    struct hist_sqlite *h = db;
    sqlite3_stmt *st;
    int r;

    *found = 0;
    *items = NULL;
    *n = 0;
    if (!h->db)
        return ER_OK;
    if (sqlite3_prepare_v2(h->db, "SELECT " RUN_COLS " FROM run WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
        return db_err(h, err, "reading");
    sqlite3_bind_int64(st, 1, id);
    if ((r = sqlite3_step(st)) == SQLITE_ROW) {
        *found = 1;
        row_of(st, row);
    }
    sqlite3_finalize(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return db_err(h, err, "reading");
    return *found ? read_items(h, id, items, n, err) : ER_OK;
}

static er_code
sq_latest(void *db, int *have, struct hist_row *run, struct hist_item **items, size_t *n, struct er_err *err)
{
    struct hist_sqlite *h = db;
    long id;
    er_code rc;

    *have = 0;
    *items = NULL;
    *n = 0;
    if (!h->db)
        return ER_OK;   /* a new history: no run before this one */
    ER_TRY(rc, query_int(h, "SELECT max(id) FROM run", &id, err), done);
    if (id > 0)
        rc = sq_run(db, id, have, run, items, n, err);
done:
    return rc;
}

static er_code
sq_runs(void *db, size_t last, struct hist_row **rows, size_t *n, struct er_err *err)
{
    struct hist_sqlite *h = db;
    sqlite3_stmt *st;
    size_t cap = 0;
    int r;

    *rows = NULL;
    *n = 0;
    if (!h->db)
        return ER_OK;
    if (sqlite3_prepare_v2(h->db, "SELECT " RUN_COLS " FROM run ORDER BY id DESC", -1, &st, NULL) != SQLITE_OK)
        return db_err(h, err, "reading");
    while ((r = sqlite3_step(st)) == SQLITE_ROW && (!last || *n < last)) {
        if (*n == cap) {
            struct hist_row *v = realloc(*rows, (cap = cap ? cap * 2 : 16) * sizeof *v);

            if (!v) {
                sqlite3_finalize(st);
                return er_set(err, ER_ENOMEM, "out of memory");
            }
            *rows = v;
        }
        row_of(st, &(*rows)[(*n)++]);
    }
    sqlite3_finalize(st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? ER_OK : db_err(h, err, "reading");
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
record_in(struct hist_sqlite *h, const struct hist_run *run, const struct hist_drift *d,
        const struct finding *const *fail, size_t n, struct er_err *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3_int64 id;
    size_t i;

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
    sqlite3_bind_int64(st, 13, (sqlite3_int64)n);
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
    for (i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, fail[i]->rule);
        bind_text(st, 3, sev_name(fail[i]->sev));
        bind_text(st, 4, fail[i]->device);
        bind_text(st, 5, fail[i]->circuit);
        bind_text(st, 6, fail[i]->path);
        bind_text(st, 7, fail[i]->message);
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
record_new(struct hist_sqlite *h, const struct hist_run *run, const struct hist_drift *d,
        const struct finding *const *fail, size_t n, struct er_err *err)
{
    char tmp[PATH_MAX], dir[PATH_MAX];
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
    ER_TRY(rc, record_in(h, run, d, fail, n, err), done);
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
    if ((fd = open(dir_of(h->path, dir, sizeof dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        fsync(fd);
        close(fd);
    }
    return ER_OK;
done:
    sqlite3_close(h->db);
    h->db = NULL;
    unlink(tmp);
    cleanup_drop(tmp);
    return rc;
}

static er_code
sq_record(void *db, const struct hist_run *run, const struct hist_drift *d, const struct finding *const *fail,
        size_t n, struct er_err *err)
{
    struct hist_sqlite *h = db;

    return h->db ? record_in(h, run, d, fail, n, err) : record_new(h, run, d, fail, n, err);
}

const struct hist_backend hist_sqlite = {
    .name = "sqlite", .claims = sq_claims, .open = sq_open, .close = sq_close, .latest = sq_latest,
    .record = sq_record, .runs = sq_runs, .run = sq_run,
};
