/**
 * @file check.h
 * @brief Pre-change validation (check module): running and candidate
 * configurations judged, and what the change adds and removes.
 */
#ifndef ER_CHECK_H
#define ER_CHECK_H

#include <limits.h>

#include "findings.h"
#include "history.h"
#include "model.h"
#include "run.h"

struct ccache;

/** What a check found. */
struct check_result {
    struct er_model *m;          /**< the candidate network */
    struct er_model *m_run;      /**< the running network (full check only) */
    struct findings run;         /**< running's findings (incremental: of the rules run again, and COLLECT-001) */
    struct findings cand;        /**< the candidate network's findings, every rule */
    unsigned char *rerun;        /**< per rule: run again on the candidate (NULL: full check, all) */
    struct hist_drift drift;     /**< the change: findings it adds (new) and removes (fixed) */
    size_t blocking;             /**< new findings at or above fail-on (devices not collected never block) */
    struct ccache *cache;        /**< the running network's cache entry, when used (owns strings of run's findings) */
    int cache_hit;               /**< the running network came from the cache */
    char warning[PATH_MAX + 160];/**< a damaged or unwritable cache, when not empty */
};

/**
 * @brief Judge running and the candidates (of @p device only, when given)
 * of the run @p s, and compare them. Incremental unless @p full: the
 * network is normalized once, the candidate devices built again in place,
 * and only the rules that read where a candidate differs run again; @p full
 * builds and judges both whole networks. The findings are the same. With
 * @p use_cache (incremental only), the running network, its findings and
 * the rules' reads come from the snapshot's cache entry when it is valid
 * (checkcache.h), and are written there when not; r->warning says when an
 * entry was damaged or could not be written.
 */
er_code check_run(struct run *s, const char *device, int full, int use_cache, struct check_result *r,
        struct er_err *err);

/** @brief Free what check_run() made; NULL is fine. */
void check_result_free(struct check_result *r);

#endif
