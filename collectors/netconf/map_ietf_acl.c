/**
 * @file map_ietf_acl.c
 * @brief IETF access control lists (RFC 8519) into device/filter: ACEs as
 * rules, interface attachment points as ingress-interface.
 */
#include "ncmap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
is_number(const char *v)
{
    if (!v || !*v)
        return 0;
    for (; *v; v++) {
        if (!isdigit((unsigned char)*v))
            return 0;
    }
    return 1;
}

/* destination-port: a range, or an operator and a port. */
static const char *
ace_ports(const struct xr_node *dp, char *buf, size_t size)
{
    char lb[16], ub[16], pb[16], ob[16];
    const char *lo = xu_str(dp, "lower-port", lb, sizeof lb), *hi = xu_str(dp, "upper-port", ub, sizeof ub);
    const char *port = xu_str(dp, "port", pb, sizeof pb), *op = xu_str(dp, "operator", ob, sizeof ob);

    if (lo && hi) {
        snprintf(buf, size, "%s-%s", lo, hi);
        return buf;
    }
    if (!port)
        return "any";
    op = op ? xu_ident(op) : "eq";
    if (!strcmp(op, "lte"))
        snprintf(buf, size, "0-%s", port);
    else if (!strcmp(op, "gte"))
        snprintf(buf, size, "%s-65535", port);
    else if (!strcmp(op, "neq"))
        snprintf(buf, size, "!%s", port);
    else
        snprintf(buf, size, "%s", port);
    return buf;
}

static er_code
ace(struct ncm *c, struct lyd_node *f, const struct xr_node *e, unsigned long seq)
{
    const struct xr_node *m = xu_child(e, "matches"), *ip, *l4 = NULL, *an;
    struct lyd_node *r;
    char sb[24], tb[NCM_TEXT], cb[64];
    const char *v, *proto = "ip";
    er_code rc;

    snprintf(sb, sizeof sb, "%lu", seq);
    ER_TRY(rc, ncm_list(c, f, "rule", sb, e, &r), done);
    if (!(ip = xu_child(m, "ipv4")))
        ip = xu_child(m, "ipv6");
    if (!(v = xu_str(ip, "source-ipv4-network", tb, sizeof tb)))
        v = xu_str(ip, "source-ipv6-network", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "source", v && *v ? v : "any", ip ? ip : e), done);
    if (!(v = xu_str(ip, "destination-ipv4-network", tb, sizeof tb)))
        v = xu_str(ip, "destination-ipv6-network", tb, sizeof tb);
    ER_TRY(rc, ncm_leaf(c, r, "destination", v && *v ? v : "any", ip ? ip : e), done);
    /* The protocol field, else what the L4 match implies. */
    if ((l4 = xu_child(m, "tcp")))
        proto = "tcp";
    else if ((l4 = xu_child(m, "udp")))
        proto = "udp";
    else if (xu_child(m, "icmp"))
        proto = "icmp";
    if ((v = xu_str(ip, "protocol", tb, sizeof tb)) && *v)
        proto = ncm_protocol(v, cb, sizeof cb);
    ER_TRY(rc, ncm_leaf(c, r, "protocol", proto, ip ? ip : e), done);
    ER_TRY(rc, ncm_leaf(c, r, "ports", ace_ports(xu_child(l4, "destination-port"), tb, sizeof tb), e), done);
    an = xu_find(e, "actions/forwarding");
    v = xu_ident(xu_text(an, tb, sizeof tb));
    if (!v || !*v)
        return ncm_bad(c, an ? an : e, "ace without a forwarding action (accept, drop or reject)");
    if (strcmp(v, "accept") && strcmp(v, "drop") && strcmp(v, "reject"))
        return ncm_bad(c, an, "forwarding '%.100s': expected accept, drop or reject", v);
    ER_TRY(rc, ncm_leaf(c, r, "action", !strcmp(v, "accept") ? "permit" : "deny", an), done);
done:
    return rc;
}

static er_code
ietf_acl(struct ncm *c, const struct xr_node *a)
{
    const struct xr_node *kn = xu_child(a, "name"), *aces = xu_child(a, "aces"), *e;
    struct lyd_node *f;
    char nb[NCM_TEXT], ib[NCM_TEXT];
    const char *name;
    unsigned long n = 0;
    int numeric = 1;
    er_code rc;

    if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
        return ncm_bad(c, a, "acl without a name");
    ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, kn, &f), done);
    /* ACEs are ordered by position; numeric names ("10", "20") are kept as the sequence. */
    XU_FOR(aces, "ace", e)
        numeric = numeric && is_number(xu_str(e, "name", ib, sizeof ib));
    XU_FOR(aces, "ace", e) {
        n++;
        NCM_ELEM(rc, c, "filter/rule",
                ace(c, f, e, numeric ? strtoul(xu_str(e, "name", ib, sizeof ib), NULL, 10) : n * 10), done);
    }
done:
    return rc;
}

static er_code
ietf_attachment(struct ncm *c, const struct xr_node *i)
{
    const struct xr_node *s;
    struct lyd_node *f;
    char nb[NCM_TEXT], ib[NCM_TEXT];
    const char *name, *ifname;
    er_code rc = ER_OK;

    if (!(ifname = xu_text(xu_child(i, "interface-id"), ib, sizeof ib)) || !*ifname)
        return ncm_bad(c, i, "attachment point without an interface-id");
    XU_FOR(xu_find(i, "ingress/acl-sets"), "acl-set", s) {
        const struct xr_node *kn = xu_child(s, "name");

        if (!(name = xu_text(kn, nb, sizeof nb)) || !*name)
            return ncm_bad(c, s, "acl-set without a name");
        ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, kn, &f), done);
        ER_TRY(rc, ncm_leaflist(c, f, "ingress-interface", ifname, s), done);
    }
done:
    return rc;
}

er_code
map_ietf_acl(struct ncm *c, const struct xr_node *top)
{
    const struct xr_node *a, *i;
    er_code rc = ER_OK;

    if (!c->cfg)
        return ER_OK;
    XU_FOR(top, "acl", a)
        NCM_ELEM(rc, c, "filter", ietf_acl(c, a), done);
    XU_FOR(xu_child(top, "attachment-points"), "interface", i)
        NCM_ELEM(rc, c, "filter/ingress-interface", ietf_attachment(c, i), done);
done:
    return rc;
}
