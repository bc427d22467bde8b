/**
 * @file redact.c
 * @brief Device secrets removed from NETCONF replies before they are stored.
 *
 * One pass over the reply's bytes with a stack of open elements: each frame
 * knows where its content starts, whether a child element appeared, and
 * what its ancestors were (below a secret, below SNMP, in an SNMP
 * community, below an auth/priv container). At the end tag of a leaf that
 * holds a secret, the bytes up to its content are copied out and the marker
 * written instead of the content; nothing is copied until the first secret.
 * Which names hold secrets is in redact.h.
 */
#define _GNU_SOURCE
#include "redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What a frame's element and its ancestors are. */
enum {
    RF_SECRET = 1,     /* the element or an ancestor is named as a secret */
    RF_SNMP = 2,       /* below an snmp* element */
    RF_COMMUNITY = 4,  /* below (or is) a community* element below SNMP */
    RF_AUTH = 8,       /* below an auth / priv / authentication element */
    RF_IF_LEAF = 16,   /* a secret when it has no children (not inherited) */
};

struct frame {
    size_t name, name_len;   /* the local name, in the input */
    size_t content;          /* first byte after the start tag */
    unsigned char flags;
    unsigned char has_child;
};

struct scan {
    const char *in;
    size_t len, pos;
    struct frame *st;
    size_t depth, cap;
    char *out;               /* NULL until the first secret */
    size_t out_len, out_cap, copied, n;
};

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* A literal and its length. */
struct lit {
    const char *s;
    size_t n;
};
#define LIT(x) { x, sizeof x - 1 }

static int
name_is(const char *s, size_t n, const struct lit *l)
{
    return l->n == n && s[0] == l->s[0] && !memcmp(s, l->s, n);
}

static int
name_starts(const char *s, size_t n, const struct lit *l)
{
    return n >= l->n && !memcmp(s, l->s, l->n);
}

/* An element whose name says it holds a secret (and so does all below it). */
static int
secret_name(const char *s, size_t n)
{
    static const struct lit p[] = {LIT("password"), LIT("passwd"), LIT("passphrase"), LIT("private-key")};
    static const struct lit sec = LIT("secret"), clear = LIT("cleartext");
    static const struct lit whole[] = {LIT("key-string"), LIT("keystring"), LIT("authentication-key"),
        LIT("auth-key"), LIT("pre-shared-key"), LIT("preshared-key"), LIT("psk"), LIT("md5-key"), LIT("simple-key")};
    size_t i, k;

    /* Names are short: look for the first letters of the parts, then compare. */
    for (i = 0; i < n; i++) {
        switch (s[i]) {
        case 'p':
            for (k = 0; k < sizeof p / sizeof *p; k++) {
                if (name_starts(s + i, n - i, &p[k]))
                    return 1;
            }
            break;
        case 's':
            if (name_starts(s + i, n - i, &sec))
                return 1;
            break;
        case 'c':
            if (name_starts(s + i, n - i, &clear))
                return 1;
            break;
        default:
            break;
        }
    }
    for (k = 0; k < sizeof whole / sizeof *whole; k++) {
        if (name_is(s, n, &whole[k]))
            return 1;
    }
    return 0;
}

/* The flags of an element named s[n] whose parent has @p up. */
static unsigned char
frame_flags(unsigned char up, const char *s, size_t n)
{
    static const struct lit community_leaf[] = {LIT("name"), LIT("community-name"), LIT("text-name"),
        LIT("binary-name"), LIT("security-name")};
    static const struct lit key = LIT("key"), auth = LIT("auth"), priv = LIT("priv"),
        authentication = LIT("authentication"), snmp = LIT("snmp"), community = LIT("community");
    unsigned char f = up & ~RF_IF_LEAF;

    if (!n)
        return f;
    if (!(up & RF_SECRET) && secret_name(s, n))
        f |= RF_SECRET;
    if ((up & RF_AUTH) && name_is(s, n, &key))
        f |= RF_SECRET;                              /* ietf-snmp usm auth/priv key */
    if (name_is(s, n, &key))
        f |= RF_IF_LEAF;                             /* Cisco `<key><key>SECRET</key>` (TACACS+, RADIUS, NTP) */
    if (name_is(s, n, &auth) || name_is(s, n, &priv) || name_is(s, n, &authentication))
        f |= RF_AUTH;
    if (name_starts(s, n, &snmp))
        f |= RF_SNMP;
    if ((up & RF_SNMP) && name_starts(s, n, &community))
        f |= RF_COMMUNITY | RF_IF_LEAF;          /* Cisco: <snmp-server><community>public</community> */
    if ((up & RF_COMMUNITY) && !(up & RF_SECRET)) {
        for (size_t i = 0; i < sizeof community_leaf / sizeof *community_leaf; i++) {
            if (name_is(s, n, &community_leaf[i]))
                f |= RF_SECRET;
        }
    }
    return f;
}

/* A value that looks like a Junos encrypted key or a crypt(3) hash. */
static int
secret_value(const char *v, size_t n)
{
    static const struct lit pre[] = {LIT("$9$"), LIT("$8$"), LIT("$1$"), LIT("$5$"), LIT("$6$"), LIT("$y$"),
        LIT("$2a$"), LIT("$2b$"), LIT("$2y$")};

    while (n && is_space(*v)) {
        v++;
        n--;
    }
    if (!n || *v != '$')
        return 0;
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
        if (name_starts(v, n, &pre[i]))
            return 1;
    }
    return 0;
}

static int
all_space(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_space(v[i]))
            return 0;
    }
    return 1;
}

static er_code
emit(struct scan *s, const char *p, size_t n, struct er_err *err)
{
    if (s->out_len + n + 1 > s->out_cap) {
        size_t cap = s->out_cap ? s->out_cap : s->len + 64;
        char *o;

        while (s->out_len + n + 1 > cap)
            cap += cap / 2 + 64;
        if (!(o = realloc(s->out, cap)))
            return er_set(err, ER_ENOMEM, "out of memory");
        s->out = o;
        s->out_cap = cap;
    }
    memcpy(s->out + s->out_len, p, n);
    s->out_len += n;
    s->out[s->out_len] = '\0';
    return ER_OK;
}

/* Replace in[from, to) (a leaf's content) with the marker. */
static er_code
replace(struct scan *s, size_t from, size_t to, struct er_err *err)
{
    er_code rc;

    if ((rc = emit(s, s->in + s->copied, from - s->copied, err)) ||
            (rc = emit(s, REDACT_MARKER, sizeof REDACT_MARKER - 1, err)))
        return rc;
    s->copied = to;
    s->n++;
    return ER_OK;
}

/* Position after the next occurrence of @p lit from @p from, or 0 when none. */
static size_t
skip_past(const struct scan *s, size_t from, const char *lit)
{
    size_t k = strlen(lit);
    const char *p = from < s->len ? memmem(s->in + from, s->len - from, lit, k) : NULL;

    return p ? (size_t)(p - s->in) + k : 0;
}

/* The end of a declaration (<!DOCTYPE ...>) from @p from: the position of
 * its '>' (quotes and the internal subset's brackets honoured), or 0. */
static size_t
decl_end(const struct scan *s, size_t from)
{
    char q = 0;
    int depth = 0;

    for (size_t i = from; i < s->len; i++) {
        char c = s->in[i];

        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '[') {
            depth++;
        } else if (c == ']' && depth) {
            depth--;
        } else if (c == '>' && !depth) {
            return i;
        }
    }
    return 0;
}

/*
 * An element tag from @p p (after "<" or "</"): its local name, and the
 * position of its '>' (quotes in attribute values honoured), or 0 when it
 * is not closed. One pass: tags are short.
 */
static size_t
tag_scan(const struct scan *s, size_t p, size_t *name, size_t *name_len)
{
    size_t i = p, local = p;
    char q = 0;

    for (; i < s->len; i++) {
        char c = s->in[i];

        if (c == ':')
            local = i + 1;
        else if (is_space(c) || c == '/' || c == '>')
            break;
    }
    *name = local;
    *name_len = i - local;
    for (; i < s->len; i++) {
        char c = s->in[i];

        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '>') {
            return i;
        }
    }
    return 0;
}

static er_code
start_tag(struct scan *s, size_t lt, struct er_err *err)
{
    size_t name, name_len, gt = tag_scan(s, lt + 1, &name, &name_len);
    struct frame *f;

    if (!gt)
        return er_set(err, ER_EINVAL, "byte %zu: unclosed start tag", lt);
    if (s->depth)
        s->st[s->depth - 1].has_child = 1;
    s->pos = gt + 1;
    if (s->in[gt - 1] == '/')
        return ER_OK;                 /* <x/>: no value */
    if (s->depth == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        struct frame *st = realloc(s->st, cap * sizeof *st);

        if (!st)
            return er_set(err, ER_ENOMEM, "out of memory");
        s->st = st;
        s->cap = cap;
    }
    f = &s->st[s->depth];
    f->name = name;
    f->name_len = name_len;
    f->content = gt + 1;
    f->has_child = 0;
    f->flags = frame_flags(s->depth ? s->st[s->depth - 1].flags : 0, s->in + name, name_len);
    s->depth++;
    return ER_OK;
}

static er_code
end_tag(struct scan *s, size_t lt, struct er_err *err)
{
    size_t name, name_len, gt = tag_scan(s, lt + 2, &name, &name_len);
    const struct frame *f;

    if (!gt)
        return er_set(err, ER_EINVAL, "byte %zu: unclosed end tag", lt);
    if (!s->depth)
        return er_set(err, ER_EINVAL, "byte %zu: end tag without a start tag", lt);
    f = &s->st[--s->depth];
    if (f->name_len != name_len || memcmp(s->in + f->name, s->in + name, name_len))
        return er_set(err, ER_EINVAL, "byte %zu: end tag does not match its start tag", lt);
    s->pos = gt + 1;
    if (f->has_child || all_space(s->in + f->content, lt - f->content))
        return ER_OK;
    if ((f->flags & (RF_SECRET | RF_IF_LEAF)) || secret_value(s->in + f->content, lt - f->content))
        return replace(s, f->content, lt, err);
    return ER_OK;
}

er_code
redact_xml(const char *buf, size_t len, char **out, size_t *out_len, size_t *n, struct er_err *err)
{
    struct scan s = {.in = buf, .len = len};
    er_code rc = ER_OK;

    *out = NULL;
    *out_len = 0;
    while (!rc && s.pos < len) {
        const char *lt = memchr(buf + s.pos, '<', len - s.pos);
        size_t p, e = 0;

        if (!lt)
            break;
        p = (size_t)(lt - buf);
        if (p + 1 >= len) {
            rc = er_set(err, ER_EINVAL, "byte %zu: unclosed tag", p);
        } else if (buf[p + 1] == '/') {
            rc = end_tag(&s, p, err);
        } else if (buf[p + 1] == '?') {
            if (!(e = skip_past(&s, p + 2, "?>")))
                rc = er_set(err, ER_EINVAL, "byte %zu: unclosed processing instruction", p);
        } else if (len - p >= 4 && !memcmp(lt, "<!--", 4)) {
            if (!(e = skip_past(&s, p + 4, "-->")))
                rc = er_set(err, ER_EINVAL, "byte %zu: unclosed comment", p);
        } else if (len - p >= 9 && !memcmp(lt, "<![CDATA[", 9)) {
            if (!(e = skip_past(&s, p + 9, "]]>")))
                rc = er_set(err, ER_EINVAL, "byte %zu: unclosed CDATA section", p);
        } else if (buf[p + 1] == '!') {
            if (!(e = decl_end(&s, p + 2)))
                rc = er_set(err, ER_EINVAL, "byte %zu: unclosed declaration", p);
            else
                e++;
        } else {
            rc = start_tag(&s, p, err);
        }
        if (e)
            s.pos = e;
    }
    if (!rc && s.depth)
        rc = er_set(err, ER_EINVAL, "byte %zu: %zu elements not closed", len, s.depth);
    if (!rc && s.out)
        rc = emit(&s, buf + s.copied, len - s.copied, err);
    free(s.st);
    if (rc) {
        free(s.out);
        return rc;
    }
    *out = s.out;
    *out_len = s.out_len;
    if (n)
        *n = s.n;
    return ER_OK;
}
