/**
 * @file map_xr_policy.c
 * @brief IOS-XR Cisco-IOS-XR-policy-repository-cfg `routing-policy`:
 * `sets/prefix-sets/prefix-set[set-name]/rpl-prefix-set`,
 * `sets/community-sets/community-set[set-name]/rpl-community-set` and
 * `route-policies/route-policy[route-policy-name]/rpl-route-policy`, each
 * RPL text read by rpl.c. A set or policy that cannot be read is left
 * undefined and named in the device's reason; the others are kept.
 */
#include "map_xe_xr.h"
#include "rpl.h"

#include <stdlib.h>
#include <string.h>

/* The RPL text can be long: read it whole, not through a fixed buffer. */
static char *
xr_text(const struct xr_node *n)
{
    char *s;
    size_t len;

    if (!n)
        return NULL;
    len = n->text_len;
    if (!(s = malloc(len + 1)))
        return NULL;
    memcpy(s, n->text, len);
    s[len] = '\0';
    return s;
}

static er_code
xr_entry(struct ncm *c, const struct xr_node *e, const char *key, const char *body,
        er_code (*read)(struct ncm *c, const struct xr_node *at, const char *name, const char *text))
{
    const struct xr_node *bn = xu_child(e, body);
    char nb[NCM_TEXT];
    const char *name = xu_str(e, key, nb, sizeof nb);
    char *text;
    er_code rc;

    if (!name || !*name)
        return ncm_bad(c, e, "entry without a %s", key);
    if (!bn)
        return ncm_bad(c, e, "%s without %s", name, body);
    if (!(text = xr_text(bn)))
        return er_set(c->err, ER_ENOMEM, "out of memory");
    rc = read(c, bn, name, text);
    free(text);
    return rc;
}

er_code
map_xr_routing_policy(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *sets = xu_child(top, "sets"), *e;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    /* Sets first: policies name them (set community SET copies its members). */
    XU_FOR(xu_child(sets, "prefix-sets"), "prefix-set", e)
        NCM_ELEM(rc, c, "prefix-set", xr_entry(c, e, "set-name", "rpl-prefix-set", rpl_prefix_set), done);
    XU_FOR(xu_child(sets, "community-sets"), "community-set", e)
        NCM_ELEM(rc, c, "community-set", xr_entry(c, e, "set-name", "rpl-community-set", rpl_community_set), done);
    XU_FOR(xu_child(top, "route-policies"), "route-policy", e)
        NCM_ELEM(rc, c, "policy", xr_entry(c, e, "route-policy-name", "rpl-route-policy", rpl_policy), done);
done:
    return rc;
}
