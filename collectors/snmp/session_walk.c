/**
 * @file session_walk.c
 * @brief The tables the SNMP collector walks, and the walks: GETBULK
 * requests, what comes back (non-increasing OIDs, truncated tables, errors,
 * endless walks), the route filter and row counts.
 */
#include "session_int.h"
#include "mib.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* sysUpTime.0 goes with each IF-MIB sample: it is the clock utilization is
 * computed with. */
/* Both route tables are walked where both are served: real routers disagree
 * (hundreds of IPv4 routes only in the older ipCidrRouteTable). BGP peers
 * come from BGP4-MIB and the vendor MIBs a router publishes them in instead
 * (CISCO-BGP4-MIB, BGP4-V2-MIB-JUNIPER, the BGP4V2 draft under Arista's and
 * FRR's arcs); the decoders take the richest. */
#define CBGP 1, 3, 6, 1, 4, 1, 9, 9, 187, 1
#define JNXBGP 1, 3, 6, 1, 4, 1, 2636, 5, 1, 1, 2
const struct tdef snmps_plan[] = {
    /* the system scalars only (sysDescr .. sysServices), not sysORTable */
    { "system", { 1, 3, 6, 1, 2, 1, 1 }, 7, T_SCALAR | T_IFSTAMP, RI_NONE, 8, 8, 0 },
    { "ifTable", { 1, 3, 6, 1, 2, 1, 2, 2 }, 8, 0, RI_NONE, 0, 0, 0 },
    { "ifXTable", { 1, 3, 6, 1, 2, 1, 31, 1, 1 }, 9, 0, RI_NONE, 0, 0, 0 },
    { "bgpLocalAs", { 1, 3, 6, 1, 2, 1, 15, 2 }, 8, T_SCALAR, RI_NONE, 2, 0, 0 },
    { "bgpPeerTable", { 1, 3, 6, 1, 2, 1, 15, 3 }, 8, 0, RI_NONE, 0, 0, MIB_BGP_4MIB + 1 },
    { "bgp4PathAttrTable", { 1, 3, 6, 1, 2, 1, 15, 6 }, 8, T_ROUTE, RI_BGP4PATH, 0, 0, 0 },
    { "cbgpLocalAs", { CBGP, 3, 2 }, 12, T_SCALAR, RI_NONE, 2, 0, 0 },
    { "cbgpPeer2Table", { CBGP, 2, 5 }, 12, 0, RI_NONE, 0, 0, MIB_BGP_CISCO + 1 },
    { "cbgpPeer2AddrFamilyPrefixTable", { CBGP, 2, 8 }, 12, 0, RI_NONE, 0, 0, 0 },
    { "jnxBgpM2PeerTable", { JNXBGP, 1, 1 }, 13, 0, RI_NONE, 0, 0, MIB_BGP_JNX + 1 },
    { "jnxBgpM2PrefixCountersTable", { JNXBGP, 6, 2 }, 13, 0, RI_NONE, 0, 0, 0 },
    { "aristaBgp4V2PeerTable", { 1, 3, 6, 1, 4, 1, 30065, 4, 1, 1, 2 }, 11, 0, RI_NONE, 0, 0, MIB_BGP_V2 + 1 },
    { "aristaBgp4V2PrefixGaugesTable", { 1, 3, 6, 1, 4, 1, 30065, 4, 1, 1, 8 }, 11, 0, RI_NONE, 0, 0, 0 },
    { "bgp4V2PeerTable", { 1, 3, 6, 1, 4, 1, 7336, 4, 2, 1, 1, 2 }, 12, 0, RI_NONE, 0, 0, MIB_BGP_V2 + 1 },
    { "bgp4V2PrefixGaugesTable", { 1, 3, 6, 1, 4, 1, 7336, 4, 2, 1, 1, 8 }, 12, 0, RI_NONE, 0, 0, 0 },
    { "inetCidrRouteTable", { 1, 3, 6, 1, 2, 1, 4, 24, 7 }, 9, T_ROUTE, RI_INETCIDR, 0, 0, 0 },
    { "ipCidrRouteTable", { 1, 3, 6, 1, 2, 1, 4, 24, 4 }, 9, T_ROUTE, RI_IPCIDR, 0, 0, 0 },
    { "ipAddressTable", { 1, 3, 6, 1, 2, 1, 4, 34 }, 8, 0, RI_NONE, 0, 0, 0 },
    { "natMIB", { 1, 3, 6, 1, 2, 1, 123 }, 7, T_SUBTREE, RI_NONE, 0, 0, 0 },
    { "sysUpTime", { 1, 3, 6, 1, 2, 1, 1, 3 }, 8, T_SCALAR | T_SAMPLE2, RI_NONE, 2, 0, 0 },
    { "ifTable", { 1, 3, 6, 1, 2, 1, 2, 2 }, 8, T_SAMPLE2, RI_NONE, 0, 0, 0 },
    { "ifXTable", { 1, 3, 6, 1, 2, 1, 31, 1, 1 }, 9, T_SAMPLE2, RI_NONE, 0, 0, 0 },
};
const size_t snmps_n_plan = sizeof snmps_plan / sizeof snmps_plan[0];
/* the probe's answer is a bit per table */
_Static_assert(sizeof snmps_plan / sizeof snmps_plan[0] <= 32, "too many tables for dev.present");

/* ---- routes: which rows to keep --------------------------------------- */

static int
pfx_overlap(const struct pfx *a, const struct pfx *b)
{
    unsigned len = a->len < b->len ? a->len : b->len;

    if (a->family != b->family)
        return 0;
    for (unsigned i = 0; i < len / 8; i++)
        if (a->addr[i] != b->addr[i])
            return 0;
    if (len % 8) {
        uint8_t mask = (uint8_t)(0xff << (8 - len % 8));
        if ((a->addr[len / 8] & mask) != (b->addr[len / 8] & mask))
            return 0;
    }
    return 1;
}

/* Decode the destination prefix from a route row's index (after the column).
 * Returns 0 when the index is not understood. */
static int
route_prefix(enum route_idx ri, const oid *ix, size_t n, struct pfx *p)
{
    memset(p, 0, sizeof *p);
    switch (ri) {
    case RI_BGP4PATH:   /* prefix(4) . len . peer(4) */
    case RI_IPCIDR:     /* dest(4) . mask(4) . tos . nexthop(4) */
        if (n < 5)
            return 0;
        p->family = 4;
        for (int i = 0; i < 4; i++) {
            if (ix[i] > 255)
                return 0;
            p->addr[i] = (uint8_t)ix[i];
        }
        if (ri == RI_BGP4PATH) {
            if (ix[4] > 32)
                return 0;
            p->len = (uint8_t)ix[4];
        } else {
            if (n < 8)
                return 0;
            unsigned bits = 0;
            for (int i = 4; i < 8; i++) {
                if (ix[i] > 255)
                    return 0;
                bits += (unsigned)__builtin_popcount((unsigned)ix[i]);
            }
            p->len = (uint8_t)bits;
        }
        return 1;
    case RI_INETCIDR: { /* type . len . addr(len) . pfxlen . policy ... */
        if (n < 2)
            return 0;
        unsigned type = (unsigned)ix[0], alen = (unsigned)ix[1];
        if (!((type == 1 || type == 3) && alen == 4) && !((type == 2 || type == 4) && alen == 16))
            return 0;
        if (n < 3 + alen)
            return 0;
        p->family = alen == 4 ? 4 : 6;
        for (unsigned i = 0; i < alen; i++) {
            if (ix[2 + i] > 255)
                return 0;
            p->addr[i] = (uint8_t)ix[2 + i];
        }
        if (ix[2 + alen] > alen * 8)
            return 0;
        p->len = (uint8_t)ix[2 + alen];
        return 1;
    }
    default:
        return 0;
    }
}

static int
route_kept(const struct snmps_opts *o, const struct pfx *p)
{
    if (p->len == 0)
        return 1;        /* the default route always matters */
    for (size_t i = 0; i < o->n_keep; i++)
        if (pfx_overlap(&o->keep[i], p))
            return 1;
    return o->keep_fn ? o->keep_fn(p, o->keep_arg) != 0 : 0;
}

/* ---- walking ----------------------------------------------------------- */

static const char *
usm_report_text(const netsnmp_pdu *pdu)
{
    static const oid usm_stats[] = { 1, 3, 6, 1, 6, 3, 15, 1, 1 };
    const netsnmp_variable_list *vb = pdu->variables;

    if (vb && vb->name_length >= 10 && !snmp_oid_compare(vb->name, 9, usm_stats, 9)) {
        switch (vb->name[9]) {
        case 1: return "the agent does not support the SNMPv3 security level for this user (usmStatsUnsupportedSecLevels)";
        case 2: return "not in the agent's time window (usmStatsNotInTimeWindows)";
        case 3: return "unknown SNMPv3 user (usmStatsUnknownUserNames)";
        case 4: return "unknown engine ID (usmStatsUnknownEngineIDs)";
        case 5: return "SNMPv3 authentication failed: wrong auth pass phrase or protocol (usmStatsWrongDigests)";
        case 6: return "SNMPv3 decryption failed: wrong privacy pass phrase or protocol (usmStatsDecryptionErrors)";
        }
    }
    return "the agent answered with a Report";
}

/* The probe's answer: one GETNEXT per table root. A table is walked when
 * the agent has something under its root; an answer that cannot be read
 * leaves every table to walk. */
/* How a wrong probe answer's value reads in a reason. */
static const char *
snmps_bad_type(u_char type)
{
    switch (type) {
    case ASN_NULL: return "and no value (a NULL, as in a request)";
    case SNMP_NOSUCHOBJECT: return "and noSuchObject";
    case SNMP_NOSUCHINSTANCE: return "and noSuchInstance";
    default: return "and a value";
    }
}

static void
probe_take(struct dev *d, netsnmp_pdu *pdu)
{
    netsnmp_variable_list *vb = pdu->variables;
    size_t i;

    d->probing = 0;
    d->ev = EV_PROBED;
    if (pdu->errstat != SNMP_ERR_NOERROR)
        return;
    for (i = 0; i < snmps_n_plan && vb; i++, vb = vb->next_variable) {
        const struct tdef *t = &snmps_plan[i];
        /* A GETNEXT answer is after the OID asked, with a value, or
         * endOfMibView: the request's own OID (with a NULL or
         * noSuchObject) or a NULL value come from an agent that echoes
         * requests (or is broken), and a device read from it would be
         * "collected" with nothing. A later OID with noSuchObject only
         * says the table is absent. */
        if (vb->type != SNMP_ENDOFMIBVIEW && (vb->type == ASN_NULL ||
                snmp_oid_compare(vb->name, vb->name_length, t->root, t->root_len) <= 0)) {
            char a[256], b[256];

            snmps_oid_text(t->root, t->root_len, a, sizeof a);
            snmps_oid_text(vb->name, vb->name_length, b, sizeof b);
            snmps_fail(d, "probe: the agent at %s answered GETNEXT %s (%s) with %s %s, not a later OID with a "
                    "value: it echoes requests or is broken", d->where, a, t->name, b, snmps_bad_type(vb->type));
            d->fatal = 1;
            d->ev = EV_DEVICE_FAIL;
            return;
        }
        if (vb->type == SNMP_ENDOFMIBVIEW || vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE
                || vb->name_length <= t->root_len || snmp_oid_compare(vb->name, t->root_len, t->root, t->root_len))
            d->present &= ~(1u << i);
    }
}

/* Record the varbinds of one GETBULK response; sets d->ev. */
static void
dev_take(struct dev *d, const struct snmps_opts *o, netsnmp_pdu *pdu)
{
    const struct tdef *t;
    struct buf *out;
    int filter;
    char a[256], b[256];

    if (pdu->command == SNMP_MSG_REPORT) {
        snmps_fail(d, "%s", usm_report_text(pdu));
        d->fatal = 1;
        d->ev = EV_DEVICE_FAIL;
        return;
    }
    if (d->probing) {
        probe_take(d, pdu);
        return;
    }
    t = &snmps_plan[d->step];
    out = (t->flags & T_SAMPLE2) ? &d->sample2 : &d->out;
    filter = (t->flags & T_ROUTE) && (o->n_keep || o->keep_fn);
    if (pdu->errstat == SNMP_ERR_TOOBIG && d->reps > 1) {
        d->reps /= 2;
        d->ev = EV_RETRY;
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR) {
        snmps_oid_text(d->cur, d->cur_len, a, sizeof a);
        snmps_fail(d, "%s: agent error %s (%ld) after %s", t->name, snmp_errstring((int)pdu->errstat), pdu->errstat,
                a);
        d->ev = EV_TABLE_FAIL;
        return;
    }
    if (!pdu->variables) {
        snmps_oid_text(d->cur, d->cur_len, a, sizeof a);
        snmps_fail(d, "%s: empty GETBULK response after %s", t->name, a);
        d->ev = EV_TABLE_FAIL;
        return;
    }
    for (netsnmp_variable_list *vb = pdu->variables; vb; vb = vb->next_variable) {
        if (vb->type == SNMP_ENDOFMIBVIEW) {
            d->end_of_view = 1;
            d->ev = EV_END;
            return;
        }
        /* The OID asked again, or no value: an agent that echoes requests
         * (it will for every table, so the device stops here). */
        int cmp = snmp_oid_compare(vb->name, vb->name_length, d->cur, d->cur_len);
        if (vb->type == ASN_NULL || cmp == 0) {
            snmps_oid_text(vb->name, vb->name_length, a, sizeof a);
            snmps_oid_text(d->cur, d->cur_len, b, sizeof b);
            snmps_fail(d, "%s: the agent at %s answered GETBULK after %s with %s %s: it echoes requests or is broken",
                    t->name, d->where, b, cmp ? a : "the same OID", snmps_bad_type(vb->type));
            d->fatal = 1;
            d->ev = EV_DEVICE_FAIL;
            return;
        }
        if (cmp < 0) {
            snmps_oid_text(vb->name, vb->name_length, a, sizeof a);
            snmps_oid_text(d->cur, d->cur_len, b, sizeof b);
            snmps_fail(d, "%s: agent returned non-increasing OID %s after %s", t->name, a, b);
            d->ev = EV_TABLE_FAIL;
            return;
        }
        if (vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE || vb->name_length <= t->root_len
                || snmp_oid_compare(vb->name, t->root_len, t->root, t->root_len)
                || (t->stop && vb->name[t->root_len] >= t->stop)) {
            d->ev = EV_END;
            return;
        }
        memcpy(d->cur, vb->name, vb->name_length * sizeof(oid));
        d->cur_len = vb->name_length;
        if (++d->n_vb > o->max_varbinds) {
            snmps_oid_text(vb->name, vb->name_length, a, sizeof a);
            snmps_fail(d, "%s: more than %" PRIu64 " varbinds, stopped at %s (agent loops?)", t->name, o->max_varbinds,
                    a);
            d->ev = EV_TABLE_FAIL;
            return;
        }
        int keep = 1;
        if (!(t->flags & (T_SCALAR | T_SUBTREE)) && vb->name_length > t->root_len + 1) {
            oid col = vb->name[t->root_len + 1];
            if (!d->first_col)
                d->first_col = col;
            if (col != d->col) {
                d->col = col;
                d->col_rows = 0;
            }
            d->col_rows++;
            if (d->col_rows > d->col_max)
                d->col_max = d->col_rows;
            if (col == d->first_col)
                d->rows++;
            if (filter) {
                struct pfx p;
                if (route_prefix(t->ridx, vb->name + t->root_len + 2, vb->name_length - t->root_len - 2, &p))
                    keep = route_kept(o, &p);
            }
            if (keep && col == d->first_col)
                d->kept++;
            if (keep && (t->flags & T_ROUTE) && snmps_rowset_add(&d->rowset, snmps_rowset_hash(vb->name + t->root_len + 2,
                    vb->name_length - t->root_len - 2), col)) {
                snmps_fail(d, "%s: out of memory", t->name);
                d->ev = EV_DEVICE_FAIL;
                return;
            }
        }
        if (keep && snmps_buf_add_vb(out, vb)) {
            snmps_fail(d, "%s: out of memory", t->name);
            d->ev = EV_DEVICE_FAIL;
            return;
        }
    }
    d->ev = EV_MORE;
}

int
snmps_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
{
    struct dev *d = magic;
    const struct snmps_opts *o;
    char a[256];

    /* A Report to a request the agent could not decrypt carries request ID 0
     * (it is matched by message ID): take it for the request in flight. */
    if (!d || d->st != D_WALK || !d->reqid
            || (reqid != d->reqid && !(pdu && pdu->command == SNMP_MSG_REPORT)))
        return 1;
    o = d->o;
    switch (op) {
    case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE:
        d->reqid = 0;
        d->got_any = 1;
        dev_take(d, o, pdu);
        break;
    case NETSNMP_CALLBACK_OP_SEC_ERROR:
        /* a USM Report (wrong digest, unknown user, ...): net-snmp drops the
         * request after this, no timeout follows */
        d->reqid = 0;
        d->got_any = 1;
        snmps_fail(d, "%s", pdu ? usm_report_text(pdu) : "SNMPv3 security error");
        d->fatal = 1;
        d->ev = EV_DEVICE_FAIL;
        break;
    case NETSNMP_CALLBACK_OP_TIMED_OUT:
    case NETSNMP_CALLBACK_OP_SEND_FAILED:
        d->reqid = 0;
        if (!d->got_any && d->v3) {
            /* the engine answered discovery, so it is there: it dropped the request */
            snmps_fail(d, "%s answered SNMPv3 discovery but not the first request within %.1f s (%u tries): wrong "
                    "privacy pass phrase or protocol, or no access for the user", d->where,
                    (o->retries + 1) * o->timeout_ms / 1000.0, o->retries + 1);
            d->fatal = 1;
        } else if (!d->got_any) {
            snmps_fail(d, "no response from %s within %.1f s (%u tries of %u ms): agent down, filtered, or wrong "
                    "community", d->where, (o->retries + 1) * o->timeout_ms / 1000.0, o->retries + 1,
                    o->timeout_ms);
            d->fatal = 1;
        } else {
            snmps_oid_text(d->cur, d->cur_len, a, sizeof a);
            snmps_fail(d, "%s: the agent stopped answering after %" PRIu64 " varbinds, at %s", snmps_plan[d->step].name,
                    d->n_vb, a);
        }
        d->ev = EV_DEVICE_FAIL;
        break;
    default:
        break;   /* resends and security notes: the request is still alive */
    }
    return 1;
}

void
snmps_send(struct dev *d, const struct snmps_opts *o)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);

    d->ev = EV_NONE;
    if (!pdu) {
        snmps_fail(d, "out of memory");
        d->ev = EV_DEVICE_FAIL;
        return;
    }
    if (d->probing) {
        /* One GETNEXT per table root (all non-repeaters) tells which tables
         * the agent has: absent ones cost no round trip, and no rows past
         * them (which snmpd makes at a cost: HOST-RESOURCES, UCD) are asked. */
        pdu->non_repeaters = (long)snmps_n_plan;
        pdu->max_repetitions = 0;
        for (size_t i = 0; i < snmps_n_plan; i++)
            snmp_add_null_var(pdu, snmps_plan[i].root, snmps_plan[i].root_len);
    } else {
        pdu->non_repeaters = 0;
        pdu->max_repetitions = snmps_plan[d->step].reps ? (long)snmps_plan[d->step].reps : d->reps;
        snmp_add_null_var(pdu, d->cur, d->cur_len);
    }
    d->reqid = snmp_sess_async_send(d->ss, pdu, snmps_cb, d);
    if (!d->reqid) {
        netsnmp_session *s = snmp_sess_session(d->ss);
        snmps_fail(d, "%s: cannot send to %s: %s", d->probing ? "probe" : snmps_plan[d->step].name, d->where,
                snmp_api_errstring(s->s_snmp_errno));
        snmp_free_pdu(pdu);
        d->fatal = 1;
        d->ev = EV_DEVICE_FAIL;
    }
}

static void
table_start(struct dev *d)
{
    const struct tdef *t = &snmps_plan[d->step];

    memcpy(d->cur, t->root, t->root_len * sizeof(oid));
    d->cur_len = t->root_len;
    d->n_vb = d->rows = d->col_rows = d->kept = d->col_max = 0;
    snmps_rowset_free(&d->rowset);
    d->first_col = d->col = 0;
    d->end_of_view = 0;
    d->out.len = 0;
    d->reps = (int)d->o->max_reps;
    if (t->flags & T_IFSTAMP)
        d->t_if = snmps_now_ms();
}

/* Move to the next table worth walking; D_DONE after the last one. */
void
snmps_next(struct dev *d)
{
    for (d->step++; d->step < snmps_n_plan; d->step++) {
        const struct tdef *t = &snmps_plan[d->step];
        if (!(d->present & (1u << d->step))) {
            d->last_rows = 0;        /* absent: the fallback table is due */
            continue;
        }
        if ((t->flags & T_FALLBACK) && d->last_rows)
            continue;
        if ((t->flags & T_SAMPLE2) && !d->o->sample_interval_ms)
            continue;
        break;
    }
    if (d->step >= snmps_n_plan) {
        d->st = D_DONE;
        return;
    }
    table_start(d);
    if ((snmps_plan[d->step].flags & T_SAMPLE2) && !(snmps_plan[d->step - 1].flags & T_SAMPLE2)) {
        d->wait_until = d->t_if + d->o->sample_interval_ms;
        if (snmps_now_ms() < d->wait_until) {
            d->st = D_WAIT;
            return;
        }
    }
    d->st = D_WALK;
    snmps_send(d, d->o);
}

/* A route table's rows: counted (a row some column lacks counts too), and
 * named when the table changed during the walk (kept rows that lack columns
 * other rows have). Each is kept with the columns it has. */
static void
route_table_done(struct dev *d, const struct tdef *t, int ok)
{
    uint64_t read = d->col_max > d->rows ? d->col_max : d->rows, kept = d->rowset.n, bad = 0;
    char a[256];

    /* Kept rows are known one by one: with rows some columns lacked there are more than any column shows. */
    read = read > kept ? read : kept;
    if (ok && (bad = snmps_rowset_incomplete(&d->rowset))) {
        snmps_oid_text(t->root, t->root_len, a, sizeof a);
        snmps_fail(d, "%s (%s): %" PRIu64 " of %" PRIu64 " rows kept were incomplete: the table changed during the "
                "walk (its columns hold different rows); each was kept with the columns it had", t->name, a, bad,
                kept);
        d->degraded = 1;
    }
    d->routes_read += read;
    d->routes_kept += kept;
    if (d->n_tables < SNAP_TABLES_MAX) {
        struct snap_table *x = &d->tables[d->n_tables++];

        snprintf(x->name, sizeof x->name, "%s%s", t->name, ok ? "" : " (failed)");
        x->read = read;
        x->kept = kept;
        x->incomplete = bad;
    }
    snmps_rowset_free(&d->rowset);
}

void
snmps_table_done(struct loop *l, struct dev *d, int ok)
{
    const struct tdef *t = &snmps_plan[d->step];
    char file[96];

    /* An agent whose view ends inside a table, with the last column shorter
     * than the first, lost the rest of the table. */
    if (ok && !(t->flags & (T_SCALAR | T_SUBTREE)) && d->end_of_view && d->col != d->first_col
            && d->col_rows < d->rows) {
        char a[256];
        snmps_oid_text(d->cur, d->cur_len, a, sizeof a);
        snmps_fail(d, "%s: truncated: the agent's view ends at %s with %" PRIu64 " rows in column %lu but %" PRIu64
                " in column %lu", t->name, a, d->col_rows, (unsigned long)d->col, d->rows,
                (unsigned long)d->first_col);
        ok = 0;
    }
    if (t->flags & T_ROUTE)
        route_table_done(d, t, ok);
    if (ok && t->bgp)
        d->bgp_peers[t->bgp - 1] += d->col_max > d->rows ? d->col_max : d->rows;
    d->last_rows = d->rows;
    if (ok)
        d->tables_ok++;
    else
        d->tables_failed++;
    if (t->flags & T_SAMPLE2) {
        if (!ok)
            d->sample2.len = 0;      /* a sample with a hole is no sample */
        if (d->step + 1 == snmps_n_plan) {
            snmps_write(l, d, "snmp/if-sample2.walk", &d->sample2);
            snmps_buf_free(&d->sample2);
        }
        return;
    }
    /* A failed table's rows are kept as evidence under a name mappers skip. */
    snprintf(file, sizeof file, "snmp/%s.walk%s", t->name, ok ? "" : ".partial");
    snmps_write(l, d, file, &d->out);
}
