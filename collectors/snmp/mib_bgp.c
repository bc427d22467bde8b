/**
 * @file mib_bgp.c
 * @brief BGP4-MIB (RFC 4273): bgpLocalAs and bgpPeerTable into the BGP4-MIB
 * peer set (mib_peer.c writes bgp/neighbor from the richest source),
 * bgpIdentifier, and bgp4PathAttrTable into
 * rib/route[prefix]/path[source=peer address] (filtered like every route).
 *
 * The MIB has no received-prefix counter: when the path table was read,
 * each neighbor's prefixes-received is the number of paths it sent (all of
 * them, before the route filter).
 */
#include "mib_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bgpPeerEntry columns */
enum {
    PEER_STATE = 2, PEER_ADMIN = 3, PEER_LOCALADDR = 5, PEER_REMOTEAS = 9, PEER_HOLD = 18, PEER_KEEPALIVE = 19,
    PEER_HOLD_CFG = 20, PEER_KEEPALIVE_CFG = 21,
};
/* bgp4PathAttrEntry columns */
enum { PATH_ASPATH = 5, PATH_NEXTHOP = 6, PATH_LOCALPREF = 8, PATH_BEST = 13 };

struct bgp_path {
    struct pfx dest;
    uint8_t peer[4], nh[4];
    int64_t local_pref, best;
    char *as_path;
    unsigned have_nh : 1, have_lp : 1;
};

/* Paths received from a peer (all of them, filtered or not). */
struct bgp_count {
    uint32_t n;
};

struct bgp_state {
    uint8_t router_id[4];
    unsigned have_id : 1, have_paths : 1;
    struct mib_rows paths;
    struct mib_rows counts;      /* keyed by the peer address */
    uint32_t path_first_col;
};

static void *
bgp_create(void)
{
    return calloc(1, sizeof(struct bgp_state));
}

static void
bgp_destroy(void *ms)
{
    struct bgp_state *s = ms;
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->paths.n; i++)
        free(((struct bgp_path *)s->paths.rows[i])->as_path);
    mib_rows_clear(&s->paths);
    mib_rows_clear(&s->counts);
    free(s);
}

/* Append to @p out, failing when it does not fit. */
static int
aspath_put(char *out, size_t size, size_t *n, const char *s)
{
    size_t l = strlen(s);

    if (*n + l + 1 > size)
        return -1;
    memcpy(out + *n, s, l + 1);
    *n += l;
    return 0;
}

/* Decode the segments with AS numbers of @p width bytes; -1 when they do not add up. */
static int
aspath_decode(const uint8_t *b, size_t len, unsigned width, char *out, size_t size)
{
    static const char *open[] = {"", "{", "", "(", "["}, *close[] = {"", "}", "", ")", "]"};
    size_t i = 0, n = 0, k;
    char num[16];

    out[0] = '\0';
    while (i < len) {
        unsigned type, count;

        if (len - i < 2)
            return -1;
        type = b[i];
        count = b[i + 1];
        i += 2;
        if (type < 1 || type > 4 || len - i < (size_t)count * width)
            return -1;
        if (n && aspath_put(out, size, &n, " "))
            return -1;
        if (aspath_put(out, size, &n, open[type]))
            return -1;
        for (k = 0; k < count; k++, i += width) {
            uint32_t as = width == 2 ? (uint32_t)b[i] << 8 | b[i + 1]
                    : (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 | (uint32_t)b[i + 2] << 8 | b[i + 3];
            /* Sets are listed with commas, sequences with spaces. */
            snprintf(num, sizeof num, "%s%u", k ? (type == 1 || type == 4 ? "," : " ") : "", (unsigned)as);
            if (aspath_put(out, size, &n, num))
                return -1;
        }
        if (aspath_put(out, size, &n, close[type]))
            return -1;
    }
    return 0;
}

int
mib_bgp_aspath(const uint8_t *b, size_t len, char *out, size_t size)
{
    if (!size)
        return -1;
    /* The MIB says 2-octet AS numbers; some agents put 4-octet ones. */
    if (!aspath_decode(b, len, 2, out, size))
        return 0;
    return aspath_decode(b, len, 4, out, size);
}

/* Peers go to the BGP4-MIB peer set (mib_peer.c writes the richest source's). */
static er_code
bgp_peer_row(struct mib_state *st, uint32_t col, const uint32_t *idx, size_t n_idx, const struct snmp_vb *vb)
{
    const uint32_t *p = idx;
    size_t n = n_idx;
    uint8_t addr[4];
    struct mib_peer *r;
    uint64_t u;

    if (mib_idx_ipv4(&p, &n, addr) || n)
        return mib_bad(st, vb, "bad index of bgpPeerTable: expected the peer's IPv4 address");
    if (!(r = mib_peer_get(mib_peerset(st, MIB_BGP_4MIB), 4, addr, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    switch (col) {
    case PEER_STATE:
        return mib_vb_int(st, vb, &r->state);
    case PEER_ADMIN:
        return mib_vb_int(st, vb, &r->admin);
    case PEER_LOCALADDR:
        if (vb->type != SNMP_VT_IPADDRESS || vb->n_bytes != 4)
            return mib_bad(st, vb, "expected an IpAddress");
        memcpy(r->local, vb->bytes, 4);
        r->local_family = 4;
        return ER_OK;
    case PEER_REMOTEAS:
        r->have_as = 1;
        return mib_vb_num(st, vb, &r->remote_as);
    case PEER_HOLD:
    case PEER_KEEPALIVE:
    case PEER_HOLD_CFG:
    case PEER_KEEPALIVE_CFG:
        if (mib_vb_num_max(st, vb, 65535, &u))
            return ER_EINVAL;
        *(col == PEER_HOLD ? &r->hold : col == PEER_KEEPALIVE ? &r->keepalive
                : col == PEER_HOLD_CFG ? &r->hold_cfg : &r->keepalive_cfg) = u;
        return ER_OK;
    }
    return ER_OK;
}

/* bgp4PathAttrIpAddrPrefix(4).PrefixLen.PeerAddr(4) */
static er_code
bgp_path_row(struct mib_state *st, struct bgp_state *s, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    const uint32_t *p = idx;
    size_t n = n_idx;
    struct bgp_path key = {0}, *r;
    struct bgp_count *c;
    uint32_t len;
    char buf[1024];

    s->have_paths = 1;
    if (!s->path_first_col)
        s->path_first_col = col;
    if (col != s->path_first_col) {
        if (!(r = mib_rows_get(&s->paths, idx, n_idx, sizeof *r, 0)))
            return ER_OK; /* filtered out */
    } else {
        key.dest.family = 4;
        if (mib_idx_ipv4(&p, &n, key.dest.addr) || mib_idx_u32(&p, &n, &len) || len > 32
                || mib_idx_ipv4(&p, &n, key.peer) || n)
            return mib_bad(st, vb, "bad index of bgp4PathAttrTable: expected prefix(4).length.peer(4)");
        key.dest.len = (uint8_t)len;
        if (!(c = mib_rows_get(&s->counts, idx + 5, 4, sizeof *c, 1)))
            return er_set(mib_err(st), ER_ENOMEM, "out of memory");
        c->n++;
        if (!mib_route_read(st, &key.dest))
            return ER_OK;
        if (!(r = mib_rows_get(&s->paths, idx, n_idx, sizeof *r, 1)))
            return er_set(mib_err(st), ER_ENOMEM, "out of memory");
        /* The table read again (a second walk file holds it): this row replaces the first. */
        free(r->as_path);
        *r = key;
    }
    switch (col) {
    case PATH_ASPATH:
        if (vb->type != SNMP_VT_OCTETS)
            return mib_bad(st, vb, "expected an OCTET STRING (AS path segments)");
        if (mib_bgp_aspath(vb->bytes, vb->n_bytes, buf, sizeof buf))
            return mib_bad(st, vb, "bad AS path segments (%zu bytes)", vb->n_bytes);
        free(r->as_path);
        if (!(r->as_path = strdup(buf)))
            return er_set(mib_err(st), ER_ENOMEM, "out of memory");
        return ER_OK;
    case PATH_NEXTHOP:
        if (vb->type != SNMP_VT_IPADDRESS || vb->n_bytes != 4)
            return mib_bad(st, vb, "expected an IpAddress");
        memcpy(r->nh, vb->bytes, 4);
        r->have_nh = 1;
        return ER_OK;
    case PATH_LOCALPREF:
        r->have_lp = 1;
        return mib_vb_int(st, vb, &r->local_pref);
    case PATH_BEST:
        return mib_vb_int(st, vb, &r->best);
    }
    return ER_OK;
}

static er_code
bgp_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    struct bgp_state *s = ms;
    struct mib_peerset *set = mib_peerset(st, MIB_BGP_4MIB);

    switch (t) {
    case MIB_T_BGP_LOCALAS:
    case MIB_T_BGP_ID:
        if (n_idx != 1 || idx[0] != 0)
            return mib_bad(st, vb, "%s is a scalar (.0)", mib_tables[t].name);
        if (t == MIB_T_BGP_LOCALAS) {
            set->have_local_as = 1;
            return mib_vb_num(st, vb, &set->local_as);
        }
        if (vb->type != SNMP_VT_IPADDRESS || vb->n_bytes != 4)
            return mib_bad(st, vb, "expected an IpAddress");
        memcpy(s->router_id, vb->bytes, 4);
        s->have_id = 1;
        return ER_OK;
    case MIB_T_BGP_PEER:
        return bgp_peer_row(st, col, idx, n_idx, vb);
    default:
        return bgp_path_row(st, s, col, idx, n_idx, vb);
    }
}

static er_code
bgp_write_path(struct mib_state *st, const struct bgp_path *r)
{
    struct er_err *err = mib_err(st);
    struct lyd_node *path;
    char ip[INET6_ADDRSTRLEN];
    er_code rc;

    ER_TRY(rc, mib_rib_path(st, &r->dest, mib_addr_str(4, r->peer, ip), &path), cleanup);
    ER_TRY(rc, model_leaf(path, "protocol", "bgp", err), cleanup);
    if (r->have_nh && !mib_addr_zero(4, r->nh))
        ER_TRY(rc, model_leaf(path, "next-hop", mib_addr_str(4, r->nh, ip), err), cleanup);
    if (r->have_lp && r->local_pref >= 0)
        ER_TRY(rc, model_leaf_u64(path, "local-preference", (uint64_t)r->local_pref, err), cleanup);
    if (r->as_path)
        ER_TRY(rc, model_leaf(path, "as-path", r->as_path, err), cleanup);
    if (r->best == 1 || r->best == 2)
        ER_TRY(rc, model_leaf(path, "best", r->best == 2 ? "true" : "false", err), cleanup);
cleanup:
    return rc;
}

static er_code
bgp_finish(struct mib_state *st, void *ms)
{
    struct bgp_state *s = ms;
    struct map_ctx *mc = mib_ctx(st);
    struct mib_peerset *set = mib_peerset(st, MIB_BGP_4MIB);
    struct lyd_node *bgp;
    char ip[INET6_ADDRSTRLEN];
    er_code rc = ER_OK;
    size_t i;

    /* Without a counter in the MIB, a peer's received prefixes are the paths it sent. */
    for (i = 0; s->have_paths && i < set->peers.n; i++) {
        struct mib_peer *p = set->peers.rows[i];
        const uint32_t key[] = {p->addr[0], p->addr[1], p->addr[2], p->addr[3]};
        struct bgp_count *c = mib_rows_get(&s->counts, key, 4, sizeof *c, 0);

        p->accepted = c ? c->n : 0;
        p->have_acc = 1;
    }
    /* bgpLocalAs 0 is what an agent without BGP running reports. */
    if (!s->paths.n && !set->peers.n && !(set->have_local_as && set->local_as))
        return ER_OK;
    ER_TRY(rc, model_cont(mc->dev, "bgp", &bgp, mc->err), cleanup);
    if (s->have_id && !mib_addr_zero(4, s->router_id))
        ER_TRY(rc, model_leaf(bgp, "router-id", mib_addr_str(4, s->router_id, ip), mc->err), cleanup);
    for (i = 0; i < s->paths.n; i++)
        ER_TRY(rc, bgp_write_path(st, s->paths.rows[i]), cleanup);
cleanup:
    return rc;
}

const struct mib_module mib_bgp_module = {"bgp4-mib", bgp_create, bgp_destroy, bgp_row, bgp_finish};
