/**
 * @file history_backend.h
 * @brief The stores a history can live in (hist_backend table): SQLite
 * (history_sqlite.c) and PostgreSQL (history_pg.c).
 *
 * The meaning is the front's (history.c): which findings count, when two
 * runs' findings are the same, what is new and what is fixed, how runs are
 * listed. A store only keeps and returns runs and their failing findings,
 * each run whole or not at all (one transaction).
 */
#ifndef ER_HISTORY_BACKEND_H
#define ER_HISTORY_BACKEND_H

#include <stddef.h>

#include "err.h"
#include "findings.h"
#include "history.h"

/** A recorded run as it is listed; a count a store lacks is -1. */
struct hist_row {
    long id;
    char *at, *snapshot;
    int exit_code;
    long failing, n_new, n_fixed, devices, not_collected;
};

/** A store: a row of function pointers, chosen by the history's name. */
struct hist_backend {
    const char *name;
    /** Whether @p target names a history of this store (a URL scheme, or any file for SQLite). */
    int (*claims)(const char *target);
    /**
     * Open @p target; @p reading: only to list runs (nothing is created,
     * a missing history is ER_ENOTFOUND).
     */
    er_code (*open)(const char *target, int reading, void **db, struct er_err *err);
    void (*close)(void *db);
    /**
     * The latest run (@p *have 0 when none) and its failing findings. From
     * here until record() or close(), no other run of the same history is
     * recorded (the store's lock).
     */
    er_code (*latest)(void *db, int *have, struct hist_row *run, struct hist_item **items, size_t *n,
            struct er_err *err);
    /** Record @p run with its @p n failing findings @p fail, whole or not at all. */
    er_code (*record)(void *db, const struct hist_run *run, const struct hist_drift *d,
            const struct finding *const *fail, size_t n, struct er_err *err);
    /** The runs, newest first (at most @p last; 0 for all). */
    er_code (*runs)(void *db, size_t last, struct hist_row **rows, size_t *n, struct er_err *err);
    /** Run @p id (@p *found 0 when there is none) and its failing findings, in the order recorded. */
    er_code (*run)(void *db, long id, int *found, struct hist_row *row, struct hist_item **items, size_t *n,
            struct er_err *err);
};

/** The SQLite store (a file). */
extern const struct hist_backend hist_sqlite;
/** The PostgreSQL store (a postgresql:// or postgres:// URL, libpq). */
extern const struct hist_backend hist_pg;

/** @brief Free the strings of @p it (not @p it itself). */
void hist_item_clear(struct hist_item *it);

/** @brief Free the strings of @p r. */
void hist_row_clear(struct hist_row *r);

/**
 * @brief Append a copy of @p it (its strings taken over) to @p *v.
 * @return 0, or -1 out of memory (@p it then cleared).
 */
int hist_items_push(struct hist_item **v, size_t *n, size_t *cap, struct hist_item *it);

#endif
