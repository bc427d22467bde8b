/**
 * @file filter_path.h
 * @brief The paths traffic takes through filters (fp_* module), for SEC-001:
 * a hop is one interface of one device with its ingress filters; a path is
 * an edge hop (an interface facing a Microsoft or Internet neighbor, or a
 * zone facing that side) followed by a firewall hop (the firewall's zone
 * facing that side), or one of them alone when the other kind is missing.
 * A path admits a packet when every filter of every hop admits it.
 */
#ifndef ERAUDIT_FILTER_PATH_H
#define ERAUDIT_FILTER_PATH_H

#include <stddef.h>

#include "filter_eval.h"
#include "view.h"

/** Filters kept per hop. */
#define HOP_FILTERS 4
/** Hops kept per side. */
#define MAX_HOPS 64

/** One hop: the ingress filters of one interface of one device. */
struct fp_hop {
    const struct lyd_node *dev, *ifc;
    const char *ifname;
    int fw;                         /* a firewall zone (second hop) */
    int unread;                     /* the device's filters are not known */
    struct fe_filter f[HOP_FILTERS];
    size_t nf;
};

/** The hops of one side: edges first, then firewalls. */
struct fp_side {
    struct fp_hop h[MAX_HOPS];
    size_t n;
};

/** A path: one or two hops. */
struct fp_path {
    const struct fp_hop *h[2];
    size_t n;
};


/**
 * @brief Add the hops of @p dev facing @p faces ("expressroute", "internet")
 * to @p sd, loading their filters and adding them to @p sp.
 * @return 0; -1 when a filter cannot be read (reported on @p rc as not
 * evaluated); -2 when out of memory.
 */
int fp_add_hops(struct rule_ctx *rc, struct fe_space *sp, const struct ru_net *n, const struct lyd_node *dev,
        const char *faces, struct fp_side *sd);

/** @brief The paths of @p sd into @p out (at most @p max): every edge hop with every firewall hop. */
size_t fp_paths(const struct fp_side *sd, struct fp_path *out, size_t max);

/** @brief 1 when some hop of @p p has a filter. */
int fp_filtered(const struct fp_path *p);

/** @brief 1 when a device on @p p has no configuration collected (its filters are unknown). */
int fp_unread(const struct fp_path *p);

/**
 * @brief 1 when @p p admits @p pk; the last permitting filter and rule in
 * @p *lf / @p *lr, or, when denied, the denying filter and rule (NULL: its
 * implicit deny).
 */
int fp_admits(const struct fp_path *p, const struct fe_pkt *pk, const struct fe_filter **lf,
        const struct fe_rule **lr);

/** @brief The filters of @p p in order into @p fs (room for 2 * HOP_FILTERS); their number. */
size_t fp_filters(const struct fp_path *p, const struct fe_filter **fs);

/**
 * @brief 1 when @p p admits some witness of the class (protocol, port) of
 * @p cls, that witness in @p pk (only the rules matching the class split the
 * addresses); -1 when out of memory.
 */
int fp_admits_class(const struct fp_path *p, const struct fe_pkt *cls, struct fe_pkt *pk,
        const struct fe_filter **lf, const struct fe_rule **lr);

/** @brief "dev if, then dev if": the text of @p p in @p buf. */
const char *fp_str(const struct fp_path *p, char *buf, size_t size);

/** @brief The hop of @p p holding filter @p f (the last hop when none does). */
const struct fp_hop *fp_hop_of(const struct fp_path *p, const struct fe_filter *f);

/** @brief 1 when every filter of hop @p h admits one same witness of the class of @p cls; -1 out of memory. */
int fp_hop_admits_class(const struct fp_hop *h, const struct fe_pkt *cls);

/** @brief 1 when @p dev is on @p p. */
int fp_on(const struct fp_path *p, const struct lyd_node *dev);

/** @brief Free the filters of @p sd's hops. */
void fp_side_free(struct fp_side *sd);

#endif
