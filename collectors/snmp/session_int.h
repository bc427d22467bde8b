/**
 * @file session_int.h
 * @brief Internals shared by the files of the live SNMP collector
 * (session.c: event loop; session_walk.c: tables and GETBULK walks;
 * session_v3.c: engine discovery, credentials, USM users; session_out.c:
 * walk text and the snapshot writer thread). Not for other modules.
 */
#ifndef ER_SNMP_SESSION_INT_H
#define ER_SNMP_SESSION_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "session.h"

/* What a table walk is, and what to do with its rows. */
#define T_SCALAR   0x01  /* scalars: no row checks */
#define T_SUBTREE  0x02  /* several tables under one root: no row checks */
#define T_ROUTE    0x04  /* rows are routes: filter and count them */
#define T_FALLBACK 0x08  /* walked only when the previous table had no rows */
#define T_SAMPLE2  0x10  /* second IF-MIB sample, into if-sample2.walk */
#define T_IFSTAMP  0x20  /* start of the first IF-MIB sample */

enum route_idx { RI_NONE, RI_BGP4PATH, RI_INETCIDR, RI_IPCIDR };

struct tdef {
    const char *name;
    oid root[16];
    size_t root_len;
    unsigned flags;
    enum route_idx ridx;
    unsigned reps;               /* max-repetitions for this walk; 0: the options' */
    oid stop;                    /* end at the first sub-identifier (after the root) >= stop; 0: none */
    int bgp;                     /* a BGP peer table: its source (enum mib_bgp_src) + 1; 0: not one */
};

/* The kept rows of a route table walk: a hash of each row's index and the
 * columns (bits) it showed; rows some columns lack were cut by a change
 * during the walk. */
struct rowset {
    uint64_t *keys;              /* 0: empty slot */
    uint64_t *cols;
    size_t n, cap;
};

/* D_HOLD: a v3 device waits until another device of this run that shares
 * its engine ID and user name, with other keys, is done (see snmps_usm_claim). */
enum dstate { D_PENDING, D_DISCOVER, D_HOLD, D_WALK, D_WAIT, D_DONE };

/* What the last callback reported; acted on by the loop. */
enum dev_event { EV_NONE, EV_PROBED, EV_MORE, EV_RETRY, EV_END, EV_TABLE_FAIL, EV_DEVICE_FAIL };

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
    int probing;                 /* the request in flight is the table probe */
    uint32_t present;            /* bit i: the agent has something under snmps_plan[i] */
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
    uint64_t col_max;            /* most rows any column of the current table had */
    struct rowset rowset;        /* kept rows of the current route table */
    struct snap_table tables[SNAP_TABLES_MAX]; /* route tables walked, for the manifest */
    size_t n_tables;
    uint64_t bgp_peers[4];       /* peer rows per BGP source (enum mib_bgp_src) */
    int degraded;                /* rows cut by a change during a walk: partial */
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

extern const struct tdef snmps_plan[];
extern const size_t snmps_n_plan;

/* session.c */
/** @brief Monotonic clock in milliseconds. */
uint64_t snmps_now_ms(void);
/** @brief Add a failure to the device's reason (the first ones are kept; no secrets). */
void snmps_fail(struct dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** @brief ".1.3.6..." of an OID into @p buf (cut to @p size). */
void snmps_oid_text(const oid *o, size_t len, char *buf, size_t size);
/** @brief Open the device's net-snmp session (secrets wiped after) and start the first table. */
void snmps_open(struct dev *d);

/* session_walk.c */
/** @brief net-snmp callback of every device session: records the outcome in d->ev. */
int snmps_cb(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu, void *magic);
/** @brief Send the next GETBULK of the current table (d->ev set on failure). */
void snmps_send(struct dev *d, const struct snmps_opts *o);
/** @brief Go to the next table worth walking (waits for the sample interval; D_DONE after the last). */
void snmps_next(struct dev *d);
/* session_rows.c */
/** @brief Hash of a row's index sub-identifiers (never 0). */
uint64_t snmps_rowset_hash(const oid *ix, size_t n);
/** @brief Record column @p col of the row with index hash @p h. @return 0, -1 out of memory. */
int snmps_rowset_add(struct rowset *rs, uint64_t h, oid col);
/** @brief Rows that lack a column other rows of the set have. */
uint64_t snmps_rowset_incomplete(const struct rowset *rs);
/** @brief Free a route table's row set (and empty it). */
void snmps_rowset_free(struct rowset *rs);
/** @brief A table walk ended (@p ok 0: failed): checks, counts, walk file. */
void snmps_table_done(struct loop *l, struct dev *d, int ok);

/* session_v3.c */
/** @brief Resolve the device's host and SNMP port into d->addr, d->peer. @return 0, -1 (reason set). */
int snmps_resolve(struct dev *d);
/** @brief Fill the session template from the auth profile and its secrets. @return 0, -1 (reason set). */
int snmps_credentials(struct dev *d, const struct inventory *inv);
/** @brief Fingerprint of the level, protocols and keys of a v3 session template. */
uint64_t snmps_key_fingerprint(const netsnmp_session *s);
/** @brief Zero the community and keys held for the device. */
void snmps_wipe_secrets(struct dev *d);
/** @brief Send (again) the engine-ID discovery message of a v3 device. */
void snmps_disc_send(struct loop *l, struct dev *d);
/** @brief Read discovery Reports; on success the session is opened (or held). */
void snmps_disc_read(struct loop *l, struct dev *d);
/** @brief Open a discovered v3 device unless another live one holds its USM user with other keys. */
void snmps_usm_claim(struct loop *l, struct dev *d);
/** @brief Drop the device's USM user when no other live device uses it. */
void snmps_usm_release(struct loop *l, struct dev *d);

/* session_out.c */
/** @brief Make room for @p more bytes. @return 0, -1 out of memory. */
int snmps_buf_reserve(struct buf *b, size_t more);
/** @brief Free and empty a buffer. */
void snmps_buf_free(struct buf *b);
/** @brief Append a varbind as `snmpbulkwalk -On` prints it. @return 0, -1 out of memory. */
int snmps_buf_add_vb(struct buf *b, const netsnmp_variable_list *v);
/** @brief Hand a walk file to the writer thread; @p b is left empty. */
void snmps_write(struct loop *l, struct dev *d, const char *file, struct buf *b);
/** @brief Queue the device's status (after its files). */
void snmps_write_status(struct loop *l, struct dev *d);
/** @brief Start the writer thread. @return 0, -1. */
int snmps_writer_start(struct writer *wr, struct snap_writer *w);
/** @brief Write what is queued and stop the writer thread. */
void snmps_writer_stop(struct writer *wr);

#endif
