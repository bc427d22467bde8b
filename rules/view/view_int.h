/**
 * @file view_int.h
 * @brief What the view files share among themselves: the interface index
 * (ifaces.c) that rule_shared_prepare() (bgp_edges.c) builds.
 */
#ifndef ER_RULES_VIEW_INT_H
#define ER_RULES_VIEW_INT_H

#include "view.h"

struct if_index;
struct if_dev;

/** @brief The device's entry in the run's interface index (made on first use before sealing). */
const struct if_dev *if_lookup(struct rule_ctx *rc, const struct lyd_node *dev);

/** @brief Free the interface index. */
void if_index_free(struct if_index *x);

/** @brief Index the circuits' ends (NULL out of memory); free with ru_circ_free(). */
struct ru_circ *ru_circ_build(const struct er_model *m);

/** @brief Free what ru_circ_build() made; NULL is fine. */
void ru_circ_free(struct ru_circ *x);

/** @brief 1 when a circuit names (@p dev, @p addr) as one of its ends. */
int ru_circ_has_end(const struct ru_circ *x, const char *dev, const char *addr);

/** @brief ru_circuit_of() through the index. */
const char *ru_circ_of(const struct ru_circ *x, const char *dev, const char *addr);

struct nat_dev;
struct ru_nat_scope;

/**
 * @brief What classifying @p dev's NAT egress interfaces needs, made once for
 * the device (its interfaces by name, the interface of each neighbor).
 * NULL when out of memory; free with nat_dev_free().
 */
struct nat_dev *nat_dev_new(const struct ru_net *n, const struct lyd_node *dev);

/** @brief Free what nat_dev_new() made; NULL is fine. */
void nat_dev_free(struct nat_dev *d);

/** @brief ru_nat_scope() of @p pool of the device of @p d. */
void nat_dev_scope(const struct nat_dev *d, const struct lyd_node *pool, struct ru_nat_scope *s);

/** @brief The scope of the pools @p v[@p members[0..n_members)] together, in that order (one device's). */
void nat_dev_scope_members(const struct nat_dev *d, const struct ru_pool *v, const size_t *members, size_t n_members,
        struct ru_nat_scope *s);

/** The run's NAT view: every NAT pool prefix of the non-failed devices, each with its scopes. */
struct ru_natv {
    struct ru_pool *v;               /**< in device order, a device's pools together (ru_nat_pools()'s order) */
    struct ru_pool_scope *sc;        /**< v[i].sv == &sc[i] */
    size_t n;
};

/** @brief The run's NAT view, made on first use before sealing; NULL without shared state or memory. */
const struct ru_natv *ru_natv_get(struct rule_ctx *rc);

/** @brief Free the NAT view; NULL is fine. */
void ru_natv_free(struct ru_natv *x);

/** @brief Every NAT pool prefix of the non-failed devices with a role in @p roles (NULL: any role). */
int ru_nat_pools_walk(struct rule_ctx *rc, const char *roles, struct ru_pool **out, size_t *count);

#endif
