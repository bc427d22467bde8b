/**
 * @file mib_bgp4v2.c
 * @brief The BGP4V2 MIB draft (draft-ietf-idr-bgp4-mibv2): bgp4V2PeerTable
 * and bgp4V2PrefixGaugesTable into the BGP4V2 peer set (mib_peer.c).
 *
 * The draft has no OID of its own (mib-2 XXX); agents publish it under their
 * vendor's arc with the draft's layout: Arista as ARISTA-BGP4V2-MIB
 * (1.3.6.1.4.1.30065.4.1.1), FRR's bgpd under Cumulus'
 * (1.3.6.1.4.1.7336.4.2.1.1). Under that root, .2.1 is bgp4V2PeerEntry
 * (index: instance, remote address type, remote address) and .8.1
 * bgp4V2PrefixGaugesEntry (the same, then AFI and SAFI). The address carries
 * the SMI's length octet on Arista; FRR leaves it out. Both are read (the
 * lengths never coincide).
 */
#include "mib_int.h"

#include <string.h>

/* bgp4V2PeerEntry columns */
enum { V_LOCALADDR = 3, V_LOCALAS = 7, V_REMOTEAS = 10, V_ADMIN = 12, V_STATE = 13, V_DESCR = 14 };
/* bgp4V2PrefixGaugesEntry columns */
enum { V_ACCEPTED = 4, V_OUT = 5 };

static void *
v2_create(void)
{
    static int none;

    return &none; /* rows live in the state's BGP4V2 peer set */
}

static void
v2_destroy(void *ms)
{
    (void)ms;
}

/* instance . type . [length] address [. afi . safi] */
static int
v2_index(const uint32_t *idx, size_t n, int gauges, uint8_t *family, uint8_t addr[16], uint32_t *afi,
        uint32_t *safi)
{
    int raw;

    for (raw = 0; raw < 2; raw++) {
        const uint32_t *p = idx;
        size_t k = n;
        uint32_t inst;

        if (mib_idx_u32(&p, &k, &inst) || mib_idx_inet_any(&p, &k, raw, family, addr))
            continue;
        if (gauges && (mib_idx_u32(&p, &k, afi) || mib_idx_u32(&p, &k, safi)))
            continue;
        if (!k)
            return 0;
    }
    return -1;
}

static er_code
v2_peer_col(struct mib_state *st, struct mib_peer *r, uint32_t col, const struct snmp_vb *vb)
{
    switch (col) {
    case V_LOCALADDR:
        if (vb->type == SNMP_VT_OCTETS && vb->n_bytes == 0)
            return ER_OK;
        return mib_vb_addr(st, vb, &r->local_family, r->local);
    case V_LOCALAS:
        r->have_local_as = 1;
        return mib_vb_num(st, vb, &r->local_as);
    case V_REMOTEAS:
        r->have_as = 1;
        return mib_vb_num(st, vb, &r->remote_as);
    case V_ADMIN:
        return mib_vb_int(st, vb, &r->admin); /* halted(1), running(2) */
    case V_STATE:
        return mib_vb_int(st, vb, &r->state);
    case V_DESCR:
        r->have_descr = 1;
        return mib_vb_text(st, vb, r->descr, sizeof r->descr);
    }
    return ER_OK;
}

static er_code
v2_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    int gauges = t == MIB_T_V2A_PFX || t == MIB_T_V2C_PFX;
    uint32_t afi = 0, safi = 0;
    uint8_t family, addr[16];
    struct mib_peer *r;
    uint64_t v;

    if (v2_index(idx, n_idx, gauges, &family, addr, &afi, &safi)) {
        mib_note(st, vb, "bad index of %s (expected instance.type.address%s, ipv4 or ipv6): row skipped",
                mib_tables[t].name, gauges ? ".afi.safi" : "");
        return ER_OK;
    }
    if (!(r = mib_peer_get(mib_peerset(st, MIB_BGP_V2), family, addr, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    if (!gauges)
        return v2_peer_col(st, r, col, vb);
    if (col != V_ACCEPTED && col != V_OUT)
        return ER_OK;
    if (mib_vb_num(st, vb, &v))
        return ER_EINVAL;
    mib_peer_count(r, afi, safi, col == V_OUT, v);
    return ER_OK;
}

static er_code
v2_finish(struct mib_state *st, void *ms)
{
    return ER_OK; /* mib_peers_module writes the richest source */
}

const struct mib_module mib_bgp4v2_module = {"bgp4v2-mib", v2_create, v2_destroy, v2_row, v2_finish};
