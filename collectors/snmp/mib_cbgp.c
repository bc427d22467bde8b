/**
 * @file mib_cbgp.c
 * @brief CISCO-BGP4-MIB (1.3.6.1.4.1.9.9.187): cbgpLocalAs, cbgpPeer2Table
 * (IPv4 and IPv6 peers, 4-byte AS numbers) and
 * cbgpPeer2AddrFamilyPrefixTable (accepted and advertised prefixes per
 * address family) into the Cisco peer set (mib_peer.c).
 *
 * Both tables are indexed by cbgpPeer2Type (InetAddressType) and
 * cbgpPeer2RemoteAddr (InetAddress, a length octet then the address); the
 * prefix table adds cbgpPeer2AddrFamilyAfi and cbgpPeer2AddrFamilySafi.
 * A row whose index cannot be read is skipped and named (mib_note()).
 */
#include "mib_int.h"

#include <string.h>

/* cbgpPeer2Entry columns */
enum {
    P2_STATE = 3, P2_ADMIN = 4, P2_LOCALADDR = 6, P2_LOCALAS = 8, P2_REMOTEAS = 11, P2_HOLD = 21, P2_KEEPALIVE = 22,
    P2_HOLD_CFG = 23, P2_KEEPALIVE_CFG = 24,
};
/* cbgpPeer2AddrFamilyPrefixEntry columns */
enum { PFX_ACCEPTED = 1, PFX_ADVERTISED = 6 };

static void *
cbgp_create(void)
{
    static int none;

    return &none; /* rows live in the state's Cisco peer set */
}

static void
cbgp_destroy(void *ms)
{
    (void)ms;
}

static er_code
cbgp_peer_col(struct mib_state *st, struct mib_peer *r, uint32_t col, const struct snmp_vb *vb)
{
    uint64_t u;

    switch (col) {
    case P2_STATE:
        return mib_vb_int(st, vb, &r->state);
    case P2_ADMIN:
        return mib_vb_int(st, vb, &r->admin);
    case P2_LOCALADDR:
        if (vb->type == SNMP_VT_OCTETS && vb->n_bytes == 0)
            return ER_OK; /* not connected: no local address */
        return mib_vb_addr(st, vb, &r->local_family, r->local);
    case P2_LOCALAS:
        r->have_local_as = 1;
        return mib_vb_num(st, vb, &r->local_as);
    case P2_REMOTEAS:
        r->have_as = 1;
        return mib_vb_num(st, vb, &r->remote_as);
    case P2_HOLD:
    case P2_KEEPALIVE:
    case P2_HOLD_CFG:
    case P2_KEEPALIVE_CFG:
        if (mib_vb_num_max(st, vb, 65535, &u))
            return ER_EINVAL;
        *(col == P2_HOLD ? &r->hold : col == P2_KEEPALIVE ? &r->keepalive
                : col == P2_HOLD_CFG ? &r->hold_cfg : &r->keepalive_cfg) = u;
        return ER_OK;
    }
    return ER_OK;
}

static er_code
cbgp_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    struct mib_peerset *set = mib_peerset(st, MIB_BGP_CISCO);
    const uint32_t *p = idx;
    size_t n = n_idx;
    uint32_t afi = 0, safi = 0;
    uint8_t family, addr[16];
    struct mib_peer *r;
    uint64_t v;
    int rc;

    if (t == MIB_T_CBGP_LOCALAS) {
        if (n_idx != 1 || idx[0] != 0)
            return mib_bad(st, vb, "cbgpLocalAs is a scalar (.0)");
        set->have_local_as = 1;
        return mib_vb_num(st, vb, &set->local_as);
    }
    rc = mib_idx_inet(&p, &n, &family, addr);
    if (rc == -2)
        return ER_OK; /* a zoned (link-local) peer: no address the model holds */
    if (!rc && t == MIB_T_CBGP_PFX2 && (mib_idx_u32(&p, &n, &afi) || mib_idx_u32(&p, &n, &safi)))
        rc = -1;
    if (rc || n) {
        mib_note(st, vb, "bad index of %s (expected cbgpPeer2Type.length.address%s): row skipped",
                mib_tables[t].name, t == MIB_T_CBGP_PFX2 ? ".afi.safi" : "");
        return ER_OK;
    }
    if (!(r = mib_peer_get(set, family, addr, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    if (t == MIB_T_CBGP_PEER2)
        return cbgp_peer_col(st, r, col, vb);
    if (col != PFX_ACCEPTED && col != PFX_ADVERTISED)
        return ER_OK;
    if (mib_vb_num(st, vb, &v))
        return ER_EINVAL;
    mib_peer_count(r, afi, safi, col == PFX_ADVERTISED, v);
    return ER_OK;
}

static er_code
cbgp_finish(struct mib_state *st, void *ms)
{
    return ER_OK; /* mib_peers_module writes the richest source */
}

const struct mib_module mib_cbgp_module = {"cisco-bgp4-mib", cbgp_create, cbgp_destroy, cbgp_row, cbgp_finish};
