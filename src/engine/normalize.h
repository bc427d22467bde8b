/**
 * @file normalize.h
 * @brief From inventory + snapshot to the network tree (norm_* module).
 */
#ifndef ER_NORMALIZE_H
#define ER_NORMALIZE_H

#include "refdata.h"
#include "inventory.h"
#include "model.h"
#include "prefix.h"
#include "snapshot.h"

/** Options of one normalization. */
struct norm_opts {
    int candidate;           /**< read NETCONF candidate configs instead of running */
    const char *candidate_device; /**< only this device's candidate (NULL: all that have one) */
};

/**
 * @brief Build the network tree: every inventory device with its role,
 * site, zones and collection status, mapped from its raw data in the
 * snapshot; circuits, tenant and user sites from the inventory, completed
 * with reference data (geopolitical regions, Azure regions).
 *
 * A device whose raw data cannot be read is marked failed or partial in
 * the tree with the reason (file, line, path or OID); the others go on.
 * The tree is validated against eraudit-network (device by device, in
 * parallel), so the caller need not validate it again.
 * @return ER_OK, or an error for problems that stop the whole audit.
 */
er_code norm_build(const struct inventory *inv, const struct snapshot *snap, const struct refdata *ref,
        const struct norm_opts *opts, struct er_model *m, struct er_err *err);

/**
 * @brief The prefixes whose routes matter: Microsoft's service prefixes for
 * the tenant and the circuits' registered prefixes. Empty (@p n = 0) when
 * no service prefixes are known: then Microsoft's routes are recognised only
 * by AS path and every route must be kept.
 * @param[out] out array to free() (NULL when empty).
 */
er_code norm_interest(struct ly_ctx *ctx, const struct inventory *inv, const struct refdata *ref, struct pfx **out,
        size_t *n, struct er_err *err);

#endif
