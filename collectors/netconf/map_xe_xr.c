/**
 * @file map_xe_xr.c
 * @brief Helpers of the Cisco IOS-XE and IOS-XR mappers (cx_* module):
 * netmask addresses, wildcard prefixes, ACL sides and ports, NAT ranges, AS numbers.
 */
#include "map_xe_xr.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

er_code
cx_addr_mask(struct ncm *c, struct lyd_node *ifc, const struct xr_node *entry, const char *addr_el,
        const char *mask_el)
{
    const struct xr_node *an = xu_child(entry, addr_el), *mn = xu_child(entry, mask_el);
    char ab[64], mb[64], lb[8];
    const char *a = xu_text(an, ab, sizeof ab), *m = xu_text(mn, mb, sizeof mb), *len;

    if (!a || !*a)
        return ncm_bad(c, entry, "address without an %s", addr_el);
    if (!m || !*m)
        return ncm_bad(c, entry, "address %s without a %s", a, mask_el);
    if (!ncm_is_addr(a))
        return ncm_bad(c, an, "'%s' is not an IP address", a);
    if (!(len = ncm_netmask(m, lb, sizeof lb)))
        return ncm_bad(c, mn, "'%s' is not a contiguous netmask", m);
    return ncm_address(c, ifc, a, an, len, mn);
}

const char *
cx_wild_prefix(const char *addr, const char *wild, char *buf, size_t size)
{
    struct in_addr a, w;
    char mask[INET_ADDRSTRLEN], lb[8];
    const char *len;

    if (inet_pton(AF_INET, addr, &a) != 1 || inet_pton(AF_INET, wild, &w) != 1)
        return NULL;
    w.s_addr = ~w.s_addr;
    inet_ntop(AF_INET, &w, mask, sizeof mask);
    if (!(len = ncm_netmask(mask, lb, sizeof lb)))
        return NULL;
    a.s_addr &= w.s_addr;
    inet_ntop(AF_INET, &a, mask, sizeof mask);
    snprintf(buf, size, "%s/%s", mask, len);
    return buf;
}

er_code
cx_acl_side(struct ncm *c, struct lyd_node *r, const char *leaf, const struct xr_node *ace, const char *const el[5])
{
    char ab[64], wb[64], pb[80];
    const char *a, *w, *v;

    if (xu_child(ace, el[0]))
        return ncm_leaf(c, r, leaf, "any", xu_child(ace, el[0]));
    if ((a = xu_str(ace, el[1], ab, sizeof ab)) || (a = xu_str(ace, el[2], ab, sizeof ab))) {
        if (!ncm_is_addr(a))
            return ncm_bad(c, ace, "host '%s' is not an address", a);
        snprintf(pb, sizeof pb, "%s/%d", a, strchr(a, ':') ? 128 : 32);
        return ncm_leaf(c, r, leaf, pb, ace);
    }
    if ((a = xu_str(ace, el[3], ab, sizeof ab))) {
        if (!(w = xu_str(ace, el[4], wb, sizeof wb)) || !(v = cx_wild_prefix(a, w, pb, sizeof pb)))
            return ncm_bad(c, xu_child(ace, el[3]), "%s without a contiguous wildcard mask", a);
        return ncm_leaf(c, r, leaf, v, xu_child(ace, el[3]));
    }
    return ncm_bad(c, ace, "%s: neither any, a host nor an address with a wildcard", leaf);
}

er_code
cx_acl_ports(struct ncm *c, struct lyd_node *r, const char *lo, const char *hi, const struct xr_node *at)
{
    char pb[64];

    if (!lo)
        return ncm_leaf(c, r, "ports", "any", at);
    if (hi)
        snprintf(pb, sizeof pb, "%s-%s", lo, hi);
    else
        snprintf(pb, sizeof pb, "%s", lo);
    return ncm_leaf(c, r, "ports", pb, at);
}

er_code
cx_xr_acls(struct ncm *c, const struct xr_node *lists, const char *list_el, const char *entries,
        const char *entry_el, cx_ace_fn ace)
{
    const struct xr_node *a, *e;
    struct lyd_node *f;
    char nb[NCM_TEXT];
    const char *name;
    er_code rc = ER_OK;

    XU_FOR(lists, list_el, a) {
        const struct xr_node *kn = xu_child(a, "access-list-name");

        if (!(name = xu_text(kn, nb, sizeof nb)) || !*name) {
            NCM_ELEM(rc, c, "filter", ncm_bad(c, a, "%s without an access-list-name", list_el), done);
            continue;
        }
        ER_TRY(rc, ncm_list(c, c->mc->dev, "filter", name, kn, &f), done);
        XU_FOR(xu_child(a, entries), entry_el, e)
            NCM_ELEM(rc, c, "filter/rule", ace(c, f, name, e), done);
    }
done:
    return rc;
}

const char *
cx_xr_protocol(const char *v, char *buf, size_t size)
{
    return !v || !*v || !strcmp(v, "ipv4") || !strcmp(v, "ip") ? "ip" : ncm_protocol(v, buf, size);
}

size_t
cx_range_cidrs(const char *start, const char *end, char (*out)[20], size_t max)
{
    struct in_addr s, e;
    uint64_t lo, hi;
    size_t n = 0;

    if (inet_pton(AF_INET, start, &s) != 1 || inet_pton(AF_INET, end, &e) != 1)
        return 0;
    lo = ntohl(s.s_addr);
    hi = ntohl(e.s_addr);
    if (lo > hi)
        return 0;
    while (lo <= hi) {
        unsigned bits = 0;
        struct in_addr a;
        char ip[INET_ADDRSTRLEN];

        /* The largest aligned block that starts at lo and stays in the range. */
        while (bits < 32 && !(lo & ((1ull << (bits + 1)) - 1)) && lo + (1ull << (bits + 1)) - 1 <= hi)
            bits++;
        if (n == max)
            return 0;
        a.s_addr = htonl((uint32_t)lo);
        inet_ntop(AF_INET, &a, ip, sizeof ip);
        snprintf(out[n++], sizeof out[0], "%s/%u", ip, 32 - bits);
        lo += 1ull << bits;
    }
    return n;
}

const char *
cx_asn(const char *v, char *buf, size_t size)
{
    char *end;
    unsigned long long hi, lo;

    if (!v || !*v || *v == '-' || *v == '+')
        return NULL;
    hi = strtoull(v, &end, 10);
    if (end == v)
        return NULL;
    if (!*end) {
        if (hi > UINT32_MAX)
            return NULL;
        snprintf(buf, size, "%llu", hi);
        return buf;
    }
    /* asdot: HIGH.LOW, each 16 bits */
    if (*end != '.' || hi > 65535 || !end[1] || end[1] == '-' || end[1] == '+')
        return NULL;
    v = end + 1;
    lo = strtoull(v, &end, 10);
    if (*end || lo > 65535)
        return NULL;
    snprintf(buf, size, "%llu", hi * 65536 + lo);
    return buf;
}

er_code
cx_peer_as(struct ncm *c, struct lyd_node *nb, const struct xr_node *x)
{
    const struct xr_node *n = xu_child(x, "remote-as");
    char tb[NCM_TEXT], ab[32];
    const char *v;

    if (!n)
        return ER_OK;
    if (!(v = cx_asn(xu_text(n, tb, sizeof tb), ab, sizeof ab)))
        return ncm_bad(c, n, "remote-as '%s' is not an AS number", tb);
    return ncm_leaf(c, nb, "peer-as", v, n);
}

const char *
cx_xe_ifname(const struct xr_node *type, const char *num, char *buf, size_t size)
{
    snprintf(buf, size, "%.*s%s", (int)(type->name_len > 60 ? 60 : type->name_len), type->name, num ? num : "");
    return buf;
}

const char *
cx_if_host(struct ncm *c, const char *ifname, char *buf, size_t size)
{
    struct lyd_node *ifc = ifname ? model_find(c->mc->dev, "interface", ifname) : NULL;
    struct lyd_node *a = ifc ? model_child(ifc, "address") : NULL;
    const char *ip = a ? model_str(a, "ip") : NULL;

    if (!ip)
        return NULL;
    snprintf(buf, size, "%s/%d", ip, strchr(ip, ':') ? 128 : 32);
    return buf;
}

er_code
cx_xr_interface(struct ncm *c, const struct xr_node *e, const struct xr_node *kn, const char *name,
        const struct xr_node *addrs, const char *primary, struct lyd_node **ifc)
{
    const struct xr_node *s;
    er_code rc = ER_OK;

    ER_TRY(rc, ncm_list(c, c->mc->dev, "interface", name, kn, ifc), done);
    ER_TRY(rc, ncm_copy(c, *ifc, "description", e, "description", NULL), done);
    ER_TRY(rc, ncm_leaf(c, *ifc, "enabled", xu_child(e, "shutdown") ? "false" : "true", e), done);
    if ((s = xu_child(addrs, primary)))
        NCM_ELEM(rc, c, "interface/address", cx_addr_mask(c, *ifc, s, "address", "netmask"), done);
    XU_FOR(xu_child(addrs, "secondaries"), "secondary", s)
        NCM_ELEM(rc, c, "interface/address", cx_addr_mask(c, *ifc, s, "address", "netmask"), done);
done:
    return rc;
}
