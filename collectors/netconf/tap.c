/**
 * @file tap.c
 * @brief Relay between an SSH "netconf" channel and libnetconf2, taking the
 * data replies off the wire as raw text.
 *
 * Why one file of ~750 lines: it is one relay state machine (both NETCONF
 * framings, the raw capture of data replies, the reply check) whose state
 * no other file should see; its parts make sense only read together.
 */
#define _GNU_SOURCE
#include "tap.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

#include "bound.h"
#include "xmlguard.h"

#define TAP_IO 65536
#define TAP_HELLO_MAX (4u << 20)
#define CAP_BASE11 "urn:ietf:params:netconf:base:1.1"

/* Where the server's byte stream is: <hello> and base:1.0 end with ]]>]]>;
 * base:1.1 messages are chunks "\n#SIZE\n..." closed by "\n##\n". */
enum tap_frame { F_HELLO, F_EOM, F_LF, F_HASH, F_SIZE0, F_SIZE, F_DATA, F_ENDLF };

/* What happens to the message being read. */
enum tap_mode { M_RELAY, M_CAPTURE, M_DISCARD };

/* A captured message not taken yet. */
struct tap_msg {
    struct tap_msg *next;
    char *buf;
    size_t len;
};

struct tap {
    ssh_session ss;
    ssh_channel ch;
    int fds[2];                  /* [0] libnetconf2's end, [1] the relay's */
    int wake;                    /* eventfd: a captured message was taken */
    int hello_ms;                /* the device's <hello> must come within this */
    char device[128];
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int dead;                    /* relay ended; why says why */
    char why[256];
    /* server -> client stream, touched by the relay thread only */
    enum tap_frame fr;
    int in_msg, eom;
    int relaying;                /* the current message goes to libnetconf2 */
    uint64_t left;
    char *hello;
    size_t hello_len;
    /* captures (lock) */
    enum tap_mode mode;          /* of the message being read */
    int want;                    /* messages still to capture */
    int discard;                 /* messages to drop (an abandoned batch) */
    char *buf;                   /* the one being captured */
    size_t len, size, max;
    struct tap_msg *head, *tail; /* captured, in order */
};

static void
tap_end(struct tap *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The relay is over: say why once, wake the waiter, and let libnetconf2
 * see end-of-file at once instead of waiting for its own timeouts. */
static void
tap_end(struct tap *t, const char *fmt, ...)
{
    va_list ap;

    pthread_mutex_lock(&t->lock);
    if (!t->dead) {
        va_start(ap, fmt);
        vsnprintf(t->why, sizeof t->why, fmt, ap);
        va_end(ap);
        t->dead = 1;
    }
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
    shutdown(t->fds[1], SHUT_RDWR);
}

static void
tap_wake(struct tap *t)
{
    uint64_t one = 1;

    if (write(t->wake, &one, sizeof one) < 0) {
        /* the counter is saturated: the relay is awake anyway */
    }
}

static int
tap_write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Next state of the "]]>]]>" matcher after @p c. */
static int
tap_eom_step(int m, char c)
{
    static const char pat[] = "]]>]]>";

    if (c == pat[m])
        return m + 1;
    /* The longest prefix of the pattern that ends here ("]]" then "]" stays "]]"). */
    if (c == ']')
        return m >= 2 ? 2 : 1;
    return 0;
}

/* Content of the current message (framing removed). */
static int
tap_content(struct tap *t, const char *p, size_t n)
{
    int capture;

    if (t->fr == F_HELLO) {
        size_t k = t->hello_len + n > TAP_HELLO_MAX ? TAP_HELLO_MAX - t->hello_len : n;
        char *h = k ? realloc(t->hello, t->hello_len + k + 1) : t->hello;

        if (!h)
            return -1;
        memcpy(h + t->hello_len, p, k);
        t->hello = h;
        t->hello_len += k;
        t->hello[t->hello_len] = '\0';
        return 0;
    }
    pthread_mutex_lock(&t->lock);
    capture = t->mode == M_CAPTURE;    /* tap_abandon() may have turned it to discard */
    pthread_mutex_unlock(&t->lock);
    if (!capture || !n)
        return 0;
    if (t->len + n > t->max) {
        tap_end(t, "reply larger than the limit of %zu bytes (max_reply_bytes, %s): stopped reading it", t->max,
                BOUND_ENV);
        return -1;
    }
    if (t->len + n + 1 > t->size) {
        size_t size = t->size ? t->size : TAP_IO;
        char *b;

        while (size < t->len + n + 1)
            size *= 2;
        if (!(b = realloc(t->buf, size))) {
            tap_end(t, "out of memory for a reply of %zu bytes", t->len + n);
            return -1;
        }
        t->buf = b;
        t->size = size;
    }
    memcpy(t->buf + t->len, p, n);
    t->len += n;
    t->buf[t->len] = '\0';
    return 0;
}

/* A message starts: relay it, capture it, or drop it. */
static void
tap_msg_start(struct tap *t)
{
    t->in_msg = 1;
    pthread_mutex_lock(&t->lock);
    if (t->fr == F_HELLO) {
        t->mode = M_RELAY;
    } else if (t->discard) {
        t->discard--;
        t->mode = M_DISCARD;
    } else if (t->want) {
        t->want--;
        t->mode = M_CAPTURE;
        t->len = 0;
    } else {
        t->mode = M_RELAY;
    }
    t->relaying = t->mode == M_RELAY;
    pthread_mutex_unlock(&t->lock);
}

/* A message is complete. */
static int
tap_msg_end(struct tap *t)
{
    struct tap_msg *m;

    t->in_msg = 0;
    if (t->fr == F_HELLO) {
        /* libnetconf2 always offers base:1.1; the server decides. */
        t->fr = t->hello && strstr(t->hello, CAP_BASE11) ? F_LF : F_EOM;
        free(t->hello);
        t->hello = NULL;
        return 0;
    }
    pthread_mutex_lock(&t->lock);
    if (t->mode == M_CAPTURE) {
        if (!(m = calloc(1, sizeof *m))) {
            pthread_mutex_unlock(&t->lock);
            tap_end(t, "out of memory");
            return -1;
        }
        if (!t->buf && !(t->buf = calloc(1, 1))) {
            free(m);
            pthread_mutex_unlock(&t->lock);
            tap_end(t, "out of memory");
            return -1;
        }
        if (t->fr == F_EOM && t->len >= 6)
            t->buf[t->len -= 6] = '\0';
        m->buf = t->buf;
        m->len = t->len;
        t->buf = NULL;
        t->len = t->size = 0;
        if (t->tail)
            t->tail->next = m;
        else
            t->head = m;
        t->tail = m;
        pthread_cond_broadcast(&t->cond);
    }
    t->mode = M_RELAY;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

/* Bytes from the server: follow the framing, relay or capture each message. */
static int
tap_feed(struct tap *t, const char *p, size_t n)
{
    size_t i = 0, from = 0;

    while (i < n) {
        if (!t->in_msg) {
            tap_msg_start(t);
            from = i;
        }
        if (t->fr == F_HELLO || t->fr == F_EOM) {
            size_t start = i;
            int done = 0;

            while (i < n && !done)
                done = (t->eom = tap_eom_step(t->eom, p[i++])) == 6;
            if (tap_content(t, p + start, i - start))
                return -1;
            if (done) {
                t->eom = 0;
                if (t->relaying && tap_write_all(t->fds[1], p + from, i - from))
                    goto lost;
                if (tap_msg_end(t))
                    return -1;
            }
            continue;
        }
        switch (t->fr) {
        case F_LF:
            if (p[i++] != '\n')
                goto bad;
            t->fr = F_HASH;
            break;
        case F_HASH:
            if (p[i++] != '#')
                goto bad;
            t->fr = F_SIZE0;
            break;
        case F_SIZE0:
            if (p[i] == '#')
                t->fr = F_ENDLF;
            else if (p[i] >= '1' && p[i] <= '9')
                t->left = p[i] - '0', t->fr = F_SIZE;
            else
                goto bad;
            i++;
            break;
        case F_SIZE:
            if (p[i] >= '0' && p[i] <= '9') {
                t->left = t->left * 10 + (p[i] - '0');
                if (t->left > UINT32_MAX)
                    goto bad;
            } else if (p[i] == '\n') {
                t->fr = F_DATA;
            } else {
                goto bad;
            }
            i++;
            break;
        case F_DATA: {
            size_t k = t->left < n - i ? (size_t)t->left : n - i;

            if (tap_content(t, p + i, k))
                return -1;
            i += k;
            t->left -= k;
            if (!t->left)
                t->fr = F_LF;
            break;
        }
        case F_ENDLF:
            if (p[i++] != '\n')
                goto bad;
            t->fr = F_LF;
            if (t->relaying && tap_write_all(t->fds[1], p + from, i - from))
                goto lost;
            if (tap_msg_end(t))
                return -1;
            break;
        default:
            goto bad;
        }
    }
    if (t->in_msg && t->mode == M_RELAY && i > from && tap_write_all(t->fds[1], p + from, i - from))
        goto lost;
    return 0;
bad:
    tap_end(t, "bad NETCONF framing from the device (byte 0x%02x)", (unsigned char)p[i - (i ? 1 : 0)]);
    return -1;
lost:
    tap_end(t, "libnetconf2 closed the session");
    return -1;
}

static long long
tap_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void *
tap_relay(void *arg)
{
    struct tap *t = arg;
    char *buf = malloc(TAP_IO);
    int sfd = ssh_get_fd(t->ss);
    long long hello_by = tap_now_ms() + t->hello_ms;

    if (!buf) {
        tap_end(t, "out of memory");
        return NULL;
    }
    for (;;) {
        struct pollfd pfd[3] = {{.fd = t->fds[1], .events = POLLIN}, {.fd = t->wake, .events = POLLIN},
                                {.fd = sfd, .events = POLLIN}};
        int paused, n, wait = 1000;

        /* Backpressure: while a captured reply waits to be taken, stop reading
         * the device, so that memory stays bounded by max_reply_bytes. */
        pthread_mutex_lock(&t->lock);
        paused = t->head != NULL;
        pthread_mutex_unlock(&t->lock);
        if (!paused) {
            n = ssh_channel_read_nonblocking(t->ch, buf, TAP_IO, 0);
            if (n > 0) {
                if (tap_feed(t, buf, n))
                    break;
                continue;
            }
            if (n == SSH_EOF || (n == 0 && (ssh_channel_is_eof(t->ch) || !ssh_channel_is_open(t->ch)))) {
                tap_end(t, "connection closed by the device");
                break;
            }
            if (n < 0) {
                tap_end(t, "connection lost (%s)", ssh_get_error(t->ss));
                break;
            }
        }
        /* libnetconf2 waits a minute for <hello>: the connect timeout is ours. */
        if (t->fr == F_HELLO) {
            long long left = hello_by - tap_now_ms();

            if (left <= 0) {
                tap_end(t, "no <hello> from the device within %d ms", t->hello_ms);
                break;
            }
            wait = left < wait ? (int)left : wait;
        }
        if (poll(pfd, paused ? 2 : 3, wait) < 0 && errno != EINTR) {
            tap_end(t, "poll: %s", strerror(errno));
            break;
        }
        if (pfd[1].revents) {
            uint64_t v;

            if (read(t->wake, &v, sizeof v) < 0) {
                /* nothing to read: fine */
            }
        }
        if (pfd[0].revents) {
            ssize_t k = read(t->fds[1], buf, TAP_IO);

            if (k <= 0) {
                tap_end(t, "session closed");
                break;
            }
            if (ssh_channel_write(t->ch, buf, (uint32_t)k) != k) {
                tap_end(t, "connection lost (%s)", ssh_get_error(t->ss));
                break;
            }
        }
    }
    free(buf);
    return NULL;
}

er_code
tap_open(ssh_session ss, const char *device, int hello_ms, int *fd, struct tap **out, struct er_err *err)
{
    struct tap *t = calloc(1, sizeof *t);
    pthread_condattr_t ca;
    er_code rc;

    *out = NULL;
    if (!t) {
        ssh_disconnect(ss);
        ssh_free(ss);
        return er_set(err, ER_ENOMEM, "device %s: out of memory", device);
    }
    t->ss = ss;
    t->hello_ms = hello_ms > 0 ? hello_ms : 60000;
    t->fds[0] = t->fds[1] = t->wake = -1;
    snprintf(t->device, sizeof t->device, "%s", device);
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, t->fds) ||
            (t->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) {
        rc = er_set(err, ER_ECOLLECT, "device %s: socketpair: %s", device, strerror(errno));
        goto fail;
    }
    if (!(t->ch = ssh_channel_new(ss)) || ssh_channel_open_session(t->ch) != SSH_OK) {
        rc = er_set(err, ER_ECOLLECT, "device %s: cannot open an SSH channel: %s", device, ssh_get_error(ss));
        goto fail;
    }
    if (ssh_channel_request_subsystem(t->ch, "netconf") != SSH_OK) {
        rc = er_set(err, ER_ECOLLECT, "device %s: the SSH server refused the netconf subsystem: %s", device,
                ssh_get_error(ss));
        goto fail;
    }
    if (pthread_create(&t->thread, NULL, tap_relay, t)) {
        rc = er_set(err, ER_ENOMEM, "device %s: cannot start a thread", device);
        goto fail;
    }
    t->started = 1;
    *fd = t->fds[0];
    *out = t;
    return ER_OK;
fail:
    t->dead = 1;
    tap_close(t);
    return rc;
}

void
tap_arm(struct tap *t, size_t max)
{
    pthread_mutex_lock(&t->lock);
    t->max = max;
    t->want++;
    pthread_mutex_unlock(&t->lock);
}

void
tap_abandon(struct tap *t)
{
    struct tap_msg *m;

    pthread_mutex_lock(&t->lock);
    while ((m = t->head)) {
        t->head = m->next;
        free(m->buf);
        free(m);
    }
    t->tail = NULL;
    /* Replies still on their way are dropped, not handed to libnetconf2. */
    t->discard += t->want + (t->mode == M_CAPTURE);
    t->want = 0;
    if (t->mode == M_CAPTURE) {
        t->mode = M_DISCARD;
        t->discard--;
    }
    pthread_mutex_unlock(&t->lock);
    tap_wake(t);
}

er_code
tap_take(struct tap *t, int timeout_ms, const char *what, char **buf, size_t *len, struct er_err *err)
{
    struct timespec dl;
    struct tap_msg *m = NULL;
    int timedout = 0, more;
    er_code rc = ER_OK;

    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_sec += timeout_ms / 1000;
    dl.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_sec++;
        dl.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&t->lock);
    while (!t->head && !t->dead && !timedout)
        timedout = pthread_cond_timedwait(&t->cond, &t->lock, &dl) == ETIMEDOUT;
    if ((m = t->head)) {
        t->head = m->next;
        if (!t->head)
            t->tail = NULL;
        *buf = m->buf;
        *len = m->len;
        free(m);
    } else if (t->dead) {
        rc = er_set(err, ER_ECOLLECT, "device %s: %s %s the reply to %s", t->device, t->why,
                t->mode == M_CAPTURE ? "while reading" : "before", what);
    } else {
        rc = er_set(err, ER_ECOLLECT, "device %s: timeout: no reply to %s within %d ms", t->device, what,
                timeout_ms);
    }
    more = t->head != NULL;
    pthread_mutex_unlock(&t->lock);
    if (rc)
        tap_end(t, "stopped");
    else if (!more)
        tap_wake(t);
    return rc;
}

const char *
tap_error(struct tap *t)
{
    const char *why;

    pthread_mutex_lock(&t->lock);
    why = t->dead ? t->why : NULL;
    pthread_mutex_unlock(&t->lock);
    return why;
}

int
tap_alive(struct tap *t)
{
    int alive;

    pthread_mutex_lock(&t->lock);
    alive = !t->dead;
    pthread_mutex_unlock(&t->lock);
    return alive;
}

void
tap_close(struct tap *t)
{
    if (!t)
        return;
    if (t->started)
        tap_abandon(t);
    /* The relay sees end-of-file from libnetconf2's side and stops. */
    if (t->fds[0] >= 0)
        shutdown(t->fds[0], SHUT_RDWR);
    if (t->started)
        pthread_join(t->thread, NULL);
    if (t->ch) {
        ssh_channel_close(t->ch);
        ssh_channel_free(t->ch);
    }
    ssh_disconnect(t->ss);
    ssh_free(t->ss);
    for (int i = 0; i < 2; i++) {
        if (t->fds[i] >= 0)
            close(t->fds[i]);
    }
    if (t->wake >= 0)
        close(t->wake);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
    free(t->hello);
    free(t->buf);
    free(t);
}

/* What the SAX pass over a reply finds. */
struct tap_sax {
    xmlParserCtxtPtr ctxt;
    int depth, root_ok, error, in_tag, in_msg, dtd;
    char msgid[32], tag[64], msg[384];
    char xmlerr[256];
    int xmlline;
};

static void
tap_sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nb_ns,
        const xmlChar **ns, int nb_attr, int nb_def, const xmlChar **attrs)
{
    struct tap_sax *s = ctx;
    const char *name = (const char *)local;

    (void)prefix, (void)nb_ns, (void)ns, (void)nb_def;
    /* As the readers of the stored reply (xmlguard.h): deeper is refused. */
    if (++s->depth > (int)xmlParserMaxDepth && !s->xmlerr[0]) {
        snprintf(s->xmlerr, sizeof s->xmlerr, "elements nested deeper than %u levels: refused", xmlParserMaxDepth);
        s->xmlline = xmlSAX2GetLineNumber(s->ctxt);
        xmlStopParser(s->ctxt);
        return;
    }
    if (s->depth == 1) {
        s->root_ok = !strcmp(name, "rpc-reply") && uri && !strcmp((const char *)uri,
                "urn:ietf:params:xml:ns:netconf:base:1.0");
        /* attributes come as (localname, prefix, URI, value, end) */
        for (int i = 0; i < nb_attr; i++) {
            const xmlChar **a = attrs + 5 * i;

            if (!strcmp((const char *)a[0], "message-id"))
                snprintf(s->msgid, sizeof s->msgid, "%.*s", (int)(a[4] - a[3]), (const char *)a[3]);
        }
    } else if (s->depth == 2 && !strcmp(name, "rpc-error")) {
        s->error++;
    } else if (s->depth == 3 && s->error == 1) {
        s->in_tag = !strcmp(name, "error-tag");
        s->in_msg = !strcmp(name, "error-message");
    }
}

static void
tap_sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    struct tap_sax *s = ctx;

    (void)local, (void)prefix, (void)uri;
    s->depth--;
    s->in_tag = s->in_msg = 0;
}

static void
tap_sax_text(void *ctx, const xmlChar *ch, int len)
{
    struct tap_sax *s = ctx;
    char *dst = s->in_tag ? s->tag : s->in_msg ? s->msg : NULL;
    size_t size = s->in_tag ? sizeof s->tag : sizeof s->msg, have;

    if (!dst)
        return;
    have = strlen(dst);
    snprintf(dst + have, size - have, "%.*s", len, (const char *)ch);
}

/* A DOCTYPE: stopped before any entity is declared (see xmlguard.h). */
static void
tap_sax_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    struct tap_sax *s = ctx;

    (void)name, (void)external_id, (void)system_id;
    if (!s->dtd) {
        s->dtd = 1;
        s->xmlline = xmlSAX2GetLineNumber(s->ctxt);
        snprintf(s->xmlerr, sizeof s->xmlerr, "%s", XG_DTD_REFUSED);
    }
    xmlStopParser(s->ctxt);
}

static void
tap_sax_error(void *ctx, xmlErrorPtr e)
{
    struct tap_sax *s = ctx;
    struct xg_err w;

    if (s->xmlerr[0] || !e || e->level < XML_ERR_ERROR)
        return;
    xg_word(e, &w);
    snprintf(s->xmlerr, sizeof s->xmlerr, "%s", w.msg);
    s->xmlline = e->line;
}

er_code
tap_check_reply(const char *device, const char *buf, size_t len, uint64_t msgid, const char *what,
        struct er_err *err)
{
    xmlSAXHandler h;
    xmlParserCtxtPtr ctxt;
    struct tap_sax s;
    char want[32];
    int wf;

    memset(&h, 0, sizeof h);
    memset(&s, 0, sizeof s);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = tap_sax_start;
    h.endElementNs = tap_sax_end;
    h.characters = tap_sax_text;
    h.serror = tap_sax_error;
    h.internalSubset = tap_sax_doctype;
    h.externalSubset = tap_sax_doctype;
    ctxt = xmlCreatePushParserCtxt(&h, &s, NULL, 0, NULL);
    if (!ctxt)
        return er_set(err, ER_ENOMEM, "device %s: out of memory", device);
    s.ctxt = ctxt;
    xmlCtxtUseOptions(ctxt, xg_options(XML_PARSE_NONET));
    /* In pieces: libxml2 refuses to look ahead over 10 MB at once. */
    wf = 1;
    for (size_t off = 0; wf && off < len;) {
        size_t k = len - off > (1u << 20) ? (1u << 20) : len - off;

        xmlParseChunk(ctxt, buf + off, (int)k, 0);
        off += k;
        wf = ctxt->wellFormed && !s.dtd && !s.xmlerr[0];
    }
    if (wf)
        xmlParseChunk(ctxt, NULL, 0, 1);
    wf = ctxt->wellFormed && !s.xmlerr[0] && !s.dtd;
    xmlFreeParserCtxt(ctxt);
    if (!wf)
        return er_set(err, ER_ECOLLECT, "device %s: malformed reply to %s: line %d: %s", device, what, s.xmlline,
                s.xmlerr[0] ? s.xmlerr : "not well-formed XML");
    if (!s.root_ok)
        return er_set(err, ER_ECOLLECT, "device %s: malformed reply to %s: not a NETCONF <rpc-reply>", device, what);
    snprintf(want, sizeof want, "%" PRIu64, msgid);
    if (strcmp(s.msgid, want))
        return er_set(err, ER_ECOLLECT, "device %s: malformed reply to %s: message-id \"%s\", expected \"%s\"",
                device, what, s.msgid, want);
    if (s.error)
        return er_set(err, ER_ECOLLECT, "device %s: %s refused: %s%s%s", device, what,
                s.tag[0] ? s.tag : "rpc-error", s.msg[0] ? ": " : "", s.msg);
    return ER_OK;
}
