/**
 * @file policy_eval.h
 * @brief A route-policy evaluator over the normalized policies (pe_* module).
 *
 * It runs one route through a neighbor's import or export policy chain the
 * way routers do: terms in order, all conditions of a term must match
 * (prefix-set with mask-length ranges, community-set with exact values or
 * regular expressions, AS path as an AS number or a regular expression),
 * then the term's sets apply (local preference, prepend, communities) and
 * its action accepts, rejects or goes on ("next"). A policy's default
 * action ends the chain (route-map implicit deny, RPL drop); without one
 * the next policy is tried, and a route no policy decides gets the
 * neighbor's recorded default (OpenConfig default-import-policy, REJECT
 * unless set). Prefix and community conditions honour match-set options
 * (any, all, invert). What it cannot judge (a
 * missing set, an AS-path set known only by name) marks the result
 * uncertain instead of guessing silently.
 */
#ifndef ER_POLICY_EVAL_H
#define ER_POLICY_EVAL_H

#include <stdint.h>

#include "model.h"
#include "prefix.h"
#include "refdata.h"

#define PE_MAX_COMM 4

/** A route to run through a policy. */
struct pe_route {
    struct pfx prefix;
    int prefix_known;            /**< 0: prefix-set conditions cannot be judged */
    const char *comm[PE_MAX_COMM];
    size_t n_comm;
    int comm_known;              /**< 0: community conditions cannot be judged */
    const char *as_path;         /**< "12076", nearest AS first */
    char buf[PE_MAX_COMM][24];   /**< storage for comm when built by pe_ms_route() */
    const char *label;           /**< what the route stands for ("PowerPlatformInfra.WestEurope") */
};

/** What a policy chain does to a route. */
struct pe_result {
    int accepted;
    uint32_t local_pref;         /**< BGP's default (100) when nothing sets it */
    int lp_set;                  /**< a term or the neighbor set it */
    unsigned prepend;
    const char *policy, *term;   /**< where the route was decided (NULL: no policy decided) */
    int no_policy;               /**< the neighbor has no policy: accepted as it is */
    int by_default;              /**< no policy decided: the neighbor's default-import/-export did */
    int default_known;           /**< with by_default: the default was recorded (else taken as accept) */
    int uncertain;               /**< a condition could not be judged */
    const char *why_uncertain;
};

/**
 * @brief Run @p r through the import (@p import = 1) or export policies of
 * neighbor @p nb of device @p dev.
 */
void pe_eval(const struct lyd_node *dev, const struct lyd_node *nb, int import, const struct pe_route *r,
        struct pe_result *out);

/**
 * @brief A route as Microsoft announces it for prefix set @p set (a name
 * of /network/services): AS path 12076 and the regional community of the
 * set's region, or the service community of a Microsoft 365 set. Without
 * a known community, community conditions are left unjudged.
 * @param prefix the prefix, or NULL when unknown
 */
void pe_ms_route(const struct refdata *ref, const char *set, const struct pfx *prefix, struct pe_route *r);

/** @brief A Microsoft prefix as an Internet transit announces it (AS path "64496 8075", no communities). */
void pe_inet_route(const struct pfx *prefix, struct pe_route *r);

#define PE_MAX_ROUTES 64

/** The Microsoft routes rules judge policies with (pe_ms_routes()). */
struct pe_routes {
    struct pe_route v[PE_MAX_ROUTES];
    char label[PE_MAX_ROUTES][96];
    size_t n;
};

/**
 * @brief The Microsoft routes to run through policies: one per services
 * prefix set of @p net (with its prefix), else one per tenant Azure region
 * (prefix unknown), else one route with neither prefix nor community known.
 */
void pe_ms_routes(const struct lyd_node *net, const struct refdata *ref, struct pe_routes *out);

/**
 * @brief The first policy of neighbor @p nb's import (@p import = 1) or
 * export chain that device @p dev does not define: missing, or left out by
 * a mapper because it could not be read. NULL when all are defined.
 */
const char *pe_undefined(const struct lyd_node *dev, const struct lyd_node *nb, int import);

/** @brief 1 when community @p c matches set member @p member (exact, or a regular expression). */
int pe_comm_match(const char *member, const char *c);

/** @brief 1 when the term at @p term matches communities at all (it has a match-community-set). */
int pe_term_uses_communities(const struct lyd_node *term);

#endif
