/**
 * @file peer_session.c
 * @brief Peering rules on the BGP sessions with Microsoft (checklist
 * "Peering"): present, established, and what they carry (how many prefixes
 * and of which kind).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view.h"

static enum er_source
nb_source(const struct lyd_node *dev)
{
    return ru_has_config(dev) ? SRC_CONFIG : SRC_STATE;
}

/* PEER-001: every ExpressRoute edge has an eBGP session with AS 12076. */
void
peer001_check(struct rule_ctx *rc)
{
    struct lyd_node *dev, *bgp, *nb;
    uint32_t ms_as = (uint32_t)ref_limit(rc->ref, "microsoft-as", 12076);
    int any = 0;

    MODEL_FOR(rc->m->net, "device", dev) {
        uint64_t las = 0, pas;
        int found = 0, has_las;
        char seen[256], exp[64];

        if (!ru_is_role(dev, "er-edge"))
            continue;
        any = 1;
        if (ru_failed(rc, dev))
            continue;
        bgp = ru_dev_part(dev, "bgp");
        has_las = model_u64(bgp, "local-as", &las);
        snprintf(exp, sizeof exp, "an eBGP neighbor with remote AS %" PRIu32, ms_as);
        MODEL_FOR(bgp, "neighbor", nb) {
            const char *addr = model_str(nb, "address");
            struct lyd_node *ifc;
            struct pfx a;
            struct evidence ev = {.expected = exp, .source = nb_source(dev)};

            if (!model_u64(nb, "peer-as", &pas) || pas != ms_as)
                continue;
            if (has_las && las == ms_as) {
                snprintf(seen, sizeof seen, "neighbor %s AS %" PRIu64 " but local AS is also %" PRIu64 " (iBGP)",
                        addr, pas, las);
                ev.seen = seen;
                ev.path = model_path(nb);
                rule_fail(rc, ru_name(dev), NULL, &ev, "%s: session with %s is iBGP, not a peering with Microsoft",
                        ru_name(dev), addr);
                found = 1;
                continue;
            }
            found = 1;
            ifc = ru_pfx(addr, &a) ? NULL : ru_iface_for(rc, dev, &a, NULL);
            snprintf(seen, sizeof seen, "neighbor %s AS %" PRIu64 "%s%s%s", addr, pas,
                    ifc ? " on link interface " : " (no interface subnet holds it)", ifc ? model_str(ifc, "name") : "",
                    model_bool(nb, "enabled", 1) ? "" : ", administratively disabled");
            ev.seen = seen;
            ev.path = model_path(nb);
            if (!model_bool(nb, "enabled", 1))
                rule_fail(rc, ru_name(dev), NULL, &ev, "%s: the Microsoft neighbor %s is configured but disabled",
                        ru_name(dev), addr);
            else
                rule_pass(rc, ru_name(dev), NULL, &ev, "%s: neighbor %s AS %" PRIu64 " present", ru_name(dev), addr,
                        pas);
        }
        if (!found) {
            struct evidence ev = {.expected = exp, .source = nb_source(dev)};
            size_t n = 0;

            MODEL_FOR(bgp, "neighbor", nb)
                n++;
            if (!n && ru_is_partial(dev)) {
                rule_skip(rc, ru_name(dev), NULL, "%s: partly collected and no BGP neighbor was read, so not evaluated",
                        ru_name(dev));
                continue;
            }
            snprintf(seen, sizeof seen, "%zu BGP neighbors, none with remote AS %" PRIu32, n, ms_as);
            ev.seen = seen;
            ev.path = model_path(bgp ? bgp : dev);
            rule_fail(rc, ru_name(dev), NULL, &ev, "%s: no BGP session with Microsoft (AS %" PRIu32 ")",
                    ru_name(dev), ms_as);
        }
    }
    if (!any)
        rule_skip(rc, NULL, NULL, "no device with role er-edge in the inventory");
}

/*
 * Neighbor @p addr of @p dev: among the device's Microsoft sessions in the
 * BGP picture @p n (a circuit's end is one of them: a few string compares),
 * else looked up in the tree (which parses the address and indexes the
 * device's neighbors). Keys are unique, so both find the same entry.
 */
static struct lyd_node *
session_nb(const struct ru_net *n, const struct lyd_node *dev, const char *addr)
{
    const struct ru_nb *v;
    size_t i, k = n ? ru_net_dev(n, dev, 1, &v) : 0;

    for (i = 0; i < k; i++) {
        if (v[i].addr && !strcmp(v[i].addr, addr))
            return v[i].nb;
    }
    return model_find(ru_dev_part(dev, "bgp"), "neighbor", addr);
}

/* One end of a circuit (or a Microsoft neighbor when there are no circuits). */
static void
peer002_end(struct rule_ctx *rc, const struct ru_net *n, const char *circ, const char *which,
        const struct lyd_node *end)
{
    const char *dname = model_str(end, "device"), *addr = model_str(end, "neighbor");
    struct lyd_node *dev, *nb;
    const char *state;
    char seen[256];
    struct evidence ev = {.expected = "established", .source = SRC_INVENTORY};

    if (!dname || !addr) {
        ev.path = end ? model_path(end) : NULL;
        ev.seen = "not declared";
        ev.expected = "device and Microsoft neighbor address of the session";
        rule_fail(rc, dname, circ, &ev, "circuit %s: the %s session is not declared (the SLA needs both sessions)",
                circ, which);
        return;
    }
    if (!(dev = model_find_device(rc->m, dname))) {
        ev.path = model_path(end);
        ev.seen = dname;
        ev.expected = "a device of the inventory";
        rule_fail(rc, dname, circ, &ev, "circuit %s: %s device %s is not in the network", circ, which, dname);
        return;
    }
    if (ru_failed(rc, dev))
        return;
    if (!(nb = session_nb(n, dev, addr))) {
        if (ru_is_partial(dev)) {
            rule_skip(rc, dname, circ, "circuit %s: %s partly collected and neighbor %s not read, so not evaluated",
                    circ, dname, addr);
            return;
        }
        ev.path = model_path(end);
        snprintf(seen, sizeof seen, "no BGP neighbor %s on %s", addr, dname);
        ev.seen = seen;
        ev.expected = "a BGP neighbor for the session";
        ev.source = nb_source(dev);
        rule_fail(rc, dname, circ, &ev, "circuit %s: %s session %s is not configured on %s", circ, which, addr,
                dname);
        return;
    }
    if (!(state = model_str(nb, "state"))) {
        rule_skip(rc, dname, circ, "%s: no BGP session state collected for %s (needs SNMP BGP4-MIB or NETCONF state)",
                dname, addr);
        return;
    }
    snprintf(seen, sizeof seen, "%s session %s: %s", which, addr, state);
    ev.path = model_path(nb);
    ev.seen = seen;
    ev.source = SRC_STATE;
    if (strcmp(state, "established"))
        rule_fail(rc, dname, circ, &ev, "circuit %s: %s session %s on %s is %s, not established", circ, which, addr,
                dname, state);
    else
        rule_pass(rc, dname, circ, &ev, "circuit %s: %s session %s on %s is established", circ, which, addr, dname);
}

/* PEER-002: both sessions of every circuit are up. */
void
peer002_check(struct rule_ctx *rc)
{
    struct lyd_node *c;
    struct ru_net n;
    size_t i;
    int any = 0, have = !ru_net_build(rc, &n);
    er_code built = rc->rc;

    /* Without the picture (memory), each circuit's sessions are looked up in the tree. */
    if (!have)
        rc->rc = ER_OK;
    MODEL_FOR(rc->m->net, "circuit", c) {
        any = 1;
        peer002_end(rc, have ? &n : NULL, model_str(c, "name"), "primary", model_child(c, "primary"));
        peer002_end(rc, have ? &n : NULL, model_str(c, "name"), "secondary", model_child(c, "secondary"));
    }
    if (any || !have) {
        if (have)
            ru_net_free(&n);
        else if (!any && !rc->rc)
            rc->rc = built;          /* the sessions without circuits need the picture */
        return;
    }
    /* Without circuits, judge every Microsoft session found. */
    for (i = 0; i < n.n_ms; i++) {
        const char *state = model_str(n.ms[i].nb, "state");
        struct evidence ev = {.path = model_path(n.ms[i].nb), .seen = state, .expected = "established",
            .source = SRC_STATE};

        if (!state)
            rule_skip(rc, n.ms[i].dev_name, NULL,
                    "%s: no BGP session state collected for %s (needs SNMP BGP4-MIB or NETCONF state)",
                    n.ms[i].dev_name, n.ms[i].addr);
        else if (strcmp(state, "established"))
            rule_fail(rc, n.ms[i].dev_name, NULL, &ev, "%s: Microsoft session %s is %s", n.ms[i].dev_name,
                    n.ms[i].addr, state);
        else
            rule_pass(rc, n.ms[i].dev_name, NULL, &ev, "%s: Microsoft session %s is established", n.ms[i].dev_name,
                    n.ms[i].addr);
    }
    if (!n.n_ms)
        rule_skip(rc, NULL, NULL, "no circuit in the inventory and no Microsoft BGP neighbor in the network");
    ru_net_free(&n);
}

/* PEER-005's limit and early warning. */
struct peer005_lim {
    uint64_t max, warn;
};

/* PEER-005: prefix count per Microsoft session, with an early warning. */
static void
peer005_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    const struct peer005_lim *lim = arg;
    uint64_t max = lim->max, warn = lim->warn;
    long cnt = ru_adv_count(x->nb);
    char seen[128], exp[128];
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = exp, .source = SRC_STATE};

    (void)n;
    if (cnt < 0) {
        rule_skip(rc, x->dev_name, x->circuit,
                "%s: no advertised prefixes collected for Microsoft neighbor %s (needs BGP state or RIB-out)",
                x->dev_name, x->addr);
        return;
    }
    snprintf(seen, sizeof seen, "%ld prefix%s advertised to %s", cnt, cnt == 1 ? "" : "es", x->addr);
    snprintf(exp, sizeof exp, "at most %" PRIu64 " (warning from %" PRIu64 ")", max, warn);
    if ((uint64_t)cnt > max)
        rule_fail(rc, x->dev_name, x->circuit, &ev,
                "%s: %ld prefix%s advertised to Microsoft neighbor %s, over the limit of %" PRIu64
                "; Microsoft drops the session", x->dev_name, cnt, cnt == 1 ? "" : "es", x->addr, max);
    else if ((uint64_t)cnt >= warn)
        rule_report(rc, ST_FAIL, SEV_MEDIUM, x->dev_name, x->circuit, &ev,
                "%s: %ld prefix%s advertised to Microsoft neighbor %s, close to the limit of %" PRIu64,
                x->dev_name, cnt, cnt == 1 ? "" : "es", x->addr, max);
    else
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: %ld prefix%s advertised to %s (limit %" PRIu64 ")",
                x->dev_name, cnt, cnt == 1 ? "" : "es", x->addr, max);
}

void
peer005_check(struct rule_ctx *rc)
{
    struct peer005_lim lim = {ref_limit(rc->ref, "microsoft-peering-max-prefixes", 200),
        ref_limit(rc->ref, "microsoft-peering-warn-prefixes", 180)};

    ru_each_ms(rc, "er-edge", NULL, peer005_one, &lim);
}

#define PEER006_MAX_LINKS 64

/* Subnets of the interfaces that hold an eBGP neighbor: the peering links. One pass over the interfaces. */
static size_t
link_subnets(const struct lyd_node *dev, struct pfx *out, size_t max)
{
    struct lyd_node *bgp = ru_dev_part(dev, "bgp"), *nb, *ifc, *ad;
    struct pfx peers[PEER006_MAX_LINKS];
    uint64_t las = 0, pas, len;
    size_t np = 0, k = 0, j;
    int has_las = model_u64(bgp, "local-as", &las);

    MODEL_FOR(bgp, "neighbor", nb) {
        if (np < PEER006_MAX_LINKS && model_u64(nb, "peer-as", &pas) && (!has_las || pas != las) &&
                !ru_pfx(model_str(nb, "address"), &peers[np]))
            np++;
    }
    MODEL_FOR(dev, "interface", ifc) {
        MODEL_FOR(ifc, "address", ad) {
            struct pfx net;

            if (!model_u64(ad, "prefix-length", &len) || pfx_parse_addr(model_str(ad, "ip"), (unsigned)len, &net))
                continue;
            for (j = 0; j < np; j++) {
                if (pfx_contains(&net, &peers[j]) && k < max) {
                    out[k++] = net;
                    break;
                }
            }
        }
    }
    return k;
}

/*
 * Why prefix @p p is special-purpose space (data file special-prefixes), by
 * containment both ways: inside a range, or covering one. NULL when it is
 * neither. Without reference data, the built-in private and bogon lists.
 */
static const char *
peer006_special(const struct refdata *ref, const struct pfx *p, char *buf, size_t size)
{
    const char *kind, *range, *what;
    int inside;

    if (!ref)
        return pfx_is_private(p) ? "is private or shared address space (RFC 1918 / RFC 6598)"
             : pfx_is_bogon(p)   ? "is reserved (bogon) address space" : NULL;
    if (!(what = ref_special_overlap(ref, p, &inside, &kind, &range)))
        return NULL;
    /* The wording of the ranges inside private or reserved space is the one reports have always used. */
    if (inside && !strcmp(kind, "private"))
        return "is private or shared address space (RFC 1918 / RFC 6598)";
    if (inside && !strcmp(kind, "reserved"))
        snprintf(buf, size, "is reserved (bogon) address space (%s: %s)", range, what);
    else
        snprintf(buf, size, "%s %s address space (%s: %s)", inside ? "is" : "contains", kind, range, what);
    return buf;
}

/* PEER-006: the peering link subnets of the device whose sessions are being judged. */
struct peer006_links {
    const struct lyd_node *dev;
    struct pfx pfx[PEER006_MAX_LINKS];
    size_t n;
};

/* PEER-006: nothing private, default, bogon or link-local to the peering is advertised. */
static void
peer006_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    struct peer006_links *l = arg;
    size_t j;
    size_t bad = 0, total = 0;
    struct lyd_node *ap;
    char seen[256], path[1024];
    struct evidence ev = {.path = path, .seen = seen, .expected = "only public prefixes you own, no link subnet",
        .source = SRC_STATE};

    (void)n;
    if (!ru_has_adv_list(x->nb)) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: %s for Microsoft neighbor %s", x->dev_name,
                ru_adv_count(x->nb) >= 0 ? "only the count of advertised prefixes is known, not the prefixes"
                                         : "no advertised prefixes collected",
                x->addr);
        return;
    }
    snprintf(path, sizeof path, "%s", model_path(x->nb));
    /* Neighbors come grouped by device: compute the links once per device. */
    if (x->dev != l->dev) {
        l->n = link_subnets(x->dev, l->pfx, PEER006_MAX_LINKS);
        l->dev = x->dev;
    }
    MODEL_FOR(x->nb, "advertised-prefix", ap) {
        const char *why = NULL;
        char whybuf[192];
        struct pfx p;

        total++;
        if (ru_pfx(model_value(ap), &p))
            continue;
        if (p.len == 0)
            why = "is a default route";
        else
            why = peer006_special(rc->ref, &p, whybuf, sizeof whybuf);
        for (j = 0; !why && j < l->n; j++) {
            if (pfx_overlaps(&p, &l->pfx[j]))
                why = "overlaps a peering link subnet";
        }
        if (!why)
            continue;
        bad++;
        snprintf(seen, sizeof seen, "%s advertised to %s: %s", model_value(ap), x->addr, why);
        rule_fail(rc, x->dev_name, x->circuit, &ev, "%s: %s advertised to Microsoft %s", x->dev_name,
                model_value(ap), why);
    }
    if (!bad) {
        snprintf(seen, sizeof seen, "%zu prefix%s advertised to %s, %s", total, total == 1 ? "" : "es",
                x->addr, total == 1 ? "public, not a link subnet" : "all public, none a link subnet");
        if (total == 1)
            rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: the prefix advertised to %s is acceptable",
                    x->dev_name, x->addr);
        else
            rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: the %zu prefixes advertised to %s are acceptable",
                    x->dev_name, total, x->addr);
    }
}

void
peer006_check(struct rule_ctx *rc)
{
    struct peer006_links links = {.dev = NULL};

    ru_each_ms(rc, "er-edge", NULL, peer006_one, &links);
}

/* 1 when the RIB of @p dev holds a path learned from @p addr. */
static int
rib_has_path_from(const struct lyd_node *dev, const char *addr)
{
    struct lyd_node *route, *path;

    MODEL_FOR(ru_rib(dev), "route", route) {
        MODEL_FOR(route, "path", path) {
            const char *s = model_str(path, "source");

            if (s && !strcmp(s, addr))
                return 1;
        }
    }
    return 0;
}

/* PEER-008: an established session that receives nothing means a missing route filter. */
static void
peer008_one(struct rule_ctx *rc, const struct ru_net *n, const struct ru_nb *x, void *arg)
{
    const char *state = model_str(x->nb, "state");
    char seen[128];
    uint64_t rcv;
    struct evidence ev = {.path = model_path(x->nb), .seen = seen, .expected = "at least one prefix received",
        .source = SRC_STATE};

    (void)n;
    (void)arg;
    if (!state) {
        rule_skip(rc, x->dev_name, x->circuit,
                "%s: no BGP session state collected for %s (needs SNMP BGP4-MIB or NETCONF state)", x->dev_name,
                x->addr);
        return;
    }
    if (strcmp(state, "established")) {
        rule_skip(rc, x->dev_name, x->circuit, "%s: session %s is %s, not established (see PEER-002)",
                x->dev_name, x->addr, state);
        return;
    }
    if (model_u64(x->nb, "prefixes-received", &rcv)) {
        snprintf(seen, sizeof seen, "established, %" PRIu64 " prefix%s received from %s", rcv,
                rcv == 1 ? "" : "es", x->addr);
        if (rcv)
            rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: %" PRIu64 " prefix%s received from %s",
                    x->dev_name, rcv, rcv == 1 ? "" : "es", x->addr);
        else
            rule_fail(rc, x->dev_name, x->circuit, &ev,
                    "%s: session %s is up but receives no prefixes (route filter missing on the circuit?)",
                    x->dev_name, x->addr);
        return;
    }
    if (!ru_rib(x->dev)) {
        rule_skip(rc, x->dev_name, x->circuit,
                "%s: neither a received-prefix count nor a routing table was collected for %s", x->dev_name,
                x->addr);
        return;
    }
    if (rib_has_path_from(x->dev, x->addr)) {
        snprintf(seen, sizeof seen, "established, routing table holds paths from %s", x->addr);
        rule_pass(rc, x->dev_name, x->circuit, &ev, "%s: routes learned from %s are in the routing table",
                x->dev_name, x->addr);
    } else {
        snprintf(seen, sizeof seen, "established, no path from %s in the routing table", x->addr);
        ev.path = model_path(ru_rib(x->dev));
        rule_fail(rc, x->dev_name, x->circuit, &ev,
                "%s: session %s is up but no route from it is in the routing table (route filter missing?)",
                x->dev_name, x->addr);
    }
}

void
peer008_check(struct rule_ctx *rc)
{
    ru_each_ms(rc, "er-edge", NULL, peer008_one, NULL);
}

const char *const peer001_paths[] = {RU_DEV "/role", RU_DEV "/bgp/local-as", RU_NB "/peer-as",
    RU_NB "/enabled", RU_DEV "/interface/address/ip", NULL};
const char *const peer002_paths[] = {RU_CIRC "/primary/device", RU_CIRC "/primary/neighbor",
    RU_CIRC "/secondary/device", RU_CIRC "/secondary/neighbor", RU_NB "/state", NULL};
const char *const peer005_paths[] = {RU_NB "/peer-as", RU_NB "/advertised-prefix",
    RU_NB "/prefixes-advertised", NULL};
const char *const peer006_paths[] = {RU_NB "/peer-as", RU_NB "/advertised-prefix",
    RU_DEV "/interface/address/prefix-length", NULL};
const char *const peer008_paths[] = {RU_NB "/peer-as", RU_NB "/state", RU_NB "/prefixes-received",
    RU_DEV "/rib/route/path/source", NULL};
