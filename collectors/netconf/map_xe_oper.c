/**
 * @file map_xe_oper.c
 * @brief IOS-XE operational state: Cisco-IOS-XE-bgp-oper `bgp-state-data`
 * neighbors (list keyed afi-safi, vrf-name, neighbor-id) of the default VRF's
 * unicast families: `session-state` (bgp-fsm-state fsm-idle..fsm-established)
 * and the prefixes held now (`prefix-activity/received|sent/current-prefixes`),
 * and Cisco-IOS-XE-interfaces-oper `interfaces` (oper status,
 * speed, octet counters). Routes come from the device's ietf-routing or
 * OpenConfig state, which the collector asks for with a subtree filter.
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

/* bgp-fsm-state (fsm-established...) into the model's state. */
static const char *
xe_fsm(const char *v)
{
    static const char *const states[] = {"idle", "connect", "active", "opensent", "openconfirm", "established"};
    size_t i;

    if (!strncmp(v, "fsm-", 4))
        v += 4;
    for (i = 0; i < sizeof states / sizeof *states; i++) {
        if (!strcmp(v, states[i]))
            return states[i];
    }
    return NULL;
}

static er_code
xe_oper_neighbor(struct ncm *c, const struct xr_node *n)
{
    const struct xr_node *kn = xu_child(n, "neighbor-id"), *sn = xu_child(n, "session-state");
    struct lyd_node *b, *nb;
    char ab[NCM_TEXT], vb[64], sb[64], fb[32];
    const char *addr = xu_text(kn, ab, sizeof ab), *vrf = xu_str(n, "vrf-name", vb, sizeof vb), *s, *st;
    const char *af = xu_str(n, "afi-safi", fb, sizeof fb);
    er_code rc = ER_OK;

    /* VRF sessions are not the default table's; the list has one entry per
     * address family: the unicast one of the session's own family counts. */
    if (vrf && *vrf && strcmp(vrf, "default"))
        return ER_OK;
    if (af && strcmp(af, addr && strchr(addr, ':') ? "ipv6-unicast" : "ipv4-unicast"))
        return ER_OK;
    if (!addr || !ncm_is_addr(addr))
        return ncm_bad(c, kn ? kn : n, "neighbor without a neighbor-id address");
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    /* current-prefixes: what the session holds now (total-prefixes counts every one ever accepted) */
    ER_TRY(rc, ncm_copy(c, nb, "prefixes-advertised", n, "prefix-activity/sent/current-prefixes", NULL), done);
    ER_TRY(rc, ncm_copy(c, nb, "prefixes-received", n, "prefix-activity/received/current-prefixes", NULL), done);
    /* session-state is the BGP FSM (bgp-fsm-state); connection/state is the TCP one and says nothing of BGP. */
    if ((s = xu_text(sn, sb, sizeof sb))) {
        if (!(st = xe_fsm(s)))
            return ncm_bad(c, sn, "session state '%s' is not a BGP FSM state", s);
        ER_TRY(rc, ncm_leaf(c, nb, "state-source", c->src, sn), done);
        ER_TRY(rc, ncm_leaf(c, nb, "state", st, sn), done);
    }
done:
    return rc;
}

er_code
map_xe_bgp_oper(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *n;
    er_code rc = ER_OK;

    XU_FOR(xu_child(top, "neighbors"), "neighbor", n)
        NCM_ELEM(rc, c, "bgp/neighbor", xe_oper_neighbor(c, n), done);
done:
    return rc;
}

/* if-oper-state-ready and friends into up | down | other. */
static const char *
xe_oper_status(const char *v, char *buf, size_t size)
{
    if (!strncmp(v, "if-oper-state-", 14))
        v += 14;
    if (!strcmp(v, "ready"))
        return "up";
    if (!strcmp(v, "no-pass") || !strcmp(v, "lower-layer-down") || !strcmp(v, "not-present"))
        return "down";
    return "other";
}

static er_code
xe_oper_if(struct ncm *c, const struct xr_node *i)
{
    const struct xr_node *kn = xu_child(i, "name"), *st = xu_child(i, "statistics");
    struct lyd_node *ifc;
    char nb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb);
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, i, "interface without a name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "interface", name, kn, &ifc), done);
    ER_TRY(rc, ncm_copy(c, ifc, "oper-status", i, "oper-status", xe_oper_status), done);
    ER_TRY(rc, ncm_copy(c, ifc, "speed", i, "speed", NULL), done);
    ER_TRY(rc, ncm_copy(c, ifc, "in-octets", st, "in-octets", NULL), done);
    ER_TRY(rc, ncm_copy(c, ifc, "out-octets", st, "out-octets", NULL), done);
done:
    return rc;
}

er_code
map_xe_if_oper(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *i;
    er_code rc = ER_OK;

    XU_FOR(top, "interface", i)
        NCM_ELEM(rc, c, "interface", xe_oper_if(c, i), done);
done:
    return rc;
}
