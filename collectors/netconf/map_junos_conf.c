/**
 * @file map_junos_conf.c
 * @brief The Junos configuration (`<configuration>`, xnm or YANG-schema
 * namespaces): the entry point that hands each hierarchy to its file, the
 * per-element accounting (jn_soft), interfaces and routing-options.
 *
 * Hierarchies read: interfaces (units as `ge-0/0/0.0`), routing-options
 * (static routes; autonomous-system and router-id are read with BGP),
 * protocols bgp (map_junos_bgp.c), policy-options (map_junos_policy.c),
 * firewall (map_junos_filter.c), security zones, address books and
 * policies (map_junos_filter.c) and security nat (map_junos_nat.c).
 * A configuration sent as text is named as such, never as an unknown model.
 */
#include "junos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers -------------------------------------------------- */

er_code
jn_soft(struct jn *j, struct lyd_node *node, er_code rc)
{
    if (rc != ER_EINVAL)
        return rc;
    if (!j->bad++)
        snprintf(j->why, sizeof j->why, "%s", j->c->err->msg);
    if (node) {
        lyd_free_tree(node);
        /* The freed entry must not be found again through model_list()'s index. */
        model_cache_reset();
    }
    er_clear(j->c->err);
    return ER_OK;
}

er_code
jn_finish(struct jn *j)
{
    struct lyd_node *col;
    const char *old;
    char why[1024];
    er_code rc;

    if (!j->bad)
        return ER_OK;
    ER_TRY(rc, ncm_cont(j->c, j->c->mc->dev, "collection", &col), done);
    old = model_str(col, "reason");
    if (j->bad > 1)
        snprintf(why, sizeof why, "%s%s%s (and %u more elements not read)", old ? old : "", old ? "; " : "", j->why,
                j->bad - 1);
    else
        snprintf(why, sizeof why, "%s%s%s", old ? old : "", old ? "; " : "", j->why);
    ER_TRY(rc, ncm_leaf(j->c, col, "status", "partial", NULL), done);
    rc = ncm_leaf(j->c, col, "reason", why, NULL);
done:
    return rc;
}

const char *
jn_str(const struct xr_node *from, const char *path, char *buf, size_t size)
{
    const char *v = xu_str(from, path, buf, size);

    return v && *v ? v : NULL;
}

const char *
jn_name(const struct xr_node *entry, char *buf, size_t size)
{
    return jn_str(entry, "name", buf, size);
}

int
jn_split_prefix(const char *v, char *addr, size_t asize, char *len, size_t lsize)
{
    const char *slash = v ? strchr(v, '/') : NULL;

    if (!slash || (size_t)(slash - v) >= asize || !slash[1] || strspn(slash + 1, "0123456789") != strlen(slash + 1))
        return -1;
    snprintf(addr, asize, "%.*s", (int)(slash - v), v);
    snprintf(len, lsize, "%s", slash + 1);
    return ncm_is_addr(addr) ? 0 : -1;
}

const char *
jn_port(const char *v, char *buf, size_t size)
{
    /* The names Junos accepts for the ports that matter here. */
    static const struct { const char *name, *port; } names[] = {
        {"http", "80"}, {"https", "443"}, {"ssh", "22"}, {"telnet", "23"}, {"ftp", "21"}, {"smtp", "25"},
        {"domain", "53"}, {"ntp", "123"}, {"snmp", "161"}, {"bgp", "179"}, {"ldap", "389"}, {"ldaps", "636"},
        {"imap", "143"}, {"pop3", "110"}, {"syslog", "514"}, {"radius", "1812"},
    };
    size_t i;

    if (strspn(v, "0123456789-") == strlen(v) && *v) {
        snprintf(buf, size, "%s", v);
        return buf;
    }
    for (i = 0; i < sizeof names / sizeof *names; i++) {
        if (!strcmp(v, names[i].name))
            return names[i].port;
    }
    return NULL;
}

const struct xr_node *
jn_prefix_list(const struct jn *j, const char *name)
{
    const struct xr_node *pl;
    char nb[NCM_TEXT];
    const char *v;

    XU_FOR(xu_child(j->cfg, "policy-options"), "prefix-list", pl) {
        if ((v = jn_name(pl, nb, sizeof nb)) && !strcmp(v, name))
            return pl;
    }
    return NULL;
}

/* ---- interfaces ------------------------------------------------------ */

/* family inet|inet6 of a unit: addresses, and filters bound on input (ingress). */
static er_code
jn_family(struct jn *j, struct lyd_node *ifc, const char *ifname, const struct xr_node *fam)
{
    struct ncm *c = j->c;
    const struct xr_node *a, *f;
    struct lyd_node *flt;
    char nb[NCM_TEXT], ab[NCM_TEXT], lb[8];
    const char *v;
    er_code rc = ER_OK;

    XU_FOR(fam, "address", a) {
        if (!(v = jn_name(a, nb, sizeof nb)) || jn_split_prefix(v, ab, sizeof ab, lb, sizeof lb))
            return ncm_bad(c, a, "address '%s' is not ADDRESS/LENGTH", v ? v : "");
        ER_TRY(rc, ncm_address(c, ifc, ab, xu_child(a, "name"), lb, xu_child(a, "name")), done);
    }
    XU_FOR(xu_find(fam, "filter/input"), "filter-name", f) {
        if (!(v = xu_text(f, nb, sizeof nb)) || !*v)
            continue;
        ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", v, f, &flt), done);
        ER_TRY(rc, ncm_leaflist(c, flt, "ingress-interface", ifname, f), done);
    }
    XU_FOR(xu_find(fam, "filter"), "input-list", f) {
        if (!(v = xu_text(f, nb, sizeof nb)) || !*v)
            continue;
        ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", v, f, &flt), done);
        ER_TRY(rc, ncm_leaflist(c, flt, "ingress-interface", ifname, f), done);
    }
done:
    return rc;
}

/* One model interface: a unit (NAME.UNIT) or a port without units. */
static er_code
jn_if_entry(struct jn *j, const struct xr_node *port, const struct xr_node *unit, const char *name,
        struct lyd_node **out)
{
    struct ncm *c = j->c;
    const struct xr_node *at = unit ? unit : port, *fam;
    struct lyd_node *ifc;
    char db[NCM_TEXT];
    const char *d;
    int off = xu_child(port, "disable") || (unit && xu_child(unit, "disable"));
    er_code rc;

    ER_TRY(rc, ncm_list(c, c->mc->dev, "interface", name, xu_child(at, "name"), &ifc), done);
    *out = ifc;
    if ((d = unit ? jn_str(unit, "description", db, sizeof db) : NULL) ||
            (d = jn_str(port, "description", db, sizeof db)))
        ER_TRY(rc, ncm_leaf(c, ifc, "description", d, at), done);
    ER_TRY(rc, ncm_leaf(c, ifc, "enabled", off ? "false" : "true", at), done);
    if ((fam = xu_child(at, "family"))) {
        ER_TRY(rc, jn_family(j, ifc, name, xu_child(fam, "inet")), done);
        ER_TRY(rc, jn_family(j, ifc, name, xu_child(fam, "inet6")), done);
    }
done:
    return rc;
}

er_code
jn_interfaces(struct jn *j, const struct xr_node *ifs)
{
    const struct xr_node *i, *u;
    char nb[NCM_TEXT], ub[NCM_TEXT], full[2 * NCM_TEXT + 2];
    const char *name, *unit;
    er_code rc = ER_OK;

    XU_FOR(ifs, "interface", i) {
        struct lyd_node *ifc = NULL;

        if (!(name = jn_name(i, nb, sizeof nb))) {
            ER_TRY(rc, jn_soft(j, NULL, ncm_bad(j->c, i, "interface without a name")), done);
            continue;
        }
        if (!xu_child(i, "unit")) {
            rc = jn_if_entry(j, i, NULL, name, &ifc);
            ER_TRY(rc, jn_soft(j, ifc, rc), done);
            continue;
        }
        XU_FOR(i, "unit", u) {
            ifc = NULL;
            if (!(unit = jn_name(u, ub, sizeof ub))) {
                ER_TRY(rc, jn_soft(j, NULL, ncm_bad(j->c, u, "unit without a name")), done);
                continue;
            }
            snprintf(full, sizeof full, "%s.%s", name, unit);
            rc = jn_if_entry(j, i, u, full, &ifc);
            ER_TRY(rc, jn_soft(j, ifc, rc), done);
        }
    }
done:
    return rc;
}

/* ---- routing-options --------------------------------------------------- */

static er_code
jn_static(struct jn *j, struct lyd_node *rib, const struct xr_node *r, struct lyd_node **out)
{
    struct ncm *c = j->c;
    const struct xr_node *nh, *kn = xu_child(r, "name");
    struct lyd_node *rt, *path;
    char pb[NCM_TEXT], hb[NCM_TEXT];
    const char *prefix = xu_text(kn, pb, sizeof pb), *hop;
    er_code rc;

    if (!prefix || !*prefix)
        return ncm_bad(c, r, "static route without a destination");
    ER_TRY(rc, ncm_list(c, rib, "route", prefix, kn, &rt), done);
    *out = rt;
    ER_TRY(rc, ncm_list(c, rt, "path", "static", r, &path), done);
    ER_TRY(rc, ncm_leaf(c, path, "protocol", "static", r), done);
    ER_TRY(rc, ncm_leaf(c, path, "state-source", c->src, r), done);
    /* The first next hop that is an address (next-hop, else qualified-next-hop). */
    XU_FOR(r, "next-hop", nh) {
        if (ncm_is_addr(hop = xu_text(nh, hb, sizeof hb)))
            return ncm_leaf(c, path, "next-hop", hop, nh);
    }
    XU_FOR(r, "qualified-next-hop", nh) {
        if (ncm_is_addr(hop = jn_name(nh, hb, sizeof hb)))
            return ncm_leaf(c, path, "next-hop", hop, nh);
    }
done:
    return rc;
}

er_code
jn_routing_options(struct jn *j, const struct xr_node *ro)
{
    const struct xr_node *r;
    struct lyd_node *rib;
    er_code rc = ER_OK;

    if (!xu_child(ro, "static"))
        return ER_OK;
    ER_TRY(rc, ncm_cont(j->c, j->c->mc->dev, "rib", &rib), done);
    XU_FOR(xu_child(ro, "static"), "route", r) {
        struct lyd_node *rt = NULL;

        rc = jn_static(j, rib, r, &rt);
        ER_TRY(rc, jn_soft(j, rt, rc), done);
    }
done:
    return rc;
}

/* ---- the configuration ------------------------------------------------- */

/* Groups are applied by the device (inherit="inherit"): a reply still holding
 * apply-groups was asked for without it, and settings inside groups would be
 * missed, so it is named rather than read half. */
static er_code
jn_check_inherited(struct jn *j, const struct xr_node *cfg)
{
    const struct xr_node *ag = xu_child(cfg, "apply-groups");

    if (ag && xu_child(cfg, "groups"))
        return jn_soft(j, NULL, ncm_bad(j->c, ag, "configuration with apply-groups not inherited: settings inside "
                "groups are not read (ask with inherit=\"inherit\")"));
    return ER_OK;
}

er_code
map_junos_configuration(struct ncm *c, const struct xr_node *top)
{
    struct jn j = {.c = c, .cfg = top};
    const struct xr_node *x;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    ER_TRY(rc, jn_check_inherited(&j, top), done);
    /* Definitions before what refers to them: filters and prefix-lists before interfaces bind them. */
    if ((x = xu_child(top, "policy-options")))
        ER_TRY(rc, jn_policy_options(&j, x), done);
    if ((x = xu_child(top, "firewall")))
        ER_TRY(rc, jn_firewall(&j, x), done);
    if ((x = xu_child(top, "interfaces")))
        ER_TRY(rc, jn_interfaces(&j, x), done);
    if ((x = xu_child(top, "routing-options")))
        ER_TRY(rc, jn_routing_options(&j, x), done);
    if ((x = xu_find(top, "protocols/bgp")))
        ER_TRY(rc, jn_bgp(&j, x), done);
    if ((x = xu_child(top, "security"))) {
        ER_TRY(rc, jn_security(&j, x), done);
        if ((x = xu_child(x, "nat")))
            ER_TRY(rc, jn_nat(&j, x), done);
    }
    /* MX Next Gen Services: the same source NAT shape below services. */
    if ((x = xu_find(top, "services/nat")))
        ER_TRY(rc, jn_nat(&j, x), done);
    rc = jn_finish(&j);
done:
    return rc;
}

er_code
map_junos_text(struct ncm *c, const struct xr_node *top)
{
    return ncm_bad(c, top, "configuration in text form; ask for XML (<get-configuration format=\"xml\">)");
}
