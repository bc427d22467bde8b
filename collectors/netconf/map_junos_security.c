/**
 * @file map_junos_security.c
 * @brief SRX `security`: zones (their interfaces get the zone), address
 * books (global and per zone, address-sets expanded) and policies
 * from-zone/to-zone into device/filter; applications resolved to protocol
 * and port (predefined junos-* ones and `applications application`).
 * See map_junos_filter.c for how matches become rules.
 */
#include "junos.h"

#include <stdio.h>
#include <string.h>

/* Predefined applications that matter here (Junos names). */
static const struct { const char *name, *proto, *port; } jn_predef[] = {
    {"junos-http", "tcp", "80"}, {"junos-https", "tcp", "443"}, {"junos-ssh", "tcp", "22"},
    {"junos-telnet", "tcp", "23"}, {"junos-ftp", "tcp", "21"}, {"junos-smtp", "tcp", "25"},
    {"junos-dns-udp", "udp", "53"}, {"junos-dns-tcp", "tcp", "53"}, {"junos-ntp", "udp", "123"},
    {"junos-bgp", "tcp", "179"}, {"junos-ldap", "tcp", "389"}, {"junos-icmp-all", "icmp", "any"},
    {"junos-ping", "icmp", "any"}, {"junos-smb", "tcp", "445"}, {"junos-ms-sql", "tcp", "1433"},
};

/* The address-book entry @p name: global books first, then the zone's. */
static const struct xr_node *
jn_book_find(const struct xr_node *sec, const struct xr_node *zone, const char *kind, const char *name)
{
    const struct xr_node *book, *e;
    char nb[NCM_TEXT];
    const char *v;

    XU_FOR(sec, "address-book", book) {
        XU_FOR(book, kind, e) {
            if ((v = jn_name(e, nb, sizeof nb)) && !strcmp(v, name))
                return e;
        }
    }
    XU_FOR(xu_child(zone, "address-book"), kind, e) {
        if ((v = jn_name(e, nb, sizeof nb)) && !strcmp(v, name))
            return e;
    }
    return NULL;
}

static er_code
jn_resolve_addr(struct jn *j, const struct xr_node *sec, const struct xr_node *zone, const char *name,
        const struct xr_node *at, int depth, struct jn_vals *out)
{
    const struct xr_node *e, *m;
    char pb[NCM_TEXT], nb[NCM_TEXT];
    const char *p;
    er_code rc = ER_OK;

    if (!strcmp(name, "any") || !strcmp(name, "any-ipv4") || !strcmp(name, "any-ipv6"))
        return jn_add(j, out, "any", at);
    if ((e = jn_book_find(sec, zone, "address", name))) {
        if (!(p = jn_str(e, "ip-prefix", pb, sizeof pb)))
            return ncm_bad(j->c, e, "address %s has no ip-prefix (DNS names and ranges are not read)", name);
        return jn_add(j, out, p, at);
    }
    if (!(e = jn_book_find(sec, zone, "address-set", name)))
        return ncm_bad(j->c, at, "address '%s' is not in the address book", name);
    if (depth > 4)
        return ncm_bad(j->c, e, "address-set %s nests too deep", name);
    XU_FOR(e, "address", m) {
        if ((p = jn_name(m, nb, sizeof nb)))
            ER_TRY(rc, jn_resolve_addr(j, sec, zone, p, m, depth + 1, out), done);
    }
    XU_FOR(e, "address-set", m) {
        if ((p = jn_name(m, nb, sizeof nb)))
            ER_TRY(rc, jn_resolve_addr(j, sec, zone, p, m, depth + 1, out), done);
    }
done:
    return rc;
}

static er_code
jn_resolve_app(struct jn *j, const char *name, const struct xr_node *at, int depth, struct jn_svc *out)
{
    const struct xr_node *apps = xu_child(j->cfg, "applications"), *a, *m;
    char nb[NCM_TEXT], pb[64], cb[32], db[64], tb[32];
    const char *v, *proto, *port;
    size_t i;
    er_code rc = ER_OK;

    if (!strcmp(name, "any"))
        return jn_add_svc(j, out, "ip", "any", at);
    XU_FOR(apps, "application", a) {
        if (!(v = jn_name(a, nb, sizeof nb)) || strcmp(v, name))
            continue;
        if (!(proto = jn_str(a, "protocol", pb, sizeof pb)))
            return ncm_bad(j->c, a, "application %s without a protocol (terms are not read)", name);
        proto = ncm_protocol(proto, cb, sizeof cb);
        v = jn_str(a, "destination-port", db, sizeof db);
        if (v && !(port = jn_port(v, tb, sizeof tb)))
            return ncm_bad(j->c, a, "application %s destination-port '%s' is not read", name, v);
        return jn_add_svc(j, out, proto, v ? port : "any", at);
    }
    XU_FOR(apps, "application-set", a) {
        if (!(v = jn_name(a, nb, sizeof nb)) || strcmp(v, name))
            continue;
        if (depth > 4)
            return ncm_bad(j->c, a, "application-set %s nests too deep", name);
        XU_FOR(a, "application", m) {
            if ((v = jn_name(m, nb, sizeof nb)))
                ER_TRY(rc, jn_resolve_app(j, v, m, depth + 1, out), done);
        }
        return rc;
    }
    for (i = 0; i < sizeof jn_predef / sizeof *jn_predef; i++) {
        if (!strcmp(name, jn_predef[i].name))
            return jn_add_svc(j, out, jn_predef[i].proto, jn_predef[i].port, at);
    }
    return ncm_bad(j->c, at, "application '%s' is neither configured nor a known predefined one", name);
done:
    return rc;
}

static const struct xr_node *
jn_zone(const struct xr_node *sec, const char *name)
{
    const struct xr_node *z;
    char nb[NCM_TEXT];
    const char *v;

    XU_FOR(xu_child(sec, "zones"), "security-zone", z) {
        if ((v = jn_name(z, nb, sizeof nb)) && !strcmp(v, name))
            return z;
    }
    return NULL;
}

static er_code
jn_policy(struct jn *j, const struct xr_node *sec, struct lyd_node *f, const struct xr_node *fz,
        const struct xr_node *tz, unsigned pos, const struct xr_node *p)
{
    const struct xr_node *match = xu_child(p, "match"), *then = xu_child(p, "then"), *x;
    struct jn_vals src = {0}, dst = {0};
    struct jn_svc svc = {0};
    char nb[NCM_TEXT];
    const char *v, *action;
    er_code rc = ER_OK;

    if (xu_child(then, "permit"))
        action = "permit";
    else if (xu_child(then, "deny") || xu_child(then, "reject"))
        action = "deny";
    else
        return ncm_bad(j->c, then ? then : p, "policy without permit, deny or reject");
    XU_FOR(match, "source-address", x) {
        if ((v = xu_text(x, nb, sizeof nb)) && *v)
            ER_TRY(rc, jn_resolve_addr(j, sec, fz, v, x, 0, &src), done);
    }
    XU_FOR(match, "destination-address", x) {
        if ((v = xu_text(x, nb, sizeof nb)) && *v)
            ER_TRY(rc, jn_resolve_addr(j, sec, tz, v, x, 0, &dst), done);
    }
    XU_FOR(match, "application", x) {
        if ((v = xu_text(x, nb, sizeof nb)) && *v)
            ER_TRY(rc, jn_resolve_app(j, v, x, 0, &svc), done);
    }
    if (!src.n || !dst.n || !svc.n)
        return ncm_bad(j->c, match ? match : p, "policy match without source-address, destination-address and "
                "application");
    rc = jn_rules(j, f, pos, &src, &dst, &svc, action, p);
done:
    return rc;
}

static er_code
jn_policies(struct jn *j, const struct xr_node *sec)
{
    struct ncm *c = j->c;
    const struct xr_node *pp, *p;
    struct lyd_node *f;
    char fb[NCM_TEXT], tb[NCM_TEXT], name[2 * NCM_TEXT + 32];
    const char *from, *to;
    unsigned pos;
    er_code rc = ER_OK;

    XU_FOR(xu_child(sec, "policies"), "policy", pp) {
        if (!(from = jn_str(pp, "from-zone-name", fb, sizeof fb)) || !(to = jn_str(pp, "to-zone-name", tb, sizeof tb))) {
            ER_TRY(rc, jn_soft(j, NULL, ncm_bad(c, pp, "policies without from-zone-name and to-zone-name")), done);
            continue;
        }
        snprintf(name, sizeof name, "from-zone %s to-zone %s", from, to);
        f = NULL;
        if (!(rc = ncm_list(c, c->mc->dev, "filter", name, pp, &f)) &&
                !(rc = ncm_leaf(c, f, "from-zone", from, xu_child(pp, "from-zone-name"))))
            rc = ncm_leaf(c, f, "to-zone", to, xu_child(pp, "to-zone-name"));
        ER_TRY(rc, jn_soft(j, f, rc), done);
        if (!f)
            continue;
        pos = 0;
        XU_FOR(pp, "policy", p) {
            pos++;
            if ((rc = jn_policy(j, sec, f, jn_zone(sec, from), jn_zone(sec, to), pos, p))) {
                jn_drop_rules(f, pos);
                ER_TRY(rc, jn_soft(j, NULL, rc), done);
            }
        }
        /* What no policy matches meets the default policy: deny-all unless permit-all is set. */
        if (xu_find(sec, "policies/default-policy/permit-all")) {
            struct jn_vals any = {.n = 1};
            struct jn_svc all = {.n = 1};

            snprintf(any.v[0], sizeof any.v[0], "any");
            snprintf(all.proto[0], sizeof all.proto[0], "ip");
            snprintf(all.ports[0], sizeof all.ports[0], "any");
            ER_TRY(rc, jn_rules(j, f, pos + 1, &any, &any, &all, "permit",
                    xu_find(sec, "policies/default-policy/permit-all")), done);
        }
    }
done:
    return rc;
}

er_code
jn_security(struct jn *j, const struct xr_node *sec)
{
    struct ncm *c = j->c;
    const struct xr_node *z, *i;
    struct lyd_node *ifc;
    char zb[NCM_TEXT], ib[NCM_TEXT];
    const char *zone, *ifname;
    er_code rc = ER_OK;

    XU_FOR(xu_child(sec, "zones"), "security-zone", z) {
        if (!(zone = jn_name(z, zb, sizeof zb)))
            continue;
        XU_FOR(z, "interfaces", i) {
            if (!(ifname = jn_name(i, ib, sizeof ib)))
                continue;
            ifc = NULL;
            if (!(rc = ncm_list(c, c->mc->dev, "interface", ifname, xu_child(i, "name"), &ifc)))
                rc = ncm_leaf(c, ifc, "zone", zone, xu_child(z, "name"));
            ER_TRY(rc, jn_soft(j, NULL, rc), done);
        }
    }
    rc = jn_policies(j, sec);
done:
    return rc;
}
