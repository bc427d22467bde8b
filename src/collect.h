/**
 * @file collect.h
 * @brief Live collection into a snapshot (collect_* module): runs the
 * NETCONF and SNMP collectors of every device and commits the snapshot.
 */
#ifndef ER_COLLECT_H
#define ER_COLLECT_H

#include <libyang/libyang.h>

#include "err.h"
#include "inventory.h"

/**
 * @brief Collect every device of @p inv into the snapshot @p outdir
 * (written atomically). Devices that fail are recorded as failed in the
 * manifest; that is not an error of this function.
 */
er_code collect_run(struct ly_ctx *ctx, const struct inventory *inv, const char *invpath, const char *outdir,
        int jobs, int accept_new_host_keys, struct er_err *err);

/** @brief Remove a snapshot directory made for a one-off live audit. */
void collect_remove(const char *dir);

#endif
