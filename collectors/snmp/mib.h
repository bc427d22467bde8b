/**
 * @file mib.h
 * @brief SNMP varbinds, walk files and MIB decoders (mib_*, walkfile_*).
 *
 * A varbind (struct snmp_vb) does not depend on any text form, so the live
 * collector (net-snmp PDUs) and the snapshot reader (`snmpbulkwalk -On`
 * text) feed the same decoders:
 *
 *     walk file ──walkfile_parse()──┐
 *                                   ├─▶ mib_feed() ─▶ mib_finish() ─▶ model
 *     net-snmp PDU ─────────────────┘
 *
 * The decoders (one file per MIB: mib_if.c, mib_ip.c, mib_ipforward.c,
 * mib_bgp.c, mib_nat.c) know their tables by numeric OID only (Debian ships
 * no MIB files). Rows are gathered while feeding and written to the model at
 * mib_finish(), when every table has been seen (an ifIndex can be named only
 * once IF-MIB is known, a peer's path count only once the path table is).
 */
#ifndef ER_SNMP_MIB_H
#define ER_SNMP_MIB_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "prefix.h"
#include "mapper.h"

/** Longest OID accepted (sub-identifiers), as in net-snmp's MAX_OID_LEN. */
#define SNMP_OID_MAX 128

/** Value types of a varbind. */
enum snmp_vtype {
    SNMP_VT_INTEGER,       /**< INTEGER / Integer32 (signed, in @c num as int64_t) */
    SNMP_VT_GAUGE32,       /**< Gauge32 / Unsigned32 */
    SNMP_VT_COUNTER32,
    SNMP_VT_COUNTER64,
    SNMP_VT_TIMETICKS,     /**< hundredths of a second */
    SNMP_VT_OID,           /**< value in @c val_oid */
    SNMP_VT_OCTETS,        /**< OCTET STRING (text or binary) in @c bytes */
    SNMP_VT_IPADDRESS,     /**< 4 bytes in @c bytes */
    SNMP_VT_NULL,
    SNMP_VT_NOSUCHOBJECT,  /**< exception: the agent has no such object */
    SNMP_VT_NOSUCHINSTANCE,/**< exception: no such instance */
    SNMP_VT_ENDOFMIBVIEW   /**< exception: past the end of the MIB view */
};

/**
 * One variable binding. Pointers are borrowed: valid only during the call
 * that receives the varbind.
 */
struct snmp_vb {
    const uint32_t *oid;      /**< the name */
    size_t oid_len;
    enum snmp_vtype type;
    uint64_t num;             /**< numeric types; INTEGER as (uint64_t)(int64_t) */
    const uint8_t *bytes;     /**< OCTETS and IPADDRESS */
    size_t n_bytes;
    const uint32_t *val_oid;  /**< OID values */
    size_t val_oid_len;
    int line;                 /**< line in the walk file, 0 when live */
};

/** @brief The signed value of an INTEGER varbind. */
static inline int64_t
snmp_vb_int(const struct snmp_vb *vb)
{
    return (int64_t)vb->num;
}

/**
 * Called by walkfile_parse() for each varbind.
 * @return ER_OK to go on; anything else stops the parse and is returned
 * (with @p err filled by the callback).
 */
typedef er_code (*walkfile_cb)(void *arg, const struct snmp_vb *vb, struct er_err *err);

/**
 * @brief Read a walk file in the text `snmpbulkwalk -On` prints.
 *
 * Accepts numeric OIDs (leading '.', none, or "iso."), every value type of
 * enum snmp_vtype in net-snmp's spelling (with or without MIB enum labels:
 * "INTEGER: established(6)"), quoted strings over several lines, Hex-STRING
 * wrapped over lines, blank lines and '#' comments. Within one file OIDs
 * must increase; a decrease starts a new walk only when the new OID lies
 * under a different table root than the current walk (a loop inside one
 * table is an error).
 *
 * @param[in] path file to read.
 * @param[in] cb called for each varbind, in file order.
 * @param[in] arg passed to @p cb.
 * @param[out] err "FILE:LINE: ..." on failure.
 * @return ER_OK; ER_EIO (cannot read); ER_EINVAL (unparsable line, truncated
 * value, non-increasing OID); whatever @p cb returned.
 */
er_code walkfile_parse(const char *path, walkfile_cb cb, void *arg, struct er_err *err);

/**
 * @brief walkfile_parse() of a file the caller opened (a snapshot's, below
 * its directory) and closes; @p path names it in messages.
 */
er_code walkfile_parse_fd(int fd, const char *path, walkfile_cb cb, void *arg, struct er_err *err);

/** @brief walkfile_parse() over a memory buffer; @p name is used in messages. */
er_code walkfile_parse_mem(const char *name, const char *data, size_t len, walkfile_cb cb, void *arg,
        struct er_err *err);

/**
 * @brief Format one varbind exactly as `snmpbulkwalk -On -m ''` prints it,
 * newline(s) included (a Hex-STRING wraps after 16 bytes, as net-snmp does).
 * @return the length of the full text (like snprintf): when it is >= @p size
 * the text was truncated and the call should be repeated with a bigger buffer.
 */
size_t walkfile_format_vb(const struct snmp_vb *vb, char *buf, size_t size);

/** @brief Format an OID as ".1.3.6..." into @p buf (truncated with "..." if needed); returns @p buf. */
char *walkfile_format_oid(const uint32_t *oid, size_t len, char *buf, size_t size);

/**
 * @brief Length of the table (or scalar group) root @p oid lies under, from
 * the decoders' table; for OIDs outside known MIBs, min(len, 9) (the mib-2
 * table entry level). Used to tell a new walk from a loop.
 */
size_t mib_root_len(const uint32_t *oid, size_t len);

struct mib_state;

/** Route filter: non-zero keeps the route. */
typedef int (*mib_keep_fn)(const struct pfx *route, void *arg);

/**
 * @brief A decoder state for one device.
 * @param[in] mc where rows go (model, device node, device name, file name
 * for messages); borrowed, must outlive the state.
 * @return the state, NULL when out of memory.
 */
struct mib_state *mib_state_new(struct map_ctx *mc);

/** @brief Free a state; NULL is fine. */
void mib_state_free(struct mib_state *st);

/**
 * @brief Keep only the routes (forwarding table rows, BGP paths) for which
 * @p keep returns non-zero; without a filter every route is kept.
 */
void mib_set_route_filter(struct mib_state *st, mib_keep_fn keep, void *arg);

/**
 * @brief Varbinds fed from now on are the second sample of the interface
 * counters (IF-MIB and sysUpTime.0); with sysUpTime.0 in both samples,
 * mib_finish() derives in/out-utilization.
 */
void mib_begin_second_sample(struct mib_state *st);

/**
 * @brief Decode one varbind. Varbinds of unknown MIBs and exceptions
 * (noSuchObject...) are ignored.
 * @return ER_OK; ER_EINVAL (bad index or value type; message names the
 * file, line and OID); ER_ENOMEM.
 */
er_code mib_feed(struct mib_state *st, const struct snmp_vb *vb);

/** @brief A walkfile_cb that feeds @p arg (a struct mib_state). */
er_code mib_feed_cb(void *arg, const struct snmp_vb *vb, struct er_err *err);

/**
 * @brief Write every decoded row into the model under the device node.
 * @return ER_OK; ER_EYANG when the model refuses a value; ER_ENOMEM.
 */
er_code mib_finish(struct mib_state *st);

/** @brief Route rows read and kept by the filter so far. */
void mib_route_counts(const struct mib_state *st, uint64_t *read, uint64_t *kept);

/**
 * @brief Text of a BGP4-MIB bgp4PathAttrASPathSegment value: segments of
 * type (1 octet), count (1 octet) and AS numbers (2 octets as the MIB says,
 * or 4 when only that length adds up). AS_SEQUENCE gives "65001 65002",
 * AS_SET "{65003,65004}", confederation ones "(...)" and "[...]".
 * @return 0, or -1 when the octets are not a valid segment list or the
 * text does not fit in @p size.
 */
int mib_bgp_aspath(const uint8_t *b, size_t len, char *out, size_t size);

/** @brief Source models seen (bit per MIB) as a leaf-list value list, for tests. */
int mib_seen(const struct mib_state *st, const char *mib_name);

#endif
