/**
 * @file view.h
 * @brief The read-only views of the network the built-in rules share (ru_* module; rules/view/): device roles,
 * Microsoft and Internet neighbors, and
 * the classification of RIB paths as ExpressRoute or Internet.
 */
#ifndef ER_RULES_VIEW_H
#define ER_RULES_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "prefix.h"
#include "ptrie.h"
#include "rule.h"

/** BGP's default local preference. */
#define RU_DEFAULT_LP 100

/** Schema path prefixes, so rule path tables stay short. */
#define RU_DEV "/eraudit-network:network/device"
#define RU_NB RU_DEV "/bgp/neighbor"
#define RU_CIRC "/eraudit-network:network/circuit"

/** One BGP neighbor with its device and, when known, its circuit. */
struct ru_nb {
    struct lyd_node *dev, *nb;
    const char *dev_name, *addr;
    struct pfx a;                    /**< the neighbor address as a host prefix */
    const char *circuit;             /**< circuit name, NULL if none matches */
};

/** The entries of one device in ru_net's ms and inet arrays (built in device order). */
struct ru_devnbs {
    const struct lyd_node *dev;
    size_t ms0, n_ms, inet0, n_inet;
};

/** What every rule needs to know about the network's BGP edges. */
struct ru_net {
    struct rule_ctx *rc;
    uint32_t ms_as;                  /**< Microsoft's AS (12076) */
    struct ru_nb *ms, *inet;         /**< Microsoft neighbors, Internet neighbors */
    size_t n_ms, n_inet;
    struct ptrie *ms_addr, *inet_addr;
    struct ptrie *dev_addr;          /**< interface address (host prefix) -> device, for iBGP paths */
    struct ru_devnbs *devs;          /**< per device: where its entries sit in ms and inet (by pointer) */
    size_t n_devs;
    struct pfx *svc;                 /**< Microsoft prefixes (services, else ER-learned routes) */
    size_t n_svc;
    int svc_from_rib;                /**< 1 when svc came from the RIB, not from services */
    int svc_done;                    /**< svc collected (ru_net_svc) */
    int borrowed;                    /**< a copy of the run's shared net: ru_net_free() frees nothing */
    struct ru_circ *circ;            /**< the circuits' ends by device and neighbor (ru_net_circuit_of) */
};

/** How a RIB path leaves the network. */
enum ru_via { RU_VIA_OTHER, RU_VIA_ER, RU_VIA_INET };

/** Verdict on one RIB route toward a Microsoft prefix. */
struct ru_route {
    struct lyd_node *route;
    struct lyd_node *best;           /**< best path (flagged, else highest local-pref), NULL if none */
    enum ru_via best_via;
    struct lyd_node *er, *inet;      /**< ER path with the highest lp, Internet path with the highest lp */
    uint32_t er_lp, er_lp_min, inet_lp;
};

/** @brief Device name. */
const char *ru_name(const struct lyd_node *dev);

/** @brief 1 when the device has role @p role. */
int ru_is_role(const struct lyd_node *dev, const char *role);

/** @brief 1 when the device's role is one of the comma-separated @p roles ("er-edge,wan"). */
int ru_role_in(const struct lyd_node *dev, const char *roles);

/** @brief Report a skip for every failed device whose role is in @p roles; returns how many. */
size_t ru_skip_failed(struct rule_ctx *rc, const char *roles);

/** @brief 1 when the device's collection failed (no report). */
int ru_is_failed(const struct lyd_node *dev);

/**
 * @brief 1 when the device was only partly collected: missing data there is
 * not evidence that something is missing on the device.
 */
int ru_is_partial(const struct lyd_node *dev);

/** @brief 1 when the device's collection failed; reports a skip naming it. */
int ru_failed(struct rule_ctx *rc, const struct lyd_node *dev);

/** @brief 1 when the device's configuration was read (not only SNMP MIBs). */
int ru_has_config(const struct lyd_node *dev);

/**
 * @brief A container that sits late in a device entry ("bgp", "nat", "rib"),
 * found from the end so the interface list is not scanned. Not for lists.
 */
struct lyd_node *ru_dev_part(const struct lyd_node *dev, const char *name);

/** @brief The device's RIB when routes were collected (the container alone is not data), else NULL. */
struct lyd_node *ru_rib(const struct lyd_node *dev);

/** @brief Parse a prefix or address string (host bits cleared); 0 on success. */
int ru_pfx(const char *s, struct pfx *p);

/** @brief Circuit whose primary/secondary is (@p dev, @p addr), else the only circuit of @p dev; NULL if none. */
const char *ru_circuit_of(const struct er_model *m, const char *dev, const char *addr);

/** @brief ru_circuit_of() through @p n's circuit index (log time), or by scanning when it has none. */
const char *ru_net_circuit_of(const struct ru_net *n, const char *dev, const char *addr);

/**
 * @brief Collect the Microsoft and Internet neighbors of the network.
 * @return 0, or -1 out of memory (rc->rc set).
 */
int ru_net_build(struct rule_ctx *rc, struct ru_net *n);

/**
 * @brief Collect the Microsoft prefixes: the services sets, else every RIB
 * route with a path from Microsoft (done once). @return 0, -1 out of memory.
 */
int ru_net_svc(struct ru_net *n);

/** @brief Free what ru_net_build() allocated; NULL is fine. */
void ru_net_free(struct ru_net *n);

/** What a per-session rule does with one Microsoft session (see ru_each_ms()). */
typedef void (*ru_ms_fn)(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg);

/**
 * @brief The walk every per-session rule makes: skip the failed devices of
 * @p roles (comma-separated; NULL skips none), build the BGP picture, call
 * @p fn on each Microsoft session in order, and when there is none say
 * @p none (NULL: "no Microsoft BGP neighbor in the network").
 */
void ru_each_ms(struct rule_ctx *rc, const char *roles, const char *none, ru_ms_fn fn, void *arg);

/** @brief 1 when @p nb (a neighbor of @p dev) is a Microsoft neighbor. */
int ru_is_ms(const struct ru_net *n, const struct lyd_node *nb);

/** @brief How a RIB path leaves: by its source address, else its AS path. */
enum ru_via ru_path_via(const struct ru_net *n, const struct lyd_node *path);

/**
 * @brief 1 when @p path was not learned over BGP (an IGP, static or summary
 * route): it says where traffic goes next, not whether it ends on
 * ExpressRoute or the Internet, which the routers further on decide.
 */
int ru_path_igp(const struct lyd_node *path);

/** @brief Local preference of a path (BGP's default when absent). */
uint32_t ru_path_lp(const struct lyd_node *path);

/** @brief Judge one route: best path, ER and Internet paths and their local preferences. */
void ru_route_eval(const struct ru_net *n, struct lyd_node *route, struct ru_route *out);

/**
 * @brief Call @p cb once for every RIB route of @p dev that carries traffic
 * toward a Microsoft prefix (the longest match of each prefix and the more
 * specific routes inside it). @p uncovered is set to the number of
 * Microsoft prefixes without any route and @p first_uncovered to one of them.
 * @return -1 out of memory, else the number of routes visited.
 */
long ru_ms_routes(const struct ru_net *n, const struct lyd_node *dev,
        void (*cb)(const struct ru_route *r, void *arg), void *arg, size_t *uncovered, struct pfx *first_uncovered);

/** @brief Largest AS-path prepend count the export policies of @p nb set (0 if none). */
unsigned ru_export_prepend(const struct lyd_node *dev, const struct lyd_node *nb);

/**
 * @brief Interface of @p dev whose subnet contains address @p a, NULL if none; @p subnet filled.
 * With @p rc->shared, each device's interface subnets are parsed once per run.
 */
struct lyd_node *ru_iface_for(struct rule_ctx *rc, const struct lyd_node *dev, const struct pfx *a,
        struct pfx *subnet);

/**
 * @brief The Microsoft (@p er 1) or Internet (@p er 0) neighbors of @p dev in @p n:
 * their count, the first one in @p *first.
 */
size_t ru_net_dev(const struct ru_net *n, const struct lyd_node *dev, int er, const struct ru_nb **first);

/** @brief 1 when interface @p ifc of @p dev is in a zone that faces @p faces ("expressroute"). */
int ru_iface_faces(const struct lyd_node *dev, const struct lyd_node *ifc, const char *faces);

struct ru_pool_scope;

/** One prefix of a NAT pool. */
struct ru_pool {
    struct lyd_node *dev, *pool;
    const char *prefix;              /**< as written in the tree */
    struct pfx p;
    const char *circuit;             /**< the only circuit of an ER edge device, else NULL */
    const struct ru_pool_scope *sv;  /**< its scopes in the run's NAT view (natscope.h), NULL without one */
};

/**
 * @brief Every NAT pool prefix on non-failed devices with a role in @p roles.
 * @return 0, or -1 out of memory (rc->rc set); free *out with free().
 */
int ru_nat_pools(struct rule_ctx *rc, const char *roles, struct ru_pool **out, size_t *count);

/**
 * @brief A trie of every prefix advertised to the neighbors @p v (value:
 * the struct ru_nb); @p with_list set to how many have an advertised list.
 * @return 0, or -1 out of memory (rc->rc set). Free with ptrie_free().
 */
int ru_adv_trie(struct rule_ctx *rc, const struct ru_nb *v, size_t n, struct ptrie **t, size_t *with_list);

/** @brief Number of advertised prefixes of @p nb: the list's length, else the count leaf; -1 if unknown. */
long ru_adv_count(const struct lyd_node *nb);

/** @brief 1 when the neighbor has an advertised-prefix list. */
int ru_has_adv_list(const struct lyd_node *nb);

/** Most interfaces, zones or filters a side of one device holds. */
#define RU_SIDE_MAX 64

/** What one device has facing one side (expressroute, internet, ...). */
struct ru_side {
    const char *ifs[RU_SIDE_MAX], *zones[RU_SIDE_MAX];
    size_t n_ifs, n_zones;
    struct lyd_node *filters[RU_SIDE_MAX];   /**< filters bound to those interfaces or zones on ingress */
    size_t n_filters;
};

/**
 * @brief Collect the interfaces, zones and ingress filters of @p dev that
 * face @p faces: the zones declared so, their interfaces, and for
 * "expressroute" ("internet") the interfaces holding a Microsoft (Internet)
 * neighbor's address.
 */
void ru_side_collect(const struct ru_net *n, const struct lyd_node *dev, const char *faces, struct ru_side *s);

#endif
