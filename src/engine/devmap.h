/**
 * @file devmap.h
 * @brief One device's raw data into its part of the network tree, and the
 * collection status that gives (devmap_* module). The audit (normalize.c)
 * and collect's recognition step (collect.c) both come here, so the
 * manifest collect writes says what the audit will find.
 */
#ifndef ER_DEVMAP_H
#define ER_DEVMAP_H

#include <stddef.h>

#include "mapper.h"
#include "model.h"
#include "ptrie.h"
#include "snapshot.h"

/** @brief Set the device's collection status and (when not NULL) its reason. */
er_code devmap_status(struct lyd_node *dev, const char *status, const char *reason, struct er_err *err);

/**
 * @brief Map device @p name's NETCONF and SNMP data below @p devfd (named
 * @p dir in messages) under @p dev, and set its collection status: failed
 * when nothing could be read, partial when a file could not be read beside
 * others that could, or elements were skipped as unreadable, or the
 * manifest entry @p sd says partial. @p interest (NULL: all) chooses the
 * routes kept.
 * @return ER_OK (problems of the device are its status, not an error);
 * ER_EINVAL when a file would be read outside the snapshot; ER_ENOMEM.
 */
er_code devmap_raw(struct er_model *m, struct lyd_node *dev, const char *name, int devfd, const char *dir,
        const struct snap_device *sd, int candidate, const struct ptrie *interest, struct er_err *err);

/**
 * @brief What the audit will make of device @p sd of a snapshot being
 * written (devices/NAME below @p rootfd, named @p rootdir): its status
 * (collected, partial, failed) and the reason it will give, in @p status
 * and @p reason. Maps the data into a throw-away tree of @p ctx.
 * @return ER_OK; ER_ENOMEM; ER_EINVAL (a file outside the snapshot).
 */
er_code devmap_recognize(struct ly_ctx *ctx, const struct snap_device *sd, const char *role, int rootfd,
        const char *rootdir, const struct ptrie *interest, char *status, size_t status_size, char *reason,
        size_t reason_size, struct er_err *err);

#endif
