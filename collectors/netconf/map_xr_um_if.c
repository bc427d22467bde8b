/**
 * @file map_xr_um_if.c
 * @brief IOS-XR 7.x unified model Cisco-IOS-XR-um-interface-cfg
 * (`interfaces/interface[interface-name]`) into device/interface, as
 * map_xr_if.c reads the classic Cisco-IOS-XR-ifmgr-cfg: `description`,
 * `shutdown`; the augmenting Cisco-IOS-XR-um-if-ip-address-cfg
 * `ipv4/addresses/address` (`address`, `netmask`) and its `secondaries/secondary`;
 * Cisco-IOS-XR-um-if-access-group-cfg `ipv4/access-group/ingress/access-list-name-1/name`
 * binds an ACL inbound. Each interface and each address is one element.
 */
#include "map_xe_xr.h"

#include <string.h>

static er_code
um_if_acl(struct ncm *c, const char *ifname, const struct xr_node *ingress)
{
    const struct xr_node *an;
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc = ER_OK;

    if (!ingress)
        return ER_OK;
    if (!(an = xu_find(ingress, "access-list-name-1/name")))
        an = xu_find(ingress, "access-list-name/name");
    if (!(name = xu_text(an, nb, sizeof nb)) || !*name)
        return ncm_bad(c, ingress, "ingress access-group without an access-list name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, an, &f), done);
    rc = ncm_leaflist(c, f, "ingress-interface", ifname, an);
done:
    return rc;
}

static er_code
um_interface(struct ncm *c, const struct xr_node *e)
{
    const struct xr_node *kn = xu_child(e, "interface-name"), *ip4 = xu_child(e, "ipv4");
    const struct xr_node *a = xu_child(ip4, "addresses");
    struct lyd_node *ifc;
    char nb[NCM_TEXT];
    const char *name = xu_text(kn, nb, sizeof nb);
    er_code rc = ER_OK;

    if (!name || !*name)
        return ncm_bad(c, e, "interface without an interface-name");
    ER_TRY(rc, cx_xr_interface(c, e, kn, name, a, "address", &ifc), done);
    NCM_ELEM(rc, c, "filter/ingress-interface", um_if_acl(c, name, xu_find(ip4, "access-group/ingress")), done);
done:
    return rc;
}

er_code
map_xr_um_interfaces(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *e;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    XU_FOR(top, "interface", e)
        NCM_ELEM(rc, c, "interface", um_interface(c, e), done);
done:
    return rc;
}
