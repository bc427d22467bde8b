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

#endif
