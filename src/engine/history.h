/**
 * @file history.h
 * @brief The history of scheduled audits (history module): an SQLite file
 * that keeps every run's failing findings, so a report can say what is new
 * and what was fixed since the run before.
 */
#ifndef ER_HISTORY_H
#define ER_HISTORY_H

#include <stdio.h>

#include "err.h"
#include "findings.h"

struct history;

/** A failing finding of an earlier run, as the history keeps it. */
struct hist_item {
    char *rule, *severity, *device, *circuit, *path, *message;
};

/** What changed since the previous run. */
struct hist_drift {
    int have_prev;               /**< 0: the history had no run yet */
    long prev_id;
    char *prev_at, *prev_snapshot;
    unsigned char *is_new;       /**< per finding of the current run: failing now, not in the previous run */
    size_t n_new;
    struct hist_item *fixed;     /**< failing in the previous run, not now */
    size_t n_fixed;
};

/** What a run is recorded with besides its findings. */
struct hist_run {
    const char *at, *snapshot, *snapshot_created, *tool_version, *fail_on;
    int exit_code;
    size_t devices, not_collected, rules, passed, failed, not_evaluated;
};

/**
 * @brief Open the history file @p path; a file that is not one is ER_EINVAL.
 * A missing file is not created here but by the first history_record()
 * (whole, or not at all); its directory must be writable (else ER_EIO).
 */
er_code history_open(const char *path, struct history **h, struct er_err *err);

/** @brief Close @p h; NULL is fine. */
void history_close(struct history *h);

/** @brief Compare the failing findings of @p f with the latest run in @p h. */
er_code history_drift(struct history *h, const struct findings *f, struct hist_drift *d, struct er_err *err);

/**
 * @brief Record a run and its failing findings, in one transaction; a new
 * history is written to a temporary file beside @p path and renamed into
 * place, never over a file another run created meanwhile.
 */
er_code history_record(struct history *h, const struct hist_run *run, const struct findings *f,
        const struct hist_drift *d, struct er_err *err);

/** @brief Free what history_drift() filled. */
void hist_drift_free(struct hist_drift *d);

/**
 * @brief `eraudit history`: the runs of @p path, newest first (at most @p last;
 * 0 for all), or the failing findings of run @p run_id when it is not 0.
 * @return an exit code (0, or 2 for a bad file or run).
 */
int history_print(const char *path, size_t last, long run_id, FILE *out, FILE *errout);

#endif
