/**
 * @file natscope.h
 * @brief Where a NAT pool applies: the egress interfaces (with their zones
 * and what they face) through which its NAT rules, or the pool's own
 * interface, translate traffic into it, and the rules' match conditions.
 * ASYM-001/002 and NAT-003/005 judge a pool only for the traffic it
 * actually translates.
 */
#ifndef ER_RULES_NATSCOPE_H
#define ER_RULES_NATSCOPE_H

#include <stddef.h>

#include "view.h"

/** What an egress interface faces. */
enum ru_face {
    RU_FACE_UNKNOWN,                 /**< the interface is not in the model */
    RU_FACE_ER,                      /**< toward Microsoft: holds a Microsoft neighbor's subnet, or an expressroute zone */
    RU_FACE_INET,                    /**< toward the Internet: an Internet neighbor's subnet, or an internet zone */
    RU_FACE_OTHER                    /**< neither, or both */
};

/** What a pool's scope amounts to. */
enum ru_scope_kind {
    RU_SCOPE_NONE,                   /**< no egress interface anywhere: judged as if it translated all traffic */
    RU_SCOPE_ANY,                    /**< a NAT rule uses it without an egress interface: all traffic */
    RU_SCOPE_ER,                     /**< every use is on egress toward Microsoft */
    RU_SCOPE_INET,                   /**< every use is on egress toward the Internet */
    RU_SCOPE_MIXED                   /**< uses on several kinds of egress, or on one that faces neither */
};

/** Most uses kept per pool (the rest are counted in ru_nat_scope::more). */
#define RU_SCOPE_USES 8

/** One egress interface through which a pool translates. */
struct ru_nat_use {
    const char *ifname;              /**< the egress interface */
    const char *zone;                /**< its zone, NULL if none */
    const char *rule;                /**< the NAT rule's id, NULL for the pool's own interface */
    const char *match;               /**< the rule's first match-source, NULL if it matches everything */
    size_t n_match;                  /**< how many match-source prefixes the rule has */
    enum ru_face face;
    const char *peer;                /**< the neighbor whose subnet the interface holds, NULL if by zone */
    const char *circuit;             /**< toward Microsoft: the circuit of that link, NULL if unknown */
};

/** The scope of one NAT pool. */
struct ru_nat_scope {
    enum ru_scope_kind kind;
    struct ru_nat_use use[RU_SCOPE_USES];
    size_t n_use;                    /**< uses kept in @c use */
    size_t more;                     /**< uses beyond RU_SCOPE_USES */
    const char *any_rule;            /**< RU_SCOPE_ANY: the rule without an egress interface */
    int unscoped;                    /**< a pool of the group has no egress interface and no rule */
    const char *circuit;             /**< RU_SCOPE_ER: the one circuit of every use, NULL if several or unknown */
};

/** A pool's scopes as the run's NAT view holds them, made once per run (ru_nat_pools() points each pool at its own). */
struct ru_pool_scope {
    struct ru_nat_scope own;         /**< the pool alone: ru_nat_scope() */
    struct ru_nat_scope grp;         /**< with the device's other pools of that prefix: ru_nat_scope_group() */
    size_t same;                     /**< ru_nat_scope_group()'s pool count */
    int first;                       /**< ru_nat_scope_group()'s answer */
};

/**
 * @brief Compute where pool @p pool of device @p dev translates: its own
 * interface and every source or static NAT rule that names it.
 * @param n the network's BGP edges (Microsoft and Internet neighbors), for the link of each interface
 */
void ru_nat_scope(const struct ru_net *n, const struct lyd_node *dev, const struct lyd_node *pool,
        struct ru_nat_scope *s);

/** @brief ru_nat_scope() of pool @p p, from the run's NAT view when it has it. */
void ru_pool_scope(const struct ru_net *n, const struct ru_pool *p, struct ru_nat_scope *s);

/**
 * @brief The scope of every pool of one device that has the prefix of
 * pool @p i in @p v (ru_nat_pools() lists a device's pools together): one
 * public prefix translated on several links is judged once.
 * @param[out] pools how many pools of the device have that prefix
 * @return 0 when an earlier entry of @p v has the same device and prefix (already judged), else 1
 */
int ru_nat_scope_group(const struct ru_net *n, const struct ru_pool *v, size_t count, size_t i,
        struct ru_nat_scope *s, size_t *pools);

/** @brief The egress interfaces of the scope, comma-separated ("et0, et1"). @return @p buf */
const char *ru_nat_scope_ifs(const struct ru_nat_scope *s, char *buf, size_t size);

/**
 * @brief The scope as evidence text ("translated only on egress toward
 * Microsoft: et0 (Microsoft neighbor 203.0.113.2, circuit c1) by NAT rule 7").
 * @return @p buf
 */
const char *ru_nat_scope_text(const struct ru_nat_scope *s, char *buf, size_t size);

#endif
