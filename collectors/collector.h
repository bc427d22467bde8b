/**
 * @file collector.h
 * @brief The collectors as one table (collector module), the way reports are
 * one table: each protocol collects its devices into a snapshot and maps
 * what it stored into the model. Adding a protocol is one row.
 */
#ifndef ER_COLLECTOR_H
#define ER_COLLECTOR_H

#include <stddef.h>

#include "err.h"
#include "inventory.h"
#include "mapper.h"
#include "prefix.h"
#include "snapshot.h"

/** What every collector is told. */
struct collector_opts {
    unsigned jobs;                 /**< devices at once; 0: the collector's default */
    int accept_new_host_keys;      /**< record unknown SSH host keys (never changed ones) */
    int keep_device_secrets;       /**< store replies with their secrets */
    unsigned sample_interval_ms;   /**< gap between two interface counter samples; 0: one sample */
    const struct pfx *keep;        /**< routes worth keeping (NULL: all) */
    size_t n_keep;
    unsigned connect_timeout_ms;   /**< NETCONF: TCP connect + SSH login; 0: the collector's default */
    unsigned timeout_ms;           /**< one request (NETCONF reply, SNMP request before a resend); 0: default */
};

/** One protocol. */
struct collector {
    const char *name;              /**< "netconf", "snmp": also its directory under devices/NAME/ */
    unsigned inv_flag;             /**< INV_COLLECT_*: the inventory's devices it collects */
    /** Collect the inventory's devices of this protocol into @p w; failed devices are marked, not errors. */
    er_code (*collect)(const struct inventory *inv, struct snap_writer *w, const struct collector_opts *o,
            struct er_err *err);
    /** Map a device directory's data of this protocol (ER_ENOTFOUND: it has none). */
    er_code (*map_at)(struct map_ctx *mc, int devfd, const char *devdir, int candidate);
};

/** @brief The collectors, in the order they run; @p n set to their count. */
const struct collector *collectors(size_t *n);

#endif
