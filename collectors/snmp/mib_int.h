/**
 * @file mib_int.h
 * @brief What the MIB decoders share (mib.c and mib_*.c only): the table of
 * known tables, the module hooks, a row store keyed by index, and helpers
 * for indexes, values and messages.
 */
#ifndef ER_SNMP_MIB_INT_H
#define ER_SNMP_MIB_INT_H

#include "mib.h"

/** The decoders, in the order mib_finish() runs them (IF-MIB first: others name interfaces). */
enum mib_mod { MIB_M_SYS, MIB_M_IF, MIB_M_IP, MIB_M_BGP, MIB_M_IPFWD, MIB_M_NAT, MIB_M_COUNT };

/** Tables (and scalar groups) the decoders read. */
enum mib_table {
    MIB_T_SYSUPTIME,   /**< SNMPv2-MIB sysUpTime 1.3.6.1.2.1.1.3 */
    MIB_T_IF,          /**< IF-MIB ifEntry 1.3.6.1.2.1.2.2.1 */
    MIB_T_IFX,         /**< IF-MIB ifXEntry 1.3.6.1.2.1.31.1.1.1 */
    MIB_T_IPADDRESS,   /**< IP-MIB ipAddressEntry 1.3.6.1.2.1.4.34.1 */
    MIB_T_IPADDR,      /**< IP-MIB ipAddrEntry 1.3.6.1.2.1.4.20.1 */
    MIB_T_BGP_LOCALAS, /**< BGP4-MIB bgpLocalAs 1.3.6.1.2.1.15.2 */
    MIB_T_BGP_PEER,    /**< BGP4-MIB bgpPeerEntry 1.3.6.1.2.1.15.3.1 */
    MIB_T_BGP_ID,      /**< BGP4-MIB bgpIdentifier 1.3.6.1.2.1.15.4 */
    MIB_T_BGP_PATH,    /**< BGP4-MIB bgp4PathAttrEntry 1.3.6.1.2.1.15.6.1 */
    MIB_T_INETCIDR,    /**< IP-FORWARD-MIB inetCidrRouteEntry 1.3.6.1.2.1.4.24.7.1 */
    MIB_T_IPCIDR,      /**< IP-FORWARD-MIB ipCidrRouteEntry 1.3.6.1.2.1.4.24.4.1 */
    MIB_T_NAT_MAP,     /**< NAT-MIB natAddrMapEntry 1.3.6.1.2.1.123.1.4.1 */
    MIB_T_COUNT
};

/** A known table: where it lives and which decoder reads it. */
struct mib_tabledef {
    const char *name;
    enum mib_mod mod;
    uint32_t oid[12];
    size_t len;
    int columns;     /**< 1: the sub-identifier after the root is a column (an Entry) */
};

/** The table of known tables, indexed by enum mib_table. */
extern const struct mib_tabledef mib_tables[MIB_T_COUNT];

/** One decoder: private state, a row hook and a finish hook. */
struct mib_module {
    const char *name;         /**< source-model value, e.g. "bgp4-mib"; NULL: not recorded */
    void *(*create)(void);
    void (*destroy)(void *ms);
    /** One varbind of table @p t: column @p col (0 for scalars), index after it. */
    er_code (*row)(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx,
            size_t n_idx, const struct snmp_vb *vb);
    er_code (*finish)(struct mib_state *st, void *ms);
};

extern const struct mib_module mib_sys_module, mib_if_module, mib_ip_module, mib_bgp_module, mib_ipforward_module,
        mib_nat_module;

/* ---- the device state, shared by the decoders ---- */

/** @brief The mapping context (model, device node, names for messages). */
struct map_ctx *mib_ctx(struct mib_state *st);

/** @brief Private state of module @p mod (to look at another decoder's rows). */
void *mib_module_state(struct mib_state *st, enum mib_mod mod);

/** @brief 1 when feeding the second interface-counter sample. */
int mib_second_sample(const struct mib_state *st);

/** @brief Elapsed hundredths of a second between the two samples, 0 if unknown. */
uint64_t mib_sample_ticks(const struct mib_state *st);

/** @brief Record sysUpTime for the current sample (mib_sys). */
void mib_set_uptime(struct mib_state *st, uint64_t ticks);

/** @brief Count one route row read; returns non-zero (and counts it kept) when the filter keeps @p p. */
int mib_route_read(struct mib_state *st, const struct pfx *p);

/**
 * @brief Name of interface @p ifindex from IF-MIB (ifName, else ifDescr);
 * "ifindex-N" in @p buf when IF-MIB does not name it.
 */
const char *mib_if_name(struct mib_state *st, uint32_t ifindex, char buf[32]);

/**
 * @brief The rib/route[prefix]/path[source] entry for @p p, created with
 * state-source "state".
 */
er_code mib_rib_path(struct mib_state *st, const struct pfx *p, const char *source, struct lyd_node **path);

/**
 * @brief Set the state's error: "FILE:LINE: OID .1.3...: " + message
 * (FILE:LINE left out for live varbinds).
 * @return ER_EINVAL.
 */
er_code mib_bad(struct mib_state *st, const struct snmp_vb *vb, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** @brief The state's error (the map_ctx's), for hooks that call model_*(). */
struct er_err *mib_err(struct mib_state *st);

/* ---- values ---- */

/** @brief A numeric value (INTEGER, Gauge32, Counter*, TimeTicks) in @p out; else mib_bad(). */
er_code mib_vb_num(struct mib_state *st, const struct snmp_vb *vb, uint64_t *out);

/** @brief An INTEGER value in @p out; else mib_bad(). */
er_code mib_vb_int(struct mib_state *st, const struct snmp_vb *vb, int64_t *out);

/** @brief An OCTET STRING value as NUL-terminated text (bytes < 0x20 other than tab kept). */
er_code mib_vb_text(struct mib_state *st, const struct snmp_vb *vb, char *buf, size_t size);

/** @brief An IpAddress (or a 4/16-byte OCTET STRING) into @p addr; sets @p family. */
er_code mib_vb_addr(struct mib_state *st, const struct snmp_vb *vb, uint8_t *family, uint8_t addr[16]);

/* ---- indexes ---- */

/** @brief Take an IpAddress index (4 sub-identifiers, each 0..255). @return 0 or -1. */
int mib_idx_ipv4(const uint32_t **idx, size_t *n, uint8_t addr[4]);

/**
 * @brief Take an InetAddressType + length-prefixed InetAddress index pair.
 * Only ipv4(1)/ipv6(2) with 4/16 bytes are accepted; zoned types give -2
 * (skip the row), malformed ones -1.
 */
int mib_idx_inet(const uint32_t **idx, size_t *n, uint8_t *family, uint8_t addr[16]);

/** @brief Take one sub-identifier. @return 0 or -1. */
int mib_idx_u32(const uint32_t **idx, size_t *n, uint32_t *out);

/** @brief Text of an address (inet_ntop) into @p buf (INET6_ADDRSTRLEN). */
const char *mib_addr_str(uint8_t family, const uint8_t *addr, char *buf);

/** @brief 1 when the address is all zeros (0.0.0.0, ::). */
int mib_addr_zero(uint8_t family, const uint8_t *addr);

/* ---- a row store keyed by index, iterated in insertion order ---- */

/** Rows of one table; zero-initialize. */
struct mib_rows {
    void **rows;
    uint32_t **keys;
    size_t *klens;
    size_t n, cap;
    uint32_t *slots;     /**< open addressing: row number + 1, 0 = empty */
    size_t n_slots;
};

/**
 * @brief The row of index @p key, created zeroed (@p size bytes) when absent
 * and @p create is set.
 * @return the row; NULL when absent (and not created) or out of memory.
 */
void *mib_rows_get(struct mib_rows *t, const uint32_t *key, size_t klen, size_t size, int create);

/** @brief Free every row and the store itself (not @p t). */
void mib_rows_clear(struct mib_rows *t);

#endif
