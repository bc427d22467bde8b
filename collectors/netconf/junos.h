/**
 * @file junos.h
 * @brief What the Junos mappers share (jn_* module, map_junos_*.c).
 *
 * Junos answers in its native model: the configuration (`<configuration>`
 * in the xnm namespace `http://xml.juniper.net/xnm/1.1/xnm`, or in the
 * YANG-schema namespaces `http://yang.juniper.net/...`, whose element names
 * are the same) and operational RPC replies (`<bgp-information>`,
 * `<route-information>`, `<interface-information>` in the
 * `http://xml.juniper.net/junos/RELEASE/junos-*` namespaces). Elements are
 * read by local name, so both configuration forms map alike.
 *
 * One element that cannot be read (a BGP neighbor, a policy term, a filter
 * term, a NAT rule...) costs that element only: jn_soft() removes what was
 * built for it, keeps the reason (file, line, path), and at the end of the
 * file jn_finish() marks the device partial with the reasons.
 */
#ifndef ER_JUNOS_H
#define ER_JUNOS_H

#include "ncmap.h"

/** One Junos reply being mapped. */
struct jn {
    struct ncm *c;
    const struct xr_node *cfg;  /**< the <configuration> element (NULL for an operational reply) */
    unsigned bad;               /**< elements that could not be read */
    char why[700];              /**< the first one's reason */
};

/**
 * @brief Account for the outcome @p rc of mapping one element: ER_EINVAL
 * (the element is bad) is kept as a reason, @p node (what was built for the
 * element, may be NULL) is removed, and ER_OK returned; other codes pass.
 */
er_code jn_soft(struct jn *j, struct lyd_node *node, er_code rc);

/** @brief After a reply: mark the device partial when elements were dropped. */
er_code jn_finish(struct jn *j);

/** @brief Text of @p path below @p from, or NULL when absent or empty. */
const char *jn_str(const struct xr_node *from, const char *path, char *buf, size_t size);

/** @brief Name of a Junos list entry (its <name> child). */
const char *jn_name(const struct xr_node *entry, char *buf, size_t size);

/** @brief "a.b.c.d/len" into address and prefix length; 0 on success. */
int jn_split_prefix(const char *v, char *addr, size_t asize, char *len, size_t lsize);

/** @brief A Junos port name (https, bgp...) or number or range into "443" / "8000-8100"; NULL when unknown. */
const char *jn_port(const char *v, char *buf, size_t size);

/** @brief The prefixes of configured prefix-list @p name (policy-options), for filters and policies. */
const struct xr_node *jn_prefix_list(const struct jn *j, const char *name);

/* Rules of filters and security policies (map_junos_filter.c). */

#define JN_MAX_COMBOS 999
#define JN_MAX_VALS 64

/** The values of one match dimension (sources or destinations). */
struct jn_vals {
    char v[JN_MAX_VALS][64];
    size_t n;
};

/** The protocol/port pairs of a match (an application is both). */
struct jn_svc {
    char proto[JN_MAX_VALS][16], ports[JN_MAX_VALS][32];
    size_t n;
};

/** @brief Add a value; ER_EINVAL naming @p at past JN_MAX_VALS. */
er_code jn_add(struct jn *j, struct jn_vals *s, const char *v, const struct xr_node *at);

/** @brief Add a protocol/port pair; ER_EINVAL naming @p at past JN_MAX_VALS. */
er_code jn_add_svc(struct jn *j, struct jn_svc *s, const char *proto, const char *ports, const struct xr_node *at);

/**
 * @brief Rules of filter @p f for the term or policy at position @p pos:
 * one per source x destination x service, seq 1000 x pos + n, in order.
 */
er_code jn_rules(struct jn *j, struct lyd_node *f, unsigned pos, const struct jn_vals *src, const struct jn_vals *dst,
        const struct jn_svc *svc, const char *action, const struct xr_node *at);

/** @brief Remove the rules of position @p pos from filter @p f (a bad term or policy). */
void jn_drop_rules(struct lyd_node *f, unsigned pos);

/* Per source model (one file each). */
er_code jn_interfaces(struct jn *j, const struct xr_node *ifs);
er_code jn_routing_options(struct jn *j, const struct xr_node *ro);
er_code jn_bgp(struct jn *j, const struct xr_node *bgp);
er_code jn_policy_options(struct jn *j, const struct xr_node *po);
er_code jn_firewall(struct jn *j, const struct xr_node *fw);
er_code jn_security(struct jn *j, const struct xr_node *sec);
er_code jn_nat(struct jn *j, const struct xr_node *nat);

/* Mapper table rows (ncmap.c). */
er_code map_junos_configuration(struct ncm *c, const struct xr_node *top);
er_code map_junos_text(struct ncm *c, const struct xr_node *top);
er_code map_junos_bgp_state(struct ncm *c, const struct xr_node *top);
er_code map_junos_route_state(struct ncm *c, const struct xr_node *top);
er_code map_junos_if_state(struct ncm *c, const struct xr_node *top);

#endif
