/**
 * @file mib_nat.c
 * @brief NAT-MIB (RFC 4008; RFC 7659 deprecates the objects, OIDs unchanged):
 * natAddrMapTable 1.3.6.1.2.1.123.1.4.1, indexed by (ifIndex,
 * natAddrMapIndex), into nat/pool and nat/rule.
 *
 * An address map translates a local address range into a global one. Each
 * map gives a pool (name = natAddrMapName, else "map-IFINDEX-INDEX") whose
 * prefixes are the global range cut into CIDR blocks, on the map's
 * interface, and a rule with the same id matching the local range. Ports
 * and protocols are not in the model and are not read.
 */
#include "mib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* natAddrMapEntry columns */
enum {
    MAP_NAME = 2, MAP_TYPE = 3, MAP_ENTITY = 4, MAP_LOCAL_FROM = 6, MAP_LOCAL_TO = 7, MAP_GLOBAL_FROM = 11,
    MAP_GLOBAL_TO = 12,
};

/* At most this many CIDR blocks per range (a pathological range yields up to 254). */
#define NAT_MAX_BLOCKS 64

struct nat_range {
    uint8_t family;
    uint8_t from[16], to[16];
    unsigned have_from : 1, have_to : 1;
};

struct nat_row {
    uint32_t ifindex, index;
    char name[64];
    int64_t type;                /* NatAssociationType: static(1), dynamic(2) */
    uint8_t entity;              /* NatTranslationEntity BITS, first octet */
    struct nat_range local, global;
};

struct nat_state {
    struct mib_rows maps;
};

static void *
nat_create(void)
{
    return calloc(1, sizeof(struct nat_state));
}

static void
nat_destroy(void *ms)
{
    struct nat_state *s = ms;

    if (s)
        mib_rows_clear(&s->maps);
    free(s);
}

static er_code
nat_addr(struct mib_state *st, const struct snmp_vb *vb, struct nat_range *r, int to)
{
    uint8_t family, addr[16];

    if (vb->type == SNMP_VT_OCTETS && vb->n_bytes == 0)
        return ER_OK; /* unused end of the range */
    if (mib_vb_addr(st, vb, &family, addr))
        return ER_EINVAL;
    if (r->family && r->family != family)
        return mib_bad(st, vb, "range ends of different address families");
    r->family = family;
    memcpy(to ? r->to : r->from, addr, 16);
    if (to)
        r->have_to = 1;
    else
        r->have_from = 1;
    return ER_OK;
}

static er_code
nat_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    struct nat_state *s = ms;
    struct nat_row *r;

    if (n_idx != 2 || !idx[1])
        return mib_bad(st, vb, "bad index of natAddrMapTable: expected ifIndex.natAddrMapIndex");
    if (!(r = mib_rows_get(&s->maps, idx, 2, sizeof *r, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    r->ifindex = idx[0];
    r->index = idx[1];
    switch (col) {
    case MAP_NAME:
        return mib_vb_text(st, vb, r->name, sizeof r->name);
    case MAP_TYPE:
        return mib_vb_int(st, vb, &r->type);
    case MAP_ENTITY:
        if (vb->type != SNMP_VT_OCTETS)
            return mib_bad(st, vb, "expected BITS (an OCTET STRING)");
        r->entity = vb->n_bytes ? vb->bytes[0] : 0;
        return ER_OK;
    case MAP_LOCAL_FROM:
    case MAP_LOCAL_TO:
        return nat_addr(st, vb, &r->local, col == MAP_LOCAL_TO);
    case MAP_GLOBAL_FROM:
    case MAP_GLOBAL_TO:
        return nat_addr(st, vb, &r->global, col == MAP_GLOBAL_TO);
    }
    return ER_OK;
}

typedef unsigned __int128 u128;

static u128
nat_u128(const uint8_t *a, unsigned bytes)
{
    u128 v = 0;
    unsigned i;

    for (i = 0; i < bytes; i++)
        v = v << 8 | a[i];
    return v;
}

/*
 * Cut [from, to] into CIDR blocks, each added to leaf-list @p leaf of @p node.
 * @return ER_OK; ER_EINVAL when the range is reversed or needs too many blocks.
 */
static er_code
nat_blocks(struct mib_state *st, const struct nat_range *r, struct lyd_node *node, const char *leaf)
{
    unsigned bits = r->family == 4 ? 32 : 128, bytes = bits / 8, n = 0, len, i;
    u128 lo = nat_u128(r->from, bytes), hi = nat_u128(r->have_to ? r->to : r->from, bytes);
    char text[PFX_STRLEN];
    er_code rc = ER_OK;

    if (hi < lo)
        return er_set(mib_err(st), ER_EINVAL, "NAT address range %s ends before it starts",
                mib_addr_str(r->family, r->from, text));
    for (;;) {
        struct pfx p = {.family = r->family};
        u128 v;

        /* The largest aligned block starting at lo that stays within hi. */
        for (len = 0; len < bits; len++) {
            unsigned host = bits - len;
            u128 size_m1 = host == 128 ? ~(u128)0 : ((u128)1 << host) - 1;

            if (!(lo & size_m1) && hi - lo >= size_m1)
                break;
        }
        if (++n > NAT_MAX_BLOCKS)
            return er_set(mib_err(st), ER_EINVAL, "NAT address range from %s needs more than %d prefixes",
                    mib_addr_str(r->family, r->from, text), NAT_MAX_BLOCKS);
        p.len = (uint8_t)len;
        for (v = lo, i = bytes; i-- > 0; v >>= 8)
            p.addr[i] = (uint8_t)v;
        ER_TRY(rc, model_leaflist(node, leaf, pfx_format(&p, text), mib_err(st)), cleanup);
        v = len == 0 ? ~(u128)0 : ((u128)1 << (bits - len)) - 1;
        if (hi - lo == v)
            break;
        lo += v + 1;
    }
cleanup:
    return rc;
}

static er_code
nat_write(struct mib_state *st, struct lyd_node *nat, const struct nat_row *r)
{
    struct er_err *err = mib_err(st);
    struct lyd_node *pool, *rule;
    char name[64], ifb[32];
    const char *ifname = r->ifindex ? mib_if_name(st, r->ifindex, ifb) : NULL, *type;
    er_code rc = ER_OK;

    if (r->name[0])
        snprintf(name, sizeof name, "%s", r->name);
    else
        snprintf(name, sizeof name, "map-%u-%u", (unsigned)r->ifindex, (unsigned)r->index);
    if (r->global.have_from) {
        ER_TRY(rc, model_list(nat, "pool", name, &pool, err), cleanup);
        ER_TRY(rc, nat_blocks(st, &r->global, pool, "prefix"), cleanup);
        if (ifname)
            ER_TRY(rc, model_leaf(pool, "interface", ifname, err), cleanup);
    }
    /* Bits 1 and 2 (outboundDstEndPoint, inboundDstEndPoint) alone: destination NAT. */
    if (r->type == 1)
        type = "static";
    else if ((r->entity & 0x60) && !(r->entity & 0x90))
        type = "destination";
    else
        type = "source";
    ER_TRY(rc, model_list(nat, "rule", name, &rule, err), cleanup);
    ER_TRY(rc, model_leaf(rule, "type", type, err), cleanup);
    if (r->local.have_from)
        ER_TRY(rc, nat_blocks(st, &r->local, rule, "match-source"), cleanup);
    if (r->global.have_from)
        ER_TRY(rc, model_leaf(rule, "pool", name, err), cleanup);
    if (ifname)
        ER_TRY(rc, model_leaf(rule, "egress-interface", ifname, err), cleanup);
cleanup:
    return rc;
}

static er_code
nat_finish(struct mib_state *st, void *ms)
{
    struct nat_state *s = ms;
    struct map_ctx *mc = mib_ctx(st);
    struct lyd_node *nat;
    er_code rc = ER_OK;
    size_t i;

    if (!s->maps.n)
        return ER_OK;
    ER_TRY(rc, model_cont(mc->dev, "nat", &nat, mc->err), cleanup);
    for (i = 0; i < s->maps.n; i++)
        ER_TRY(rc, nat_write(st, nat, s->maps.rows[i]), cleanup);
cleanup:
    return rc;
}

const struct mib_module mib_nat_module = {"nat-mib", nat_create, nat_destroy, nat_row, nat_finish};
