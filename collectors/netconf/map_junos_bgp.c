/**
 * @file map_junos_bgp.c
 * @brief Junos `protocols bgp` into device/bgp: groups and neighbors with
 * Junos inheritance (a neighbor's statement overrides its group's, which
 * overrides the bgp level's), the local AS and router-id from
 * routing-options.
 *
 * Read per neighbor: type (internal: the peer AS is the local one), peer-as,
 * description, import and export policy chains in order (a level that names
 * any replaces the chain of the level above, as Junos does), family inet
 * unicast prefix-limit (or accepted-prefix-limit) maximum, BFD liveness
 * detection, hold-time (keepalive a third of it, as Junos sends them),
 * local-address, shutdown, and whether an
 * authentication key is set, never its value. Junos's default BGP policy
 * (accept on import, advertise active BGP routes on export) decides what
 * the chain does not.
 */
#include "junos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The three levels a neighbor inherits from, nearest first. */
struct jn_levels {
    const struct xr_node *at[3];   /* neighbor, group, bgp */
};

/* The first level that holds @p path, or NULL. */
static const struct xr_node *
jn_find(const struct jn_levels *l, const char *path)
{
    const struct xr_node *x;
    size_t i;

    for (i = 0; i < 3; i++) {
        if (l->at[i] && (x = xu_find(l->at[i], path)))
            return x;
    }
    return NULL;
}

/* The import or export chain: the nearest level naming any policy. */
static er_code
jn_chain(struct jn *j, struct lyd_node *nb, const struct jn_levels *l, const char *which, const char *leaf)
{
    const struct xr_node *p;
    char tb[NCM_TEXT];
    const char *v;
    size_t i;
    er_code rc = ER_OK;

    for (i = 0; i < 3; i++) {
        if (!l->at[i] || !xu_child(l->at[i], which))
            continue;
        XU_FOR(l->at[i], which, p) {
            if ((v = xu_text(p, tb, sizeof tb)) && *v)
                ER_TRY(rc, ncm_leaflist(j->c, nb, leaf, v, p), done);
        }
        break;
    }
done:
    return rc;
}

/* Copy the text of the nearest @p path into @p leaf. */
static er_code
jn_inherit(struct jn *j, struct lyd_node *nb, const struct jn_levels *l, const char *leaf, const char *path)
{
    const struct xr_node *x = jn_find(l, path);
    char tb[NCM_TEXT];
    const char *v = xu_text(x, tb, sizeof tb);

    return v && *v ? ncm_leaf(j->c, nb, leaf, v, x) : ER_OK;
}

static er_code
jn_neighbor(struct jn *j, struct lyd_node *b, const struct jn_levels *l, const char *local_as, struct lyd_node **out)
{
    struct ncm *c = j->c;
    const struct xr_node *n = l->at[0], *kn = xu_child(n, "name"), *x;
    struct lyd_node *nb;
    char ab[NCM_TEXT], tb[NCM_TEXT];
    const char *addr = xu_text(kn, ab, sizeof ab), *v;
    er_code rc;

    if (!addr || !*addr)
        return ncm_bad(c, n, "neighbor without an address");
    ER_TRY(rc, ncm_list(c, b, "neighbor", addr, kn, &nb), done);
    *out = nb;
    x = jn_find(l, "type");
    v = xu_text(x, tb, sizeof tb);
    if (v && !strcmp(v, "internal") && local_as)
        ER_TRY(rc, ncm_leaf(c, nb, "peer-as", local_as, x), done);
    else
        ER_TRY(rc, jn_inherit(j, nb, l, "peer-as", "peer-as"), done);
    if ((v = jn_str(n, "description", tb, sizeof tb)))
        ER_TRY(rc, ncm_leaf(c, nb, "description", v, xu_child(n, "description")), done);
    ER_TRY(rc, ncm_leaf(c, nb, "enabled", jn_find(l, "shutdown") ? "false" : "true", n), done);
    x = jn_find(l, "local-address");
    if (ncm_is_addr(v = xu_text(x, tb, sizeof tb)))
        ER_TRY(rc, ncm_leaf(c, nb, "local-address", v, x), done);
    ER_TRY(rc, jn_chain(j, nb, l, "import", "import-policy"), done);
    ER_TRY(rc, jn_chain(j, nb, l, "export", "export-policy"), done);
    /* Junos's default BGP policy decides what no policy of the chain does. */
    ER_TRY(rc, ncm_leaf(c, nb, "default-import", "accept", n), done);
    ER_TRY(rc, ncm_leaf(c, nb, "default-export", "accept", n), done);
    ER_TRY(rc, ncm_leaf(c, nb, "default-origin", "junos", n), done);
    ER_TRY(rc, ncm_leaf(c, nb, "bfd", jn_find(l, "bfd-liveness-detection") ? "true" : "false", n), done);
    /* Only whether a key is set: the value is redacted at collection and never read. */
    ER_TRY(rc, ncm_leaf(c, nb, "md5", jn_find(l, "authentication-key") || jn_find(l, "authentication-key-chain")
            ? "true" : "false", n), done);
    ER_TRY(rc, jn_inherit(j, nb, l, "hold-time", "hold-time"), done);
    /* Junos sends keepalives at a third of the hold time; there is no keepalive statement. */
    if ((x = jn_find(l, "hold-time")) && (v = xu_text(x, tb, sizeof tb)) && strspn(v, "0123456789") == strlen(v) &&
            *v && strlen(v) < 6) {
        char kb[16];

        snprintf(kb, sizeof kb, "%ld", strtol(v, NULL, 10) / 3);
        ER_TRY(rc, ncm_leaf(c, nb, "keepalive", kb, x), done);
    }
    if ((x = jn_find(l, "family/inet/unicast/prefix-limit/maximum")) ||
            (x = jn_find(l, "family/inet/unicast/accepted-prefix-limit/maximum")))
        ER_TRY(rc, ncm_leaf(c, nb, "max-prefix", xu_text(x, tb, sizeof tb), x), done);
done:
    return rc;
}

er_code
jn_bgp(struct jn *j, const struct xr_node *bgp)
{
    struct ncm *c = j->c;
    const struct xr_node *ro = xu_child(j->cfg, "routing-options"), *g, *n, *asn;
    struct lyd_node *b;
    char lb[64], tb[NCM_TEXT];
    const char *local_as = NULL, *v;
    er_code rc;

    ER_TRY(rc, ncm_cont(c, c->mc->dev, "bgp", &b), done);
    asn = xu_find(ro, "autonomous-system/as-number");
    if ((local_as = xu_text(asn, lb, sizeof lb)) && *local_as) {
        if ((rc = ncm_leaf(c, b, "local-as", local_as, asn))) {
            ER_TRY(rc, jn_soft(j, NULL, rc), done);
            local_as = NULL;
        }
    } else {
        local_as = NULL;
    }
    if ((v = jn_str(ro, "router-id", tb, sizeof tb)))
        ER_TRY(rc, jn_soft(j, NULL, ncm_leaf(c, b, "router-id", v, xu_child(ro, "router-id"))), done);
    XU_FOR(bgp, "group", g) {
        XU_FOR(g, "neighbor", n) {
            struct jn_levels l = {{n, g, bgp}};
            struct lyd_node *nb = NULL;

            rc = jn_neighbor(j, b, &l, local_as, &nb);
            ER_TRY(rc, jn_soft(j, nb, rc), done);
        }
    }
done:
    return rc;
}
