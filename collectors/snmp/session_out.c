/**
 * @file session_out.c
 * @brief What the SNMP collector writes: walk text (the project's walk
 * printer, as `snmpbulkwalk -On` prints) and a writer thread that puts walk
 * files and device statuses into the snapshot, in order, off the event loop.
 */
#include "session_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mib.h"
#include "progress.h"

int
snmps_buf_reserve(struct buf *b, size_t more)
{
    if (b->len + more <= b->size)
        return 0;
    size_t size = b->size ? b->size : 4096;
    while (size < b->len + more)
        size *= 2;
    u_char *p = realloc(b->p, size);
    if (!p)
        return -1;
    b->p = p;
    b->size = size;
    return 0;
}

void
snmps_buf_free(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* A net-snmp varbind as the project's struct snmp_vb (OIDs copied into
 * @p name and @p val, which must hold MAX_OID_LEN). Returns -1 for types the
 * project does not model (Opaque, BIT STRING, NsapAddress). */
static int
vb_convert(const netsnmp_variable_list *v, struct snmp_vb *vb, uint32_t *name, uint32_t *val)
{
    memset(vb, 0, sizeof *vb);
    for (size_t i = 0; i < v->name_length; i++)
        name[i] = (uint32_t)v->name[i];
    vb->oid = name;
    vb->oid_len = v->name_length;
    switch (v->type) {
    case ASN_INTEGER:
        vb->type = SNMP_VT_INTEGER;
        vb->num = (uint64_t)(int64_t)*v->val.integer;
        break;
    case ASN_GAUGE:
        vb->type = SNMP_VT_GAUGE32;
        vb->num = (uint32_t)*v->val.integer;
        break;
    case ASN_COUNTER:
        vb->type = SNMP_VT_COUNTER32;
        vb->num = (uint32_t)*v->val.integer;
        break;
    case ASN_TIMETICKS:
        vb->type = SNMP_VT_TIMETICKS;
        vb->num = (uint32_t)*v->val.integer;
        break;
    case ASN_COUNTER64:
        vb->type = SNMP_VT_COUNTER64;
        vb->num = ((uint64_t)v->val.counter64->high << 32) | (uint32_t)v->val.counter64->low;
        break;
    case ASN_OBJECT_ID:
        vb->type = SNMP_VT_OID;
        vb->val_oid_len = v->val_len / sizeof(oid);
        for (size_t i = 0; i < vb->val_oid_len && i < MAX_OID_LEN; i++)
            val[i] = (uint32_t)v->val.objid[i];
        vb->val_oid = val;
        break;
    case ASN_OCTET_STR:
        vb->type = SNMP_VT_OCTETS;
        vb->bytes = v->val.string;
        vb->n_bytes = v->val_len;
        break;
    case ASN_IPADDRESS:
        vb->type = SNMP_VT_IPADDRESS;
        vb->bytes = v->val.string;
        vb->n_bytes = v->val_len;
        break;
    case ASN_NULL:
        vb->type = SNMP_VT_NULL;
        break;
    default:
        return -1;
    }
    return 0;
}

/* Append the varbind as `snmpbulkwalk -On -m ''` prints it: the project's
 * walk printer (what the walk parser reads back), or net-snmp's own for the
 * few types the project does not model. */
int
snmps_buf_add_vb(struct buf *b, const netsnmp_variable_list *v)
{
    uint32_t name[MAX_OID_LEN], val[MAX_OID_LEN];
    struct snmp_vb vb;
    size_t need;

    if (vb_convert(v, &vb, name, val)) {
        if (snmps_buf_reserve(b, 256) || !sprint_realloc_variable(&b->p, &b->size, &b->len, 1, v->name, v->name_length, v)
                || snmps_buf_reserve(b, 1))
            return -1;
        b->p[b->len++] = '\n';
        return 0;
    }
    need = 48 + vb.oid_len * 11 + vb.val_oid_len * 11 + vb.n_bytes * 4;
    for (;;) {
        if (snmps_buf_reserve(b, need))
            return -1;
        size_t n = walkfile_format_vb(&vb, (char *)b->p + b->len, b->size - b->len);
        if (n < b->size - b->len) {
            b->len += n;
            return 0;
        }
        need = n + 1;
    }
}

static void
wq_push(struct loop *l, struct wq_item *it)
{
    pthread_mutex_lock(&l->wr.mu);
    if (l->wr.tail)
        l->wr.tail->next = it;
    else
        l->wr.head = it;
    l->wr.tail = it;
    pthread_cond_signal(&l->wr.cv);
    pthread_mutex_unlock(&l->wr.mu);
}

/* Hand a walk file over to the writer; @p b is left empty. */
void
snmps_write(struct loop *l, struct dev *d, const char *file, struct buf *b)
{
    struct wq_item *it;

    if (!b->len)
        return;
    it = calloc(1, sizeof *it);
    if (!it) {
        snmps_fail(d, "%s: out of memory", file);
        d->fatal = 1;
        return;
    }
    it->d = d;
    snprintf(it->relpath, sizeof it->relpath, "%s", file);
    it->b = *b;
    memset(b, 0, sizeof *b);
    wq_push(l, it);
}

static void
writer_item(struct writer *wr, struct wq_item *it)
{
    struct dev *d = it->d;
    struct er_err e;
    er_code rc;

    if (it->relpath[0]) {
        rc = snap_write_file(wr->w, d->inv->name, it->relpath, it->b.p, it->b.len, &e);
        if (rc) {
            if (!d->write_failed)
                snprintf(d->write_reason, sizeof d->write_reason, "writing %s: %s", it->relpath, e.msg);
            d->write_failed = 1;
            if (!wr->rc) {
                wr->rc = rc;
                wr->err = e;
            }
        }
        return;
    }
    if (d->write_failed) {
        /* the walks are not in the snapshot: the device is not collected */
        size_t n = strlen(it->reason);
        snprintf(it->reason + n, sizeof it->reason - n, "%s%s", n ? "; " : "", d->write_reason);
        it->sd.status = "failed";
    }
    it->sd.reason = it->reason[0] ? it->reason : NULL;
    if (d->o->verbose)
        progress_msg("snmp: %s: %s%s%s (%u tables, %" PRIu64 "/%" PRIu64 " routes kept)\n", it->sd.name,
                it->sd.status, it->sd.reason ? ": " : "", it->sd.reason ? it->sd.reason : "", d->tables_ok,
                it->sd.rows_kept, it->sd.rows_read);
    rc = snap_writer_device(wr->w, &it->sd, &e);
    progress_report(it->sd.name, "snmp", strcmp(it->sd.status, "failed") ? PROGRESS_DONE : PROGRESS_FAILED);
    if (rc && !wr->rc) {
        wr->rc = rc;
        wr->err = e;
    }
}

static void *
writer_main(void *arg)
{
    struct writer *wr = arg;

    pthread_mutex_lock(&wr->mu);
    for (;;) {
        struct wq_item *it = wr->head;
        if (!it) {
            if (wr->closing)
                break;
            pthread_cond_wait(&wr->cv, &wr->mu);
            continue;
        }
        wr->head = it->next;
        if (!wr->head)
            wr->tail = NULL;
        pthread_mutex_unlock(&wr->mu);
        writer_item(wr, it);
        snmps_buf_free(&it->b);
        free(it);
        pthread_mutex_lock(&wr->mu);
    }
    pthread_mutex_unlock(&wr->mu);
    return NULL;
}

int
snmps_writer_start(struct writer *wr, struct snap_writer *w)
{
    wr->w = w;
    pthread_mutex_init(&wr->mu, NULL);
    pthread_cond_init(&wr->cv, NULL);
    if (pthread_create(&wr->th, NULL, writer_main, wr))
        return -1;
    wr->started = 1;
    return 0;
}

/* Write what is queued, then stop the thread. */
void
snmps_writer_stop(struct writer *wr)
{
    if (wr->started) {
        pthread_mutex_lock(&wr->mu);
        wr->closing = 1;
        pthread_cond_signal(&wr->cv);
        pthread_mutex_unlock(&wr->mu);
        pthread_join(wr->th, NULL);
    }
    pthread_mutex_destroy(&wr->mu);
    pthread_cond_destroy(&wr->cv);
}

/* Queue the device's status after its walk files. */
void
snmps_write_status(struct loop *l, struct dev *d)
{
    struct wq_item *it;

    it = calloc(1, sizeof *it);
    if (!it) {
        if (!l->rc)
            l->rc = er_set(&l->err, ER_ENOMEM, "out of memory");
        return;
    }
    it->d = d;
    it->sd.name = d->inv->name;
    it->sd.collectors = "snmp";
    /* Nothing walked is not "collected": every table failed, or the agent
     * has none of them. */
    if (!d->tables_ok && !d->fatal && !d->tables_failed)
        snmps_fail(d, "the agent at %s has none of the tables walked (system, IF-MIB, BGP4-MIB, CISCO-BGP4-MIB, "
                "BGP4-V2-MIB-JUNIPER, BGP4V2, IP-FORWARD-MIB, IP-MIB, NAT-MIB)", d->where);
    it->sd.status = !d->tables_ok ? "failed" : (d->fatal || d->tables_failed || d->degraded) ? "partial"
            : "collected";
    snprintf(it->reason, sizeof it->reason, "%s", d->reason);
    it->sd.rows_read = d->routes_read;
    it->sd.rows_kept = d->routes_kept;
    snprintf(it->sd.bgp_source, sizeof it->sd.bgp_source, "%s",
            mib_bgp_richest(d->bgp_peers) ? mib_bgp_richest(d->bgp_peers) : "");
    memcpy(it->sd.tables, d->tables, sizeof it->sd.tables);
    it->sd.n_tables = d->n_tables;
    wq_push(l, it);
}
