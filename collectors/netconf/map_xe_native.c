/**
 * @file map_xe_native.c
 * @brief Cisco IOS-XE native configuration (Cisco-IOS-XE-native `<native>`):
 * interfaces here; prefix-lists, community-lists and route-maps
 * (map_xe_policy.c), extended ACLs (map_xe_acl.c), `router bgp`
 * (map_xe_bgp.c) and NAT (map_xe_nat.c) from the modules that augment it.
 *
 * Interfaces are lists per type (`<GigabitEthernet><name>0/0/1</name>`):
 * the eraudit name is type and number as the CLI writes it
 * ("GigabitEthernet0/0/1", "Port-channel10", subinterface "GigabitEthernet1.100").
 * Port-channel and ATM subinterfaces sit one level down, in
 * `Port-channel-subinterface/Port-channel[name]` (name "1.100").
 * Each interface and each address is one element (NCM_ELEM): a bad one
 * costs itself only.
 */
#include "map_xe_xr.h"

#include <stdio.h>
#include <string.h>

/* `ip access-group NAME in`: the filter is bound on ingress of the interface. */
static er_code
xe_if_acl(struct ncm *c, const char *ifname, const struct xr_node *ip)
{
    const struct xr_node *an = xu_find(ip, "access-group/in/acl/acl-name");
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name = xu_text(an, nb, sizeof nb);
    er_code rc = ER_OK;

    if (!an)
        return ER_OK;
    if (!name || !*name)
        return ncm_bad(c, an, "access-group without an ACL name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, an, &f), done);
    rc = ncm_leaflist(c, f, "ingress-interface", ifname, an);
done:
    return rc;
}

/* A container of subinterfaces ("Port-channel-subinterface") rather than an interface list entry. */
static int
xe_is_subif_group(const struct xr_node *e)
{
    static const char tail[] = "-subinterface";

    return e->name_len > sizeof tail - 1
            && !memcmp(e->name + e->name_len - (sizeof tail - 1), tail, sizeof tail - 1);
}

static er_code
xe_interface(struct ncm *c, const struct xr_node *e)
{
    const struct xr_node *kn = xu_child(e, "name"), *ip = xu_child(e, "ip"), *s;
    struct lyd_node *ifc;
    char nb[NCM_TEXT], full[NCM_TEXT + 64];
    const char *num = xu_text(kn, nb, sizeof nb);
    er_code rc = ER_OK;

    if (!num || !*num)
        return ncm_bad(c, e, "%.*s interface without a name", (int)e->name_len, e->name);
    cx_xe_ifname(e, num, full, sizeof full);
    ER_TRY(rc, ncm_list(c, c->mc->dev, "interface", full, kn, &ifc), done);
    ER_TRY(rc, ncm_copy(c, ifc, "description", e, "description", NULL), done);
    ER_TRY(rc, ncm_leaf(c, ifc, "enabled", xu_child(e, "shutdown") ? "false" : "true", e), done);
    if ((s = xu_find(ip, "address/primary")))
        NCM_ELEM(rc, c, "interface/address", cx_addr_mask(c, ifc, s, "address", "mask"), done);
    XU_FOR(xu_child(ip, "address"), "secondary", s)
        NCM_ELEM(rc, c, "interface/address", cx_addr_mask(c, ifc, s, "address", "mask"), done);
    NCM_ELEM(rc, c, "filter/ingress-interface", xe_if_acl(c, full, ip), done);
done:
    return rc;
}

er_code
map_xe_native(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *e;
    er_code rc = ER_OK;

    /* Configuration only: a <get> repeats it, and a candidate must not be undone. */
    if (!c->cfg)
        return ER_OK;
    /* Interfaces first: ACL bindings, BGP update-source and NAT refer to them. */
    for (e = xu_first(xu_child(top, "interface")); e; e = xu_next_elem(e)) {
        const struct xr_node *sub;

        /* Port-channel-subinterface/Port-channel[name], ATM-subinterface/ATM[name]: a list one level down. */
        if (xe_is_subif_group(e)) {
            for (sub = xu_first(e); sub; sub = xu_next_elem(sub))
                NCM_ELEM(rc, c, "interface", xe_interface(c, sub), done);
            continue;
        }
        NCM_ELEM(rc, c, "interface", xe_interface(c, e), done);
    }
    ER_TRY(rc, xe_policies(c, top), done);
    ER_TRY(rc, xe_acls(c, top), done);
    ER_TRY(rc, xe_bgp(c, top), done);
    ER_TRY(rc, xe_nat(c, top), done);
done:
    return rc;
}
