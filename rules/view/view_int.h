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

#endif
