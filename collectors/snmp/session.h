/**
 * @file session.h
 * @brief The live SNMP collector (snmps_* module): walks the tables eraudit
 * needs from many devices at once and writes them into a snapshot as
 * `snmpbulkwalk -On` text.
 *
 * All devices share one event loop (net-snmp's single-session API:
 * snmp_sess_open, snmp_sess_async_send, snmp_sess_read2, snmp_sess_timeout).
 * Each device has one GETBULK in flight at a time, its own timeout and
 * retries, and a wall-clock budget. Its first request is a probe (one
 * GETNEXT per table root, as non-repeaters) that tells which tables the
 * agent has, so absent ones cost nothing.
 *
 * SNMPv3 engine-ID discovery: net-snmp discovers the engine ID with a
 * blocking request inside snmp_sess_open() (or on the first send). To keep
 * one slow device from stalling the others, the collector discovers engine
 * IDs itself, up front and in parallel, inside the same event loop: a
 * plain UDP socket per v3 device sends the RFC 3414 discovery message
 * (empty engine ID and user, reportable, noAuthNoPriv) and reads
 * msgAuthoritativeEngineID/Boots/Time from the Report. The session is then
 * opened with that engine ID and time already known, so net-snmp neither
 * probes nor needs a time-window round trip.
 *
 * Walk files written per device (below devices/NAME/):
 *   snmp/system.walk                            SNMPv2-MIB system group (sysUpTime.0)
 *   snmp/ifTable.walk, snmp/ifXTable.walk       IF-MIB, first counter sample
 *   snmp/bgpLocalAs.walk                        BGP4-MIB .15.2
 *   snmp/bgpPeerTable.walk                      BGP4-MIB .15.3
 *   snmp/bgp4PathAttrTable.walk                 BGP4-MIB .15.6 (filtered)
 *   snmp/inetCidrRouteTable.walk                IP-FORWARD-MIB .4.24.7 (filtered), or
 *   snmp/ipCidrRouteTable.walk                  .4.24.4 when the former is empty
 *   snmp/ipAddressTable.walk                    IP-MIB .4.34
 *   snmp/natMIB.walk                            NAT-MIB .123 (when the agent has rows)
 *   snmp/if-sample2.walk                        sysUpTime.0, ifTable and ifXTable
 *                                               again, sample_interval_ms after the first
 * A table the agent does not have gives no file.
 */
#ifndef ER_SNMP_SESSION_H
#define ER_SNMP_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "inventory.h"
#include "prefix.h"
#include "snapshot.h"

/**
 * Decides whether a route (a row of a routing or BGP path table) is kept.
 * @return non-zero to keep.
 */
typedef int (*snmps_keep_fn)(const struct pfx *route, void *arg);

/** Options of a collection; fill with snmps_opts_default() first. */
struct snmps_opts {
    unsigned timeout_ms;         /**< per request before a resend (default 2000) */
    unsigned retries;            /**< resends after a timeout (default 2) */
    unsigned max_reps;           /**< GETBULK max-repetitions (default 50) */
    unsigned max_parallel;       /**< devices in flight at once (default 256) */
    unsigned device_timeout_ms;  /**< wall-clock budget per device (default 600000) */
    unsigned sample_interval_ms; /**< gap between the two IF-MIB samples; 0: one sample */
    uint64_t max_varbinds;       /**< per table walk, against endless walks (default 20M) */
    /** Routes overlapping one of these prefixes are kept (with the default
     * route); with neither @c keep nor @c keep_fn every route is kept. */
    const struct pfx *keep;
    size_t n_keep;
    snmps_keep_fn keep_fn;       /**< called for routes the prefix list did not keep */
    void *keep_arg;
    int verbose;                 /**< progress to stderr (no secrets) */
};

/** @brief Fill @p o with the defaults. */
void snmps_opts_default(struct snmps_opts *o);

/**
 * @brief Collect every device of @p inv that has INV_COLLECT_SNMP.
 *
 * Writes the walk files of each device with snap_write_file() and its status
 * with snap_writer_device(): "collected"; "partial" when some tables failed
 * (a reason names the table and the OID: timeout mid-table, non-increasing
 * OID, error status, truncated table, too many varbinds); "failed" when
 * nothing could be read (unreachable or silent agent, wrong community (seen
 * as a timeout), unknown v3 user, wrong pass phrase, missing secret).
 * rows_read / rows_kept count route rows (routing table plus BGP paths) read
 * from the agent and kept by the route filter.
 *
 * A device's failure is not an error of the call: the call fails only when
 * the snapshot cannot be written or memory runs out.
 *
 * Calls from several threads are serialized (net-snmp's USM state is
 * process-wide). Host names are resolved with getaddrinfo(), which blocks:
 * inventories should name devices by address.
 *
 * @param[in] inv inventory (devices, auth profiles, secret references).
 * @param[in] w snapshot being written.
 * @param[in] opts options, NULL for the defaults.
 * @param[out] err on failure.
 * @return ER_OK; ER_ENOMEM; ER_EIO (snapshot write failed); ER_EINTERNAL
 * (net-snmp could not be initialized).
 */
er_code snmps_collect(const struct inventory *inv, struct snap_writer *w, const struct snmps_opts *opts,
        struct er_err *err);

#endif
