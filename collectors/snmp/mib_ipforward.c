/**
 * @file mib_ipforward.c
 * @brief IP-FORWARD-MIB (RFC 4292): inetCidrRouteTable 1.3.6.1.2.1.4.24.7.1
 * and ipCidrRouteTable 1.3.6.1.2.1.4.24.4.1 into rib/route[prefix]/path[source].
 *
 * Both tables are read where both are served (real routers disagree:
 * hundreds of IPv4 routes only in the older one) and merged: an
 * ipCidrRouteTable row whose route already has a path of the same protocol
 * and next hop from inetCidrRouteTable is a duplicate. A row is made from
 * whichever column shows it first: a table that changed during the walk has
 * rows some columns lack; such a row is kept with the columns it has, and
 * how many there were is named (mib_note(), the device is partial).
 *
 * Only the routes the filter keeps are stored (a full table is read and
 * counted, not kept). A path's source is its protocol name ("static"); a
 * second next hop of the same protocol gets "static 192.0.2.1". A BGP route
 * whose BGP4-MIB path has the same next hop only adds its egress interface
 * to that path: BGP4-MIB knows more about it than the forwarding table.
 */
#include "mib_int.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ICR_IFINDEX = 7, ICR_TYPE = 8, ICR_PROTO = 9 };   /* inetCidrRouteEntry */
enum { CR_IFINDEX = 5, CR_TYPE = 6, CR_PROTO = 7 };      /* ipCidrRouteEntry */

struct fwd_row {
    struct pfx dest;
    uint8_t nh_family, nh[16];
    uint32_t ifindex;
    int64_t type, proto;
    unsigned cols;            /* FC_* bits of the columns this row had */
};

/* The columns read, as bits: ifIndex, type, protocol, and the first column seen when it is none of them. */
enum { FC_FIRST = 1, FC_IFINDEX = 2, FC_TYPE = 4, FC_PROTO = 8 };

/* One of the two tables. */
struct fwd_table {
    struct mib_rows rows;
    uint32_t first_col;       /* rows are counted in the first column seen */
    unsigned cols;            /* FC_* bits of the columns the table had */
    uint64_t dups;            /* ipCidrRouteTable rows inetCidrRouteTable already had */
};

struct fwd_state {
    struct fwd_table t[2];    /* 0: inetCidrRouteTable, 1: ipCidrRouteTable */
};

static void *
fwd_create(void)
{
    return calloc(1, sizeof(struct fwd_state));
}

static void
fwd_destroy(void *ms)
{
    struct fwd_state *s = ms;

    if (s) {
        mib_rows_clear(&s->t[0].rows);
        mib_rows_clear(&s->t[1].rows);
    }
    free(s);
}

/* Zero the bits past the prefix length. */
static void
fwd_mask(struct pfx *p)
{
    unsigned i, max = p->family == 4 ? 4 : 16;

    for (i = 0; i < max; i++) {
        unsigned bits = p->len > i * 8 ? p->len - i * 8 : 0;

        if (bits < 8)
            p->addr[i] &= (uint8_t)(0xff00u >> bits);
    }
}

/* inetCidrRouteDest(type, len, octets).PfxLen.Policy(len, sub-ids).NextHop(type, len, octets) */
static int
fwd_inet_index(const uint32_t *p, size_t n, struct fwd_row *r)
{
    uint32_t len, plen;
    int rc;

    if ((rc = mib_idx_inet(&p, &n, &r->dest.family, r->dest.addr)))
        return rc;
    if (mib_idx_u32(&p, &n, &len) || len > (r->dest.family == 4 ? 32u : 128u))
        return -1;
    r->dest.len = (uint8_t)len;
    if (mib_idx_u32(&p, &n, &plen) || plen > n)
        return -1;
    p += plen;
    n -= plen;
    rc = mib_idx_inet(&p, &n, &r->nh_family, r->nh);
    if (rc == -2)
        r->nh_family = 0; /* unknown(0) or zoned next hop: none in the model */
    else if (rc)
        return -1;
    return n ? -1 : 0;
}

/* Leading ones of a netmask; -1 when not contiguous. */
static int
fwd_mask_len(const uint8_t m[4])
{
    uint32_t v = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
    int len = 0;

    while (len < 32 && (v & (0x80000000u >> len)))
        len++;
    return len == 32 || !(v << len) ? len : -1;
}

/* ipCidrRouteDest(4).Mask(4).Tos.NextHop(4) */
static int
fwd_cidr_index(const uint32_t *p, size_t n, struct fwd_row *r)
{
    uint8_t mask[4];
    uint32_t tos;
    int len;

    r->dest.family = 4;
    if (mib_idx_ipv4(&p, &n, r->dest.addr) || mib_idx_ipv4(&p, &n, mask) || mib_idx_u32(&p, &n, &tos)
            || mib_idx_ipv4(&p, &n, r->nh) || n || (len = fwd_mask_len(mask)) < 0)
        return -1;
    r->dest.len = (uint8_t)len;
    r->nh_family = 4;
    return 0;
}

static er_code
fwd_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    struct fwd_state *s = ms;
    struct fwd_table *tb = &s->t[t == MIB_T_IPCIDR];
    struct fwd_row key = {0}, *r;
    int cidr = t == MIB_T_IPCIDR;
    uint32_t ifindex_col = cidr ? CR_IFINDEX : ICR_IFINDEX, type_col = cidr ? CR_TYPE : ICR_TYPE;
    uint32_t proto_col = cidr ? CR_PROTO : ICR_PROTO;
    unsigned bit;
    int64_t v;
    int rc, first;

    if (!tb->first_col)
        tb->first_col = col;
    first = col == tb->first_col;
    bit = col == ifindex_col ? FC_IFINDEX : col == type_col ? FC_TYPE : col == proto_col ? FC_PROTO
            : first ? FC_FIRST : 0;
    if (!bit)
        return ER_OK; /* a column not read */
    tb->cols |= bit;
    if (!(r = mib_rows_get(&tb->rows, idx, n_idx, sizeof *r, 0))) {
        rc = cidr ? fwd_cidr_index(idx, n_idx, &key) : fwd_inet_index(idx, n_idx, &key);
        if (rc == -2)
            return ER_OK; /* zoned destination */
        if (rc) {
            if (!first)
                return ER_OK; /* named once, in the first column */
            mib_note(st, vb, "bad index of %s: row skipped", mib_tables[t].name);
            return ER_OK;
        }
        fwd_mask(&key.dest);
        /* Rows are counted in the first column; a kept one missing there counts where it shows. */
        if (first ? !mib_route_read(st, &key.dest) : !mib_route_keep(st, &key.dest))
            return ER_OK;
        if (!(r = mib_rows_get(&tb->rows, idx, n_idx, sizeof *r, 1)))
            return er_set(mib_err(st), ER_ENOMEM, "out of memory");
        *r = key;
    }
    r->cols |= bit;
    if (bit == FC_IFINDEX) {
        if (mib_vb_int(st, vb, &v))
            return ER_EINVAL;
        r->ifindex = (uint32_t)v;
    } else if (bit == FC_TYPE) {
        return mib_vb_int(st, vb, &r->type);
    } else if (bit == FC_PROTO) {
        return mib_vb_int(st, vb, &r->proto);
    }
    return ER_OK;
}

/* IANAipRouteProtocol to the model's protocol enumeration. */
static const char *
fwd_proto(const struct fwd_row *r)
{
    switch (r->proto) {
    case 2: /* local: "non-protocol information"; connected when the route type says local */
        return r->type == 3 ? "connected" : "local";
    case 3:
        return "static";
    case 9:
        return "isis";
    case 13:
        return "ospf";
    case 14:
        return "bgp";
    default:
        return "other";
    }
}

/* The existing BGP path of @p route with next hop @p nh, or NULL. */
static struct lyd_node *
fwd_bgp_path(struct lyd_node *route, const char *nh)
{
    struct lyd_node *path;
    const char *p, *h;

    MODEL_FOR(route, "path", path) {
        p = model_str(path, "protocol");
        h = model_str(path, "next-hop");
        if (p && !strcmp(p, "bgp") && h && !strcmp(h, nh))
            return path;
    }
    return NULL;
}

/* 1 when the route already has a path of @p proto with next hop @p nh ("" for none). */
static int
fwd_has_path(struct mib_state *st, const struct pfx *dest, const char *proto, const char *nh)
{
    struct lyd_node *rib = model_child(mib_ctx(st)->dev, "rib"), *route, *path;
    char text[PFX_STRLEN];
    const char *p, *h;

    if (!rib || !(route = model_find(rib, "route", pfx_format(dest, text))))
        return 0;
    MODEL_FOR(route, "path", path) {
        p = model_str(path, "protocol");
        h = model_str(path, "next-hop");
        if (p && !strcmp(p, proto) && !strcmp(h ? h : "", nh))
            return 1;
    }
    return 0;
}

static er_code
fwd_write(struct mib_state *st, const struct fwd_row *r)
{
    struct map_ctx *mc = mib_ctx(st);
    struct lyd_node *rib, *route, *path = NULL;
    char nh[INET6_ADDRSTRLEN] = "", src[96], text[PFX_STRLEN], ifb[32];
    const char *proto = fwd_proto(r), *have;
    er_code rc = ER_OK;

    if (r->nh_family && !mib_addr_zero(r->nh_family, r->nh))
        mib_addr_str(r->nh_family, r->nh, nh);
    if (r->proto == 14 && nh[0]) {
        ER_TRY(rc, model_cont(mc->dev, "rib", &rib, mc->err), cleanup);
        route = model_find(rib, "route", pfx_format(&r->dest, text));
        path = route ? fwd_bgp_path(route, nh) : NULL;
    }
    if (!path) {
        snprintf(src, sizeof src, "%s", proto);
        ER_TRY(rc, model_cont(mc->dev, "rib", &rib, mc->err), cleanup);
        route = model_find(rib, "route", pfx_format(&r->dest, text));
        path = route ? model_find(route, "path", src) : NULL;
        have = path ? model_str(path, "next-hop") : NULL;
        if (path && strcmp(have ? have : "", nh))
            snprintf(src, sizeof src, "%s %s", proto, nh[0] ? nh : "direct");
        ER_TRY(rc, mib_rib_path(st, &r->dest, src, &path), cleanup);
        ER_TRY(rc, model_leaf(path, "protocol", proto, mc->err), cleanup);
        if (nh[0])
            ER_TRY(rc, model_leaf(path, "next-hop", nh, mc->err), cleanup);
    }
    if (r->ifindex)
        ER_TRY(rc, model_leaf(path, "egress-interface", mib_if_name(st, r->ifindex, ifb), mc->err), cleanup);
cleanup:
    return rc;
}

/* Write one table's rows; @p dedup skips those the routes already have (the second table). */
static er_code
fwd_write_table(struct mib_state *st, enum mib_table t, struct fwd_table *tb, int dedup)
{
    uint64_t incomplete = 0;
    er_code rc = ER_OK;
    size_t i;

    for (i = 0; i < tb->rows.n; i++) {
        const struct fwd_row *r = tb->rows.rows[i];
        char nh[INET6_ADDRSTRLEN] = "";

        if (r->cols != tb->cols)
            incomplete++;
        if (r->nh_family && !mib_addr_zero(r->nh_family, r->nh))
            mib_addr_str(r->nh_family, r->nh, nh);
        if (dedup && fwd_has_path(st, &r->dest, fwd_proto(r), nh)) {
            tb->dups++;
            continue;
        }
        ER_TRY(rc, fwd_write(st, r), cleanup);
    }
    if (incomplete) {
        struct snmp_vb at = {.oid = mib_tables[t].oid, .oid_len = mib_tables[t].len};

        mib_note(st, &at, "%" PRIu64 " of %zu rows of %s kept were incomplete (the table changed during the walk: "
                "its columns hold different rows); each was kept with the columns it had", incomplete, tb->rows.n,
                mib_tables[t].name);
    }
cleanup:
    return rc;
}

static er_code
fwd_finish(struct mib_state *st, void *ms)
{
    struct fwd_state *s = ms;
    er_code rc;

    /* inetCidrRouteTable first: it knows IPv6 and more protocols; the older table adds what it lacks. */
    if ((rc = fwd_write_table(st, MIB_T_INETCIDR, &s->t[0], 0)))
        return rc;
    return fwd_write_table(st, MIB_T_IPCIDR, &s->t[1], s->t[0].rows.n > 0);
}

const struct mib_module mib_ipforward_module = {"ip-forward-mib", fwd_create, fwd_destroy, fwd_row, fwd_finish};
