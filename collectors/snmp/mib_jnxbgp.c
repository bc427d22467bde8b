/**
 * @file mib_jnxbgp.c
 * @brief BGP4-V2-MIB-JUNIPER (1.3.6.1.4.1.2636.5.1.1): jnxBgpM2PeerTable
 * (IPv4 and IPv6 peers, 4-byte AS numbers) and jnxBgpM2PrefixCountersTable
 * into the Juniper peer set (mib_peer.c).
 *
 * jnxBgpM2PeerEntry is indexed by routing instance, local address type and
 * address, remote address type and address. The SMI puts a length octet
 * before each InetAddress; Junos leaves it out (.0.2.<16 octets>.2.<16
 * octets>), so both forms are read: their lengths never coincide (13, 25 or
 * 37 sub-identifiers with the octet, 11, 23 or 35 without). The prefix
 * counters are indexed by jnxBgpM2PeerIndex (a column of the peer table),
 * AFI and SAFI, and joined to their peer at the end. Peers of several
 * routing instances with the same address are one neighbor in the model.
 */
#include "mib_int.h"

#include <stdlib.h>
#include <string.h>

/* jnxBgpM2PeerEntry columns */
enum { J_STATE = 2, J_STATUS = 3, J_LOCALADDR = 7, J_LOCALAS = 9, J_REMOTEAS = 13, J_INDEX = 14 };
/* jnxBgpM2PrefixCountersEntry columns */
enum { J_ACCEPTED = 8, J_OUT = 10 };

struct jnx_state {
    struct mib_rows counts;   /* keyed by jnxBgpM2PeerIndex; only the counters of struct mib_peer are used */
};

static void *
jnx_create(void)
{
    return calloc(1, sizeof(struct jnx_state));
}

static void
jnx_destroy(void *ms)
{
    struct jnx_state *s = ms;

    if (s)
        mib_rows_clear(&s->counts);
    free(s);
}

/* routing-instance . local (type, address) . remote (type, address), with or without length octets */
static int
jnx_index(const uint32_t *idx, size_t n, uint8_t *family, uint8_t addr[16])
{
    uint8_t lf, local[16];
    int raw;

    for (raw = 0; raw < 2; raw++) {
        const uint32_t *p = idx;
        size_t k = n;
        uint32_t inst;

        if (!mib_idx_u32(&p, &k, &inst) && !mib_idx_inet_any(&p, &k, raw, &lf, local)
                && !mib_idx_inet_any(&p, &k, raw, family, addr) && !k)
            return 0;
    }
    return -1;
}

static er_code
jnx_peer_col(struct mib_state *st, struct mib_peer *r, uint32_t col, const struct snmp_vb *vb)
{
    uint64_t u;

    switch (col) {
    case J_STATE:
        return mib_vb_int(st, vb, &r->state);
    case J_STATUS:
        return mib_vb_int(st, vb, &r->admin); /* halted(1), running(2) */
    case J_LOCALADDR:
        if (vb->type == SNMP_VT_OCTETS && vb->n_bytes == 0)
            return ER_OK;
        return mib_vb_addr(st, vb, &r->local_family, r->local);
    case J_LOCALAS:
        r->have_local_as = 1;
        return mib_vb_num(st, vb, &r->local_as);
    case J_REMOTEAS:
        r->have_as = 1;
        return mib_vb_num(st, vb, &r->remote_as);
    case J_INDEX:
        if (mib_vb_num(st, vb, &u))
            return ER_EINVAL;
        r->index = (uint32_t)u;
        r->have_index = 1;
        return ER_OK;
    }
    return ER_OK;
}

static er_code
jnx_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    struct jnx_state *s = ms;
    uint8_t family, addr[16];
    struct mib_peer *r;
    uint64_t v;

    if (t == MIB_T_JNX_PEER) {
        if (jnx_index(idx, n_idx, &family, addr)) {
            mib_note(st, vb, "bad index of jnxBgpM2PeerTable (expected instance.type.local-address.type."
                    "remote-address, ipv4 or ipv6): row skipped");
            return ER_OK;
        }
        if (!(r = mib_peer_get(mib_peerset(st, MIB_BGP_JNX), family, addr, 1)))
            return er_set(mib_err(st), ER_ENOMEM, "out of memory");
        return jnx_peer_col(st, r, col, vb);
    }
    if (n_idx != 3) {
        mib_note(st, vb, "bad index of jnxBgpM2PrefixCountersTable (expected peer-index.afi.safi): row skipped");
        return ER_OK;
    }
    if (col != J_ACCEPTED && col != J_OUT)
        return ER_OK;
    if (!(r = mib_rows_get(&s->counts, idx, 1, sizeof *r, 1)))
        return er_set(mib_err(st), ER_ENOMEM, "out of memory");
    if (mib_vb_num(st, vb, &v))
        return ER_EINVAL;
    mib_peer_count(r, idx[1], idx[2], col == J_OUT, v);
    return ER_OK;
}

/* Each peer gets the counters of its jnxBgpM2PeerIndex. */
static er_code
jnx_finish(struct mib_state *st, void *ms)
{
    struct jnx_state *s = ms;
    struct mib_peerset *set = mib_peerset(st, MIB_BGP_JNX);
    size_t i;

    for (i = 0; i < set->peers.n; i++) {
        struct mib_peer *p = set->peers.rows[i];
        const struct mib_peer *c;
        const uint32_t key = p->index;

        if (!p->have_index || !(c = mib_rows_get(&s->counts, &key, 1, sizeof *c, 0)))
            continue;
        p->accepted = c->accepted;
        p->have_acc = c->have_acc;
        p->advertised = c->advertised;
        p->have_adv = c->have_adv;
    }
    return ER_OK;
}

const struct mib_module mib_jnxbgp_module = {"bgp4-v2-mib-juniper", jnx_create, jnx_destroy, jnx_row, jnx_finish};
