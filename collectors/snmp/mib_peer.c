/**
 * @file mib_peer.c
 * @brief BGP peers gathered from every MIB that lists them (BGP4-MIB,
 * CISCO-BGP4-MIB, BGP4-V2-MIB-JUNIPER, the BGP4V2 draft), and the module
 * that writes bgp/neighbor[address] from the richest of them.
 *
 * Real routers often publish BGP only in a vendor MIB, or publish BGP4-MIB
 * beside it with IPv4 peers and 2-byte AS numbers only. The source listing
 * the most peers is taken (ties go to the vendor MIBs: 4-byte AS numbers,
 * IPv6 peers, prefix counters); a field it lacks for a peer (the AS behind
 * AS_TRANS, a prefix counter) is taken from another source that has the same
 * peer. AS_TRANS (23456) is never written as an AS: without a 4-byte value
 * the neighbor gets peer-as-unknown with the reason, and rules say N/E.
 */
#include "mib_int.h"

#include <stdio.h>
#include <string.h>

/* RFC 6793: what a 2-byte AS field shows for a 4-byte AS. */
#define BGP_AS_TRANS 23456

/* Source-model names, as the decoders record them (mib_module.name). */
static const char *const src_name[MIB_BGP_NSRC] = {
    [MIB_BGP_JNX] = "bgp4-v2-mib-juniper",
    [MIB_BGP_CISCO] = "cisco-bgp4-mib",
    [MIB_BGP_V2] = "bgp4v2-mib",
    [MIB_BGP_4MIB] = "bgp4-mib",
};

/* The remote-AS column of each source, for messages. */
static const char *const src_as_column[MIB_BGP_NSRC] = {
    [MIB_BGP_JNX] = "jnxBgpM2PeerRemoteAs (.1.3.6.1.4.1.2636.5.1.1.2.1.1.1.13)",
    [MIB_BGP_CISCO] = "cbgpPeer2RemoteAs (.1.3.6.1.4.1.9.9.187.1.2.5.1.11)",
    [MIB_BGP_V2] = "bgp4V2PeerRemoteAs (column 10 of bgp4V2PeerEntry)",
    [MIB_BGP_4MIB] = "bgpPeerRemoteAs (.1.3.6.1.2.1.15.3.1.9)",
};

/* Key of a peer: family then the 16 address octets. */
static size_t
peer_key(uint8_t family, const uint8_t *addr, uint32_t key[17])
{
    size_t i, n = family == 4 ? 4 : 16;

    key[0] = family;
    for (i = 0; i < n; i++)
        key[1 + i] = addr[i];
    return 1 + n;
}

struct mib_peer *
mib_peer_get(struct mib_peerset *set, uint8_t family, const uint8_t *addr, int create)
{
    uint32_t key[17];
    size_t klen = peer_key(family, addr, key);
    struct mib_peer *p = mib_rows_get(&set->peers, key, klen, sizeof *p, create);

    if (p && !p->family) {
        p->family = family;
        memcpy(p->addr, addr, family == 4 ? 4 : 16);
    }
    return p;
}

void
mib_peerset_clear(struct mib_peerset *set)
{
    mib_rows_clear(&set->peers);
    memset(set, 0, sizeof *set);
}

int
mib_idx_inet_any(const uint32_t **idx, size_t *n, int raw, uint8_t *family, uint8_t addr[16])
{
    const uint32_t *p = *idx;
    size_t left = *n, len, i;
    uint32_t type;

    if (!raw) {
        if (mib_idx_inet(idx, n, family, addr))
            return -1;
        return 0;
    }
    if (mib_idx_u32(&p, &left, &type) || (type != 1 && type != 2))
        return -1;
    len = type == 1 ? 4 : 16;
    if (left < len)
        return -1;
    memset(addr, 0, 16);
    for (i = 0; i < len; i++) {
        if (p[i] > 255)
            return -1;
        addr[i] = (uint8_t)p[i];
    }
    *family = type == 1 ? 4 : 6;
    *idx = p + len;
    *n = left - len;
    return 0;
}

void
mib_peer_count(struct mib_peer *p, uint32_t afi, uint32_t safi, int advertised, uint64_t v)
{
    /* Microsoft peering is unicast; VPN, multicast and the rest are other tables' business. */
    if ((afi != 1 && afi != 2) || safi != 1)
        return;
    if (advertised) {
        p->advertised += v;
        p->have_adv = 1;
    } else {
        p->accepted += v;
        p->have_acc = 1;
    }
}

er_code
mib_vb_num_max(struct mib_state *st, const struct snmp_vb *vb, uint64_t max, uint64_t *out)
{
    if (mib_vb_num(st, vb, out))
        return ER_EINVAL;
    if (vb->type == SNMP_VT_INTEGER && snmp_vb_int(vb) < 0)
        *out = 0;
    if (*out > max)
        *out = max;
    return ER_OK;
}

/* ---- choosing and writing ---- */

/* The source with the most peers; on a tie the first in enum order. -1 when none has any. */
static int
choose(const uint64_t n[MIB_BGP_NSRC])
{
    int best = -1, s;

    for (s = 0; s < MIB_BGP_NSRC; s++)
        if (n[s] && (best < 0 || n[s] > n[best]))
            best = s;
    return best;
}

const char *
mib_bgp_richest(const uint64_t peers[MIB_BGP_NSRC])
{
    int s = choose(peers);

    return s < 0 ? NULL : src_name[s];
}

static int
peers_choose(struct mib_state *st)
{
    uint64_t n[MIB_BGP_NSRC];
    int s;

    for (s = 0; s < MIB_BGP_NSRC; s++)
        n[s] = mib_peerset(st, s)->peers.n;
    return choose(n);
}

/* The same peer in the other sources, in preference order (chosen first); NULL where absent. */
static void
peers_alts(struct mib_state *st, int chosen, const struct mib_peer *p, const struct mib_peer *alt[MIB_BGP_NSRC],
        int order[MIB_BGP_NSRC])
{
    int s, k = 0;

    order[k++] = chosen;
    for (s = 0; s < MIB_BGP_NSRC; s++)
        if (s != chosen)
            order[k++] = s;
    for (k = 0; k < MIB_BGP_NSRC; k++)
        alt[k] = k == 0 ? p : mib_peer_get(mib_peerset(st, order[k]), p->family, p->addr, 0);
}

static er_code
peers_write_as(struct mib_state *st, struct lyd_node *nb, const struct mib_peer *alt[], const int order[])
{
    struct er_err *err = mib_err(st);
    char why[320];
    int k;

    for (k = 0; k < MIB_BGP_NSRC; k++)
        if (alt[k] && alt[k]->have_as && alt[k]->remote_as && alt[k]->remote_as != BGP_AS_TRANS)
            return model_leaf_u64(nb, "peer-as", alt[k]->remote_as, err);
    for (k = 0; k < MIB_BGP_NSRC; k++) {
        if (!alt[k] || !alt[k]->have_as)
            continue;
        if (alt[k]->remote_as == BGP_AS_TRANS)
            snprintf(why, sizeof why, "%s %s shows AS_TRANS 23456: the AS is a 4-byte number the MIB cannot hold, "
                    "and no other MIB of the device gives it", src_name[order[k]], src_as_column[order[k]]);
        else
            snprintf(why, sizeof why, "%s %s shows peer AS 0 (not known to the agent)", src_name[order[k]],
                    src_as_column[order[k]]);
        return model_leaf(nb, "peer-as-unknown", why, err);
    }
    return ER_OK;
}

static er_code
peers_write_one(struct mib_state *st, int chosen, struct lyd_node *bgp, const struct mib_peer *p)
{
    static const char *states[] = {"idle", "connect", "active", "opensent", "openconfirm", "established"};
    struct er_err *err = mib_err(st);
    const struct mib_peer *alt[MIB_BGP_NSRC];
    int order[MIB_BGP_NSRC], k;
    struct lyd_node *nb;
    char ip[INET6_ADDRSTRLEN];
    uint64_t hold, ka;
    er_code rc;

    peers_alts(st, chosen, p, alt, order);
    ER_TRY(rc, model_list(bgp, "neighbor", mib_addr_str(p->family, p->addr, ip), &nb, err), cleanup);
    ER_TRY(rc, peers_write_as(st, nb, alt, order), cleanup);
    if (p->admin == 1 || p->admin == 2)
        ER_TRY(rc, model_leaf(nb, "enabled", p->admin == 2 ? "true" : "false", err), cleanup);
    if (p->state >= 1 && p->state <= 6) {
        ER_TRY(rc, model_leaf(nb, "state", states[p->state - 1], err), cleanup);
        ER_TRY(rc, model_leaf(nb, "state-source", "state", err), cleanup);
    }
    if (p->local_family && !mib_addr_zero(p->local_family, p->local))
        ER_TRY(rc, model_leaf(nb, "local-address", mib_addr_str(p->local_family, p->local, ip), err), cleanup);
    if (p->have_descr && p->descr[0] && !model_child(nb, "description"))
        ER_TRY(rc, model_leaf(nb, "description", p->descr, err), cleanup);
    /* Negotiated timers once established, configured ones otherwise. */
    hold = p->state == 6 && p->hold ? p->hold : p->hold_cfg;
    ka = p->state == 6 && p->keepalive ? p->keepalive : p->keepalive_cfg;
    if (hold)
        ER_TRY(rc, model_leaf_u64(nb, "hold-time", hold, err), cleanup);
    if (ka)
        ER_TRY(rc, model_leaf_u64(nb, "keepalive", ka, err), cleanup);
    for (k = 0; k < MIB_BGP_NSRC; k++) {
        if (alt[k] && alt[k]->have_acc) {
            ER_TRY(rc, model_leaf_u64(nb, "prefixes-received", alt[k]->accepted > UINT32_MAX ? UINT32_MAX
                    : alt[k]->accepted, err), cleanup);
            break;
        }
    }
    /* What NETCONF said the router advertises (mapped first) stays. */
    for (k = 0; k < MIB_BGP_NSRC && !model_child(nb, "prefixes-advertised"); k++) {
        if (alt[k] && alt[k]->have_adv) {
            ER_TRY(rc, model_leaf_u64(nb, "prefixes-advertised", alt[k]->advertised > UINT32_MAX ? UINT32_MAX
                    : alt[k]->advertised, err), cleanup);
            break;
        }
    }
cleanup:
    return rc;
}

/* The device's local AS: the first source (chosen first) that gives a real one, from its scalar or a peer row. */
static er_code
peers_write_local_as(struct mib_state *st, int chosen, struct lyd_node *bgp)
{
    struct er_err *err = mib_err(st);
    int s, k, trans = 0;
    size_t i;

    if (model_child(bgp, "local-as"))
        return ER_OK; /* a 4-byte AS read over NETCONF (mapped first) is kept */
    for (k = -1; k < MIB_BGP_NSRC; k++) {
        const struct mib_peerset *set;

        s = k < 0 ? chosen : k;
        if (s < 0 || (k >= 0 && s == chosen))
            continue;
        set = mib_peerset(st, s);
        if (set->have_local_as && set->local_as && set->local_as != BGP_AS_TRANS)
            return model_leaf_u64(bgp, "local-as", set->local_as, err);
        trans |= set->have_local_as && set->local_as == BGP_AS_TRANS;
        for (i = 0; i < set->peers.n; i++) {
            const struct mib_peer *p = set->peers.rows[i];

            if (p->have_local_as && p->local_as && p->local_as != BGP_AS_TRANS)
                return model_leaf_u64(bgp, "local-as", p->local_as, err);
            trans |= p->have_local_as && p->local_as == BGP_AS_TRANS;
        }
    }
    if (trans && !model_child(bgp, "local-as-unknown"))
        return model_leaf(bgp, "local-as-unknown",
                "BGP4-MIB shows AS_TRANS 23456: the AS is a 4-byte number the MIB cannot hold", err);
    return ER_OK;
}

static void *
peers_create(void)
{
    static int none;

    return &none;
}

static void
peers_destroy(void *ms)
{
    (void)ms;
}

static er_code
peers_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    return ER_OK; /* no table of its own */
}

static er_code
peers_finish(struct mib_state *st, void *ms)
{
    struct map_ctx *mc = mib_ctx(st);
    struct lyd_node *bgp = model_child(mc->dev, "bgp");
    int chosen = peers_choose(st), s, any_as = 0;
    er_code rc = ER_OK;
    size_t i;

    for (s = 0; s < MIB_BGP_NSRC; s++)
        any_as |= mib_peerset(st, s)->have_local_as && mib_peerset(st, s)->local_as;
    /* bgpLocalAs 0 and no peers anywhere: BGP does not run. */
    if (chosen < 0 && !any_as && !bgp)
        return ER_OK;
    if (!bgp)
        ER_TRY(rc, model_cont(mc->dev, "bgp", &bgp, mc->err), cleanup);
    ER_TRY(rc, peers_write_local_as(st, chosen, bgp), cleanup);
    if (chosen < 0)
        goto cleanup;
    for (i = 0; i < mib_peerset(st, chosen)->peers.n; i++)
        ER_TRY(rc, peers_write_one(st, chosen, bgp, mib_peerset(st, chosen)->peers.rows[i]), cleanup);
cleanup:
    return rc;
}

const char *
mib_bgp_source(struct mib_state *st)
{
    int s = peers_choose(st);

    return s < 0 ? NULL : src_name[s];
}

const struct mib_module mib_peers_module = {NULL, peers_create, peers_destroy, peers_row, peers_finish};
