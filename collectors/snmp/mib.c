/**
 * @file mib.c
 * @brief The decoder state of a device: dispatch of varbinds by OID prefix
 * to the MIB decoders, the route filter and counters, and the helpers the
 * decoders share (index and value decoding, messages, a row store).
 */
#include "mib_int.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIB2 1, 3, 6, 1, 2, 1
#define ENT 1, 3, 6, 1, 4, 1

const struct mib_tabledef mib_tables[MIB_T_COUNT] = {
    [MIB_T_SYSUPTIME] = {"sysUpTime", MIB_M_SYS, {MIB2, 1, 3}, 8, 0},
    [MIB_T_IF] = {"ifTable", MIB_M_IF, {MIB2, 2, 2, 1}, 9, 1},
    [MIB_T_IFX] = {"ifXTable", MIB_M_IF, {MIB2, 31, 1, 1, 1}, 10, 1},
    [MIB_T_IPADDRESS] = {"ipAddressTable", MIB_M_IP, {MIB2, 4, 34, 1}, 9, 1},
    [MIB_T_IPADDR] = {"ipAddrTable", MIB_M_IP, {MIB2, 4, 20, 1}, 9, 1},
    [MIB_T_BGP_LOCALAS] = {"bgpLocalAs", MIB_M_BGP, {MIB2, 15, 2}, 8, 0},
    [MIB_T_BGP_PEER] = {"bgpPeerTable", MIB_M_BGP, {MIB2, 15, 3, 1}, 9, 1},
    [MIB_T_BGP_ID] = {"bgpIdentifier", MIB_M_BGP, {MIB2, 15, 4}, 8, 0},
    [MIB_T_BGP_PATH] = {"bgp4PathAttrTable", MIB_M_BGP, {MIB2, 15, 6, 1}, 9, 1},
    [MIB_T_INETCIDR] = {"inetCidrRouteTable", MIB_M_IPFWD, {MIB2, 4, 24, 7, 1}, 10, 1},
    [MIB_T_IPCIDR] = {"ipCidrRouteTable", MIB_M_IPFWD, {MIB2, 4, 24, 4, 1}, 10, 1},
    [MIB_T_NAT_MAP] = {"natAddrMapTable", MIB_M_NAT, {MIB2, 123, 1, 4, 1}, 10, 1},
    [MIB_T_CBGP_LOCALAS] = {"cbgpLocalAs", MIB_M_CBGP, {ENT, 9, 9, 187, 1, 3, 2}, 12, 0},
    [MIB_T_CBGP_PEER2] = {"cbgpPeer2Table", MIB_M_CBGP, {ENT, 9, 9, 187, 1, 2, 5, 1}, 13, 1},
    [MIB_T_CBGP_PFX2] = {"cbgpPeer2AddrFamilyPrefixTable", MIB_M_CBGP, {ENT, 9, 9, 187, 1, 2, 8, 1}, 13, 1},
    [MIB_T_JNX_PEER] = {"jnxBgpM2PeerTable", MIB_M_JNXBGP, {ENT, 2636, 5, 1, 1, 2, 1, 1, 1}, 14, 1},
    [MIB_T_JNX_PFX] = {"jnxBgpM2PrefixCountersTable", MIB_M_JNXBGP, {ENT, 2636, 5, 1, 1, 2, 6, 2, 1}, 14, 1},
    [MIB_T_V2A_PEER] = {"aristaBgp4V2PeerTable", MIB_M_BGP4V2, {ENT, 30065, 4, 1, 1, 2, 1}, 12, 1},
    [MIB_T_V2A_PFX] = {"aristaBgp4V2PrefixGaugesTable", MIB_M_BGP4V2, {ENT, 30065, 4, 1, 1, 8, 1}, 12, 1},
    [MIB_T_V2C_PEER] = {"bgp4V2PeerTable", MIB_M_BGP4V2, {ENT, 7336, 4, 2, 1, 1, 2, 1}, 13, 1},
    [MIB_T_V2C_PFX] = {"bgp4V2PrefixGaugesTable", MIB_M_BGP4V2, {ENT, 7336, 4, 2, 1, 1, 8, 1}, 13, 1},
};

static const struct mib_module *const mib_modules[MIB_M_COUNT] = {
    [MIB_M_SYS] = &mib_sys_module,
    [MIB_M_IF] = &mib_if_module,
    [MIB_M_IP] = &mib_ip_module,
    [MIB_M_BGP] = &mib_bgp_module,
    [MIB_M_CBGP] = &mib_cbgp_module,
    [MIB_M_JNXBGP] = &mib_jnxbgp_module,
    [MIB_M_BGP4V2] = &mib_bgp4v2_module,
    [MIB_M_PEERS] = &mib_peers_module,
    [MIB_M_IPFWD] = &mib_ipforward_module,
    [MIB_M_NAT] = &mib_nat_module,
};

struct mib_state {
    struct map_ctx *mc;
    void *ms[MIB_M_COUNT];
    unsigned seen;                 /* bit per module that had a row */
    mib_keep_fn keep;
    void *keep_arg;
    uint64_t routes_read, routes_kept;
    int sample2;
    uint64_t uptime[2];
    int have_uptime[2];
    int last_table;                /* where the varbind before lay, tried first */
    struct mib_peerset peersets[MIB_BGP_NSRC];
    size_t n_notes;                /* elements skipped (the first MIB_NOTES_MAX named) */
};

/* Skipped elements named one by one in the reason; past this many, only counted. */
#define MIB_NOTES_MAX 8

static const uint32_t mib2_prefix[] = {MIB2}, ent_prefix[] = {ENT};

/* 1 when @p oid lies under table @p t. */
static int
mib_under(int t, const uint32_t *oid, size_t len)
{
    const struct mib_tabledef *d = &mib_tables[t];

    return len > d->len && !memcmp(oid, d->oid, d->len * sizeof *oid);
}

/* The known table @p oid lies under, or -1. */
static int
mib_table_of(const uint32_t *oid, size_t len)
{
    int t;

    if (len < 8 || (memcmp(oid, mib2_prefix, sizeof mib2_prefix) && memcmp(oid, ent_prefix, sizeof ent_prefix)))
        return -1;
    for (t = 0; t < MIB_T_COUNT; t++) {
        const struct mib_tabledef *d = &mib_tables[t];

        if (len > d->len && oid[6] == d->oid[6] && !memcmp(oid + 4, d->oid + 4, (d->len - 4) * sizeof *oid))
            return t;
    }
    return -1;
}

size_t
mib_root_len(const uint32_t *oid, size_t len)
{
    int t = mib_table_of(oid, len);

    if (t >= 0)
        return mib_tables[t].len;
    return len < 9 ? len : 9;
}

struct mib_state *
mib_state_new(struct map_ctx *mc)
{
    struct mib_state *st = calloc(1, sizeof *st);
    int i;

    if (!st)
        return NULL;
    st->mc = mc;
    for (i = 0; i < MIB_M_COUNT; i++) {
        st->ms[i] = mib_modules[i]->create();
        if (!st->ms[i]) {
            mib_state_free(st);
            return NULL;
        }
    }
    return st;
}

void
mib_state_free(struct mib_state *st)
{
    int i;

    if (!st)
        return;
    for (i = 0; i < MIB_M_COUNT; i++)
        if (st->ms[i])
            mib_modules[i]->destroy(st->ms[i]);
    for (i = 0; i < MIB_BGP_NSRC; i++)
        mib_peerset_clear(&st->peersets[i]);
    free(st);
}

void
mib_set_route_filter(struct mib_state *st, mib_keep_fn keep, void *arg)
{
    st->keep = keep;
    st->keep_arg = arg;
}

void
mib_begin_second_sample(struct mib_state *st)
{
    st->sample2 = 1;
}

er_code
mib_feed(struct mib_state *st, const struct snmp_vb *vb)
{
    const struct mib_tabledef *d;
    int t;
    er_code rc;

    if (vb->type >= SNMP_VT_NOSUCHOBJECT)
        return ER_OK;
    /*
     * A walk stays in one table for many varbinds. No table's root is a
     * prefix of another's, so the one before is the only match if it is one.
     */
    if (mib_under(st->last_table, vb->oid, vb->oid_len))
        t = st->last_table;
    else if ((t = mib_table_of(vb->oid, vb->oid_len)) < 0)
        return ER_OK;
    st->last_table = t;
    d = &mib_tables[t];
    /* The second sample only refreshes interface counters and the clock. */
    if (st->sample2 && d->mod != MIB_M_IF && d->mod != MIB_M_SYS)
        return ER_OK;
    if (d->columns) {
        if (vb->oid_len < d->len + 2)
            return mib_bad(st, vb, "no index after column of %s", d->name);
        rc = mib_modules[d->mod]->row(st, st->ms[d->mod], t, vb->oid[d->len], vb->oid + d->len + 1,
                vb->oid_len - d->len - 1, vb);
    } else {
        rc = mib_modules[d->mod]->row(st, st->ms[d->mod], t, 0, vb->oid + d->len, vb->oid_len - d->len, vb);
    }
    if (rc == ER_OK)
        st->seen |= 1u << d->mod;
    return rc;
}

er_code
mib_feed_cb(void *arg, const struct snmp_vb *vb, struct er_err *err)
{
    struct mib_state *st = arg;
    er_code rc = mib_feed(st, vb);

    /* mib_feed() fills the map_ctx error; hand it to the parser's too. */
    if (rc && err && err != st->mc->err)
        er_set(err, rc, "%s", st->mc->err ? st->mc->err->msg : "decoding failed");
    return rc;
}

er_code
mib_finish(struct mib_state *st)
{
    struct er_err *err = st->mc->err;
    struct lyd_node *rib;
    er_code rc = ER_OK;
    int i;

    for (i = 0; i < MIB_M_COUNT; i++) {
        ER_TRY(rc, mib_modules[i]->finish(st, st->ms[i]), cleanup);
        if ((st->seen & (1u << i)) && mib_modules[i]->name)
            ER_TRY(rc, model_leaflist(st->mc->dev, "source-model", mib_modules[i]->name, err), cleanup);
    }
    if (st->n_notes > MIB_NOTES_MAX) {
        size_t have = st->mc->skipped ? strlen(st->mc->skipped) : 0;
        char *n = realloc(st->mc->skipped, have + 64);

        if (n) {
            snprintf(n + have, 64, "%s%zu more skipped", have ? "; and " : "", st->n_notes - MIB_NOTES_MAX);
            st->mc->skipped = n;
        }
    }
    if (st->routes_read) {
        ER_TRY(rc, model_cont(st->mc->dev, "rib", &rib, err), cleanup);
        ER_TRY(rc, model_leaf_u64(rib, "routes-read", st->routes_read, err), cleanup);
    }
cleanup:
    return rc;
}

void
mib_route_counts(const struct mib_state *st, uint64_t *read, uint64_t *kept)
{
    if (read)
        *read = st->routes_read;
    if (kept)
        *kept = st->routes_kept;
}

int
mib_seen(const struct mib_state *st, const char *mib_name)
{
    int i;

    for (i = 0; i < MIB_M_COUNT; i++)
        if (mib_modules[i]->name && !strcmp(mib_modules[i]->name, mib_name))
            return !!(st->seen & (1u << i));
    return 0;
}

/* ---- shared by the decoders ---- */

struct map_ctx *
mib_ctx(struct mib_state *st)
{
    return st->mc;
}

void *
mib_module_state(struct mib_state *st, enum mib_mod mod)
{
    return st->ms[mod];
}

struct mib_peerset *
mib_peerset(struct mib_state *st, enum mib_bgp_src src)
{
    return &st->peersets[src];
}

struct er_err *
mib_err(struct mib_state *st)
{
    return st->mc->err;
}

int
mib_second_sample(const struct mib_state *st)
{
    return st->sample2;
}

void
mib_set_uptime(struct mib_state *st, uint64_t ticks)
{
    st->uptime[st->sample2] = ticks;
    st->have_uptime[st->sample2] = 1;
}

uint64_t
mib_sample_ticks(const struct mib_state *st)
{
    if (!st->have_uptime[0] || !st->have_uptime[1] || st->uptime[1] <= st->uptime[0])
        return 0;
    return st->uptime[1] - st->uptime[0];
}

int
mib_route_keep(struct mib_state *st, const struct pfx *p)
{
    if (st->keep && !st->keep(p, st->keep_arg))
        return 0;
    st->routes_read++;
    st->routes_kept++;
    return 1;
}

int
mib_route_read(struct mib_state *st, const struct pfx *p)
{
    st->routes_read++;
    if (st->keep && !st->keep(p, st->keep_arg))
        return 0;
    st->routes_kept++;
    return 1;
}

er_code
mib_bad(struct mib_state *st, const struct snmp_vb *vb, const char *fmt, ...)
{
    char oid[200], what[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    walkfile_format_oid(vb->oid, vb->oid_len, oid, sizeof oid);
    if (vb->line > 0)
        return er_set(st->mc->err, ER_EINVAL, "%s:%d: OID %s: %s", st->mc->file ? st->mc->file : "walk",
                vb->line, oid, what);
    return er_set(st->mc->err, ER_EINVAL, "OID %s: %s", oid, what);
}

void
mib_note(struct mib_state *st, const struct snmp_vb *vb, const char *fmt, ...)
{
    char oid[200], what[400], line[700];
    size_t have, add;
    va_list ap;
    char *n;

    if (st->n_notes++ >= MIB_NOTES_MAX)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    walkfile_format_oid(vb->oid, vb->oid_len, oid, sizeof oid);
    if (vb->line > 0)
        snprintf(line, sizeof line, "%s:%d: OID %s: %s", st->mc->file ? st->mc->file : "walk", vb->line, oid, what);
    else
        snprintf(line, sizeof line, "OID %s: %s", oid, what);
    have = st->mc->skipped ? strlen(st->mc->skipped) : 0;
    add = strlen(line);
    if (!(n = realloc(st->mc->skipped, have + add + 3)))
        return; /* the count below still says something was skipped */
    snprintf(n + have, add + 3, "%s%s", have ? "; " : "", line);
    st->mc->skipped = n;
}

er_code
mib_vb_num(struct mib_state *st, const struct snmp_vb *vb, uint64_t *out)
{
    switch (vb->type) {
    case SNMP_VT_INTEGER:
    case SNMP_VT_GAUGE32:
    case SNMP_VT_COUNTER32:
    case SNMP_VT_COUNTER64:
    case SNMP_VT_TIMETICKS:
        *out = vb->num;
        return ER_OK;
    default:
        return mib_bad(st, vb, "expected a number");
    }
}

er_code
mib_vb_int(struct mib_state *st, const struct snmp_vb *vb, int64_t *out)
{
    if (vb->type != SNMP_VT_INTEGER && vb->type != SNMP_VT_GAUGE32)
        return mib_bad(st, vb, "expected an INTEGER");
    *out = vb->type == SNMP_VT_INTEGER ? snmp_vb_int(vb) : (int64_t)vb->num;
    return ER_OK;
}

/* Length of the valid UTF-8 sequence at @p s (up to @p n bytes), 0 if invalid. */
static size_t
utf8_len(const uint8_t *s, size_t n)
{
    size_t len, i;

    if (s[0] < 0x80)
        return 1;
    len = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    if (!len || len > n)
        return 0;
    for (i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

er_code
mib_vb_text(struct mib_state *st, const struct snmp_vb *vb, char *buf, size_t size)
{
    size_t i = 0, n = 0, k;

    if (vb->type != SNMP_VT_OCTETS)
        return mib_bad(st, vb, "expected a STRING");
    /* The model holds UTF-8 text: control bytes and invalid sequences become '?'. */
    while (i < vb->n_bytes && vb->bytes[i]) {
        k = utf8_len(vb->bytes + i, vb->n_bytes - i);
        if (n + (k ? k : 1) + 1 > size)
            break;
        if (!k || (k == 1 && (vb->bytes[i] < 0x20 || vb->bytes[i] == 0x7f))) {
            buf[n++] = vb->bytes[i] == '\t' ? ' ' : '?';
            i++;
            continue;
        }
        memcpy(buf + n, vb->bytes + i, k);
        n += k;
        i += k;
    }
    buf[n] = '\0';
    return ER_OK;
}

er_code
mib_vb_addr(struct mib_state *st, const struct snmp_vb *vb, uint8_t *family, uint8_t addr[16])
{
    if ((vb->type != SNMP_VT_IPADDRESS && vb->type != SNMP_VT_OCTETS) || (vb->n_bytes != 4 && vb->n_bytes != 16))
        return mib_bad(st, vb, "expected an IPv4 or IPv6 address");
    memset(addr, 0, 16);
    memcpy(addr, vb->bytes, vb->n_bytes);
    *family = vb->n_bytes == 4 ? 4 : 6;
    return ER_OK;
}

int
mib_idx_u32(const uint32_t **idx, size_t *n, uint32_t *out)
{
    if (!*n)
        return -1;
    *out = **idx;
    (*idx)++;
    (*n)--;
    return 0;
}

/* Take @p len sub-identifiers that must be octets. */
static int
mib_idx_octets(const uint32_t **idx, size_t *n, uint8_t *out, size_t len)
{
    const uint32_t *p = *idx; /* not reloaded after each store: @p out may alias anything */
    size_t i;

    if (*n < len)
        return -1;
    for (i = 0; i < len; i++) {
        if (p[i] > 255)
            return -1;
        out[i] = (uint8_t)p[i];
    }
    *idx += len;
    *n -= len;
    return 0;
}

int
mib_idx_ipv4(const uint32_t **idx, size_t *n, uint8_t addr[4])
{
    return mib_idx_octets(idx, n, addr, 4);
}

int
mib_idx_inet(const uint32_t **idx, size_t *n, uint8_t *family, uint8_t addr[16])
{
    uint32_t type, len;
    uint8_t skip[255];

    if (mib_idx_u32(idx, n, &type) || mib_idx_u32(idx, n, &len) || len > 255 || len > *n)
        return -1;
    memset(addr, 0, 16);
    if ((type == 1 && len == 4) || (type == 2 && len == 16)) {
        *family = type == 1 ? 4 : 6;
        return mib_idx_octets(idx, n, addr, len);
    }
    if ((type == 3 && len == 8) || (type == 4 && len == 20) || (type == 0 && len == 0))
        return mib_idx_octets(idx, n, skip, len) ? -1 : -2;
    return -1;
}

const char *
mib_addr_str(uint8_t family, const uint8_t *addr, char *buf)
{
    if (!inet_ntop(family == 4 ? AF_INET : AF_INET6, addr, buf, INET6_ADDRSTRLEN))
        snprintf(buf, INET6_ADDRSTRLEN, "?");
    return buf;
}

int
mib_addr_zero(uint8_t family, const uint8_t *addr)
{
    size_t i, n = family == 4 ? 4 : 16;

    for (i = 0; i < n; i++)
        if (addr[i])
            return 0;
    return 1;
}

/* ---- SNMPv2-MIB: only sysUpTime.0, the clock of the counter samples ---- */

static void *
sys_create(void)
{
    static int dummy;

    return &dummy;
}

static void
sys_destroy(void *ms)
{
    (void)ms;
}

static er_code
sys_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    if (n_idx != 1 || idx[0] != 0)
        return mib_bad(st, vb, "sysUpTime is a scalar (.0)");
    if (vb->type != SNMP_VT_TIMETICKS)
        return mib_bad(st, vb, "expected Timeticks");
    mib_set_uptime(st, vb->num);
    return ER_OK;
}

static er_code
sys_finish(struct mib_state *st, void *ms)
{
    return ER_OK;
}

const struct mib_module mib_sys_module = {NULL, sys_create, sys_destroy, sys_row, sys_finish};

er_code
mib_rib_path(struct mib_state *st, const struct pfx *p, const char *source, struct lyd_node **path)
{
    struct er_err *err = st->mc->err;
    struct lyd_node *rib, *route;
    char text[PFX_STRLEN];
    er_code rc;

    ER_TRY(rc, model_cont(st->mc->dev, "rib", &rib, err), cleanup);
    ER_TRY(rc, model_list(rib, "route", pfx_format(p, text), &route, err), cleanup);
    ER_TRY(rc, model_list(route, "path", source, path, err), cleanup);
    ER_TRY(rc, model_leaf(*path, "state-source", "state", err), cleanup);
cleanup:
    return rc;
}
