/**
 * @file session.c
 * @brief The live SNMP collector: many devices, one event loop, GETBULK walks.
 *
 * Each device is a small state machine: (v3 only) engine-ID discovery on a
 * plain UDP socket, then one GETBULK walk after another over the tables of
 * the plan below, one request in flight. Callbacks only record what came
 * back; the loop decides what to send next, so no net-snmp call is made from
 * inside net-snmp.
 */
#include "session.h"
#include "mib.h"

#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>
#include <net-snmp/library/lcd_time.h>
#include <net-snmp/library/snmpusm.h>

/* What a table walk is, and what to do with its rows. */
#define T_SCALAR   0x01  /* a scalar group: small GETBULK, no row checks */
#define T_SUBTREE  0x02  /* several tables under one root: no row checks */
#define T_ROUTE    0x04  /* rows are routes: filter and count them */
#define T_FALLBACK 0x08  /* walked only when the previous table had no rows */
#define T_SAMPLE2  0x10  /* second IF-MIB sample, into if-sample2.walk */
#define T_IFSTAMP  0x20  /* start of the first IF-MIB sample */

/* max-repetitions of the first GETBULK of a table (see dev_send) */
#define FIRST_REPS 10

enum route_idx { RI_NONE, RI_BGP4PATH, RI_INETCIDR, RI_IPCIDR };

struct tdef {
    const char *name;
    oid root[12];
    size_t root_len;
    unsigned flags;
    enum route_idx ridx;
};

/* sysUpTime.0 goes with each IF-MIB sample: it is the clock utilization is
 * computed with. */
static const struct tdef plan[] = {
    { "system", { 1, 3, 6, 1, 2, 1, 1 }, 7, T_SUBTREE | T_IFSTAMP, RI_NONE },
    { "ifTable", { 1, 3, 6, 1, 2, 1, 2, 2 }, 8, 0, RI_NONE },
    { "ifXTable", { 1, 3, 6, 1, 2, 1, 31, 1, 1 }, 9, 0, RI_NONE },
    { "bgpLocalAs", { 1, 3, 6, 1, 2, 1, 15, 2 }, 8, T_SCALAR, RI_NONE },
    { "bgpPeerTable", { 1, 3, 6, 1, 2, 1, 15, 3 }, 8, 0, RI_NONE },
    { "bgp4PathAttrTable", { 1, 3, 6, 1, 2, 1, 15, 6 }, 8, T_ROUTE, RI_BGP4PATH },
    { "inetCidrRouteTable", { 1, 3, 6, 1, 2, 1, 4, 24, 7 }, 9, T_ROUTE, RI_INETCIDR },
    { "ipCidrRouteTable", { 1, 3, 6, 1, 2, 1, 4, 24, 4 }, 9, T_ROUTE | T_FALLBACK, RI_IPCIDR },
    { "ipAddressTable", { 1, 3, 6, 1, 2, 1, 4, 34 }, 8, 0, RI_NONE },
    { "natMIB", { 1, 3, 6, 1, 2, 1, 123 }, 7, T_SUBTREE, RI_NONE },
    { "sysUpTime", { 1, 3, 6, 1, 2, 1, 1, 3 }, 8, T_SCALAR | T_SAMPLE2, RI_NONE },
    { "ifTable", { 1, 3, 6, 1, 2, 1, 2, 2 }, 8, T_SAMPLE2, RI_NONE },
    { "ifXTable", { 1, 3, 6, 1, 2, 1, 31, 1, 1 }, 9, T_SAMPLE2, RI_NONE },
};
#define N_PLAN (sizeof plan / sizeof plan[0])

/* D_HOLD: a v3 device waits until another device of this run that shares
 * its engine ID and user name, with other keys, is done (see usm_claim). */
enum dstate { D_PENDING, D_DISCOVER, D_HOLD, D_WALK, D_WAIT, D_DONE };

/* What the last callback reported; acted on by the loop. */
enum dev_event { EV_NONE, EV_MORE, EV_RETRY, EV_END, EV_TABLE_FAIL, EV_DEVICE_FAIL };

struct buf {
    u_char *p;
    size_t size, len;
};

struct dev {
    const struct inv_device *inv;
    const struct snmps_opts *o;
    enum dstate st;
    char peer[320];              /* net-snmp peername, "udp:ADDR:PORT" */
    char where[300];             /* ADDR:PORT for messages */
    struct sockaddr_storage addr;
    socklen_t alen;
    int v3;
    netsnmp_session tmpl;        /* filled by dev_prepare, opened later */
    char community[256];
    /* v3 discovery */
    int disc_fd;
    unsigned disc_tries;
    uint32_t disc_id;
    uint64_t disc_deadline;
    u_char engine_id[32];
    size_t engine_id_len;
    uint64_t keyfp;              /* fingerprint of level, protocols and keys */
    int usm_user;                /* a USM user was made for this device */
    /* walking */
    void *ss;
    size_t step;                 /* index into plan */
    int reqid;                   /* request in flight, 0 if none */
    int reps;                    /* current max-repetitions */
    enum dev_event ev;
    int got_any;                 /* any response from the agent at all */
    oid cur[MAX_OID_LEN];
    size_t cur_len;
    struct buf out;              /* walk text of the current table */
    struct buf sample2;
    uint64_t n_vb;               /* varbinds of the current table */
    oid first_col, col;
    uint64_t rows, col_rows, kept;
    int end_of_view;
    size_t last_rows;            /* rows of the previous table (fallback) */
    uint64_t t_if, deadline, wait_until;
    /* outcome */
    uint64_t routes_read, routes_kept;
    unsigned tables_ok, tables_failed;
    int fatal;                   /* the device could not be collected at all */
    char reason[768];
    int write_failed;            /* writer thread only */
    char write_reason[300];      /* writer thread only */
};

/* Walk files and device statuses go to the snapshot from a writer thread,
 * in order, so that the event loop never waits for the disk (each file is
 * fsync'ed). The loop hands buffers over; only the writer touches a done
 * device's write_* fields. */
struct wq_item {
    struct wq_item *next;
    struct dev *d;
    char relpath[96];            /* a walk file, or "" for the device status */
    struct buf b;                /* file contents (owned) */
    struct snap_device sd;       /* the status, with its reason copied below */
    char reason[768];
};

struct writer {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct wq_item *head, *tail;
    int closing, started;
    struct snap_writer *w;
    er_code rc;                  /* first snapshot error */
    struct er_err err;
};

struct loop {
    const struct inventory *inv;
    struct snap_writer *w;
    struct snmps_opts o;
    struct dev *devs;
    size_t n;
    struct writer wr;
    er_code rc;                  /* first memory error of the loop */
    struct er_err err;
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

/* Configure net-snmp as `snmpbulkwalk -m '' -On` would be, without reading
 * any configuration, persistent state or MIB file of the machine. */
static void
lib_init(void)
{
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_LOAD_HOST_FILES, 1);
    netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_MIBDIRS, "/nonexistent/eraudit-no-mibs");
    netsnmp_ds_set_int(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_OID_OUTPUT_FORMAT, NETSNMP_OID_OUTPUT_NUMERIC);
    /* The library's own messages (missing MIB files, packet errors) would
     * only be noise on our stderr: every failure becomes a device reason. */
    if (getenv("ERAUDIT_SNMP_DEBUG")) {
        /* net-snmp debug tokens, e.g. "usm,sess_process_packet" (packets, no secrets) */
        debug_register_tokens(getenv("ERAUDIT_SNMP_DEBUG"));
        snmp_set_do_debugging(1);
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_STDERR, LOG_DEBUG);
    } else {
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
    }
    init_snmp("eraudit");
}

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
buf_reserve(struct buf *b, size_t more)
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

static void
buf_free(struct buf *b)
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
static int
buf_add_vb(struct buf *b, const netsnmp_variable_list *v)
{
    uint32_t name[MAX_OID_LEN], val[MAX_OID_LEN];
    struct snmp_vb vb;
    size_t need;

    if (vb_convert(v, &vb, name, val)) {
        if (buf_reserve(b, 256) || !sprint_realloc_variable(&b->p, &b->size, &b->len, 1, v->name, v->name_length, v)
                || buf_reserve(b, 1))
            return -1;
        b->p[b->len++] = '\n';
        return 0;
    }
    need = 48 + vb.oid_len * 11 + vb.val_oid_len * 11 + vb.n_bytes * 4;
    for (;;) {
        if (buf_reserve(b, need))
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
oid_text(const oid *o, size_t len, char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = 0;
    for (size_t i = 0; i < len && n + 12 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, ".%lu", (unsigned long)o[i]);
}

/* The first failure of a device wins the reason; later ones are counted. */
static void
dev_fail(struct dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
dev_fail(struct dev *d, const char *fmt, ...)
{
    va_list ap;
    size_t n = strlen(d->reason);

    if (n + 3 >= sizeof d->reason)
        return;
    if (n)
        n += (size_t)snprintf(d->reason + n, sizeof d->reason - n, "; ");
    va_start(ap, fmt);
    vsnprintf(d->reason + n, sizeof d->reason - n, fmt, ap);
    va_end(ap);
}

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

/* ---- SNMPv3 engine-ID discovery (RFC 3414 section 4) ------------------ */

/* Wrap @p len bytes at @p in into TLV @p tag at @p out (short lengths only:
 * the discovery message is well under 128 bytes a part). */
static size_t
ber_wrap(uint8_t tag, const uint8_t *in, size_t len, uint8_t *out)
{
    out[0] = tag;
    out[1] = (uint8_t)len;
    if (len)
        memmove(out + 2, in, len);
    return len + 2;
}

static size_t
ber_uint(uint32_t v, uint8_t *out)
{
    uint8_t tmp[5];
    size_t n = 0;

    do {
        tmp[4 - n++] = (uint8_t)v;
        v >>= 8;
    } while (v);
    if (tmp[5 - n] & 0x80)
        tmp[4 - n++] = 0;
    return ber_wrap(0x02, tmp + 5 - n, n, out);
}

static size_t
disc_build(uint32_t id, uint8_t *msg)
{
    uint8_t hdr[32], usm[32], pdu[48], body[128], t[48];
    size_t h = 0, u = 0, p = 0, b = 0, n;

    h += ber_uint(id, hdr + h);
    h += ber_uint(65507, hdr + h);
    h += ber_wrap(0x04, (const uint8_t *)"\x04", 1, hdr + h);   /* reportable, noAuthNoPriv */
    h += ber_uint(3, hdr + h);                                   /* USM */
    /* UsmSecurityParameters: engine ID, boots, time, user, auth, priv: all empty/0 */
    n = 0;
    n += ber_wrap(0x04, NULL, 0, t + n);
    n += ber_uint(0, t + n);
    n += ber_uint(0, t + n);
    n += ber_wrap(0x04, NULL, 0, t + n);
    n += ber_wrap(0x04, NULL, 0, t + n);
    n += ber_wrap(0x04, NULL, 0, t + n);
    u = ber_wrap(0x30, t, n, usm);
    /* ScopedPDU: empty context engine ID and name, GetRequest without varbinds */
    n = 0;
    n += ber_uint(id, t + n);
    n += ber_uint(0, t + n);
    n += ber_uint(0, t + n);
    n += ber_wrap(0x30, NULL, 0, t + n);
    p += ber_wrap(0x04, NULL, 0, pdu + p);
    p += ber_wrap(0x04, NULL, 0, pdu + p);
    p += ber_wrap(0xa0, t, n, pdu + p);

    b += ber_uint(3, body + b);
    b += ber_wrap(0x30, hdr, h, body + b);
    b += ber_wrap(0x04, usm, u, body + b);
    b += ber_wrap(0x30, pdu, p, body + b);
    return ber_wrap(0x30, body, b, msg);
}

struct ber {
    const uint8_t *p, *end;
};

/* Read one TLV; its value becomes @p v. */
static int
ber_next(struct ber *b, uint8_t *tag, struct ber *v)
{
    size_t len;

    if (b->end - b->p < 2)
        return -1;
    *tag = *b->p++;
    len = *b->p++;
    if (len & 0x80) {
        unsigned nb = len & 0x7f;
        if (nb == 0 || nb > 4 || (size_t)(b->end - b->p) < nb)
            return -1;
        for (len = 0; nb; nb--)
            len = (len << 8) | *b->p++;
    }
    if ((size_t)(b->end - b->p) < len)
        return -1;
    v->p = b->p;
    v->end = b->p + len;
    b->p += len;
    return 0;
}

static int
ber_get_uint(struct ber *b, uint32_t *out)
{
    uint8_t tag;
    struct ber v;
    uint64_t x = 0;

    if (ber_next(b, &tag, &v) || tag != 0x02 || v.p == v.end || v.end - v.p > 5 || (*v.p & 0x80))
        return -1;
    for (; v.p < v.end; v.p++)
        x = (x << 8) | *v.p;
    if (x > UINT32_MAX)
        return -1;
    *out = (uint32_t)x;
    return 0;
}

/* Parse a discovery Report: msgID must be ours; take engine ID, boots, time. */
static int
disc_parse(const uint8_t *pkt, size_t len, uint32_t id, u_char *eid, size_t *eid_len, uint32_t *boots,
        uint32_t *etime)
{
    struct ber b = { pkt, pkt + len }, msg, hdr, sec, usm, e;
    uint8_t tag;
    uint32_t v, msgid;

    if (ber_next(&b, &tag, &msg) || tag != 0x30 || ber_get_uint(&msg, &v) || v != 3)
        return -1;
    if (ber_next(&msg, &tag, &hdr) || tag != 0x30 || ber_get_uint(&hdr, &msgid) || msgid != id)
        return -1;
    if (ber_next(&msg, &tag, &sec) || tag != 0x04 || ber_next(&sec, &tag, &usm) || tag != 0x30)
        return -1;
    if (ber_next(&usm, &tag, &e) || tag != 0x04 || e.end == e.p || e.end - e.p > 32)
        return -1;
    *eid_len = (size_t)(e.end - e.p);
    memcpy(eid, e.p, *eid_len);
    if (ber_get_uint(&usm, boots) || ber_get_uint(&usm, etime))
        return -1;
    return 0;
}

static void
disc_send(struct loop *l, struct dev *d)
{
    uint8_t msg[256];
    size_t n = disc_build(d->disc_id, msg);

    /* A send error (no route) is treated like a lost datagram: retried, then timeout. */
    (void)send(d->disc_fd, msg, n, 0);
    d->disc_tries++;
    d->disc_deadline = now_ms() + l->o.timeout_ms;
}

/* ---- preparing a device: address, credentials -------------------------- */

static int
lookup_auth_proto(const char *name, oid **proto, size_t *len)
{
    static const struct { const char *name; oid *proto; } tab[] = {
        { "SHA", usmHMACSHA1AuthProtocol }, { "SHA1", usmHMACSHA1AuthProtocol },
        { "SHA-1", usmHMACSHA1AuthProtocol }, { "SHA-224", usmHMAC128SHA224AuthProtocol },
        { "SHA-256", usmHMAC192SHA256AuthProtocol }, { "SHA-384", usmHMAC256SHA384AuthProtocol },
        { "SHA-512", usmHMAC384SHA512AuthProtocol }, { "MD5", usmHMACMD5AuthProtocol },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcasecmp(name, tab[i].name)) {
            *proto = tab[i].proto;
            *len = USM_AUTH_PROTO_SHA_LEN;
            return 0;
        }
    return -1;
}

static int
lookup_priv_proto(const char *name, oid **proto, size_t *len)
{
    if (!strcasecmp(name, "AES") || !strcasecmp(name, "AES-128") || !strcasecmp(name, "AES128")) {
        *proto = usmAESPrivProtocol;
        *len = USM_PRIV_PROTO_AES_LEN;
    } else if (!strcasecmp(name, "AES-192") || !strcasecmp(name, "AES192")) {
        *proto = usmAES192PrivProtocol;
        *len = sizeof usmAES192PrivProtocol / sizeof(oid);
    } else if (!strcasecmp(name, "AES-256") || !strcasecmp(name, "AES256")) {
        *proto = usmAES256PrivProtocol;
        *len = sizeof usmAES256PrivProtocol / sizeof(oid);
    } else if (!strcasecmp(name, "DES")) {
        *proto = usmDESPrivProtocol;
        *len = USM_PRIV_PROTO_DES_LEN;
    } else {
        return -1;
    }
    return 0;
}

/* Read a pass phrase and turn it into the key net-snmp localizes later. */
static int
make_ku(struct dev *d, const struct inv_secret *s, const char *what, oid *hash, size_t hash_len, u_char *key,
        size_t *key_len)
{
    char pass[512];
    struct er_err e;
    int rc = -1;

    if (s->kind == INV_SECRET_NONE) {
        dev_fail(d, "auth profile '%s' has no %s pass phrase", d->inv->auth, what);
        return -1;
    }
    if (inv_secret_read(s, pass, sizeof pass, &e)) {
        dev_fail(d, "%s pass phrase: %s", what, e.msg);
        goto cleanup;
    }
    if (strlen(pass) < 8) {
        dev_fail(d, "%s pass phrase from %s is shorter than 8 characters (RFC 3414)", what,
                s->ref ? s->ref : "?");
        goto cleanup;
    }
    if (generate_Ku(hash, (u_int)hash_len, (u_char *)pass, strlen(pass), key, key_len) != SNMPERR_SUCCESS) {
        dev_fail(d, "could not derive the %s key", what);
        goto cleanup;
    }
    rc = 0;
cleanup:
    explicit_bzero(pass, sizeof pass);
    return rc;
}

static int
dev_credentials(struct dev *d, const struct inventory *inv)
{
    const struct inv_auth *a = d->inv->auth ? inv_auth_find(inv, d->inv->auth) : NULL;
    netsnmp_session *s = &d->tmpl;
    struct er_err e;

    if (!a) {
        dev_fail(d, "auth profile '%s' not found", d->inv->auth ? d->inv->auth : "(none)");
        return -1;
    }
    snmp_sess_init(s);
    s->peername = d->peer;
    if (a->snmp_version != 3) {
        if (a->community.kind == INV_SECRET_NONE) {
            dev_fail(d, "auth profile '%s' has no SNMP community", a->name);
            return -1;
        }
        if (inv_secret_read(&a->community, d->community, sizeof d->community, &e)) {
            dev_fail(d, "community: %s", e.msg);
            return -1;
        }
        s->version = SNMP_VERSION_2c;
        s->community = (u_char *)d->community;
        s->community_len = strlen(d->community);
        return 0;
    }

    d->v3 = 1;
    s->version = SNMP_VERSION_3;
    s->securityModel = SNMP_SEC_MODEL_USM;
    if (!a->v3_user || !*a->v3_user) {
        dev_fail(d, "auth profile '%s' has no SNMPv3 user", a->name);
        return -1;
    }
    s->securityName = a->v3_user;
    s->securityNameLen = strlen(a->v3_user);
    const char *level = a->v3_level ? a->v3_level
            : a->v3_priv_proto ? "authPriv" : a->v3_auth_proto ? "authNoPriv" : "noAuthNoPriv";
    if (!strcasecmp(level, "noAuthNoPriv")) {
        s->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
        return 0;
    } else if (!strcasecmp(level, "authNoPriv")) {
        s->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
    } else if (!strcasecmp(level, "authPriv")) {
        s->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
    } else {
        dev_fail(d, "auth profile '%s': unknown SNMPv3 level '%s'", a->name, level);
        return -1;
    }
    /* SHA and AES unless the profile asks for something else; MD5/DES only if named. */
    const char *ap = a->v3_auth_proto ? a->v3_auth_proto : "SHA";
    if (lookup_auth_proto(ap, &s->securityAuthProto, &s->securityAuthProtoLen)) {
        dev_fail(d, "auth profile '%s': unsupported SNMPv3 auth protocol '%s'", a->name, ap);
        return -1;
    }
    s->securityAuthKeyLen = USM_AUTH_KU_LEN;
    if (make_ku(d, &a->v3_auth_pass, "auth", s->securityAuthProto, s->securityAuthProtoLen, s->securityAuthKey,
                &s->securityAuthKeyLen))
        return -1;
    if (s->securityLevel != SNMP_SEC_LEVEL_AUTHPRIV)
        return 0;
    const char *pp = a->v3_priv_proto ? a->v3_priv_proto : "AES";
    if (lookup_priv_proto(pp, &s->securityPrivProto, &s->securityPrivProtoLen)) {
        dev_fail(d, "auth profile '%s': unsupported SNMPv3 privacy protocol '%s'", a->name, pp);
        return -1;
    }
    s->securityPrivKeyLen = USM_PRIV_KU_LEN;
    return make_ku(d, &a->v3_priv_pass, "privacy", s->securityAuthProto, s->securityAuthProtoLen,
            s->securityPrivKey, &s->securityPrivKeyLen);
}

/* FNV-1a over what makes net-snmp's USM user: two devices with the same
 * engine ID and user name share one user, so their keys must agree. */
static uint64_t
key_fingerprint(const netsnmp_session *s)
{
    uint64_t h = 1469598103934665603ull;
    const u_char *parts[] = { (const u_char *)&s->securityLevel, (const u_char *)s->securityAuthProto,
            s->securityAuthKey, (const u_char *)s->securityPrivProto, s->securityPrivKey };
    size_t lens[] = { sizeof s->securityLevel, s->securityAuthProtoLen * sizeof(oid), s->securityAuthKeyLen,
            s->securityPrivProtoLen * sizeof(oid), s->securityPrivKeyLen };

    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; parts[i] && j < lens[i]; j++)
            h = (h ^ parts[i][j]) * 1099511628211ull;
    return h;
}

static void
dev_wipe_secrets(struct dev *d)
{
    explicit_bzero(d->community, sizeof d->community);
    explicit_bzero(d->tmpl.securityAuthKey, sizeof d->tmpl.securityAuthKey);
    explicit_bzero(d->tmpl.securityPrivKey, sizeof d->tmpl.securityPrivKey);
    d->tmpl.community = NULL;
}

static int
dev_resolve(struct dev *d)
{
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM, .ai_flags = AI_NUMERICSERV }, *res = NULL;
    char port[8], host[INET6_ADDRSTRLEN];
    unsigned p = d->inv->snmp_port ? d->inv->snmp_port : 161;
    int rc;

    if (!d->inv->host || !*d->inv->host) {
        dev_fail(d, "no host");
        return -1;
    }
    snprintf(port, sizeof port, "%u", p);
    rc = getaddrinfo(d->inv->host, port, &hints, &res);
    if (rc || !res) {
        dev_fail(d, "cannot resolve %s: %s", d->inv->host, gai_strerror(rc));
        return -1;
    }
    memcpy(&d->addr, res->ai_addr, res->ai_addrlen);
    d->alen = res->ai_addrlen;
    getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, NULL, 0, NI_NUMERICHOST);
    if (res->ai_family == AF_INET6) {
        snprintf(d->peer, sizeof d->peer, "udp6:[%s]:%u", host, p);
        snprintf(d->where, sizeof d->where, "[%s]:%u", host, p);
    } else {
        snprintf(d->peer, sizeof d->peer, "udp:%s:%u", host, p);
        snprintf(d->where, sizeof d->where, "%s:%u", host, p);
    }
    freeaddrinfo(res);
    return 0;
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

/* Record the varbinds of one GETBULK response; sets d->ev. */
static void
dev_take(struct dev *d, const struct snmps_opts *o, netsnmp_pdu *pdu)
{
    const struct tdef *t = &plan[d->step];
    struct buf *out = (t->flags & T_SAMPLE2) ? &d->sample2 : &d->out;
    int filter = (t->flags & T_ROUTE) && (o->n_keep || o->keep_fn);
    char a[256], b[256];

    if (pdu->command == SNMP_MSG_REPORT) {
        dev_fail(d, "%s", usm_report_text(pdu));
        d->fatal = 1;
        d->ev = EV_DEVICE_FAIL;
        return;
    }
    if (pdu->errstat == SNMP_ERR_TOOBIG && d->reps > 1) {
        d->reps /= 2;
        d->ev = EV_RETRY;
        return;
    }
    if (pdu->errstat != SNMP_ERR_NOERROR) {
        oid_text(d->cur, d->cur_len, a, sizeof a);
        dev_fail(d, "%s: agent error %s (%ld) after %s", t->name, snmp_errstring((int)pdu->errstat), pdu->errstat,
                a);
        d->ev = EV_TABLE_FAIL;
        return;
    }
    if (!pdu->variables) {
        oid_text(d->cur, d->cur_len, a, sizeof a);
        dev_fail(d, "%s: empty GETBULK response after %s", t->name, a);
        d->ev = EV_TABLE_FAIL;
        return;
    }
    for (netsnmp_variable_list *vb = pdu->variables; vb; vb = vb->next_variable) {
        if (vb->type == SNMP_ENDOFMIBVIEW) {
            d->end_of_view = 1;
            d->ev = EV_END;
            return;
        }
        if (vb->type == SNMP_NOSUCHOBJECT || vb->type == SNMP_NOSUCHINSTANCE || vb->name_length <= t->root_len
                || snmp_oid_compare(vb->name, t->root_len, t->root, t->root_len)) {
            d->ev = EV_END;
            return;
        }
        if (snmp_oid_compare(vb->name, vb->name_length, d->cur, d->cur_len) <= 0) {
            oid_text(vb->name, vb->name_length, a, sizeof a);
            oid_text(d->cur, d->cur_len, b, sizeof b);
            dev_fail(d, "%s: agent returned non-increasing OID %s after %s", t->name, a, b);
            d->ev = EV_TABLE_FAIL;
            return;
        }
        memcpy(d->cur, vb->name, vb->name_length * sizeof(oid));
        d->cur_len = vb->name_length;
        if (++d->n_vb > o->max_varbinds) {
            oid_text(vb->name, vb->name_length, a, sizeof a);
            dev_fail(d, "%s: more than %" PRIu64 " varbinds, stopped at %s (agent loops?)", t->name, o->max_varbinds,
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
            if (col == d->first_col)
                d->rows++;
            if (filter) {
                struct pfx p;
                if (route_prefix(t->ridx, vb->name + t->root_len + 2, vb->name_length - t->root_len - 2, &p))
                    keep = route_kept(o, &p);
            }
            if (keep && col == d->first_col)
                d->kept++;
        }
        if (keep && buf_add_vb(out, vb)) {
            dev_fail(d, "%s: out of memory", t->name);
            d->ev = EV_DEVICE_FAIL;
            return;
        }
    }
    d->ev = EV_MORE;
}

static int
dev_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic)
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
        dev_fail(d, "%s", pdu ? usm_report_text(pdu) : "SNMPv3 security error");
        d->fatal = 1;
        d->ev = EV_DEVICE_FAIL;
        break;
    case NETSNMP_CALLBACK_OP_TIMED_OUT:
    case NETSNMP_CALLBACK_OP_SEND_FAILED:
        d->reqid = 0;
        if (!d->got_any && d->v3) {
            /* the engine answered discovery, so it is there: it dropped the request */
            dev_fail(d, "%s answered SNMPv3 discovery but not the first request within %.1f s (%u tries): wrong "
                    "privacy pass phrase or protocol, or no access for the user", d->where,
                    (o->retries + 1) * o->timeout_ms / 1000.0, o->retries + 1);
            d->fatal = 1;
        } else if (!d->got_any) {
            dev_fail(d, "no response from %s within %.1f s (%u tries of %u ms): agent down, filtered, or wrong "
                    "community", d->where, (o->retries + 1) * o->timeout_ms / 1000.0, o->retries + 1,
                    o->timeout_ms);
            d->fatal = 1;
        } else {
            oid_text(d->cur, d->cur_len, a, sizeof a);
            dev_fail(d, "%s: the agent stopped answering after %" PRIu64 " varbinds, at %s", plan[d->step].name,
                    d->n_vb, a);
        }
        d->ev = EV_DEVICE_FAIL;
        break;
    default:
        break;   /* resends and security notes: the request is still alive */
    }
    return 1;
}

static void
dev_send(struct dev *d, const struct snmps_opts *o)
{
    const struct tdef *t = &plan[d->step];
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETBULK);

    d->ev = EV_NONE;
    if (!pdu) {
        dev_fail(d, "out of memory");
        d->ev = EV_DEVICE_FAIL;
        return;
    }
    pdu->non_repeaters = 0;
    /* The first request of a table asks for a few rows only: when the agent
     * lacks the table, the rows it returns past it are thrown away, and on
     * some agents (snmpd: HOST-RESOURCES, UCD) they are costly to make. */
    pdu->max_repetitions = (t->flags & T_SCALAR) ? 2 : d->n_vb ? d->reps : (d->reps < FIRST_REPS ? d->reps : FIRST_REPS);
    snmp_add_null_var(pdu, d->cur, d->cur_len);
    d->reqid = snmp_sess_async_send(d->ss, pdu, dev_cb, d);
    if (!d->reqid) {
        netsnmp_session *s = snmp_sess_session(d->ss);
        dev_fail(d, "%s: cannot send to %s: %s", t->name, d->where, snmp_api_errstring(s->s_snmp_errno));
        snmp_free_pdu(pdu);
        d->fatal = 1;
        d->ev = EV_DEVICE_FAIL;
    }
}

/* ---- tables and devices ------------------------------------------------ */

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
static void
loop_write(struct loop *l, struct dev *d, const char *file, struct buf *b)
{
    struct wq_item *it;

    if (!b->len)
        return;
    it = calloc(1, sizeof *it);
    if (!it) {
        dev_fail(d, "%s: out of memory", file);
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
        fprintf(stderr, "snmp: %s: %s%s%s (%u tables, %" PRIu64 "/%" PRIu64 " routes kept)\n", it->sd.name,
                it->sd.status, it->sd.reason ? ": " : "", it->sd.reason ? it->sd.reason : "", d->tables_ok,
                it->sd.rows_kept, it->sd.rows_read);
    rc = snap_writer_device(wr->w, &it->sd, &e);
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
        buf_free(&it->b);
        free(it);
        pthread_mutex_lock(&wr->mu);
    }
    pthread_mutex_unlock(&wr->mu);
    return NULL;
}

static int
writer_start(struct writer *wr, struct snap_writer *w)
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
static void
writer_stop(struct writer *wr)
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

static void
table_start(struct dev *d)
{
    const struct tdef *t = &plan[d->step];

    memcpy(d->cur, t->root, t->root_len * sizeof(oid));
    d->cur_len = t->root_len;
    d->n_vb = d->rows = d->col_rows = d->kept = 0;
    d->first_col = d->col = 0;
    d->end_of_view = 0;
    d->out.len = 0;
    d->reps = (int)d->o->max_reps;
    if (t->flags & T_IFSTAMP)
        d->t_if = now_ms();
}

/* Move to the next table worth walking; D_DONE after the last one. */
static void
dev_next(struct dev *d)
{
    for (d->step++; d->step < N_PLAN; d->step++) {
        const struct tdef *t = &plan[d->step];
        if ((t->flags & T_FALLBACK) && d->last_rows)
            continue;
        if ((t->flags & T_SAMPLE2) && !d->o->sample_interval_ms)
            continue;
        break;
    }
    if (d->step >= N_PLAN) {
        d->st = D_DONE;
        return;
    }
    table_start(d);
    if ((plan[d->step].flags & T_SAMPLE2) && !(plan[d->step - 1].flags & T_SAMPLE2)) {
        d->wait_until = d->t_if + d->o->sample_interval_ms;
        if (now_ms() < d->wait_until) {
            d->st = D_WAIT;
            return;
        }
    }
    d->st = D_WALK;
    dev_send(d, d->o);
}

static void
table_done(struct loop *l, struct dev *d, int ok)
{
    const struct tdef *t = &plan[d->step];
    char file[96];

    /* An agent whose view ends inside a table, with the last column shorter
     * than the first, lost the rest of the table. */
    if (ok && !(t->flags & (T_SCALAR | T_SUBTREE)) && d->end_of_view && d->col != d->first_col
            && d->col_rows < d->rows) {
        char a[256];
        oid_text(d->cur, d->cur_len, a, sizeof a);
        dev_fail(d, "%s: truncated: the agent's view ends at %s with %" PRIu64 " rows in column %lu but %" PRIu64
                " in column %lu", t->name, a, d->col_rows, (unsigned long)d->col, d->rows,
                (unsigned long)d->first_col);
        ok = 0;
    }
    if (t->flags & T_ROUTE) {
        d->routes_read += d->rows;
        d->routes_kept += d->kept;
    }
    d->last_rows = d->rows;
    if (ok)
        d->tables_ok++;
    else
        d->tables_failed++;
    if (t->flags & T_SAMPLE2) {
        if (!ok)
            d->sample2.len = 0;      /* a sample with a hole is no sample */
        if (d->step + 1 == N_PLAN) {
            loop_write(l, d, "snmp/if-sample2.walk", &d->sample2);
            buf_free(&d->sample2);
        }
        return;
    }
    /* A failed table's rows are kept as evidence under a name mappers skip. */
    snprintf(file, sizeof file, "snmp/%s.walk%s", t->name, ok ? "" : ".partial");
    loop_write(l, d, file, &d->out);
}

static void dev_open(struct dev *d);

static int
same_usm(const struct dev *a, const struct dev *b)
{
    return a->v3 && b->v3 && a->engine_id_len == b->engine_id_len
            && !memcmp(a->engine_id, b->engine_id, a->engine_id_len)
            && !strcmp(a->tmpl.securityName, b->tmpl.securityName);
}

/* Forget the USM user of @p d unless another live device of the run uses it. */
static void
usm_release(struct loop *l, struct dev *d)
{
    if (!d->usm_user)
        return;
    d->usm_user = 0;
    for (size_t i = 0; i < l->n; i++)
        if (&l->devs[i] != d && l->devs[i].usm_user && same_usm(&l->devs[i], d))
            return;
    struct usmUser *u = usm_get_user(d->engine_id, d->engine_id_len, d->tmpl.securityName);
    if (u) {
        usm_remove_user(u);
        usm_free_user(u);
    }
}

/* Open the session of a discovered v3 device once no other live device
 * holds a USM user of the same engine ID and name with other keys: net-snmp
 * keys its users by (engine ID, name), so the second would silently use the
 * first one's keys (a wrong pass phrase would pass, a right one fail). */
static void
usm_claim(struct loop *l, struct dev *d)
{
    for (size_t i = 0; i < l->n; i++) {
        struct dev *o = &l->devs[i];
        if (o != d && o->usm_user && same_usm(o, d) && o->keyfp != d->keyfp)
            return;                   /* stay in D_HOLD */
    }
    int shared = 0;
    for (size_t i = 0; i < l->n; i++)
        if (&l->devs[i] != d && l->devs[i].usm_user && same_usm(&l->devs[i], d))
            shared = 1;
    if (!shared) {                    /* a stale user from an earlier run */
        struct usmUser *u = usm_get_user(d->engine_id, d->engine_id_len, d->tmpl.securityName);
        if (u) {
            usm_remove_user(u);
            usm_free_user(u);
        }
    }
    d->usm_user = 1;
    dev_open(d);
}

static void
dev_start(struct loop *l, struct dev *d)
{
    d->o = &l->o;
    d->disc_fd = -1;
    d->deadline = now_ms() + l->o.device_timeout_ms;
    if (dev_resolve(d) || dev_credentials(d, l->inv)) {
        d->fatal = 1;
        d->st = D_DONE;
        return;
    }
    d->keyfp = key_fingerprint(&d->tmpl);
    if (!d->v3) {
        dev_open(d);
        return;
    }
    d->disc_fd = socket(d->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (d->disc_fd < 0 || connect(d->disc_fd, (struct sockaddr *)&d->addr, d->alen)) {
        dev_fail(d, "engine discovery: socket to %s: %s", d->where, strerror(errno));
        d->fatal = 1;
        d->st = D_DONE;
        return;
    }
    /* Any 31-bit message ID will do; it only pairs the Report with the request. */
    d->disc_id = ((uint32_t)now_ms() * 2654435761u ^ (uint32_t)(uintptr_t)d) & 0x7fffffff;
    if (!d->disc_id)
        d->disc_id = 1;
    d->st = D_DISCOVER;
    disc_send(l, d);
}

static void
disc_read(struct loop *l, struct dev *d)
{
    uint8_t pkt[2048];
    uint32_t boots, etime;
    ssize_t n;

    while ((n = recv(d->disc_fd, pkt, sizeof pkt, 0)) >= 0) {
        if (disc_parse(pkt, (size_t)n, d->disc_id, d->engine_id, &d->engine_id_len, &boots, &etime))
            continue;     /* not our Report: ignore, as a retransmission might still come */
        close(d->disc_fd);
        d->disc_fd = -1;
        /* With engine ID, boots and time known, net-snmp neither probes nor
         * needs a notInTimeWindow round trip. */
        set_enginetime(d->engine_id, (u_int)d->engine_id_len, boots, etime, FALSE);
        d->tmpl.securityEngineID = d->engine_id;
        d->tmpl.securityEngineIDLen = d->engine_id_len;
        d->st = D_HOLD;
        usm_claim(l, d);
        return;
    }
    if (errno == ECONNREFUSED) {
        dev_fail(d, "no SNMP agent at %s (port unreachable)", d->where);
        d->fatal = 1;
        d->st = D_DONE;
    }
    (void)l;
}

static void
dev_open(struct dev *d)
{
    d->tmpl.timeout = (long)d->o->timeout_ms * 1000;
    d->tmpl.retries = (int)d->o->retries;
    d->tmpl.callback = dev_cb;
    d->tmpl.callback_magic = d;
    d->ss = snmp_sess_open(&d->tmpl);
    dev_wipe_secrets(d);
    if (!d->ss) {
        dev_fail(d, "cannot open an SNMP session to %s: %s", d->where, snmp_api_errstring(snmp_errno));
        d->fatal = 1;
        d->st = D_DONE;
        return;
    }
    d->step = (size_t)-1;
    dev_next(d);
}

/* Act on what the callback recorded. */
static void
dev_advance(struct loop *l, struct dev *d)
{
    enum dev_event ev = d->ev;

    d->ev = EV_NONE;
    switch (ev) {
    case EV_MORE:
    case EV_RETRY:
        dev_send(d, d->o);
        break;
    case EV_END:
    case EV_TABLE_FAIL:
        table_done(l, d, ev == EV_END);
        dev_next(d);
        break;
    case EV_DEVICE_FAIL:
        d->st = D_DONE;
        break;
    case EV_NONE:
        break;
    }
}

static void
dev_finish(struct loop *l, struct dev *d)
{
    struct wq_item *it;

    d->st = D_DONE;
    if (d->ss) {
        snmp_sess_close(d->ss);
        d->ss = NULL;
    }
    if (d->disc_fd >= 0) {
        close(d->disc_fd);
        d->disc_fd = -1;
    }
    usm_release(l, d);
    dev_wipe_secrets(d);
    buf_free(&d->out);
    buf_free(&d->sample2);
    it = calloc(1, sizeof *it);
    if (!it) {
        if (!l->rc)
            l->rc = er_set(&l->err, ER_ENOMEM, "out of memory");
        return;
    }
    it->d = d;
    it->sd.name = d->inv->name;
    it->sd.collectors = "snmp";
    it->sd.status = d->fatal && !d->tables_ok ? "failed" : (d->fatal || d->tables_failed) ? "partial" : "collected";
    snprintf(it->reason, sizeof it->reason, "%s", d->reason);
    it->sd.rows_read = d->routes_read;
    it->sd.rows_kept = d->routes_kept;
    wq_push(l, it);
}

/* ---- the event loop ---------------------------------------------------- */

/* net-snmp's own ZERO macro does not build against glibc's fd_set. */
static void
lfds_zero(netsnmp_large_fd_set *s)
{
    memset(s->lfs_setptr, 0, (s->lfs_setsize + NFDBITS - 1) / NFDBITS * sizeof(fd_mask));
}

static int
ms_until(uint64_t t, uint64_t now)
{
    return t <= now ? 0 : (t - now > 60000 ? 60000 : (int)(t - now));
}

static int
loop_run(struct loop *l)
{
    size_t next = 0, active = 0, cap = l->o.max_parallel;
    struct pollfd *pfd = calloc(cap, sizeof *pfd);
    struct dev **pdev = calloc(cap, sizeof *pdev);
    struct dev **live = calloc(cap, sizeof *live);
    netsnmp_large_fd_set scratch, rd;

    if (!pfd || !pdev || !live) {
        free(pfd);
        free(pdev);
        free(live);
        return -1;
    }
    netsnmp_large_fd_set_init(&scratch, FD_SETSIZE);
    netsnmp_large_fd_set_init(&rd, FD_SETSIZE);
    for (;;) {
        /* admit devices, settle what they reported, retire finished ones */
        while (active < cap && next < l->n)
            live[active++] = &l->devs[next++];
        for (size_t i = 0; i < active;) {
            struct dev *d = live[i];
            if (d->st == D_PENDING)
                dev_start(l, d);
            if (d->st == D_HOLD)
                usm_claim(l, d);
            while (d->ev != EV_NONE && d->st != D_DONE)
                dev_advance(l, d);
            if (d->st == D_DONE) {
                dev_finish(l, d);
                live[i] = live[--active];
                continue;
            }
            i++;
        }
        if (!active && next >= l->n)
            break;
        if (!active)
            continue;

        uint64_t now = now_ms();
        int tmo = 60000;
        size_t np = 0;
        for (size_t i = 0; i < active; i++) {
            struct dev *d = live[i];
            int fd = -1;
            tmo = tmo < ms_until(d->deadline, now) ? tmo : ms_until(d->deadline, now);
            if (d->st == D_DISCOVER) {
                fd = d->disc_fd;
                tmo = tmo < ms_until(d->disc_deadline, now) ? tmo : ms_until(d->disc_deadline, now);
            } else if (d->st == D_HOLD) {
                tmo = tmo < 50 ? tmo : 50;
            } else if (d->st == D_WAIT) {
                tmo = tmo < ms_until(d->wait_until, now) ? tmo : ms_until(d->wait_until, now);
            } else if (d->st == D_WALK) {
                int nfds = 0, block = 1;
                struct timeval tv = { 0, 0 };
                netsnmp_transport *tr = snmp_sess_transport(d->ss);
                fd = tr ? tr->sock : -1;
                lfds_zero(&scratch);
                snmp_sess_select_info2_flags(d->ss, &nfds, &scratch, &tv, &block, NETSNMP_SELECT_NOALARMS);
                if (!block) {
                    int t = (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
                    tmo = tmo < t ? tmo : t;
                }
            }
            if (fd >= 0) {
                pfd[np].fd = fd;
                pfd[np].events = POLLIN;
                pfd[np].revents = 0;
                pdev[np++] = d;
            }
        }
        if (poll(pfd, np, tmo) < 0 && errno != EINTR)
            break;

        lfds_zero(&rd);
        for (size_t i = 0; i < np; i++) {
            if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
                continue;
            if (pdev[i]->st == D_DISCOVER)
                disc_read(l, pdev[i]);
            else if (pdev[i]->st == D_WALK) {
                if ((unsigned)pfd[i].fd >= rd.lfs_setsize)
                    netsnmp_large_fd_set_resize(&rd, pfd[i].fd + 1);
                NETSNMP_LARGE_FD_SET(pfd[i].fd, &rd);
                snmp_sess_read2(pdev[i]->ss, &rd);
                NETSNMP_LARGE_FD_CLR(pfd[i].fd, &rd);
            }
        }
        now = now_ms();
        for (size_t i = 0; i < active; i++) {
            struct dev *d = live[i];
            if (d->st == D_WALK && d->ev == EV_NONE)
                snmp_sess_timeout(d->ss);      /* resends, or reports a timeout */
            if (d->st == D_DISCOVER && now >= d->disc_deadline) {
                if (d->disc_tries <= l->o.retries) {
                    disc_send(l, d);
                } else {
                    dev_fail(d, "no response to SNMPv3 engine discovery from %s within %.1f s (%u tries): agent down, "
                            "filtered, or not SNMPv3", d->where, d->disc_tries * l->o.timeout_ms / 1000.0,
                            d->disc_tries);
                    d->fatal = 1;
                    d->st = D_DONE;
                }
            }
            if (d->st == D_WAIT && now >= d->wait_until) {
                d->st = D_WALK;
                dev_send(d, d->o);
            }
            if (d->st != D_DONE && now >= d->deadline) {
                char a[256];
                oid_text(d->cur, d->cur_len, a, sizeof a);
                dev_fail(d, "collection took longer than %u s; stopped in %s at %s", l->o.device_timeout_ms / 1000,
                        d->step < N_PLAN ? plan[d->step].name : "discovery", a);
                d->fatal = 1;
                d->st = D_DONE;
            }
        }
    }
    netsnmp_large_fd_set_cleanup(&scratch);
    netsnmp_large_fd_set_cleanup(&rd);
    free(pfd);
    free(pdev);
    free(live);
    return 0;
}

void
snmps_opts_default(struct snmps_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = 2000;
    o->retries = 2;
    o->max_reps = 50;
    o->max_parallel = 256;
    o->device_timeout_ms = 600000;
    o->max_varbinds = 20000000;
}

er_code
snmps_collect(const struct inventory *inv, struct snap_writer *w, const struct snmps_opts *opts,
        struct er_err *err)
{
    struct loop l = { .inv = inv, .w = w };
    size_t n = 0;

    if (opts)
        l.o = *opts;
    else
        snmps_opts_default(&l.o);
    if (!l.o.timeout_ms)
        l.o.timeout_ms = 2000;
    if (!l.o.max_reps)
        l.o.max_reps = 50;
    if (!l.o.max_parallel)
        l.o.max_parallel = 256;
    if (!l.o.device_timeout_ms)
        l.o.device_timeout_ms = 600000;
    if (!l.o.max_varbinds)
        l.o.max_varbinds = 20000000;
    pthread_once(&lib_once, lib_init);

    for (size_t i = 0; i < inv->n_devices; i++)
        n += (inv->devices[i].collectors & INV_COLLECT_SNMP) != 0;
    if (!n)
        return ER_OK;
    l.devs = calloc(n, sizeof *l.devs);
    if (!l.devs)
        return er_set(err, ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < inv->n_devices; i++)
        if (inv->devices[i].collectors & INV_COLLECT_SNMP)
            l.devs[l.n++].inv = &inv->devices[i];
    if (writer_start(&l.wr, w)) {
        free(l.devs);
        return er_set(err, ER_EINTERNAL, "cannot start the snapshot writer thread");
    }
    if (loop_run(&l) && !l.rc)
        l.rc = er_set(&l.err, ER_ENOMEM, "out of memory");
    writer_stop(&l.wr);
    for (size_t i = 0; i < l.n; i++)
        dev_wipe_secrets(&l.devs[i]);
    free(l.devs);
    if (!l.rc && l.wr.rc) {
        l.rc = l.wr.rc;
        l.err = l.wr.err;
    }
    if (l.rc && err)
        *err = l.err;
    return l.rc;
}
