/**
 * @file collect.h
 * @brief Live collection into a snapshot (collect_* module): runs the
 * NETCONF and SNMP collectors of every device and commits the snapshot.
 */
#ifndef ER_COLLECT_H
#define ER_COLLECT_H

#include <libyang/libyang.h>

#include "refdata.h"
#include "err.h"
#include "inventory.h"
#include "select.h"

/** How to collect. */
struct collect_opts {
    int jobs;                      /**< NETCONF devices at once; 0: the collector's default */
    int accept_new_host_keys;      /**< record unknown SSH host keys (never changed ones) */
    unsigned sample_interval_ms;   /**< gap between two interface counter samples; 0: one sample */
    const struct refdata *ref;     /**< reference data and services: which routes are worth keeping */
    int keep_device_secrets;       /**< store replies with their secrets (the manifest says so) */
    int force;                     /**< replace an earlier snapshot at the output directory (never anything else) */
    const struct select *select;   /**< collect only these devices (a partial snapshot); NULL: all */
    int progress;                  /**< enum progress_mode: auto (0), always, never */
    unsigned connect_timeout_ms;   /**< NETCONF connect + login; 0: the collector's default */
    unsigned timeout_ms;           /**< one request; 0: the collector's default */
};

/**
 * @brief Collect every device of @p inv into the snapshot @p outdir
 * (written atomically). @p outdir must not exist, or hold an earlier
 * snapshot and @p opts->force be set: anything else is refused (ER_EINVAL)
 * before any device is contacted. Devices that fail are recorded as failed
 * in the manifest; that is not an error of this function.
 */
er_code collect_run(struct ly_ctx *ctx, const struct inventory *inv, const char *invpath, const char *outdir,
        const struct collect_opts *opts, struct er_err *err);

/** @brief Remove a directory made for a one-off live audit (links inside are not followed). */
void collect_remove(const char *dir);

#endif
