/**
 * @file map_junos_nat.c
 * @brief SRX `security nat` into device/nat: source pools (prefixes, an
 * address range as the prefixes that cover it exactly), source rule-sets
 * (from zone/interface, to zone/interface; each rule's source match and
 * its pool or the egress interface) and static NAT rules.
 *
 * A pool is used where its rule-set leads: the `to` interface, else the
 * first interface of the `to` zone; that is the pool's interface and the
 * rule's egress interface, as the NAT rules (NAT-001..005) read them.
 * MX routers with Next Gen Services configure the same shape below
 * `services nat` (rule match in `match` rather than `src-nat-rule-match`).
 */
#include "junos.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The prefixes covering IPv4 range @p lo..@p hi exactly, added to @p pool. */
static er_code
jn_range_prefixes(struct ncm *c, struct lyd_node *pool, const char *lo, const char *hi, const struct xr_node *at)
{
    struct in_addr a, b;
    uint64_t x, end;
    char ip[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN + 4];
    unsigned n = 0;
    er_code rc = ER_OK;

    if (inet_pton(AF_INET, lo, &a) != 1 || inet_pton(AF_INET, hi, &b) != 1 || ntohl(a.s_addr) > ntohl(b.s_addr))
        return ncm_bad(c, at, "address range %s to %s is not an IPv4 range", lo, hi);
    for (x = ntohl(a.s_addr), end = ntohl(b.s_addr); x <= end && n < 64; n++) {
        unsigned len = 32;
        struct in_addr o;

        /* The largest block aligned at x that stays inside the range. */
        while (len > 0) {
            uint64_t size = 1ull << (33 - len);

            if ((x & (size - 1)) || x + size - 1 > end)
                break;
            len--;
        }
        o.s_addr = htonl((uint32_t)x);
        inet_ntop(AF_INET, &o, ip, sizeof ip);
        snprintf(p, sizeof p, "%s/%u", ip, len);
        ER_TRY(rc, ncm_leaflist(c, pool, "prefix", p, at), done);
        x += 1ull << (32 - len);
    }
    if (x <= end)
        rc = ncm_bad(c, at, "address range %s to %s needs more than 64 prefixes", lo, hi);
done:
    return rc;
}

/* "a.b.c.d/32" or "a.b.c.d" into the address alone. */
static const char *
jn_host(const char *v, char *buf, size_t size)
{
    snprintf(buf, size, "%.*s", (int)strcspn(v, "/"), v);
    return buf;
}

static er_code
jn_pool(struct jn *j, struct lyd_node *nat, const struct xr_node *p, struct lyd_node **out)
{
    struct ncm *c = j->c;
    const struct xr_node *a, *kn = xu_child(p, "name");
    struct lyd_node *pool;
    char nb[NCM_TEXT], ab[NCM_TEXT], tb[NCM_TEXT], lo[64], hi[64];
    const char *name = jn_name(p, nb, sizeof nb), *v, *to;
    er_code rc = ER_OK;

    if (!name)
        return ncm_bad(c, p, "pool without a name");
    ER_TRY(rc, ncm_list(c, nat, "pool", name, kn, &pool), done);
    *out = pool;
    XU_FOR(p, "address", a) {
        if (!(v = jn_name(a, ab, sizeof ab)))
            return ncm_bad(c, a, "pool address without a prefix");
        if ((to = jn_str(a, "to/ipaddr", tb, sizeof tb)))
            ER_TRY(rc, jn_range_prefixes(c, pool, jn_host(v, lo, sizeof lo), jn_host(to, hi, sizeof hi), a), done);
        else
            ER_TRY(rc, ncm_leaflist(c, pool, "prefix", strchr(v, '/') ? v : strcat(strcpy(tb, v), "/32"), a), done);
    }
done:
    return rc;
}

/* Where a rule-set's traffic leaves: its `to` interface, else the first interface of its `to` zone. */
static const char *
jn_egress(struct jn *j, const struct xr_node *rs, char *buf, size_t size)
{
    const struct xr_node *z, *zones = xu_find(j->cfg, "security/zones");
    char zb[NCM_TEXT], nb[NCM_TEXT];
    const char *v, *zone;

    if ((v = jn_str(rs, "to/interface", buf, size)))
        return v;
    if (!(zone = jn_str(rs, "to/zone", zb, sizeof zb)))
        return NULL;
    XU_FOR(zones, "security-zone", z) {
        if ((v = jn_name(z, nb, sizeof nb)) && !strcmp(v, zone))
            return jn_str(xu_child(z, "interfaces"), "name", buf, size);
    }
    return NULL;
}

static er_code
jn_src_rule(struct jn *j, struct lyd_node *nat, const char *rsname, const char *egress, const struct xr_node *r,
        struct lyd_node **out)
{
    struct ncm *c = j->c;
    const struct xr_node *m, *sn = xu_find(r, "then/source-nat"), *pn;
    struct lyd_node *rule, *pool;
    char nb[NCM_TEXT], id[2 * NCM_TEXT + 2], vb[NCM_TEXT];
    const char *name = jn_name(r, nb, sizeof nb), *v;
    er_code rc;

    if (!name)
        return ncm_bad(c, r, "rule without a name");
    if (!sn)
        return ncm_bad(c, r, "rule %s without then source-nat", name);
    if (xu_child(sn, "off"))
        return ER_OK;   /* exempts traffic from NAT: nothing is translated */
    snprintf(id, sizeof id, "%s/%s", rsname, name);
    ER_TRY(rc, ncm_list(c, nat, "rule", id, xu_child(r, "name"), &rule), done);
    *out = rule;
    ER_TRY(rc, ncm_leaf(c, rule, "type", "source", r), done);
    /* SRX: src-nat-rule-match; MX Next Gen Services: match. */
    XU_FOR(xu_child(r, "src-nat-rule-match") ? xu_child(r, "src-nat-rule-match") : xu_child(r, "match"),
            "source-address", m) {
        if ((v = xu_text(m, vb, sizeof vb)) && *v)
            ER_TRY(rc, ncm_leaflist(c, rule, "match-source", v, m), done);
    }
    if ((v = jn_str(sn, "pool/pool-name", vb, sizeof vb))) {
        pn = xu_find(sn, "pool/pool-name");
        if (!(pool = model_find(nat, "pool", v)))
            return ncm_bad(c, pn, "pool '%s' is not defined", v);
        ER_TRY(rc, ncm_leaf(c, rule, "pool", v, pn), done);
        if (egress && !model_str(pool, "interface"))
            ER_TRY(rc, ncm_leaf(c, pool, "interface", egress, r), done);
    } else if (!xu_child(sn, "interface")) {
        return ncm_bad(c, sn, "source-nat without pool, interface or off");
    }
    if (egress)
        ER_TRY(rc, ncm_leaf(c, rule, "egress-interface", egress, r), done);
done:
    return rc;
}

static er_code
jn_static_rule(struct jn *j, struct lyd_node *nat, const char *rsname, const struct xr_node *r, struct lyd_node **out)
{
    struct ncm *c = j->c;
    const struct xr_node *d = xu_find(r, "static-nat-rule-match/destination-address/dst-addr"),
            *p = xu_find(r, "then/static-nat/prefix/addr-prefix");
    struct lyd_node *rule;
    char nb[NCM_TEXT], id[2 * NCM_TEXT + 9], db[NCM_TEXT], pb[NCM_TEXT];
    const char *name = jn_name(r, nb, sizeof nb), *dv = xu_text(d, db, sizeof db), *pv = xu_text(p, pb, sizeof pb);
    er_code rc;

    if (!name)
        return ncm_bad(c, r, "rule without a name");
    if (!dv || !*dv || !pv || !*pv)
        return ncm_bad(c, r, "static rule %s without a destination-address and a then static-nat prefix", name);
    snprintf(id, sizeof id, "static/%s/%s", rsname, name);
    ER_TRY(rc, ncm_list(c, nat, "rule", id, xu_child(r, "name"), &rule), done);
    *out = rule;
    /* The inside host (prefix) appears outside as the public destination address. */
    ER_TRY(rc, ncm_leaf(c, rule, "type", "static", r), done);
    ER_TRY(rc, ncm_leaflist(c, rule, "match-source", pv, p), done);
    rc = ncm_leaf(c, rule, "translated-prefix", dv, d);
done:
    return rc;
}

er_code
jn_nat(struct jn *j, const struct xr_node *natx)
{
    struct ncm *c = j->c;
    const struct xr_node *src = xu_child(natx, "source"), *rs, *r;
    struct lyd_node *nat;
    char nb[NCM_TEXT], eb[NCM_TEXT];
    const char *rsname, *egress;
    er_code rc;

    if (!src && !xu_child(natx, "static"))
        return ER_OK;
    ER_TRY(rc, ncm_cont(c, c->mc->dev, "nat", &nat), done);
    XU_FOR(src, "pool", r) {
        struct lyd_node *pool = NULL;

        rc = jn_pool(j, nat, r, &pool);
        ER_TRY(rc, jn_soft(j, pool, rc), done);
    }
    XU_FOR(src, "rule-set", rs) {
        if (!(rsname = jn_name(rs, nb, sizeof nb)))
            continue;
        egress = jn_egress(j, rs, eb, sizeof eb);
        XU_FOR(rs, "rule", r) {
            struct lyd_node *rule = NULL;

            rc = jn_src_rule(j, nat, rsname, egress, r, &rule);
            ER_TRY(rc, jn_soft(j, rule, rc), done);
        }
    }
    XU_FOR(xu_child(natx, "static"), "rule-set", rs) {
        if (!(rsname = jn_name(rs, nb, sizeof nb)))
            continue;
        XU_FOR(rs, "rule", r) {
            struct lyd_node *rule = NULL;

            rc = jn_static_rule(j, nat, rsname, r, &rule);
            ER_TRY(rc, jn_soft(j, rule, rc), done);
        }
    }
done:
    return rc;
}
