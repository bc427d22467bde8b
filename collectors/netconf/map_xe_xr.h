/**
 * @file map_xe_xr.h
 * @brief What the Cisco IOS-XE and IOS-XR mappers share (cx_* helpers).
 *
 * IOS-XE answers in Cisco-IOS-XE-native (one `<native>` element that the
 * bgp, nat, acl and route-map modules augment), IOS-XR in one module per
 * feature (Cisco-IOS-XR-*-cfg / -oper), with route policies as RPL text.
 * Both are read element by element (NCM_ELEM, ncmap.h): an element that
 * cannot be read is skipped and recorded under the device's
 * collection/skipped[part] with file, line, path and why; the device is
 * partial and rules that read that part say N/E; the rest is kept.
 */
#ifndef ER_MAP_XE_XR_H
#define ER_MAP_XE_XR_H

#include <stdint.h>

#include "ncmap.h"

#define CX_NS_XE "http://cisco.com/ns/yang/Cisco-IOS-XE-"
#define CX_NS_XR "http://cisco.com/ns/yang/Cisco-IOS-XR-"

/**
 * @brief Add the address in child @p addr_el of @p entry with the dotted
 * netmask in child @p mask_el to interface @p ifc.
 */
er_code cx_addr_mask(struct ncm *c, struct lyd_node *ifc, const struct xr_node *entry, const char *addr_el,
        const char *mask_el);

/** @brief An IPv4 address and wildcard mask (0.0.0.255) as a prefix; NULL when the wildcard is not contiguous. */
const char *cx_wild_prefix(const char *addr, const char *wild, char *buf, size_t size);

/**
 * @brief One side (@p leaf "source" or "destination") of ACL rule @p r from
 * the children of @p at named @p el: {any, host, host (older name), address,
 * wildcard mask}; ER_EINVAL (ncm_bad()) when none gives a prefix.
 */
er_code cx_acl_side(struct ncm *c, struct lyd_node *r, const char *leaf, const struct xr_node *at,
        const char *const el[5]);

/** @brief Rule @p r's ports: "any" when @p lo is NULL, @p lo, or "@p lo-@p hi". */
er_code cx_acl_ports(struct ncm *c, struct lyd_node *r, const char *lo, const char *hi, const struct xr_node *at);

/** Map one ACL entry @p e of list @p acl into filter @p f (ER_EINVAL: skip that entry). */
typedef er_code (*cx_ace_fn)(struct ncm *c, struct lyd_node *f, const char *acl, const struct xr_node *e);

/**
 * @brief The IOS-XR access lists (classic or unified): each @p list_el child of
 * @p lists keyed `access-list-name` is a device filter, each @p entry_el under
 * its @p entries one element (part filter/rule) mapped by @p ace.
 */
er_code cx_xr_acls(struct ncm *c, const struct xr_node *lists, const char *list_el, const char *entries,
        const char *entry_el, cx_ace_fn ace);

/** @brief An IOS-XR ACL protocol as the model's ("ipv4", "ip" or none: "ip"). */
const char *cx_xr_protocol(const char *v, char *buf, size_t size);

/**
 * @brief The CIDR blocks that cover the IPv4 range @p start .. @p end exactly.
 * @return how many were written to @p out (at most @p max), 0 when the
 * range is not two IPv4 addresses in order or needs more than @p max blocks.
 */
size_t cx_range_cidrs(const char *start, const char *end, char (*out)[20], size_t max);

/** @brief An AS number, plain or asdot ("1.10"), as a decimal; NULL when not one. */
const char *cx_asn(const char *v, char *buf, size_t size);

/** @brief Child `remote-as` of @p x (plain or asdot) as the neighbor's peer-as; nothing when absent. */
er_code cx_peer_as(struct ncm *c, struct lyd_node *nb, const struct xr_node *x);

/**
 * @brief An IOS-XE interface name as the CLI writes it: the local name of the
 * type element @p type ("GigabitEthernet", "Port-channel") and @p num ("0/0/1", "1.100").
 */
const char *cx_xe_ifname(const struct xr_node *type, const char *num, char *buf, size_t size);

/**
 * @brief What the classic and unified IOS-XR interface models share: interface
 * @p name (key node @p kn) of entry @p e with its description and shutdown, the
 * address in child @p primary of @p addrs and its `secondaries`, each address
 * an element of its own (NCM_ELEM). @p ifc gets the model's interface.
 */
er_code cx_xr_interface(struct ncm *c, const struct xr_node *e, const struct xr_node *kn, const char *name,
        const struct xr_node *addrs, const char *primary, struct lyd_node **ifc);

/** @brief The first address of interface @p ifname of the device as "A/32"; NULL when it has none. */
const char *cx_if_host(struct ncm *c, const char *ifname, char *buf, size_t size);

/**
 * Where an IOS-XR BGP model (classic Cisco-IOS-XR-ipv4-bgp-cfg or unified
 * Cisco-IOS-XR-um-router-bgp-cfg) keeps what a neighbor inherits: both list
 * `neighbor-groups/neighbor-group[neighbor-group-name]` beside the neighbors.
 */
struct xr_bgp_dialect {
    const char *use;              /**< path of the group a neighbor or group inherits */
    const char *key, *key2;       /**< neighbor key element (and its later name, or NULL) */
    const char *afs, *af;         /**< a neighbor's address-family list and entries */
    const char *group_afs, *group_af; /**< a group's */
    const char *pol_in, *pol_out; /**< route policy paths under an address family */
    const char *max[2];           /**< maximum-prefix paths, the first present wins */
    /** Session settings of a neighbor or group entry into neighbor @p nb. */
    er_code (*session)(struct ncm *c, struct lyd_node *nb, const struct xr_node *x);
};

/**
 * @brief Map BGP neighbor @p n under device/bgp @p b: its groups (found
 * under @p groups, up to four levels) farthest first, then its own
 * settings; the ipv4-unicast route policies and maximum-prefix nearest first.
 * @return ER_EINVAL (ncm_bad()) for a neighbor that cannot be read.
 */
er_code xr_bgp_neighbor(struct ncm *c, struct lyd_node *b, const struct xr_node *groups, const struct xr_node *n,
        const struct xr_bgp_dialect *d);

/* Mappers (one per source model; rows in ncmap.c). */
er_code map_xe_native(struct ncm *c, const struct xr_node *top);
er_code map_xe_bgp_oper(struct ncm *c, const struct xr_node *top);
er_code map_xe_if_oper(struct ncm *c, const struct xr_node *top);
er_code map_xr_interfaces(struct ncm *c, const struct xr_node *top);
er_code map_xr_acl(struct ncm *c, const struct xr_node *top);
er_code map_xr_routing_policy(struct ncm *c, const struct xr_node *top);
er_code map_xr_bgp(struct ncm *c, const struct xr_node *top);
er_code map_xr_bgp_oper(struct ncm *c, const struct xr_node *top);
er_code map_xr_rib_oper(struct ncm *c, const struct xr_node *top);
er_code map_xr_if_oper(struct ncm *c, const struct xr_node *top);
er_code map_xr_um_interfaces(struct ncm *c, const struct xr_node *top);
er_code map_xr_um_bgp(struct ncm *c, const struct xr_node *top);
er_code map_xr_um_acl(struct ncm *c, const struct xr_node *top);

/* Parts of the IOS-XE native mapper (map_xe_*.c), each for one augmenting module. */
er_code xe_policies(struct ncm *c, const struct xr_node *native);
er_code xe_acls(struct ncm *c, const struct xr_node *native);
er_code xe_bgp(struct ncm *c, const struct xr_node *native);
er_code xe_nat(struct ncm *c, const struct xr_node *native);

#endif
