/**
 * @file mib_if.c
 * @brief IF-MIB (RFC 2863): ifTable 1.3.6.1.2.1.2.2.1 and ifXTable
 * 1.3.6.1.2.1.31.1.1.1 into interface[name] (description, enabled,
 * oper-status, speed, octet counters and, with two samples, utilization).
 */
#include "mib_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Columns read. */
enum {
    IF_DESCR = 2, IF_SPEED = 5, IF_ADMIN = 7, IF_OPER = 8, IF_IN = 10, IF_OUT = 16,
    IFX_NAME = 1, IFX_HCIN = 6, IFX_HCOUT = 10, IFX_HIGHSPEED = 15, IFX_ALIAS = 18,
};

/* Counters of one sample; the have_* flags tell which were read. */
struct if_counters {
    uint64_t in32, out32, in64, out64;
    unsigned have_in32 : 1, have_out32 : 1, have_in64 : 1, have_out64 : 1;
};

struct if_row {
    uint32_t ifindex;
    char descr[64], name[64], alias[256];
    char final[64];                /* the name used in the model */
    uint64_t speed, high_speed;
    int64_t admin, oper;
    struct if_counters c[2];       /* first and second sample */
    unsigned have_speed : 1, have_high : 1;
};

struct if_state {
    struct mib_rows rows;
};

static void *
if_create(void)
{
    return calloc(1, sizeof(struct if_state));
}

static void
if_destroy(void *ms)
{
    struct if_state *s = ms;

    if (s)
        mib_rows_clear(&s->rows);
    free(s);
}

/* Store a counter of the current sample. */
static er_code
if_counter(struct mib_state *st, const struct snmp_vb *vb, uint64_t *val)
{
    if (vb->type != SNMP_VT_COUNTER32 && vb->type != SNMP_VT_COUNTER64)
        return mib_bad(st, vb, "expected a Counter");
    *val = vb->num;
    return ER_OK;
}

static er_code
if_row(struct mib_state *st, void *ms, enum mib_table t, uint32_t col, const uint32_t *idx, size_t n_idx,
        const struct snmp_vb *vb)
{
    struct if_state *s = ms;
    struct if_row *r;
    struct if_counters *c;
    int64_t v;
    er_code rc = ER_OK;

    if (n_idx != 1)
        return mib_bad(st, vb, "bad index: %s is indexed by ifIndex alone", mib_tables[t].name);
    /* The second sample only adds counters to interfaces of the first. */
    r = mib_rows_get(&s->rows, idx, 1, sizeof *r, !mib_second_sample(st));
    if (!r)
        return mib_second_sample(st) ? ER_OK : er_set(mib_err(st), ER_ENOMEM, "out of memory");
    r->ifindex = idx[0];
    c = &r->c[mib_second_sample(st)];
    if (t == MIB_T_IF) {
        switch (col) {
        case IF_IN:
            if (!(rc = if_counter(st, vb, &c->in32)))
                c->have_in32 = 1;
            return rc;
        case IF_OUT:
            if (!(rc = if_counter(st, vb, &c->out32)))
                c->have_out32 = 1;
            return rc;
        }
        if (mib_second_sample(st))
            return ER_OK;
        switch (col) {
        case IF_DESCR:
            return mib_vb_text(st, vb, r->descr, sizeof r->descr);
        case IF_SPEED:
            r->have_speed = 1;
            return mib_vb_num(st, vb, &r->speed);
        case IF_ADMIN:
            ER_TRY(rc, mib_vb_int(st, vb, &v), done);
            r->admin = v;
            break;
        case IF_OPER:
            ER_TRY(rc, mib_vb_int(st, vb, &v), done);
            r->oper = v;
            break;
        }
        return ER_OK;
    }
    switch (col) {
    case IFX_HCIN:
        if (!(rc = if_counter(st, vb, &c->in64)))
            c->have_in64 = 1;
        return rc;
    case IFX_HCOUT:
        if (!(rc = if_counter(st, vb, &c->out64)))
            c->have_out64 = 1;
        return rc;
    }
    if (mib_second_sample(st))
        return ER_OK;
    switch (col) {
    case IFX_NAME:
        return mib_vb_text(st, vb, r->name, sizeof r->name);
    case IFX_ALIAS:
        return mib_vb_text(st, vb, r->alias, sizeof r->alias);
    case IFX_HIGHSPEED:
        r->have_high = 1;
        return mib_vb_num(st, vb, &r->high_speed);
    }
done:
    return rc;
}

/* The name an interface gets in the model. */
static const char *
if_final(struct if_row *r)
{
    if (!r->final[0])
        snprintf(r->final, sizeof r->final, "%s", r->name[0] ? r->name
                : r->descr[0] ? r->descr : "");
    if (!r->final[0])
        snprintf(r->final, sizeof r->final, "ifindex-%u", (unsigned)r->ifindex);
    return r->final;
}

const char *
mib_if_name(struct mib_state *st, uint32_t ifindex, char buf[32])
{
    struct if_state *s = mib_module_state(st, MIB_M_IF);
    struct if_row *r = mib_rows_get(&s->rows, &ifindex, 1, sizeof *r, 0);

    if (r)
        return if_final(r);
    snprintf(buf, 32, "ifindex-%u", (unsigned)ifindex);
    return buf;
}

/* Octets between the samples: HC counters when both have them, else 32-bit with one wrap. */
static int
if_delta(const struct if_counters *a, const struct if_counters *b, int out, uint64_t *d)
{
    if (out ? a->have_out64 && b->have_out64 : a->have_in64 && b->have_in64) {
        uint64_t x = out ? a->out64 : a->in64, y = out ? b->out64 : b->in64;

        if (y < x)
            return -1; /* a counter reset: no figure rather than a wrong one */
        *d = y - x;
        return 0;
    }
    if (out ? a->have_out32 && b->have_out32 : a->have_in32 && b->have_in32) {
        uint64_t x = out ? a->out32 : a->in32, y = out ? b->out32 : b->in32;

        *d = (y - x) & 0xffffffffu;
        return 0;
    }
    return -1;
}

/* Utilization in percent over the sample interval, capped at 100. */
static int
if_util(const struct if_row *r, uint64_t speed, uint64_t ticks, int out, uint64_t *pct)
{
    uint64_t d;
    double u;

    if (!speed || !ticks || if_delta(&r->c[0], &r->c[1], out, &d))
        return -1;
    u = (double)d * 8.0 * 100.0 / ((double)ticks / 100.0) / (double)speed;
    *pct = u >= 100.0 ? 100 : (uint64_t)(u + 0.5);
    return 0;
}

static er_code
if_finish(struct mib_state *st, void *ms)
{
    struct if_state *s = ms;
    struct map_ctx *mc = mib_ctx(st);
    uint64_t ticks = mib_sample_ticks(st), speed, pct;
    struct lyd_node *ifc;
    er_code rc = ER_OK;
    size_t i;

    for (i = 0; i < s->rows.n; i++) {
        struct if_row *r = s->rows.rows[i];
        const struct if_counters *c = &r->c[0];

        ER_TRY(rc, model_list(mc->dev, "interface", if_final(r), &ifc, mc->err), cleanup);
        if (r->alias[0])
            ER_TRY(rc, model_leaf(ifc, "description", r->alias, mc->err), cleanup);
        if (r->admin == 1 || r->admin == 2)
            ER_TRY(rc, model_leaf(ifc, "enabled", r->admin == 1 ? "true" : "false", mc->err), cleanup);
        if (r->oper)
            ER_TRY(rc, model_leaf(ifc, "oper-status",
                    r->oper == 1 ? "up" : r->oper == 2 || r->oper == 7 ? "down" : "other", mc->err), cleanup);
        /* ifSpeed saturates at 2^32-1 (and is 0 on some agents): ifHighSpeed then, in Mb/s. */
        speed = 0;
        if (r->have_speed && r->speed && r->speed < 0xffffffffu)
            speed = r->speed;
        else if (r->have_high && r->high_speed)
            speed = r->high_speed * 1000000u;
        else if (r->have_speed)
            speed = r->speed;
        if (r->have_speed || r->have_high)
            ER_TRY(rc, model_leaf_u64(ifc, "speed", speed, mc->err), cleanup);
        if (c->have_in64 || c->have_in32)
            ER_TRY(rc, model_leaf_u64(ifc, "in-octets", c->have_in64 ? c->in64 : c->in32, mc->err), cleanup);
        if (c->have_out64 || c->have_out32)
            ER_TRY(rc, model_leaf_u64(ifc, "out-octets", c->have_out64 ? c->out64 : c->out32, mc->err), cleanup);
        if (!if_util(r, speed, ticks, 0, &pct))
            ER_TRY(rc, model_leaf_u64(ifc, "in-utilization", pct, mc->err), cleanup);
        if (!if_util(r, speed, ticks, 1, &pct))
            ER_TRY(rc, model_leaf_u64(ifc, "out-utilization", pct, mc->err), cleanup);
    }
cleanup:
    return rc;
}

const struct mib_module mib_if_module = {"if-mib", if_create, if_destroy, if_row, if_finish};
