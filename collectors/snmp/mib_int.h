/**
 * @file mib_int.h
 * @brief What the MIB decoders share (mib.c and mib_*.c only): the table of
 * known tables, the module hooks, a row store keyed by index, and helpers
 * for indexes, values and messages.
 */
#ifndef ER_SNMP_MIB_INT_H
#define ER_SNMP_MIB_INT_H

#include "mib.h"

/**
 * The decoders, in the order mib_finish() runs them (IF-MIB first: others
 * name interfaces). The BGP peer sources (BGP4-MIB and the vendor MIBs) only
 * gather peers; MIB_M_PEERS then writes those of the richest source.
 */
enum mib_mod {
    MIB_M_SYS, MIB_M_IF, MIB_M_IP, MIB_M_BGP, MIB_M_CBGP, MIB_M_JNXBGP, MIB_M_BGP4V2, MIB_M_PEERS, MIB_M_IPFWD,
    MIB_M_NAT, MIB_M_COUNT
};

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
    MIB_T_CBGP_LOCALAS,/**< CISCO-BGP4-MIB cbgpLocalAs 1.3.6.1.4.1.9.9.187.1.3.2 */
    MIB_T_CBGP_PEER2,  /**< CISCO-BGP4-MIB cbgpPeer2Entry .9.9.187.1.2.5.1 */
    MIB_T_CBGP_PFX2,   /**< CISCO-BGP4-MIB cbgpPeer2AddrFamilyPrefixEntry .9.9.187.1.2.8.1 */
    MIB_T_JNX_PEER,    /**< BGP4-V2-MIB-JUNIPER jnxBgpM2PeerEntry .2636.5.1.1.2.1.1.1 */
    MIB_T_JNX_PFX,     /**< BGP4-V2-MIB-JUNIPER jnxBgpM2PrefixCountersEntry .2636.5.1.1.2.6.2.1 */
    MIB_T_V2A_PEER,    /**< ARISTA-BGP4V2-MIB (the BGP4V2 draft) aristaBgp4V2PeerEntry .30065.4.1.1.2.1 */
    MIB_T_V2A_PFX,     /**< aristaBgp4V2PrefixGaugesEntry .30065.4.1.1.8.1 */
    MIB_T_V2C_PEER,    /**< the BGP4V2 draft under Cumulus' arc (FRR bgpd): bgp4V2PeerEntry .7336.4.2.1.1.2.1 */
    MIB_T_V2C_PFX,     /**< bgp4V2PrefixGaugesEntry .7336.4.2.1.1.8.1 */
    MIB_T_COUNT
};

/** A known table: where it lives and which decoder reads it. */
struct mib_tabledef {
    const char *name;
    enum mib_mod mod;
    uint32_t oid[16];
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

extern const struct mib_module mib_sys_module, mib_if_module, mib_ip_module, mib_bgp_module, mib_cbgp_module,
        mib_jnxbgp_module, mib_bgp4v2_module, mib_peers_module, mib_ipforward_module, mib_nat_module;

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

/**
 * @brief For a row a later column shows but the first did not: non-zero (and
 * counted read and kept) when the filter keeps @p p. A row the filter drops
 * is not counted: it is most likely one the first column showed.
 */
int mib_route_keep(struct mib_state *st, const struct pfx *p);

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

/**
 * @brief Skip one element (a row, a value) and name it in the device's
 * reason (map_ctx.skipped): "FILE:LINE: OID .1.3...: " + message. The rest of
 * the table is read; the device becomes partial.
 */
void mib_note(struct mib_state *st, const struct snmp_vb *vb, const char *fmt, ...)
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

/* ---- BGP peers of every source MIB (mib_peer.c) ---- */

/** One peer as a source MIB shows it; unknown fields stay zero. */
struct mib_peer {
    uint8_t family, addr[16];        /**< the remote address (the key) */
    uint8_t local_family, local[16];
    int64_t state;                   /**< BGP FSM state 1..6 */
    int64_t admin;                   /**< 1 stopped/halted, 2 started/running */
    uint64_t remote_as, local_as, hold, keepalive, hold_cfg, keepalive_cfg;
    uint64_t accepted, advertised;   /**< prefix counters (unicast, summed over address families) */
    uint32_t index;                  /**< jnxBgpM2PeerIndex: what Juniper's counters are keyed by */
    char descr[256];
    unsigned have_as : 1, have_local_as : 1, have_acc : 1, have_adv : 1, have_index : 1, have_descr : 1;
};

/** The peers of one source, and the device's local AS as that source gives it. */
struct mib_peerset {
    struct mib_rows peers;
    uint64_t local_as;
    unsigned have_local_as : 1;
};

/** @brief The peer set of source @p src (owned by the state). */
struct mib_peerset *mib_peerset(struct mib_state *st, enum mib_bgp_src src);

/** @brief Peer @p addr of @p set, created (zeroed, key filled) when absent and @p create; NULL when absent or out of memory. */
struct mib_peer *mib_peer_get(struct mib_peerset *set, uint8_t family, const uint8_t *addr, int create);

/** @brief Free the peers of a set. */
void mib_peerset_clear(struct mib_peerset *set);

/**
 * @brief Take an InetAddressType + InetAddress index pair. The SMI asks for a
 * length octet before the address; Junos leaves it out (instance.2.<16 octets>),
 * so with @p raw the address follows the type directly.
 * @return 0; -1 malformed or a type other than ipv4(1)/ipv6(2).
 */
int mib_idx_inet_any(const uint32_t **idx, size_t *n, int raw, uint8_t *family, uint8_t addr[16]);

/**
 * @brief Add one prefix counter of address family @p afi / @p safi to @p p
 * (accepted, or advertised when @p advertised): unicast IPv4 and IPv6 (SAFI 1)
 * are summed, other families are not counted.
 */
void mib_peer_count(struct mib_peer *p, uint32_t afi, uint32_t safi, int advertised, uint64_t v);

/** @brief Read a numeric column value into @p out, capped at @p max. */
er_code mib_vb_num_max(struct mib_state *st, const struct snmp_vb *vb, uint64_t max, uint64_t *out);

#endif
