/**
 * @file mib_ip.c
 * @brief IP-MIB (RFC 4293): ipAddressTable 1.3.6.1.2.1.4.34.1 (IPv4 and
 * IPv6), and the older ipAddrTable 1.3.6.1.2.1.4.20.1 for IPv4 addresses the
 * former does not list, into interface[name]/address[ip] prefix-length.
 */
#include "mib_int.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

enum { IPA_IFINDEX = 3, IPA_TYPE = 4, IPA_PREFIX = 5 };   /* ipAddressEntry */
enum { IPAD_IFINDEX = 2, IPAD_MASK = 3 };                 /* ipAddrEntry */

struct ip_row {
    uint8_t family, addr[16];
    uint32_t ifindex;
    int64_t type;              /* ipAddressType: unicast(1), anycast(2), broadcast(3) */
    int pfxlen;                /* -1 unknown */
    unsigned have_ifindex : 1, init : 1;
};

struct ip_state {
    struct mib_rows addrs;     /* ipAddressTable, keyed by (type, len, addr) */
    struct mib_rows old;       /* ipAddrTable, keyed by the 4 address octets */
};

static void *
ip_create(void)
{
    return calloc(1, sizeof(struct ip_state));
}

static void
ip_destroy(void *ms)
{
    struct ip_state *s = ms;

    if (s) {
        mib_rows_clear(&s->addrs);
        mib_rows_clear(&s->old);
    }
    free(s);
}

/* ipAddressPrefix points at an ipAddressPrefixEntry whose index ends with the length. */
static int
ip_prefix_len(const struct snmp_vb *vb, uint8_t family)
{
    static const uint32_t prefix_entry[] = {1, 3, 6, 1, 2, 1, 4, 32, 1};
    uint32_t len;

    if (vb->val_oid_len <= 10 || memcmp(vb->val_oid, prefix_entry, sizeof prefix_entry))
        return -1; /* zeroDotZero: unknown */
    len = vb->val_oid[vb->val_oid_len - 1];
    return len <= (family == 4 ? 32u : 128u) ? (int)len : -2;
}

static er_code
ip_address_row(struct mib_state *st, struct ip_state *s, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    const uint32_t *p = idx;
    size_t n = n_idx;
    uint8_t family, addr[16];
    struct ip_row *r;
    int64_t v;
    int rc;

    rc = mib_idx_inet(&p, &n, &family, addr);
    if (rc == -2 && !n)
        return ER_OK; /* zoned address: no place for the zone in the model */
    if (rc || n)
        return mib_bad(st, vb, "bad index: expected InetAddressType.length.address");
    if (!(r = mib_rows_get(&s->addrs, idx, n_idx, sizeof *r, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    if (!r->init) {
        r->init = 1;
        r->family = family;
        memcpy(r->addr, addr, 16);
        r->pfxlen = -1;
    }
    switch (col) {
    case IPA_IFINDEX:
        if (mib_vb_int(st, vb, &v))
            return ER_EINVAL;
        r->ifindex = (uint32_t)v;
        r->have_ifindex = 1;
        break;
    case IPA_TYPE:
        return mib_vb_int(st, vb, &r->type);
    case IPA_PREFIX:
        if (vb->type != SNMP_VT_OID)
            return mib_bad(st, vb, "expected an OID (ipAddressPrefix)");
        r->pfxlen = ip_prefix_len(vb, family);
        if (r->pfxlen == -2)
            return mib_bad(st, vb, "prefix length out of range");
        break;
    }
    return ER_OK;
}

/* Leading one bits of a netmask; -1 when not contiguous. */
static int
ip_mask_len(const uint8_t m[4])
{
    uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    int len = 0;

    while (len < 32 && (v & (0x80000000u >> len)))
        len++;
    return len == 32 || !(v << len) ? len : -1;
}

static er_code
ip_old_row(struct mib_state *st, struct ip_state *s, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    const uint32_t *p = idx;
    size_t n = n_idx;
    uint8_t addr[4];
    struct ip_row *r;
    int64_t v;

    if (mib_idx_ipv4(&p, &n, addr) || n)
        return mib_bad(st, vb, "bad index: expected an IPv4 address");
    if (!(r = mib_rows_get(&s->old, idx, n_idx, sizeof *r, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    if (!r->init) {
        r->init = 1;
        r->family = 4;
        memcpy(r->addr, addr, 4);
        r->pfxlen = -1;
    }
    if (col == IPAD_IFINDEX) {
        if (mib_vb_int(st, vb, &v))
            return ER_EINVAL;
        r->ifindex = (uint32_t)v;
        r->have_ifindex = 1;
    } else if (col == IPAD_MASK) {
        if (vb->type != SNMP_VT_IPADDRESS || vb->n_bytes != 4)
            return mib_bad(st, vb, "expected an IpAddress (netmask)");
        if ((r->pfxlen = ip_mask_len(vb->bytes)) < 0)
            return mib_bad(st, vb, "netmask is not contiguous");
    }
    return ER_OK;
}

static er_code
ip_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    if (t == MIB_T_IPADDRESS)
        return ip_address_row(st, ms, col, idx, n_idx, vb);
    return ip_old_row(st, ms, col, idx, n_idx, vb);
}

static er_code
ip_add(struct mib_state *st, const struct ip_row *r, int pfxlen)
{
    struct map_ctx *mc = mib_ctx(st);
    struct lyd_node *ifc, *a;
    char buf[32], ip[INET6_ADDRSTRLEN];
    er_code rc;

    ER_TRY(rc, model_list(mc->dev, "interface", mib_if_name(st, r->ifindex, buf), &ifc, mc->err), cleanup);
    ER_TRY(rc, model_list(ifc, "address", mib_addr_str(r->family, r->addr, ip), &a, mc->err), cleanup);
    ER_TRY(rc, model_leaf_u64(a, "prefix-length", (uint64_t)pfxlen, mc->err), cleanup);
cleanup:
    return rc;
}

static er_code
ip_finish(struct mib_state *st, void *ms)
{
    struct ip_state *s = ms;
    er_code rc = ER_OK;
    size_t i;

    for (i = 0; i < s->addrs.n; i++) {
        const struct ip_row *r = s->addrs.rows[i], *o = NULL;
        int len = r->pfxlen;

        if (!r->have_ifindex || r->type == 3)
            continue; /* broadcast addresses are not interface addresses */
        if (len < 0 && r->family == 4)
            o = mib_rows_get(&s->old, (const uint32_t[]){r->addr[0], r->addr[1], r->addr[2], r->addr[3]}, 4,
                    sizeof *o, 0);
        if (len < 0 && o)
            len = o->pfxlen;
        if (len >= 0)
            ER_TRY(rc, ip_add(st, r, len), cleanup);
    }
    /* ipAddrTable for what the newer table does not list (or when it is absent). */
    for (i = 0; i < s->old.n; i++) {
        const struct ip_row *r = s->old.rows[i];
        const uint32_t key[] = {1, 4, r->addr[0], r->addr[1], r->addr[2], r->addr[3]};

        if (!r->have_ifindex || r->pfxlen < 0 || mib_rows_get(&s->addrs, key, 6, sizeof *r, 0))
            continue;
        ER_TRY(rc, ip_add(st, r, r->pfxlen), cleanup);
    }
cleanup:
    return rc;
}

const struct mib_module mib_ip_module = {"ip-mib", ip_create, ip_destroy, ip_row, ip_finish};
