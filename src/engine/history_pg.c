/**
 * @file history_pg.c
 * @brief The history in PostgreSQL (hist_pg), shared by the schedulers of
 * several hosts: `--history postgresql://[user@]host[:port]/db[?...]`.
 *
 * - Credentials come from libpq's own places: PGPASSWORD, a .pgpass-style
 *   file (PGPASSFILE, ~/.pgpass, passfile=), a client certificate. A
 *   password written in the URL is refused: a command line is seen by every
 *   user of the host (ps) and lands in logs and reports.
 * - eraudit creates and migrates its tables (eraudit_schema, eraudit_run,
 *   eraudit_finding) in the connection's schema, one step per version, in a
 *   transaction under a transaction-level advisory lock, so two first runs
 *   do not both create them.
 * - A run is recorded in one transaction. From reading the latest run (what
 *   is new and fixed is computed against it) to recording the next one, the
 *   audit holds a session advisory lock on the history (one line of runs
 *   per schema: an inventory's), so two schedulers auditing the same
 *   inventory take turns instead of both comparing with the same run.
 * - A server that goes away rolls back what was not committed: the run is
 *   recorded whole or not at all, and the error says which step failed.
 */
#include "history_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

/* Version of eraudit's tables; steps[v] takes version v to v + 1. */
static const char *const steps[] = {
    "CREATE TABLE eraudit_run ("
    " id bigserial PRIMARY KEY, at text NOT NULL, snapshot text, snapshot_created text, tool_version text,"
    " fail_on text, exit_code integer, devices bigint, not_collected bigint, rules bigint, passed bigint,"
    " failed bigint, not_evaluated bigint, failing bigint, new bigint, fixed bigint);"
    "CREATE TABLE eraudit_finding ("
    " run bigint NOT NULL REFERENCES eraudit_run(id), seq integer NOT NULL, rule text NOT NULL,"
    " severity text NOT NULL, device text, circuit text, path text, message text NOT NULL,"
    " PRIMARY KEY (run, seq))",
    /* 2: which host recorded a run, now that several do. */
    "ALTER TABLE eraudit_run ADD COLUMN recorded_by text",
};
#define PG_VERSION ((int)(sizeof steps / sizeof *steps))

/* The advisory lock of one history: class 'erau', key the schema's hash. */
#define PG_LOCK_ARGS "x'65726175'::int, hashtext(current_schema())"
#define PG_LOCK_WAIT "600s"   /* another run's report and record take seconds; a stuck one is named */
#define PG_BATCH 500          /* findings per INSERT (7 parameters each) */

struct hist_pg {
    PGconn *conn;
    char *name;              /* the URL (it holds no password), for messages */
    int locked;
};

static int
pg_claims(const char *target)
{
    return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

static void
quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;   /* NOTICEs ("relation exists, skipping") are not the user's business */
}

/* libpq's message, on one line. */
static const char *
pq_msg(PGconn *c, char *buf, size_t size)
{
    char *nl;

    snprintf(buf, size, "%s", c ? PQerrorMessage(c) : "out of memory");
    while ((nl = strchr(buf, '\n'))) {
        if (!nl[1])
            *nl = '\0';
        else
            *nl = ' ';
    }
    return *buf ? buf : "unknown error";
}

static er_code
pg_err(struct hist_pg *h, const char *what, struct er_err *err)
{
    char m[600];

    if (PQstatus(h->conn) == CONNECTION_BAD)
        return er_set(err, ER_EIO, "%s: %s: the connection to the server was lost (%s)", h->name, what,
                pq_msg(h->conn, m, sizeof m));
    return er_set(err, ER_EIO, "%s: %s: %s", h->name, what, pq_msg(h->conn, m, sizeof m));
}

/* Run @p sql; ok when it returns @p want. */
static er_code
exec_ok(struct hist_pg *h, const char *sql, ExecStatusType want, const char *what, struct er_err *err)
{
    PGresult *r = PQexec(h->conn, sql);
    er_code rc = r && PQresultStatus(r) == want ? ER_OK : pg_err(h, what, err);

    PQclear(r);
    return rc;
}

/* A password on the command line is refused before anything is sent. */
static er_code
check_url(const char *url, struct er_err *err)
{
    PQconninfoOption *o, *opts;
    char *msg = NULL;
    int bad = 0;

    if (!(opts = PQconninfoParse(url, &msg))) {
        er_set(err, ER_EINVAL, "--history: not a PostgreSQL URL: %s", msg ? msg : "out of memory");
        PQfreemem(msg);
        return ER_EINVAL;
    }
    for (o = opts; o->keyword; o++)
        bad |= !strcmp(o->keyword, "password") && o->val && *o->val;
    PQconninfoFree(opts);
    if (bad)
        return er_set(err, ER_EINVAL, "--history: a password in the URL is refused (the command line is seen by "
                "every user of the host): give it in PGPASSWORD or a .pgpass-style file (PGPASSFILE)");
    return ER_OK;
}

/* One integer of the first row, -1 when there is none. */
static er_code
query_int(struct hist_pg *h, const char *sql, long *out, const char *what, struct er_err *err)
{
    PGresult *r = PQexec(h->conn, sql);
    er_code rc = ER_OK;

    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = pg_err(h, what, err);
    else
        *out = PQntuples(r) && !PQgetisnull(r, 0, 0) ? strtol(PQgetvalue(r, 0, 0), NULL, 10) : -1;
    PQclear(r);
    return rc;
}

/* Create or bring eraudit's tables to PG_VERSION, whole or not at all. */
static er_code
migrate(struct hist_pg *h, struct er_err *err)
{
    long v;
    er_code rc;
    int i;

    ER_TRY(rc, exec_ok(h, "BEGIN", PGRES_COMMAND_OK, "creating the history", err), done);
    ER_TRY(rc, exec_ok(h, "SELECT pg_advisory_xact_lock(x'65726175'::int, 0)", PGRES_TUPLES_OK,
            "creating the history", err), fail);
    ER_TRY(rc, exec_ok(h, "CREATE TABLE IF NOT EXISTS eraudit_schema (version integer NOT NULL)", PGRES_COMMAND_OK,
            "creating the history", err), fail);
    ER_TRY(rc, query_int(h, "SELECT max(version) FROM eraudit_schema", &v, "creating the history", err), fail);
    if (v > PG_VERSION) {
        rc = er_set(err, ER_EINVAL, "%s: the history's tables are of version %ld, made by a newer eraudit (this one "
                "knows up to %d)", h->name, v, PG_VERSION);
        goto fail;
    }
    for (i = v < 0 ? 0 : (int)v; i < PG_VERSION; i++)
        ER_TRY(rc, exec_ok(h, steps[i], PGRES_COMMAND_OK, "migrating the history", err), fail);
    if (v != PG_VERSION) {
        char sql[96];

        snprintf(sql, sizeof sql, "DELETE FROM eraudit_schema; INSERT INTO eraudit_schema VALUES (%d)", PG_VERSION);
        ER_TRY(rc, exec_ok(h, sql, PGRES_COMMAND_OK, "migrating the history", err), fail);
    }
    rc = exec_ok(h, "COMMIT", PGRES_COMMAND_OK, "creating the history", err);
    goto done;
fail:
    PQclear(PQexec(h->conn, "ROLLBACK"));
done:
    return rc;
}

static void
pg_close(void *db)
{
    struct hist_pg *h = db;

    if (!h)
        return;
    PQfinish(h->conn);   /* ends the session: its advisory lock goes with it */
    free(h->name);
    free(h);
}

static er_code
pg_open(const char *url, int reading, void **out, struct er_err *err)
{
    struct hist_pg *h;
    char m[600];
    long v;
    er_code rc;

    *out = NULL;
    ER_TRY(rc, check_url(url, err), done);
    if (!(h = calloc(1, sizeof *h)) || !(h->name = strdup(url))) {
        free(h);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    h->conn = PQconnectdb(url);
    if (!h->conn || PQstatus(h->conn) != CONNECTION_OK) {
        rc = er_set(err, ER_EIO, "%s: cannot open the history: %s", url, pq_msg(h->conn, m, sizeof m));
        goto fail;
    }
    PQsetNoticeProcessor(h->conn, quiet, NULL);
    ER_TRY(rc, exec_ok(h, "SET lock_timeout = '" PG_LOCK_WAIT "'", PGRES_COMMAND_OK, "cannot open the history", err),
            fail);
    if (reading) {
        if (query_int(h, "SELECT (to_regclass('eraudit_schema') IS NOT NULL)::int", &v, "reading", err) == ER_OK &&
                v != 1) {
            rc = er_set(err, ER_ENOTFOUND, "%s: no eraudit history in this database (audit --history creates it)",
                    url);
            goto fail;
        }
        ER_TRY(rc, query_int(h, "SELECT max(version) FROM eraudit_schema", &v, "reading", err), fail);
        if (v > PG_VERSION) {
            rc = er_set(err, ER_EINVAL, "%s: the history's tables are of version %ld, made by a newer eraudit", url,
                    v);
            goto fail;
        }
    } else {
        ER_TRY(rc, migrate(h, err), fail);
    }
    *out = h;
    return ER_OK;
fail:
    pg_close(h);
done:
    return rc;
}

static char *
dup_val(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : strdup(PQgetvalue(r, row, col));
}

static long
val_long(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? -1 : strtol(PQgetvalue(r, row, col), NULL, 10);
}

#define RUN_COLS "id, at, exit_code, failing, new, fixed, devices, not_collected, snapshot"

static void
row_of(PGresult *r, int i, struct hist_row *row)
{
    row->id = val_long(r, i, 0);
    row->at = dup_val(r, i, 1);
    row->exit_code = (int)val_long(r, i, 2);
    row->failing = val_long(r, i, 3);
    row->n_new = val_long(r, i, 4);
    row->n_fixed = val_long(r, i, 5);
    row->devices = val_long(r, i, 6);
    row->not_collected = val_long(r, i, 7);
    row->snapshot = dup_val(r, i, 8);
}

static er_code
read_items(struct hist_pg *h, long id, struct hist_item **items, size_t *n, struct er_err *err)
{
    char idtxt[24];
    const char *params[1] = {idtxt};
    PGresult *r;
    size_t cap = 0;
    int i;

    *items = NULL;
    *n = 0;
    snprintf(idtxt, sizeof idtxt, "%ld", id);
    r = PQexecParams(h->conn, "SELECT rule, severity, device, circuit, path, message FROM eraudit_finding"
            " WHERE run = $1 ORDER BY seq", 1, NULL, params, NULL, NULL, 0);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return pg_err(h, "reading", err);
    }
    for (i = 0; i < PQntuples(r); i++) {
        struct hist_item it = {dup_val(r, i, 0), dup_val(r, i, 1), dup_val(r, i, 2), dup_val(r, i, 3),
            dup_val(r, i, 4), dup_val(r, i, 5)};

        if (!it.rule || !it.message || hist_items_push(items, n, &cap, &it)) {
            hist_item_clear(&it);
            PQclear(r);
            return er_set(err, ER_ENOMEM, "out of memory");
        }
    }
    PQclear(r);
    return ER_OK;
}

static er_code
pg_run(void *db, long id, int *found, struct hist_row *row, struct hist_item **items, size_t *n, struct er_err *err)
{
    struct hist_pg *h = db;
    char idtxt[24];
    const char *params[1] = {idtxt};
    PGresult *r;

    *found = 0;
    *items = NULL;
    *n = 0;
    snprintf(idtxt, sizeof idtxt, "%ld", id);
    r = PQexecParams(h->conn, "SELECT " RUN_COLS " FROM eraudit_run WHERE id = $1", 1, NULL, params, NULL, NULL, 0);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return pg_err(h, "reading", err);
    }
    if (PQntuples(r)) {
        *found = 1;
        row_of(r, 0, row);
    }
    PQclear(r);
    return *found ? read_items(h, id, items, n, err) : ER_OK;
}

static er_code
pg_latest(void *db, int *have, struct hist_row *run, struct hist_item **items, size_t *n, struct er_err *err)
{
    struct hist_pg *h = db;
    long id;
    er_code rc;

    *have = 0;
    *items = NULL;
    *n = 0;
    /* Held until this run is recorded (or the session ends): the next run compares with this one. */
    if (!h->locked) {
        ER_TRY(rc, exec_ok(h, "SELECT pg_advisory_lock(" PG_LOCK_ARGS ")", PGRES_TUPLES_OK,
                "waiting for another run of this history to be recorded", err), done);
        h->locked = 1;
    }
    ER_TRY(rc, query_int(h, "SELECT max(id) FROM eraudit_run", &id, "reading", err), done);
    if (id > 0)
        rc = pg_run(db, id, have, run, items, n, err);
done:
    return rc;
}

static er_code
pg_runs(void *db, size_t last, struct hist_row **rows, size_t *n, struct er_err *err)
{
    struct hist_pg *h = db;
    char sql[160];
    PGresult *r;
    int i;

    *rows = NULL;
    *n = 0;
    snprintf(sql, sizeof sql, "SELECT " RUN_COLS " FROM eraudit_run ORDER BY id DESC");
    if (last)
        snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " LIMIT %zu", last);
    r = PQexec(h->conn, sql);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        return pg_err(h, "reading", err);
    }
    if (PQntuples(r) && !(*rows = calloc((size_t)PQntuples(r), sizeof **rows))) {
        PQclear(r);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    for (i = 0; i < PQntuples(r); i++)
        row_of(r, i, &(*rows)[(*n)++]);
    PQclear(r);
    return ER_OK;
}

/* The failing findings @p fail[0 .. @p n) of run @p id, numbered from @p seq0, in one INSERT. */
static er_code
insert_batch(struct hist_pg *h, const char *id, const struct finding *const *fail, size_t n, size_t seq0,
        struct er_err *err)
{
    const char **p = calloc(n * 8, sizeof *p);
    char (*seq)[24] = calloc(n, sizeof *seq);
    char *sql = malloc(96 + n * 64);
    size_t i, o;
    PGresult *r = NULL;
    er_code rc;

    if (!p || !seq || !sql) {
        rc = er_set(err, ER_ENOMEM, "out of memory");
        goto done;
    }
    o = (size_t)sprintf(sql, "INSERT INTO eraudit_finding (run, seq, rule, severity, device, circuit, path, message)"
            " VALUES ");
    for (i = 0; i < n; i++) {
        size_t b = i * 8;

        snprintf(seq[i], sizeof seq[i], "%zu", seq0 + i);
        p[b] = id;
        p[b + 1] = seq[i];
        p[b + 2] = fail[i]->rule;
        p[b + 3] = sev_name(fail[i]->sev);
        p[b + 4] = fail[i]->device;
        p[b + 5] = fail[i]->circuit;
        p[b + 6] = fail[i]->path;
        p[b + 7] = fail[i]->message;
        o += (size_t)sprintf(sql + o, "%s($%zu,$%zu,$%zu,$%zu,$%zu,$%zu,$%zu,$%zu)", i ? "," : "", b + 1, b + 2,
                b + 3, b + 4, b + 5, b + 6, b + 7, b + 8);
    }
    r = PQexecParams(h->conn, sql, (int)(n * 8), NULL, p, NULL, NULL, 0);
    rc = r && PQresultStatus(r) == PGRES_COMMAND_OK ? ER_OK : pg_err(h, "recording the run", err);
done:
    PQclear(r);
    free(p);
    free(seq);
    free(sql);
    return rc;
}

static er_code
pg_record(void *db, const struct hist_run *run, const struct hist_drift *d, const struct finding *const *fail,
        size_t n, struct er_err *err)
{
    struct hist_pg *h = db;
    char num[11][24], host[256] = "", id[24], m[600];
    const char *p[16];
    PGresult *r;
    size_t i;
    er_code rc;

    if (gethostname(host, sizeof host - 1))
        host[0] = '\0';
    snprintf(num[0], sizeof num[0], "%d", run->exit_code);
    snprintf(num[1], sizeof num[1], "%zu", run->devices);
    snprintf(num[2], sizeof num[2], "%zu", run->not_collected);
    snprintf(num[3], sizeof num[3], "%zu", run->rules);
    snprintf(num[4], sizeof num[4], "%zu", run->passed);
    snprintf(num[5], sizeof num[5], "%zu", run->failed);
    snprintf(num[6], sizeof num[6], "%zu", run->not_evaluated);
    snprintf(num[7], sizeof num[7], "%zu", n);
    snprintf(num[8], sizeof num[8], "%zu", d ? d->n_new : 0);
    snprintf(num[9], sizeof num[9], "%zu", d ? d->n_fixed : 0);
    p[0] = run->at;
    p[1] = run->snapshot;
    p[2] = run->snapshot_created;
    p[3] = run->tool_version;
    p[4] = run->fail_on;
    for (i = 0; i < 8; i++)
        p[5 + i] = num[i];
    p[13] = d && d->have_prev ? num[8] : NULL;
    p[14] = d && d->have_prev ? num[9] : NULL;
    p[15] = *host ? host : NULL;

    ER_TRY(rc, exec_ok(h, "BEGIN", PGRES_COMMAND_OK, "recording the run", err), done);
    r = PQexecParams(h->conn, "INSERT INTO eraudit_run (at, snapshot, snapshot_created, tool_version, fail_on,"
            " exit_code, devices, not_collected, rules, passed, failed, not_evaluated, failing, new, fixed, recorded_by)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16) RETURNING id", 16, NULL, p, NULL, NULL,
            0);
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        PQclear(r);
        rc = pg_err(h, "recording the run", err);
        goto fail;
    }
    snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    for (i = 0; i < n; i += PG_BATCH)
        ER_TRY(rc, insert_batch(h, id, fail + i, n - i < PG_BATCH ? n - i : PG_BATCH, i + 1, err), fail);
    r = PQexec(h->conn, "COMMIT");
    if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
        /* The commit was sent: had the server confirmed it, this run would be recorded. */
        rc = er_set(err, ER_EIO, "%s: recording the run: the server did not confirm the commit (%s): the run may be "
                "recorded or not; 'eraudit history' shows which", h->name, pq_msg(h->conn, m, sizeof m));
        PQclear(r);
        goto done;
    }
    PQclear(r);
    if (h->locked) {
        PQclear(PQexec(h->conn, "SELECT pg_advisory_unlock(" PG_LOCK_ARGS ")"));
        h->locked = 0;
    }
    return ER_OK;
fail:
    /* Nothing of the run is kept: rolled back here, or by the server when the session is gone. */
    PQclear(PQexec(h->conn, "ROLLBACK"));
    snprintf(m, sizeof m, "%s", err->msg);
    er_set(err, rc, "%s; nothing of this run was recorded", m);
done:
    return rc;
}

const struct hist_backend hist_pg = {
    .name = "postgresql", .claims = pg_claims, .open = pg_open, .close = pg_close, .latest = pg_latest,
    .record = pg_record, .runs = pg_runs, .run = pg_run,
};
