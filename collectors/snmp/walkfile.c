/**
 * @file walkfile.c
 * @brief Walk files: the text `snmpbulkwalk -On` prints, read into varbinds
 * (walkfile_print.c writes them back: the exact inverse of this reader for
 * what net-snmp prints without MIBs).
 *
 * The reader is a hand-written scanner over the whole file in memory: no
 * regex and no allocation per line (decoded octets go to one growing
 * buffer), since a device's routing table walk can hold 100k varbinds. For
 * the same reason a line's OID is converted only from where its text first
 * differs from the line before (wf_line_oid()).
 *
 * Over 600 lines: the scanner and the OID/value decoders it drives are one
 * state machine over the file; the writer is walkfile_print.c.
 */
#include "mib.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bound.h"

/* The scanner's state over one file. */
struct wf {
    const char *name;
    const char *p, *end;
    int line;
    uint32_t oid[SNMP_OID_MAX];
    size_t oid_len;
    const char *oid_text;          /* where the OID in oid[] was read, NULL before the first */
    size_t oid_ends[SNMP_OID_MAX]; /* offset in it of the end of each sub-identifier */
    size_t oid_same;               /* leading sub-identifiers the same as on the OID line before */
    uint32_t prev[SNMP_OID_MAX];
    size_t prev_len;
    uint32_t val_oid[SNMP_OID_MAX];
    size_t val_ends[SNMP_OID_MAX]; /* oid_ends for val_oid (not used again) */
    uint8_t *buf;
    size_t buf_len, buf_cap;
    char *last;                    /* a last line without '\n', copied with one; freed at the end */
    struct er_err *err;
};

char *
walkfile_format_oid(const uint32_t *oid, size_t len, char *buf, size_t size)
{
    size_t i, n = 0;

    if (!size)
        return buf;
    buf[0] = '\0';
    for (i = 0; i < len; i++) {
        int w = snprintf(buf + n, size - n, ".%" PRIu32, oid[i]);

        if (w < 0 || (size_t)w >= size - n) {
            /* Mark the cut so a message never shows a wrong but plausible OID. */
            if (size >= 4)
                memcpy(buf + (n + 4 <= size ? n : size - 4), "...", 4);
            return buf;
        }
        n += (size_t)w;
    }
    return buf;
}

/* The text of the current line, for "got '...'" in messages. */
static const char *
wf_echo(const struct wf *w, const char *from, char *buf, size_t size)
{
    size_t n = 0;

    while (from < w->end && *from != '\n' && n + 4 < size)
        buf[n++] = isprint((unsigned char)*from) ? *from++ : (from++, '?');
    if (from < w->end && *from != '\n')
        buf[n++] = '.', buf[n++] = '.', buf[n++] = '.';
    buf[n] = '\0';
    return buf;
}

static er_code
wf_bad_line(struct wf *w, const char *start)
{
    char echo[80];

    return er_set(w->err, ER_EINVAL, "%s:%d: expected 'OID = TYPE: value', got '%s'", w->name, w->line,
            wf_echo(w, start, echo, sizeof echo));
}

static er_code
wf_bad_value(struct wf *w, const char *what, const char *at)
{
    char oid[200], echo[60];

    walkfile_format_oid(w->oid, w->oid_len, oid, sizeof oid);
    return er_set(w->err, ER_EINVAL, "%s:%d: OID %s: %s, got '%s'", w->name, w->line, oid, what,
            wf_echo(w, at, echo, sizeof echo));
}

static int
wf_push(struct wf *w, uint8_t c)
{
    if (w->buf_len == w->buf_cap) {
        size_t nc = w->buf_cap ? w->buf_cap * 2 : 256;
        uint8_t *nb = realloc(w->buf, nc);

        if (!nb)
            return -1;
        w->buf = nb;
        w->buf_cap = nc;
    }
    w->buf[w->buf_len++] = c;
    return 0;
}

/* Skip the prefix @p s at @p *p; 1 when it was there. */
static inline int
wf_eat(const struct wf *w, const char **p, const char *s)
{
    size_t n = strlen(s);

    if ((size_t)(w->end - *p) < n || memcmp(*p, s, n))
        return 0;
    *p += n;
    return 1;
}

/*
 * The scanners of what a line starts with, its OID (wf_subid() to
 * wf_line_oid()) and the numbers on it (wf_num()), do not look for the end
 * of the text: they read only lines that end in '\n', where they stop at
 * the latest (walkfile_parse_mem() reads a last line without one from a
 * copy that has it).
 */

/*
 * A sub-identifier's digits at @p p, at most UINT32_MAX, into @p *v.
 * @return the end of the digits; NULL when there are none or too many.
 */
static inline const char *
wf_subid(const char *p, uint32_t *v)
{
    const char *d = p;
    uint64_t x;
    uint8_t c;

    if ((c = (uint8_t)(*p - '0')) > 9)
        return NULL;
    for (x = c; (c = (uint8_t)(*++p - '0')) <= 9;)
        x = x * 10 + c;
    if (p - d > 9) {
        /* Only a longer run can overflow (with leading zeros it may not): add up again, checking. */
        for (x = 0; d < p; d++)
            if ((x = x * 10 + (uint64_t)(*d - '0')) > UINT32_MAX)
                return NULL;
    }
    *v = (uint32_t)x;
    return p;
}

/*
 * Sub-identifiers ".N" from @p *pp on, after the @p n already in @p oid;
 * records where each ends (offset from @p start) in @p ends.
 */
static int
wf_subids(const char *start, const char **pp, uint32_t *oid, size_t n, size_t *len, size_t *ends)
{
    const char *p = *pp;

    while (*p == '.') {
        if (n == SNMP_OID_MAX || !(p = wf_subid(p + 1, &oid[n])))
            return -1;
        ends[n++] = (size_t)(p - start);
    }
    if (!n)
        return -1;
    *pp = p;
    *len = n;
    return 0;
}

/* A numeric OID ("iso.3.6", ".1.3.6", "1.3.6") up to a space or line end; @p ends as for wf_subids(). */
static int
wf_oid(const struct wf *w, const char **pp, uint32_t *oid, size_t *len, size_t *ends)
{
    const char *start = *pp, *p = start;
    size_t n = 0;

    if (wf_eat(w, &p, "iso")) {
        oid[n++] = 1;
    } else if (p < w->end && *p != '.') {
        /* no leading dot on the first sub-identifier */
        if (!(p = wf_subid(p, &oid[n++])))
            return -1;
    }
    if (n)
        ends[0] = (size_t)(p - start);
    if (wf_subids(start, &p, oid, n, len, ends))
        return -1;
    *pp = p;
    return 0;
}

/* Length of the common prefix of @p a and @p b, at most @p n bytes. */
static size_t
wf_common(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    uint64_t x, y;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)__builtin_ctzll(x ^ y) / 8;
#else
            break;
#endif
        }
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/*
 * The OID that starts a line, into w->oid. A walk lists neighbours, whose
 * names share most of their text: the sub-identifiers whose text (and the
 * character after it) is the same as on the OID line before are still in
 * w->oid, so only the rest is read. The text is read the same way either
 * way, so what is accepted does not change.
 */
static int
wf_line_oid(struct wf *w, const char **pp)
{
    const char *start = *pp, *p = start;
    size_t k = 0, lim, same;

    if (w->oid_text) {
        /* The previous OID's text and the character that ended it. */
        lim = w->oid_ends[w->oid_len - 1] + 1;
        if (lim > (size_t)(w->end - start))
            lim = (size_t)(w->end - start);
        same = wf_common(w->oid_text, start, lim);
        /* The sub-identifiers that end before the first difference; most lines share as many as the one before. */
        k = w->oid_same;
        while (k < w->oid_len && w->oid_ends[k] < same)
            k++;
        while (k && w->oid_ends[k - 1] >= same)
            k--;
    }
    w->oid_text = NULL;
    if (k) {
        p = start + w->oid_ends[k - 1];
        if (wf_subids(start, &p, w->oid, k, &w->oid_len, w->oid_ends))
            return -1;
    } else if (wf_oid(w, &p, w->oid, &w->oid_len, w->oid_ends)) {
        return -1;
    }
    w->oid_text = start;
    w->oid_same = k;
    *pp = p;
    return 0;
}

/* A decimal number, optionally negative, on the line (see wf_subid()); stops at the first non-digit. */
static int
wf_num(const char **pp, int allow_neg, uint64_t *out)
{
    const char *p = *pp, *d;
    int neg = 0;
    uint64_t v = 0;
    uint8_t c;

    if (allow_neg && *p == '-')
        neg = 1, p++;
    for (d = p; (c = (uint8_t)(*p - '0')) <= 9; p++)
        v = v * 10 + c;
    if (p == d)
        return -1;
    if (p - d > 19) {
        /* Only a longer run can overflow (with leading zeros it may not): add up again, checking. */
        for (v = 0; d < p; d++) {
            c = (uint8_t)(*d - '0');
            if (v > (UINT64_MAX - c) / 10)
                return -1;
            v = v * 10 + c;
        }
    }
    if (neg && v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? (uint64_t)(-(int64_t)v) : v;
    *pp = p;
    return 0;
}

/* Only blanks up to the end of the line. */
static int
wf_rest_blank(const struct wf *w, const char *p)
{
    while (p < w->end && *p != '\n') {
        if (*p != ' ' && *p != '\t' && *p != '\r')
            return 0;
        p++;
    }
    return 1;
}

static const char *
wf_eol(const struct wf *w, const char *p)
{
    const char *nl;

    if (p < w->end && *p == '\n')
        return p; /* most values end where they are read */
    nl = memchr(p, '\n', (size_t)(w->end - p));
    return nl ? nl : w->end;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* A line that continues a Hex-STRING: "HH HH ..." (never an OID line). */
static int
wf_hex_continues(const struct wf *w, const char *p)
{
    return w->end - p >= 2 && hexval(p[0]) >= 0 && hexval(p[1]) >= 0
            && (w->end - p == 2 || p[2] == ' ' || p[2] == '\n' || p[2] == '\r');
}

/* Hex bytes, possibly wrapped over lines; leaves @p *pp at the last line's end. */
static er_code
wf_hex(struct wf *w, const char **pp)
{
    const char *p = *pp;

    for (;;) {
        while (p < w->end && *p != '\n') {
            int hi, lo;

            if (*p == ' ' || *p == '\r' || *p == '\t') {
                p++;
                continue;
            }
            if (w->end - p < 2 || (hi = hexval(p[0])) < 0 || (lo = hexval(p[1])) < 0
                    || (w->end - p > 2 && p[2] != ' ' && p[2] != '\n' && p[2] != '\r'))
                return wf_bad_value(w, "bad Hex-STRING", p);
            if (wf_push(w, (uint8_t)(hi << 4 | lo)))
                return er_set(w->err, ER_ENOMEM, "out of memory");
            p += 2;
        }
        if (p < w->end && wf_hex_continues(w, p + 1)) {
            p++;
            w->line++;
            continue;
        }
        break;
    }
    *pp = p;
    return ER_OK;
}

/* A quoted string over as many lines as it takes; @p p is after the quote. */
static er_code
wf_quoted(struct wf *w, const char **pp)
{
    const char *p = *pp;
    int start = w->line;

    while (p < w->end && *p != '"') {
        if (*p == '\\' && p + 1 < w->end)
            p++;
        if (*p == '\n')
            w->line++;
        if (wf_push(w, (uint8_t)*p++))
            return er_set(w->err, ER_ENOMEM, "out of memory");
    }
    if (p == w->end) {
        w->line = start;
        return wf_bad_value(w, "unterminated quoted STRING (truncated file?)", *pp);
    }
    *pp = p + 1;
    return ER_OK;
}

/* Dotted-quad IPv4 address. */
static int
wf_ipv4(struct wf *w, const char **pp)
{
    const char *p = *pp;
    int i;

    for (i = 0; i < 4; i++) {
        uint64_t v;

        if ((i && !wf_eat(w, &p, ".")) || wf_num(&p, 0, &v) || v > 255)
            return -1;
        if (wf_push(w, (uint8_t)v))
            return -1;
    }
    *pp = p;
    return 0;
}

/* The tag of a numeric value ("INTEGER: "...), skipped; 0 when there is none. */
static int
wf_num_tag(const struct wf *w, const char **p, enum snmp_vtype *type)
{
    /* Spelled out, not a table: with constant words the compiler compares inline. */
    if (wf_eat(w, p, "INTEGER: "))
        *type = SNMP_VT_INTEGER;
    else if (wf_eat(w, p, "Gauge32: ") || wf_eat(w, p, "Unsigned32: ") || wf_eat(w, p, "UInteger32: "))
        *type = SNMP_VT_GAUGE32;
    else if (wf_eat(w, p, "Counter32: "))
        *type = SNMP_VT_COUNTER32;
    else if (wf_eat(w, p, "Counter64: "))
        *type = SNMP_VT_COUNTER64;
    else if (wf_eat(w, p, "Timeticks: "))
        *type = SNMP_VT_TIMETICKS;
    else
        return 0;
    return 1;
}

/* The value after "= "; fills @p vb. */
static er_code
wf_value(struct wf *w, const char **pp, struct snmp_vb *vb)
{
    const char *p = *pp, *v;
    er_code rc;

    w->buf_len = 0;
    if (wf_num_tag(w, &p, &vb->type)) {
        v = p;
        /* "established(6)" with MIBs loaded, "(123) 0:00:01.23" for Timeticks. */
        if (p < w->end && *p != '-' && (*p < '0' || *p > '9')) {
            while (p < w->end && *p != '(' && *p != '\n')
                p++;
            if (p < w->end && *p == '(')
                p++;
        }
        if (wf_num(&p, vb->type == SNMP_VT_INTEGER, &vb->num)
                || (vb->type == SNMP_VT_COUNTER64 ? 0 : vb->type == SNMP_VT_INTEGER
                    ? (snmp_vb_int(vb) < INT32_MIN || snmp_vb_int(vb) > INT32_MAX) : vb->num > UINT32_MAX))
            return wf_bad_value(w, "bad number", v);
        *pp = wf_eol(w, p);
        return ER_OK;
    }
    if (wf_eat(w, &p, "STRING: ")) {
        vb->type = SNMP_VT_OCTETS;
        if (p < w->end && *p == '"') {
            p++;
            if ((rc = wf_quoted(w, &p)))
                return rc;
            if (!wf_rest_blank(w, p))
                return wf_bad_value(w, "text after the closing quote", p);
        } else {
            /* Unquoted text (a display hint): the rest of the line. */
            for (; p < w->end && *p != '\n' && *p != '\r'; p++)
                if (wf_push(w, (uint8_t)*p))
                    return er_set(w->err, ER_ENOMEM, "out of memory");
        }
    } else if (wf_eat(w, &p, "Hex-STRING: ") || wf_eat(w, &p, "BITS: ")) {
        vb->type = SNMP_VT_OCTETS;
        if ((rc = wf_hex(w, &p)))
            return rc;
    } else if (wf_eat(w, &p, "\"\"")) {
        vb->type = SNMP_VT_OCTETS;
        if (!wf_rest_blank(w, p))
            return wf_bad_value(w, "text after an empty string", p);
    } else if (wf_eat(w, &p, "IpAddress: ")) {
        vb->type = SNMP_VT_IPADDRESS;
        v = p;
        if (wf_ipv4(w, &p) || !wf_rest_blank(w, p))
            return wf_bad_value(w, "bad IpAddress", v);
    } else if (wf_eat(w, &p, "OID: ")) {
        vb->type = SNMP_VT_OID;
        v = p;
        if (wf_oid(w, &p, w->val_oid, &vb->val_oid_len, w->val_ends) || !wf_rest_blank(w, p))
            return wf_bad_value(w, "bad OID value", v);
        vb->val_oid = w->val_oid;
    } else if (wf_eat(w, &p, "NULL")) {
        vb->type = SNMP_VT_NULL;
    } else if (wf_eat(w, &p, "No Such Object available")) {
        vb->type = SNMP_VT_NOSUCHOBJECT;
    } else if (wf_eat(w, &p, "No Such Instance currently exists")) {
        vb->type = SNMP_VT_NOSUCHINSTANCE;
    } else if (wf_eat(w, &p, "No more variables left in this MIB View")) {
        vb->type = SNMP_VT_ENDOFMIBVIEW;
    } else {
        return wf_bad_line(w, w->p);
    }
    if (vb->type == SNMP_VT_OCTETS || vb->type == SNMP_VT_IPADDRESS) {
        vb->bytes = w->buf;
        vb->n_bytes = w->buf_len;
    }
    *pp = wf_eol(w, p);
    return ER_OK;
}

static int
oid_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t i, n = na < nb ? na : nb;

    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return na < nb ? -1 : na > nb;
}

/* Walk order: increasing, or a new walk under another table root. */
static er_code
wf_check_order(struct wf *w)
{
    size_t ra, rb, same = w->prev_len ? w->oid_same : 0;
    char a[160], b[160];

    /* When a walk goes on, prev[] is the OID line before: its first oid_same sub-identifiers are known equal. */
    if (w->prev_len && oid_cmp(w->oid + same, w->oid_len - same, w->prev + same, w->prev_len - same) <= 0) {
        ra = mib_root_len(w->oid, w->oid_len);
        rb = mib_root_len(w->prev, w->prev_len);
        if (ra == rb && !memcmp(w->oid, w->prev, ra * sizeof *w->oid))
            return er_set(w->err, ER_EINVAL, "%s:%d: OID %s does not increase (previous %s)", w->name, w->line,
                    walkfile_format_oid(w->oid, w->oid_len, a, sizeof a),
                    walkfile_format_oid(w->prev, w->prev_len, b, sizeof b));
    }
    memcpy(w->prev + same, w->oid + same, (w->oid_len - same) * sizeof *w->oid);
    w->prev_len = w->oid_len;
    return ER_OK;
}

er_code
walkfile_parse_mem(const char *name, const char *data, size_t len, walkfile_cb cb, void *arg, struct er_err *err)
{
    struct wf w = {.name = name, .p = data, .end = data + len, .err = err};
    const char *last = w.end;
    er_code rc = ER_OK;

    while (last > data && last[-1] != '\n')
        last--;
    while (w.p < w.end) {
        const char *p, *q;
        struct snmp_vb vb = {0};

        if (w.p == last) {
            /* The line scanners stop at its '\n' (see wf_subid()): read a last line without one from a copy. */
            if (!(w.last = malloc((size_t)(w.end - last) + 1))) {
                rc = er_set(err, ER_ENOMEM, "out of memory");
                goto cleanup;
            }
            memcpy(w.last, last, (size_t)(w.end - last));
            w.last[w.end - last] = '\n';
            w.end = w.last + (w.end - last);
            w.p = w.last;
        }
        p = w.p;

        w.line++;
        while (p < w.end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p == w.end || *p == '\n' || *p == '#') {
            w.p = wf_eol(&w, p) + (p < w.end);
            continue;
        }
        q = p;
        if (wf_line_oid(&w, &q) || !wf_eat(&w, &q, " = ")) {
            rc = wf_bad_line(&w, w.p);
            goto cleanup;
        }
        vb.oid = w.oid;
        vb.oid_len = w.oid_len;
        vb.line = w.line;
        ER_TRY(rc, wf_value(&w, &q, &vb), cleanup);
        if (vb.type < SNMP_VT_NOSUCHOBJECT)
            ER_TRY(rc, wf_check_order(&w), cleanup);
        else
            w.prev_len = 0; /* an empty walk; whatever follows starts afresh */
        ER_TRY(rc, cb(arg, &vb, err), cleanup);
        w.p = q < w.end ? q + 1 : q;
    }
cleanup:
    free(w.buf);
    free(w.last);
    return rc;
}

er_code
walkfile_parse(const char *path, walkfile_cb cb, void *arg, struct er_err *err)
{
    int fd;
    er_code rc;

    /* O_NONBLOCK: a FIFO opens at once and is refused by type, not waited on */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return er_set(err, ER_EIO, "%s: cannot open: %s", path, strerror(errno));
    rc = walkfile_parse_fd(fd, path, cb, arg, err);
    close(fd);
    return rc;
}

er_code
walkfile_parse_fd(int fd, const char *path, walkfile_cb cb, void *arg, struct er_err *err)
{
    struct stat st;
    void *map = NULL;
    er_code rc;

    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        return er_set(err, ER_EIO, "%s: not a regular file", path);
    if (st.st_size == 0)
        return ER_OK;
    /* Refused by its size before it is mapped: never read as fewer bytes. */
    if ((rc = bound_check(path, (uint64_t)st.st_size, bound_cap(), err)))
        return rc;
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return er_set(err, ER_EIO, "%s: cannot read: %s", path, strerror(errno));
    rc = walkfile_parse_mem(path, map, (size_t)st.st_size, cb, arg, err);
    munmap(map, (size_t)st.st_size);
    return rc;
}
