/**
 * @file run.h
 * @brief One audit run's inputs (run module): what `audit`, `check` and
 * `collect` load before they evaluate anything.
 */
#ifndef ER_RUN_H
#define ER_RUN_H

#include <limits.h>
#include <time.h>

#include "err.h"
#include "findings.h"
#include "inventory.h"
#include "model.h"
#include "normalize.h"
#include "refdata.h"
#include "rule.h"
#include "snapshot.h"

struct urules;

/** What a run is asked to load (the command line's choices). */
struct select;

struct run_opts {
    const char *inventory;     /**< inventory file; NULL: SNAPSHOT/inventory.yaml */
    const char *snapshot;      /**< snapshot to audit; NULL: collect first */
    const char *collect_to;    /**< where a live collection is kept (NULL: a temp dir, removed) */
    int force;                 /**< collect_to may replace an earlier snapshot */
    const char *candidate_device; /**< must be in the inventory when given */
    const char *fail_on;       /**< overrides the inventory's policy */
    int jobs;
    int accept_new_host_keys;
    int keep_device_secrets;
    unsigned sample_interval_ms;
    const struct select *select; /**< live: collect only these devices (a partial snapshot); NULL: all */
    int progress;              /**< live: enum progress_mode */
    unsigned connect_timeout_ms; /**< live: 0: the collectors' default */
    unsigned timeout_ms;       /**< live: per request; 0: the collectors' default */
};

/** What every audit loads before it evaluates anything. */
struct run {
    struct ly_ctx *ctx;
    struct inventory *inv;
    struct refdata *ref;
    struct snapshot *snap;
    const struct rule *rules;
    size_t n_rules;
    struct urules *urules;       /* the inventory's user rules, when it names a file */
    const char *snapdir;
    int rootfd;                  /* the snapshot auditing reads its inventory from, else -1 */
    int temp_snapshot;           /* collected for this run only: tmpdir is removed at the end */
    enum er_sev fail_on;
    char invpath[PATH_MAX];
    char today[16];
    char tmpdir[PATH_MAX];       /* a private directory holding that snapshot */
    char tmpsnap[PATH_MAX];
};

/** @brief Load everything a run needs (collecting live when @p o names no snapshot). */
er_code run_open(const struct run_opts *o, struct run *s, struct er_err *err);

/** @brief Release what run_open() loaded (a temporary snapshot is removed). */
void run_close(struct run *s);

/** @brief Whether the snapshot (directory @p root) holds a candidate configuration for device @p name. */
int run_has_candidate(int root, const char *name);

/**
 * @brief A pre-change gate that checked nothing must not pass: @p device
 * (or, without one, at least one device) must have a candidate configuration.
 */
er_code run_candidate_gate(const struct run *s, const char *device, struct er_err *err);

/** @brief Build the network tree (running or candidate configs) and run the rules. */
er_code run_evaluate(struct run *s, const struct norm_opts *nopts, struct er_model **m, struct findings *f,
        struct er_err *err);

/** @brief Now, or SOURCE_DATE_EPOCH when set (reproducible reports and golden files). */
time_t run_now(void);

/** @brief @p t in UTC, formatted with strftime's @p fmt. */
void run_fmt_time(time_t t, const char *fmt, char *buf, size_t size);

/** @brief Phase timings on stderr when ERAUDIT_TIMING is set (benchmarks use them); NULL starts the clock. */
void run_phase(const char *name);

#endif
