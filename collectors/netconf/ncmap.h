/**
 * @file ncmap.h
 * @brief What the NETCONF mappers share (ncm_* helpers, the mapper table).
 *
 * nc_map_device() (ncmap.c) parses each reply file and hands every
 * top-level element to the mapper registered for its namespace and local
 * name. A mapper (map_*.c, one file per source model) walks the XML by local
 * names and writes the eraudit-network tree through the ncm_* wrappers,
 * which turn a value libyang refuses into an ER_EINVAL naming the file, the
 * line and the element path.
 */
#ifndef ER_NCMAP_H
#define ER_NCMAP_H

#include <stdint.h>

#include "mapper.h"
#include "xmlutil.h"

/** Size of the text buffers mappers use for element values. */
#define NCM_TEXT 1024

/** One file being mapped. */
struct ncm {
    struct map_ctx *mc;
    int cfg;            /**< map configuration nodes (config file, or state file standing alone) */
    const char *src;    /**< "config" or "state", for state-source leaves */
    struct er_err *err; /**< where errors go (mc->err, or a scratch one) */
    uint64_t routes;    /**< RIB rows read from this file */
};

/** A mapper: one top-level element of one source model. */
struct ncm_mapper {
    const char *ns;     /**< namespace URI of the top-level element */
    const char *name;   /**< its local name */
    const char *model;  /**< value recorded in the device's source-model leaf-list */
    er_code (*map)(struct ncm *c, const struct xr_node *top);
};

/** @brief The mapper table, ending with a zeroed row (ncmap.c). */
extern const struct ncm_mapper ncm_mappers[];

/** @brief Set the error to "device D: FILE:LINE: PATH: message" for element @p at; returns ER_EINVAL. */
er_code ncm_bad(struct ncm *c, const struct xr_node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/** @brief model_leaf() whose refusal names @p at (the element the value came from). */
er_code ncm_leaf(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value, const struct xr_node *at);

/** @brief model_leaflist() whose refusal names @p at. */
er_code ncm_leaflist(struct ncm *c, struct lyd_node *parent, const char *leaf, const char *value,
        const struct xr_node *at);

/** @brief model_list() whose refusal names @p at. */
er_code ncm_list(struct ncm *c, struct lyd_node *parent, const char *list, const char *key, const struct xr_node *at,
        struct lyd_node **out);

/** @brief model_list2() whose refusal names @p at. */
er_code ncm_list2(struct ncm *c, struct lyd_node *parent, const char *list, const char *key1, const char *key2,
        const struct xr_node *at, struct lyd_node **out);

/** @brief model_cont() with the mapper's error handling. */
er_code ncm_cont(struct ncm *c, struct lyd_node *parent, const char *name, struct lyd_node **out);

/**
 * @brief Copy the text of element @p path under @p from into leaf @p leaf,
 * optionally through @p conv (returns NULL to skip a value it does not map).
 * Absent elements are not an error.
 */
er_code ncm_copy(struct ncm *c, struct lyd_node *dst, const char *leaf, const struct xr_node *from, const char *path,
        const char *(*conv)(const char *v, char *buf, size_t size));

/** @brief Like ncm_copy() into a leaf-list, one entry per matching element. */
er_code ncm_copy_all(struct ncm *c, struct lyd_node *dst, const char *leaf, const struct xr_node *from,
        const char *name);

/**
 * @brief Add interface address @p ip / @p len under @p ifc, refusing a
 * prefix length too long for the address family (the model allows 0..128).
 * @p ipn and @p lenn are the elements the values came from.
 */
er_code ncm_address(struct ncm *c, struct lyd_node *ifc, const char *ip, const struct xr_node *ipn, const char *len,
        const struct xr_node *lenn);

/** @brief The key of a list entry: child @p key, else config/@p key (OpenConfig style). */
const struct xr_node *ncm_key(const struct xr_node *entry, const char *key);

/* Value conversions shared by mappers (conv callbacks for ncm_copy()). */

/** @brief Interface status (UP, LOWER_LAYER_DOWN, up, dormant...) into up | down | other. */
const char *ncm_oper_status(const char *v, char *buf, size_t size);

/**
 * @brief An OpenConfig port speed identity (SPEED_10GB, SPEED_2500MB) into bits/second.
 * @return NULL for anything else: SPEED_UNKNOWN, negative, fractional beyond
 * a unit, huge (over 1 Pb/s) or junk speeds.
 */
const char *ncm_oc_speed(const char *v, char *buf, size_t size);

/** @brief A protocol (IP_TCP, 6, tcp...) into ip | tcp | udp | icmp | NUMBER. */
const char *ncm_protocol(const char *v, char *buf, size_t size);

/** @brief An identity value without its prefix, lower case, '_' as '-'. */
const char *ncm_lower(const char *v, char *buf, size_t size);

/** @brief A dotted netmask (255.255.255.0) into a prefix length; NULL when not contiguous. */
const char *ncm_netmask(const char *v, char *buf, size_t size);

/** @brief A decimal (OpenConfig timers "90.00") cut to its integer part. */
const char *ncm_int(const char *v, char *buf, size_t size);

/** @brief Whether @p v parses as an IPv4 or IPv6 address. */
int ncm_is_addr(const char *v);

/* Mappers (map_*.c). */
er_code map_oc_interfaces(struct ncm *c, const struct xr_node *top);
er_code map_oc_network_instances(struct ncm *c, const struct xr_node *top);
er_code map_oc_bgp_top(struct ncm *c, const struct xr_node *top);
er_code map_oc_local_routes(struct ncm *c, const struct xr_node *top);
er_code map_oc_bfd(struct ncm *c, const struct xr_node *top);
er_code map_oc_routing_policy(struct ncm *c, const struct xr_node *top);
er_code map_oc_acl(struct ncm *c, const struct xr_node *top);
er_code map_ietf_interfaces(struct ncm *c, const struct xr_node *top);
er_code map_ietf_routing(struct ncm *c, const struct xr_node *top);
er_code map_ietf_nat(struct ncm *c, const struct xr_node *top);
er_code map_ietf_acl(struct ncm *c, const struct xr_node *top);

/* Shared between the OpenConfig BGP and RIB files. */
er_code map_oc_bgp(struct ncm *c, const struct xr_node *bgp);
er_code map_oc_bgp_rib(struct ncm *c, struct lyd_node *bgp, const struct xr_node *rib);
er_code map_oc_static(struct ncm *c, const struct xr_node *static_routes);

#endif
