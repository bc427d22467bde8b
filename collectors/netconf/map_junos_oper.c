/**
 * @file map_junos_oper.c
 * @brief Junos operational RPC replies (namespaces
 * `http://xml.juniper.net/junos/RELEASE/junos-routing` and `-interface`):
 *
 * - `<get-bgp-neighbor-information>` (netconf/junos-bgp.xml): bgp-peer
 *   peer-address (its "+port" dropped), peer-as, peer-state, and per RIB
 *   the received, accepted and advertised prefix counts (summed);
 * - `<get-route-information>` for the prefixes that matter
 *   (netconf/junos-route.xml, one reply per prefix asked, one after the
 *   other): rt-destination (with rt-prefix-length when apart), each
 *   rt-entry's protocol, active path, local preference, AS path,
 *   communities, learned-from and the selected next hop and interface;
 * - `<get-route-information>` advertising-protocol bgp per neighbor
 *   (netconf/junos-adv/ADDRESS.xml, the neighbor named by the file): the
 *   prefixes advertised to it;
 * - `<get-interface-information>` (netconf/junos-interfaces.xml):
 *   physical-interface oper-status, speed and octet counters, given to the
 *   port and its logical units.
 */
#include "junos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JN_ADV_DIR "netconf/junos-adv/"

static const char *
jn_state(const char *v, char *buf, size_t size)
{
    static const char *const states[] = {"idle", "connect", "active", "opensent", "openconfirm", "established"};
    size_t i;

    ncm_lower(v, buf, size);
    for (i = 0; i < sizeof states / sizeof *states; i++) {
        if (!strcmp(buf, states[i]))
            return states[i];
    }
    return NULL;
}

/* Sum of @p el over the peer's bgp-rib entries into @p leaf. */
static er_code
jn_rib_sum(struct ncm *c, struct lyd_node *nb, const struct xr_node *peer, const char *el, const char *leaf)
{
    const struct xr_node *rib;
    unsigned long long sum = 0;
    char tb[32];
    const char *v;
    int any = 0;

    XU_FOR(peer, "bgp-rib", rib) {
        if ((v = jn_str(rib, el, tb, sizeof tb))) {
            sum += strtoull(v, NULL, 10);
            any = 1;
        }
    }
    if (!any)
        return ER_OK;
    snprintf(tb, sizeof tb, "%llu", sum > 4294967295ull ? 4294967295ull : sum);
    return ncm_leaf(c, nb, leaf, tb, peer);
}

static er_code
jn_peer(struct jn *j, struct lyd_node *b, const struct xr_node *p)
{
    struct ncm *c = j->c;
    const struct xr_node *an = xu_child(p, "peer-address"), *sn = xu_child(p, "peer-state");
    struct lyd_node *nb;
    char ab[NCM_TEXT], sb[32], lb[64], stb[32];
    const char *addr = xu_text(an, ab, sizeof ab), *st;
    er_code rc;

    if (!addr || !*addr)
        return ncm_bad(c, p, "bgp-peer without a peer-address");
    /* "203.0.113.2+179": the port goes. */
    snprintf(lb, sizeof lb, "%.*s", (int)strcspn(addr, "+"), addr);
    addr = lb;
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, an, &nb), done);
    if (!model_str(nb, "peer-as"))
        ER_TRY(rc, ncm_copy(c, nb, "peer-as", p, "peer-as", NULL), done);
    if (sn) {
        if (!(st = jn_state(xu_text(sn, sb, sizeof sb), stb, sizeof stb)))
            return ncm_bad(c, sn, "peer-state '%s' is not a BGP state", sb);
        ER_TRY(rc, ncm_leaf(c, nb, "state", st, sn), done);
        ER_TRY(rc, ncm_leaf(c, nb, "state-source", "state", sn), done);
    }
    ER_TRY(rc, jn_rib_sum(c, nb, p, "accepted-prefix-count", "prefixes-received"), done);
    rc = jn_rib_sum(c, nb, p, "advertised-prefix-count", "prefixes-advertised");
done:
    return rc;
}

er_code
map_junos_bgp_state(struct ncm *c, const struct xr_node *top)
{
    struct jn j = {.c = c};
    const struct xr_node *p;
    struct lyd_node *b;
    er_code rc;

    /* No peer, no BGP: the container says BGP is configured or seen. */
    if (!xu_child(top, "bgp-peer"))
        return ER_OK;
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    XU_FOR(top, "bgp-peer", p)
        ER_TRY(rc, jn_soft(&j, NULL, jn_peer(&j, b, p)), done);
    rc = jn_finish(&j);
done:
    return rc;
}

/* ---- routes ---------------------------------------------------------- */

/* "12076 I" or "AS path: 12076 I\n" into "12076". */
static void
jn_as_path(const char *v, char *buf, size_t size)
{
    size_t len = 0;
    const char *p = strstr(v, "AS path:") ? strstr(v, "AS path:") + 8 : v;

    buf[0] = '\0';
    while (*p && *p != '\n') {
        size_t n;

        p += strspn(p, " \t");
        n = strspn(p, "0123456789");
        if (n && len + n + 2 < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%.*s", len ? " " : "", (int)n, p);
        p += n ? n : strcspn(p, " \t\n") ? strcspn(p, " \t\n") : 1;
    }
}

static const char *
jn_protocol(const char *v, char *buf, size_t size)
{
    ncm_lower(v, buf, size);
    if (!strcmp(buf, "bgp") || !strcmp(buf, "static") || !strcmp(buf, "local") || !strcmp(buf, "isis"))
        return buf;
    if (!strcmp(buf, "direct"))
        return "connected";
    if (!strncmp(buf, "ospf", 4))
        return "ospf";
    return "other";
}

static er_code
jn_rt_entry(struct jn *j, struct lyd_node *rt, const struct xr_node *e)
{
    struct ncm *c = j->c;
    const struct xr_node *nh, *x;
    struct lyd_node *p;
    char pb[32], lb[NCM_TEXT], tb[NCM_TEXT], hb[NCM_TEXT];
    const char *pn = xu_str(e, "protocol-name", tb, sizeof tb), *proto = jn_protocol(pn ? pn : "", pb, sizeof pb);
    const char *src, *v;
    er_code rc;

    src = jn_str(e, "learned-from", lb, sizeof lb);
    if (!src || !ncm_is_addr(src) || strcmp(proto, "bgp"))
        src = proto;
    /* The selected next hop, else the first. */
    for (nh = xu_child(e, "nh"), x = nh; x; x = xu_next(x)) {
        if (xu_child(x, "selected-next-hop")) {
            nh = x;
            break;
        }
    }
    if (!strcmp(proto, "bgp") && src == proto && ncm_is_addr(v = jn_str(nh, "to", hb, sizeof hb)))
        src = v;
    ER_TRY(rc, ncm_list(c, rt, "path", src, e, &p), done);
    ER_TRY(rc, ncm_leaf(c, p, "protocol", proto, e), done);
    ER_TRY(rc, ncm_leaf(c, p, "state-source", "state", e), done);
    ER_TRY(rc, ncm_leaf(c, p, "best", xu_child(e, "current-active") || jn_str(e, "active-tag", tb, sizeof tb)
            ? "true" : "false", e), done);
    ER_TRY(rc, ncm_copy(c, p, "local-preference", e, "local-preference", NULL), done);
    if ((v = jn_str(e, "as-path", tb, sizeof tb))) {
        jn_as_path(v, lb, sizeof lb);
        if (*lb)
            ER_TRY(rc, ncm_leaf(c, p, "as-path", lb, xu_child(e, "as-path")), done);
    }
    ER_TRY(rc, ncm_copy_all(c, p, "community", xu_child(e, "communities"), "community"), done);
    if (ncm_is_addr(v = jn_str(nh, "to", tb, sizeof tb)))
        ER_TRY(rc, ncm_leaf(c, p, "next-hop", v, xu_child(nh, "to")), done);
    if ((v = jn_str(nh, "via", tb, sizeof tb)))
        ER_TRY(rc, ncm_leaf(c, p, "egress-interface", v, xu_child(nh, "via")), done);
done:
    return rc;
}

/* The prefix of an rt: "P/L" in rt-destination, or rt-destination and rt-prefix-length apart. */
static const char *
jn_rt_prefix(const struct xr_node *r, char *buf, size_t size)
{
    char db[NCM_TEXT], lb[16];
    const char *d = jn_str(r, "rt-destination", db, sizeof db), *l;

    if (!d)
        return NULL;
    if (!strchr(d, '/') && (l = jn_str(r, "rt-prefix-length", lb, sizeof lb)))
        snprintf(buf, size, "%s/%s", d, l);
    else
        snprintf(buf, size, "%s", d);
    return buf;
}

static er_code
jn_rt(struct jn *j, struct lyd_node *rib, struct lyd_node *adv, const struct xr_node *r)
{
    struct ncm *c = j->c;
    const struct xr_node *e;
    struct lyd_node *rt;
    char pb[NCM_TEXT];
    const char *prefix = jn_rt_prefix(r, pb, sizeof pb);
    struct pfx pf;
    er_code rc = ER_OK;

    if (!prefix)
        return ncm_bad(c, r, "rt without an rt-destination");
    if (adv)
        return ncm_leaflist(c, adv, "advertised-prefix", prefix, xu_child(r, "rt-destination"));
    c->routes++;
    /* Only the routes that matter become tree nodes; the rest are counted. */
    if (c->mc->keep_route && !pfx_parse(prefix, &pf, 0) && !c->mc->keep_route(&pf, c->mc->keep_arg))
        return ER_OK;
    ER_TRY(rc, ncm_list(c, rib, "route", prefix, xu_child(r, "rt-destination"), &rt), done);
    XU_FOR(r, "rt-entry", e)
        ER_TRY(rc, jn_rt_entry(j, rt, e), done);
done:
    return rc;
}

/* The neighbor an advertised-routes file is about: netconf/junos-adv/ADDRESS.xml. */
static er_code
jn_adv_neighbor(struct ncm *c, const struct xr_node *top, struct lyd_node **adv)
{
    const char *f = c->mc->file ? c->mc->file : "";
    char addr[64];
    struct lyd_node *b;
    size_t n;
    er_code rc;

    *adv = NULL;
    if (strncmp(f, JN_ADV_DIR, sizeof JN_ADV_DIR - 1))
        return ER_OK;
    f += sizeof JN_ADV_DIR - 1;
    n = strlen(f);
    if (n < 5 || n - 4 >= sizeof addr || strcmp(f + n - 4, ".xml"))
        return ncm_bad(c, top, "advertised routes in a file not named ADDRESS.xml");
    snprintf(addr, sizeof addr, "%.*s", (int)(n - 4), f);
    if (!ncm_is_addr(addr))
        return ncm_bad(c, top, "advertised routes for '%s', not a neighbor address", addr);
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    rc = ncm_list(c, b, "neighbor", addr, top, adv);
done:
    return rc;
}

er_code
map_junos_route_state(struct ncm *c, const struct xr_node *top)
{
    struct jn j = {.c = c};
    const struct xr_node *t, *r;
    struct lyd_node *rib = NULL, *adv;
    er_code rc;

    ER_TRY(rc, jn_adv_neighbor(c, top, &adv), done);
    if (!adv)
        ER_TRY(rc, ncm_cont(c, c->mc->dev, "rib", &rib), done);
    XU_FOR(top, "route-table", t) {
        XU_FOR(t, "rt", r)
            ER_TRY(rc, jn_soft(&j, NULL, jn_rt(&j, rib, adv, r)), done);
    }
    rc = jn_finish(&j);
done:
    return rc;
}

/* ---- interfaces -------------------------------------------------------- */

/* "1000mbps", "10Gbps", "Unlimited" into bits/second; NULL when not a speed. */
static const char *
jn_speed(const char *v, char *buf, size_t size)
{
    char *end;
    unsigned long long n = strtoull(v, &end, 10), mult;

    if (end == v)
        return NULL;
    if (!strcasecmp(end, "mbps"))
        mult = 1000000ull;
    else if (!strcasecmp(end, "gbps"))
        mult = 1000000000ull;
    else if (!strcasecmp(end, "kbps"))
        mult = 1000ull;
    else
        return NULL;
    if (n > 1000000000000000ull / mult)
        return NULL;
    snprintf(buf, size, "%llu", n * mult);
    return buf;
}

static er_code
jn_if_state(struct ncm *c, struct lyd_node *ifc, const struct xr_node *phy)
{
    er_code rc;

    ER_TRY(rc, ncm_copy(c, ifc, "oper-status", phy, "oper-status", ncm_oper_status), done);
    ER_TRY(rc, ncm_copy(c, ifc, "speed", phy, "speed", jn_speed), done);
    ER_TRY(rc, ncm_copy(c, ifc, "in-octets", phy, "traffic-statistics/input-bytes", NULL), done);
    rc = ncm_copy(c, ifc, "out-octets", phy, "traffic-statistics/output-bytes", NULL);
done:
    return rc;
}

static er_code
jn_phy(struct jn *j, const struct xr_node *phy)
{
    struct ncm *c = j->c;
    const struct xr_node *l;
    struct lyd_node *ifc;
    char nb[NCM_TEXT];
    const char *name = jn_name(phy, nb, sizeof nb);
    int units = 0;
    er_code rc = ER_OK;

    if (!name)
        return ncm_bad(c, phy, "physical-interface without a name");
    /* A port's state is its units' state: units are the interfaces the configuration names. */
    XU_FOR(phy, "logical-interface", l) {
        if (!(name = jn_name(l, nb, sizeof nb)) || !(ifc = model_find(c->mc->dev, "interface", name)))
            continue;
        units++;
        ER_TRY(rc, jn_if_state(c, ifc, phy), done);
    }
    if (!units && (name = jn_name(phy, nb, sizeof nb)) && (ifc = model_find(c->mc->dev, "interface", name)))
        rc = jn_if_state(c, ifc, phy);
done:
    return rc;
}

er_code
map_junos_if_state(struct ncm *c, const struct xr_node *top)
{
    struct jn j = {.c = c};
    const struct xr_node *p;
    er_code rc = ER_OK;

    XU_FOR(top, "physical-interface", p)
        ER_TRY(rc, jn_soft(&j, NULL, jn_phy(&j, p)), done);
    rc = jn_finish(&j);
done:
    return rc;
}
