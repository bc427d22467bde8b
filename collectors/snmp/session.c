/**
 * @file session.c
 * @brief The live SNMP collector: many devices, one event loop.
 *
 * Each device is a small state machine: (v3 only) engine-ID discovery on a
 * plain UDP socket, a probe of which tables the agent has, then one GETBULK
 * walk after another over those tables of the plan (session_walk.c), one
 * request in flight. Callbacks only record
 * what came back; the loop decides what to send next, so no net-snmp call is
 * made from inside net-snmp.
 */
#include "session_int.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/library/large_fd_set.h>
#include "progress.h"

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
    if (getenv("ERAUDIT_SNMP_DEBUG")) {
        /* net-snmp debug tokens, e.g. "usm,sess_process_packet" (packets, no secrets) */
        debug_register_tokens(getenv("ERAUDIT_SNMP_DEBUG"));
        snmp_set_do_debugging(1);
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_STDERR, LOG_DEBUG);
    } else {
        /* The library's own messages (missing MIB files, packet errors) would
         * only be noise on our stderr: every failure becomes a device reason. */
        netsnmp_register_loghandler(NETSNMP_LOGHANDLER_NONE, LOG_DEBUG);
    }
    init_snmp("eraudit");
}

uint64_t
snmps_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
snmps_oid_text(const oid *o, size_t len, char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = 0;
    for (size_t i = 0; i < len && n + 12 < size; i++)
        n += (size_t)snprintf(buf + n, size - n, ".%lu", (unsigned long)o[i]);
}

/* Failures are appended to the device's reason, "; " between, while they fit. */
void
snmps_fail(struct dev *d, const char *fmt, ...)
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

static void
dev_start(struct loop *l, struct dev *d)
{
    d->o = &l->o;
    d->disc_fd = -1;
    d->deadline = snmps_now_ms() + l->o.device_timeout_ms;
    progress_report(d->inv->name, "snmp", PROGRESS_STARTED);
    if (snmps_resolve(d) || snmps_credentials(d, l->inv)) {
        d->fatal = 1;
        d->st = D_DONE;
        return;
    }
    d->keyfp = snmps_key_fingerprint(&d->tmpl);
    if (!d->v3) {
        snmps_open(d);
        return;
    }
    d->disc_fd = socket(d->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (d->disc_fd < 0 || connect(d->disc_fd, (struct sockaddr *)&d->addr, d->alen)) {
        snmps_fail(d, "engine discovery: socket to %s: %s", d->where, strerror(errno));
        d->fatal = 1;
        d->st = D_DONE;
        return;
    }
    /* Any 31-bit message ID will do; it only pairs the Report with the request. */
    d->disc_id = ((uint32_t)snmps_now_ms() * 2654435761u ^ (uint32_t)(uintptr_t)d) & 0x7fffffff;
    if (!d->disc_id)
        d->disc_id = 1;
    d->st = D_DISCOVER;
    snmps_disc_send(l, d);
}

void
snmps_open(struct dev *d)
{
    d->tmpl.timeout = (long)d->o->timeout_ms * 1000;
    d->tmpl.retries = (int)d->o->retries;
    d->tmpl.callback = snmps_cb;
    d->tmpl.callback_magic = d;
    d->ss = snmp_sess_open(&d->tmpl);
    snmps_wipe_secrets(d);
    if (!d->ss) {
        snmps_fail(d, "cannot open an SNMP session to %s: %s", d->where, snmp_api_errstring(snmp_errno));
        d->fatal = 1;
        d->st = D_DONE;
        return;
    }
    d->step = (size_t)-1;
    d->present = ~0u;
    d->probing = 1;
    d->st = D_WALK;
    snmps_send(d, d->o);
}

/* Act on what the callback recorded. */
static void
dev_advance(struct loop *l, struct dev *d)
{
    enum dev_event ev = d->ev;

    d->ev = EV_NONE;
    switch (ev) {
    case EV_PROBED:
        snmps_next(d);
        break;
    case EV_MORE:
    case EV_RETRY:
        snmps_send(d, d->o);
        break;
    case EV_END:
    case EV_TABLE_FAIL:
        snmps_table_done(l, d, ev == EV_END);
        snmps_next(d);
        break;
    case EV_DEVICE_FAIL:
        /* the table being walked when the device gave up is a failed one */
        if (d->st == D_WALK && d->step < snmps_n_plan && d->got_any)
            snmps_table_done(l, d, 0);
        d->st = D_DONE;
        break;
    case EV_NONE:
        break;
    }
}

static void
dev_finish(struct loop *l, struct dev *d)
{
    d->st = D_DONE;
    if (d->ss) {
        snmp_sess_close(d->ss);
        d->ss = NULL;
    }
    if (d->disc_fd >= 0) {
        close(d->disc_fd);
        d->disc_fd = -1;
    }
    snmps_usm_release(l, d);
    snmps_wipe_secrets(d);
    snmps_buf_free(&d->out);
    snmps_buf_free(&d->sample2);
    snmps_write_status(l, d);
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
                snmps_usm_claim(l, d);
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

        uint64_t now = snmps_now_ms();
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
                snmps_disc_read(l, pdev[i]);
            else if (pdev[i]->st == D_WALK) {
                if ((unsigned)pfd[i].fd >= rd.lfs_setsize)
                    netsnmp_large_fd_set_resize(&rd, pfd[i].fd + 1);
                NETSNMP_LARGE_FD_SET(pfd[i].fd, &rd);
                snmp_sess_read2(pdev[i]->ss, &rd);
                NETSNMP_LARGE_FD_CLR(pfd[i].fd, &rd);
            }
        }
        now = snmps_now_ms();
        for (size_t i = 0; i < active; i++) {
            struct dev *d = live[i];
            if (d->st == D_WALK && d->ev == EV_NONE)
                snmp_sess_timeout(d->ss);      /* resends, or reports a timeout */
            if (d->st == D_DISCOVER && now >= d->disc_deadline) {
                if (d->disc_tries <= l->o.retries) {
                    snmps_disc_send(l, d);
                } else {
                    snmps_fail(d, "no response to SNMPv3 engine discovery from %s within %.1f s (%u tries): agent down, "
                            "filtered, or not SNMPv3", d->where, d->disc_tries * l->o.timeout_ms / 1000.0,
                            d->disc_tries);
                    d->fatal = 1;
                    d->st = D_DONE;
                }
            }
            if (d->st == D_WAIT && now >= d->wait_until) {
                d->st = D_WALK;
                snmps_send(d, d->o);
            }
            if (d->st != D_DONE && now >= d->deadline) {
                char a[256];
                snmps_oid_text(d->cur, d->cur_len, a, sizeof a);
                snmps_fail(d, "collection took longer than %u s; stopped in %s at %s", l->o.device_timeout_ms / 1000,
                        d->st == D_WALK && d->step < snmps_n_plan ? snmps_plan[d->step].name : "discovery", a);
                d->fatal = 1;
                if (d->st == D_WALK && d->step < snmps_n_plan && d->got_any)
                    snmps_table_done(l, d, 0);
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

static er_code
collect_locked(const struct inventory *inv, struct snap_writer *w, const struct snmps_opts *opts,
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
    if (snmps_writer_start(&l.wr, w)) {
        free(l.devs);
        return er_set(err, ER_EINTERNAL, "cannot start the snapshot writer thread");
    }
    if (loop_run(&l) && !l.rc)
        l.rc = er_set(&l.err, ER_ENOMEM, "out of memory");
    snmps_writer_stop(&l.wr);
    for (size_t i = 0; i < l.n; i++) {
        snmps_wipe_secrets(&l.devs[i]);
        snmps_rowset_free(&l.devs[i].rowset);
    }
    free(l.devs);
    if (!l.rc && l.wr.rc) {
        l.rc = l.wr.rc;
        l.err = l.wr.err;
    }
    if (l.rc && err)
        *err = l.err;
    return l.rc;
}

/* net-snmp's USM users and engine times are process-wide: one collection
 * at a time. */
static pthread_mutex_t collect_lock = PTHREAD_MUTEX_INITIALIZER;

er_code
snmps_collect(const struct inventory *inv, struct snap_writer *w, const struct snmps_opts *opts,
        struct er_err *err)
{
    er_code rc;

    pthread_mutex_lock(&collect_lock);
    rc = collect_locked(inv, w, opts, err);
    pthread_mutex_unlock(&collect_lock);
    return rc;
}
