/**
 * @file xmlread.c
 * @brief A small in-place XML reader for reply files, libxml2 for the rest.
 *
 * The fast path reads a copy of the file and writes NULs into it, so names,
 * namespaces and text point into that copy. It accepts only what it can
 * read exactly as libxml2 (with the options ncmap used) would; on anything
 * else it gives up and the file goes through libxml2, whose tree is copied
 * into the same nodes. Giving up is never an error by itself.
 *
 * Why one file of ~900 lines: the fast path must build exactly the tree the
 * libxml2 path builds, node for node; the two are kept side by side so a
 * change to one is made to the other (tests/unit/test_xmlread.c compares
 * them on every fixture).
 */
#define _GNU_SOURCE
#include "xmlread.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "xmlguard.h"

#define XR_CHUNK 512
/* libxml2 (never given XML_PARSE_HUGE) refuses deeper documents, longer
 * names and attribute values: the fast path hands those over, so that both
 * paths refuse them with the same message. */
#define XR_MAX_DEPTH 256
#define XR_MAX_NAME XML_MAX_NAME_LENGTH
#define XR_MAX_ATTR_VALUE XML_MAX_TEXT_LENGTH
/* Lengths are size_t; libxml2 takes an int, and a node keeps unsigned ones. */
#define XR_MAX_DOC ((size_t)INT_MAX - 64)
#define XR_MAX_ATTRS 32
#define XR_MAX_BINDS 256

struct xr_chunk {
    struct xr_chunk *next;
    size_t used;
    struct xr_node v[XR_CHUNK];
};

struct xr_blob {
    struct xr_blob *next;
    char s[];
};

/* A namespace declaration in scope. */
struct bind {
    const char *prefix;    /* NULL for the default namespace */
    unsigned plen;
    const char *href;
};

/* An open element. */
struct frame {
    struct xr_node *n, *last;
    const char *qname;     /* as written, for the end tag */
    unsigned qlen;
    unsigned n_binds;      /* bindings in scope before this element */
    int commented;         /* a comment came before the text */
};

struct rd {
    struct xr_doc *d;
    char *p, *end;
    long line;
    struct frame stack[XR_MAX_DEPTH];
    unsigned depth;
    struct bind binds[XR_MAX_BINDS];
    unsigned n_binds;
    struct xr_node *top, *last_top;   /* top-level elements */
    unsigned n_top;
};

/* The fast path gives up: the caller asks libxml2. */
#define GIVE_UP -1

static struct xr_node *
node_new(struct xr_doc *d)
{
    struct xr_chunk *c = d->chunks;

    if (!c || c->used == XR_CHUNK) {
        if (!(c = malloc(sizeof *c)))
            return NULL;
        c->next = d->chunks;
        c->used = 0;
        d->chunks = c;
    }
    c->v[c->used] = (struct xr_node){.ns = "", .text = ""};
    return &c->v[c->used++];
}

void
xr_free(struct xr_doc *d)
{
    struct xr_chunk *c, *cn;
    struct xr_blob *b, *bn;

    if (!d)
        return;
    for (c = d->chunks; c; c = cn) {
        cn = c->next;
        free(c);
    }
    for (b = d->blobs; b; b = bn) {
        bn = b->next;
        free(b);
    }
    free(d->buf);
    free(d);
}

/* ---- the fast path --------------------------------------------------- */

/*
 * Character classes of the fast path, one table lookup a byte. A name is
 * ASCII only (anything else goes to libxml2); text is told apart into what
 * the scanners must stop at.
 */
enum {
    CC_NAME_START = 1,    /* a-z A-Z _ */
    CC_NAME = 2,          /* also 0-9 - . (not ':', which splits a prefix off) */
    CC_BLANK = 4,         /* space, tab, newline */
    CC_TEXT_PLAIN = 8     /* printable ASCII in text with nothing to note: not blank, < & > */
};

#define R2(c) [c] = CC_NAME_START | CC_NAME | CC_TEXT_PLAIN, [c + 1] = CC_NAME_START | CC_NAME | CC_TEXT_PLAIN
#define R4(c) R2(c), R2(c + 2)
#define R8(c) R4(c), R4(c + 4)
#define LETTERS(c) R8(c), R8(c + 8), R8(c + 16), R2(c + 24)
static const uint8_t cclass[256] = {
    LETTERS('a'), LETTERS('A'), ['_'] = CC_NAME_START | CC_NAME | CC_TEXT_PLAIN,
    ['0'] = CC_NAME | CC_TEXT_PLAIN, ['1'] = CC_NAME | CC_TEXT_PLAIN, ['2'] = CC_NAME | CC_TEXT_PLAIN,
    ['3'] = CC_NAME | CC_TEXT_PLAIN, ['4'] = CC_NAME | CC_TEXT_PLAIN, ['5'] = CC_NAME | CC_TEXT_PLAIN,
    ['6'] = CC_NAME | CC_TEXT_PLAIN, ['7'] = CC_NAME | CC_TEXT_PLAIN, ['8'] = CC_NAME | CC_TEXT_PLAIN,
    ['9'] = CC_NAME | CC_TEXT_PLAIN, ['-'] = CC_NAME | CC_TEXT_PLAIN, ['.'] = CC_NAME | CC_TEXT_PLAIN,
    [':'] = CC_TEXT_PLAIN,
    [' '] = CC_BLANK, ['\t'] = CC_BLANK, ['\n'] = CC_BLANK,
    ['!'] = CC_TEXT_PLAIN, ['"'] = CC_TEXT_PLAIN, ['#'] = CC_TEXT_PLAIN, ['$'] = CC_TEXT_PLAIN,
    ['%'] = CC_TEXT_PLAIN, ['\''] = CC_TEXT_PLAIN, ['('] = CC_TEXT_PLAIN, [')'] = CC_TEXT_PLAIN,
    ['*'] = CC_TEXT_PLAIN, ['+'] = CC_TEXT_PLAIN, [','] = CC_TEXT_PLAIN, ['/'] = CC_TEXT_PLAIN,
    [';'] = CC_TEXT_PLAIN, ['='] = CC_TEXT_PLAIN, ['?'] = CC_TEXT_PLAIN, ['@'] = CC_TEXT_PLAIN,
    ['['] = CC_TEXT_PLAIN, ['\\'] = CC_TEXT_PLAIN, [']'] = CC_TEXT_PLAIN, ['^'] = CC_TEXT_PLAIN,
    ['`'] = CC_TEXT_PLAIN, ['{'] = CC_TEXT_PLAIN, ['|'] = CC_TEXT_PLAIN, ['}'] = CC_TEXT_PLAIN,
    ['~'] = CC_TEXT_PLAIN,
};
#undef LETTERS
#undef R8
#undef R4
#undef R2

static int
is_blank(char c)
{
    return cclass[(unsigned char)c] & CC_BLANK;
}

static int
name_start(unsigned char c)
{
    return cclass[c] & CC_NAME_START;
}


/* Length of the valid UTF-8 sequence of an XML character at @p, 0 if there is none. */
static size_t
utf8_len(const unsigned char *p, const unsigned char *end)
{
    uint32_t cp;
    size_t n, i;

    if (p[0] < 0xC2)
        return 0;
    n = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : p[0] < 0xF5 ? 4 : 0;
    if (!n || (size_t)(end - p) < n)
        return 0;
    cp = p[0] & (0x7F >> n);
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)
            || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    return n;
}

/*
 * The character at *pp in text or a comment, left on its last byte; lines
 * counted, *blank cleared by anything but white space. Gives up on what
 * libxml2 would refuse or rewrite: control characters, CR, bad UTF-8.
 */
static int
xml_char(struct rd *r, unsigned char **pp, const unsigned char *end, int *blank)
{
    unsigned char c = **pp;

    if (c >= 0x80) {
        size_t n = utf8_len(*pp, end);

        if (!n)
            return GIVE_UP;
        *pp += n - 1;
        *blank = 0;
    } else if (c < 0x20) {
        if (c == '\n')
            r->line++;
        else if (c != '\t')
            return GIVE_UP;
    } else if (c != ' ') {
        *blank = 0;
    }
    return 0;
}

/*
 * Check character data from r->p up to the next '<', counting lines.
 * @blank says whether it was white space only, @amp whether it holds a
 * reference. Gives up on characters libxml2 would refuse or rewrite
 * (control characters, CR, bad UTF-8, "]]>").
 */
static int
scan_text(struct rd *r, int *blank, int *amp)
{
    unsigned char *p = (unsigned char *)r->p, *end = (unsigned char *)r->end;

    *blank = 1;
    *amp = 0;
    for (; p < end && *p != '<'; p++) {
        /* Most of a value is plain ASCII: skip it a byte a lookup. */
        if (cclass[*p] & CC_TEXT_PLAIN) {
            *blank = 0;
            while (++p < end && (cclass[*p] & CC_TEXT_PLAIN))
                ;
            if (p == end || *p == '<')
                break;
        }
        if (xml_char(r, &p, end, blank))
            return GIVE_UP;
        if (*p == '&')
            *amp = 1;
        else if (*p == '>' && p - (unsigned char *)r->p >= 2 && p[-1] == ']' && p[-2] == ']')
            return GIVE_UP;
    }
    r->p = (char *)p;
    return 0;
}

static char *
put_utf8(char *w, uint32_t cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | cp >> 6);
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | cp >> 12);
        *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | cp >> 18);
        *w++ = (char)(0x80 | (cp >> 12 & 0x3F));
        *w++ = (char)(0x80 | (cp >> 6 & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* Replace references in [s, e) in place; the new end, or NULL to give up. */
static char *
decode(char *s, char *e)
{
    static const struct { const char *name; unsigned len; char c; } pre[] = {
        {"lt;", 3, '<'}, {"gt;", 3, '>'}, {"amp;", 4, '&'}, {"quot;", 5, '"'}, {"apos;", 5, '\''},
    };
    char *w = s;

    while (s < e) {
        size_t i;

        if (*s != '&') {
            *w++ = *s++;
            continue;
        }
        s++;
        if (*s == '#') {
            int hex = s[1] == 'x';
            uint32_t cp = 0;
            char *q = s + 1 + hex;
            int digits = 0;

            for (; q < e && *q != ';' && digits < 8; q++, digits++) {
                int v = (*q >= '0' && *q <= '9') ? *q - '0'
                        : hex && (*q | 0x20) >= 'a' && (*q | 0x20) <= 'f' ? (*q | 0x20) - 'a' + 10 : -1;

                if (v < 0)
                    return NULL;
                cp = cp * (hex ? 16 : 10) + (uint32_t)v;
            }
            if (q >= e || *q != ';' || !digits)
                return NULL;
            if (!(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
                        || (cp >= 0x10000 && cp <= 0x10FFFF)))
                return NULL;
            w = put_utf8(w, cp);
            s = q + 1;
            continue;
        }
        for (i = 0; i < sizeof pre / sizeof *pre; i++) {
            if ((size_t)(e - s) >= pre[i].len && !memcmp(s, pre[i].name, pre[i].len))
                break;
        }
        if (i == sizeof pre / sizeof *pre)
            return NULL;   /* an entity only a DTD could define */
        *w++ = pre[i].c;
        s += pre[i].len;
    }
    return w;
}

static void
skip_blanks(struct rd *r)
{
    for (; r->p < r->end && is_blank(*r->p); r->p++) {
        if (*r->p == '\n')
            r->line++;
    }
}

/* A comment at r->p ("<!--"): characters checked as in text, "--" only at its end. */
static int
comment(struct rd *r)
{
    unsigned char *p = (unsigned char *)r->p + 4, *end = (unsigned char *)r->end;
    int blank;

    for (; p < end; p++) {
        if (*p == '-' && p + 1 < end && p[1] == '-') {
            if (p + 2 >= end || p[2] != '>')
                return GIVE_UP;
            r->p = (char *)p + 3;
            return 0;
        }
        if (xml_char(r, &p, end, &blank))
            return GIVE_UP;
    }
    return GIVE_UP;
}

/* @word, then '=' and a quoted value; the value in [*v, *v + *len). */
static int
pseudo_attr(char **p, const char *word, const char **v, size_t *len)
{
    size_t wl = strlen(word);
    char *q = *p, quote, *e;

    if (strncmp(q, word, wl))
        return GIVE_UP;
    for (q += wl; *q == ' ' || *q == '\t'; q++)
        ;
    if (*q++ != '=')
        return GIVE_UP;
    while (*q == ' ' || *q == '\t')
        q++;
    quote = *q++;
    if ((quote != '"' && quote != '\'') || !(e = strchr(q, quote)))
        return GIVE_UP;
    *v = q;
    *len = (size_t)(e - q);
    *p = e + 1;
    return 0;
}

/* Blanks at *p skipped; how many. */
static size_t
decl_blanks(char **p)
{
    char *q = *p;
    size_t n;

    while (*q == ' ' || *q == '\t')
        q++;
    n = (size_t)(q - *p);
    *p = q;
    return n;
}

/* The XML declaration at the very start, on one line: version 1.0, UTF-8 (or ASCII) only. */
static int
declaration(struct rd *r)
{
    char *p = r->p + 5, *nl = strchr(p, '\n');
    const char *v;
    size_t len, sp;
    int rc = GIVE_UP;

    if (nl)
        *nl = '\0';   /* put back below; a declaration over several lines goes to libxml2 */
    decl_blanks(&p);
    if (pseudo_attr(&p, "version", &v, &len) || len != 3 || strncmp(v, "1.0", 3))
        goto done;
    sp = decl_blanks(&p);
    if (!strncmp(p, "encoding", 8)) {
        if (!sp || pseudo_attr(&p, "encoding", &v, &len) || !((len == 5 && !strncasecmp(v, "utf-8", 5))
                    || (len == 8 && !strncasecmp(v, "us-ascii", 8))))
            goto done;
        sp = decl_blanks(&p);
    }
    if (!strncmp(p, "standalone", 10)) {
        if (!sp || pseudo_attr(&p, "standalone", &v, &len) || !((len == 3 && !strncmp(v, "yes", 3))
                    || (len == 2 && !strncmp(v, "no", 2))))
            goto done;
        decl_blanks(&p);
    }
    if (strncmp(p, "?>", 2))
        goto done;
    r->p = p + 2;
    rc = 0;
done:
    if (nl)
        *nl = '\n';
    return rc;
}

/* Namespace of a prefix (NULL: the default one); NULL when it is not declared. */
static const char *
lookup(const struct rd *r, const char *prefix, unsigned plen)
{
    unsigned i = r->n_binds;

    while (i--) {
        const struct bind *b = &r->binds[i];

        if (prefix ? (b->prefix && b->plen == plen && !memcmp(b->prefix, prefix, plen)) : !b->prefix)
            return b->href;
    }
    return prefix ? NULL : "";
}

/* A name at r->p: its length (0 when there is none), with the prefix length in @plen. */
static unsigned
name(struct rd *r, unsigned *plen)
{
    char *p = r->p;

    *plen = 0;
    if (!name_start((unsigned char)*p))
        return 0;
    /* The text ends in a NUL, which is no name character. */
    for (;;) {
        while (cclass[(unsigned char)*++p] & CC_NAME)
            ;
        if (*p != ':')
            break;
        if (*plen || !name_start((unsigned char)p[1]))
            return 0;
        *plen = (unsigned)(p - r->p);
    }
    if ((size_t)(p - r->p) > XR_MAX_NAME)
        return 0;   /* libxml2 refuses it: let it say so */
    return (unsigned)(p - r->p);
}

/* Attributes up to '>' or "/>"; namespace declarations go on the binding stack. */
static int
attributes(struct rd *r, int *empty, int *inactive)
{
    const char *names[XR_MAX_ATTRS];
    unsigned lens[XR_MAX_ATTRS], n = 0, i;

    for (;;) {
        char *start = r->p, *v;
        unsigned len, plen;
        char quote;

        skip_blanks(r);
        if (r->p >= r->end)
            return GIVE_UP;
        if (*r->p == '>' || (*r->p == '/' && r->p[1] == '>')) {
            *empty = *r->p == '/';
            r->p += *empty ? 2 : 1;
            return 0;
        }
        if (r->p == start || !(len = name(r, &plen)) || n == XR_MAX_ATTRS)
            return GIVE_UP;   /* attributes must be apart */
        for (i = 0; i < n; i++) {
            if (lens[i] == len && !memcmp(names[i], r->p, len))
                return GIVE_UP;   /* libxml2 refuses the repeat */
        }
        names[n] = r->p;
        lens[n++] = len;
        r->p += len;
        skip_blanks(r);
        if (*r->p != '=')
            return GIVE_UP;
        r->p++;
        skip_blanks(r);
        quote = *r->p;
        if (quote != '"' && quote != '\'')
            return GIVE_UP;
        v = ++r->p;
        for (; r->p < r->end && *r->p != quote; r->p++) {
            unsigned char c = (unsigned char)*r->p;

            if (c == '<' || c == '&' || c < 0x20)
                return GIVE_UP;   /* references and white-space normalization: libxml2's business */
            if (c >= 0x80) {
                size_t l = utf8_len((unsigned char *)r->p, (unsigned char *)r->end);

                if (!l)
                    return GIVE_UP;
                r->p += l - 1;
            }
        }
        if (r->p >= r->end || (size_t)(r->p - v) > XR_MAX_ATTR_VALUE)
            return GIVE_UP;
        *r->p++ = '\0';
        /* Junos marks statements it keeps but does not apply. */
        if (len == 8 && !plen && !memcmp(names[n - 1], "inactive", 8) && !strcmp(v, "inactive"))
            *inactive = 1;
        if (len >= 5 && !memcmp(names[n - 1], "xmlns", 5) && (len == 5 || plen == 5)) {
            struct bind *b;

            if (r->n_binds == XR_MAX_BINDS)
                return GIVE_UP;
            b = &r->binds[r->n_binds++];
            b->prefix = len == 5 ? NULL : names[n - 1] + 6;
            b->plen = len == 5 ? 0 : len - 6;
            b->href = v;
            /* "xml"/"xmlns" rebound, or a prefix undeclared: libxml2 decides. */
            if (b->prefix && (!*v || (b->plen == 3 && !memcmp(b->prefix, "xml", 3))
                        || (b->plen == 5 && !memcmp(b->prefix, "xmlns", 5))))
                return GIVE_UP;
        }
    }
}

static int
start_tag(struct rd *r)
{
    struct xr_node *n;
    struct frame *f;
    unsigned qlen, plen, saved = r->n_binds;
    char *qname;
    int empty = 0, inactive = 0;

    r->p++;
    qname = r->p;
    if (!(qlen = name(r, &plen)) || r->depth == XR_MAX_DEPTH)
        return GIVE_UP;
    r->p += qlen;
    if (r->p < r->end && !is_blank(*r->p) && *r->p != '>' && *r->p != '/')
        return GIVE_UP;
    /* Most elements have no attributes: "<name>" needs no call. */
    if (r->p < r->end && *r->p == '>')
        r->p++;
    else if (attributes(r, &empty, &inactive))
        return GIVE_UP;
    if (!(n = node_new(r->d)))
        return GIVE_UP;
    n->inactive = (unsigned char)inactive;
    n->line = r->line;   /* libxml2 notes the line where the start tag ends */
    n->ns = lookup(r, plen ? qname : NULL, plen);
    if (!n->ns || (plen == 3 && !memcmp(qname, "xml", 3)))
        return GIVE_UP;   /* libxml2 keeps "p:name" without a namespace: rare, leave it to it */
    n->name = plen ? qname + plen + 1 : qname;
    n->name_len = plen ? qlen - plen - 1 : qlen;
    if (r->depth) {
        f = &r->stack[r->depth - 1];
        n->parent = f->n;
        if (f->last)
            f->last->next = n;
        else
            f->n->children = n;
        f->last = n;
    } else {
        if (r->last_top)
            r->last_top->next = n;
        else
            r->top = n;
        r->last_top = n;
        r->n_top++;
    }
    if (empty) {
        qname[qlen] = '\0';
        r->n_binds = saved;
        return 0;
    }
    f = &r->stack[r->depth++];
    f->n = n;
    f->last = NULL;
    f->qname = qname;
    f->qlen = qlen;
    f->n_binds = saved;
    f->commented = 0;
    return 0;
}

static int
end_tag(struct rd *r, char *text, int blank, int amp)
{
    struct frame *f;
    char *lt = r->p, *te = r->p;

    if (!r->depth)
        return GIVE_UP;
    f = &r->stack[r->depth - 1];
    r->p += 2;
    if ((size_t)(r->end - r->p) < f->qlen || memcmp(r->p, f->qname, f->qlen))
        return GIVE_UP;
    r->p += f->qlen;
    skip_blanks(r);
    if (r->p >= r->end || *r->p != '>')
        return GIVE_UP;
    r->p++;
    if (f->n->children) {
        if (!blank)
            return GIVE_UP;   /* mixed content */
    } else if (text && text < lt) {
        if (amp && !(te = decode(text, lt)))
            return GIVE_UP;
        *te = '\0';
        f->n->text = text;
        f->n->text_len = (unsigned)(te - text);
        f->n->pieces = f->commented ? 2 : 1;   /* libxml2 gave a comment and a text node */
    }
    /* Both names are read: the end tag's '<' and the start tag's end can go. */
    ((char *)f->qname)[f->qlen] = '\0';
    r->n_binds = f->n_binds;
    r->depth--;
    return 0;
}

static int
content(struct rd *r)
{
    while (r->p < r->end) {
        char *text = r->p;
        int blank, amp;

        if (scan_text(r, &blank, &amp))
            return GIVE_UP;
        if (!r->depth && !blank)
            return GIVE_UP;   /* text outside the root */
        if (r->p >= r->end)
            break;
        if (r->p[1] == '/') {
            if (end_tag(r, text, blank, amp))
                return GIVE_UP;
            continue;
        }
        if (!blank)
            return GIVE_UP;   /* text next to an element or comment: mixed content */
        if (r->p[1] == '!' && r->p[2] == '-' && r->p[3] == '-') {
            if (comment(r))
                return GIVE_UP;
            if (r->depth)
                r->stack[r->depth - 1].commented = 1;
        } else if (r->p[1] == '!' || r->p[1] == '?') {
            return GIVE_UP;   /* DTD, CDATA, processing instructions */
        } else if (start_tag(r)) {
            return GIVE_UP;
        }
    }
    return r->depth || !r->top ? GIVE_UP : 0;
}

/* Read d->buf (@len bytes, NUL-terminated) in place. */
static int
fast_parse(struct xr_doc *d, size_t len)
{
    struct rd *r = calloc(1, sizeof *r);
    int rc = GIVE_UP;

    if (!r)
        goto cleanup;
    r->d = d;
    r->p = d->buf;
    r->end = d->buf + len;
    r->line = 1;
    if (len >= 3 && !memcmp(r->p, "\xEF\xBB\xBF", 3))
        r->p += 3;
    if (!strncmp(r->p, "<?xml", 5) && is_blank(r->p[5]) && declaration(r))
        goto cleanup;
    if (content(r))
        goto cleanup;
    if (r->n_top > 1) {
        /* Several top-level elements: read as inside one wrapper, as ncmap always did. */
        struct xr_node *w = node_new(d), *c;

        if (!w)
            goto cleanup;
        w->name = "eraudit-root";
        w->name_len = 12;
        w->line = 1;
        w->children = r->top;
        for (c = r->top; c; c = c->next)
            c->parent = w;
        r->top = w;
    }
    d->root = r->top;
    d->fast = 1;
    rc = 0;
cleanup:
    free(r);
    return rc;
}

/* ---- libxml2 --------------------------------------------------------- */

/* @len bytes of @s (or room for them when @s is NULL), NUL-terminated, freed with @d. */
static const char *
blob(struct xr_doc *d, const char *s, size_t len)
{
    struct xr_blob *b = malloc(sizeof *b + len + 1);

    if (!b)
        return NULL;
    if (s)
        memcpy(b->s, s, len);
    b->s[len] = '\0';
    b->next = d->blobs;
    d->blobs = b;
    return b->s;
}

/* Copy element @x and its element descendants; text children become the text. */
static struct xr_node *
copy(struct xr_doc *d, const xmlNode *x, struct xr_node *parent, unsigned depth)
{
    struct xr_node *n = node_new(d), *last = NULL;
    const xmlNode *c;
    xmlAttr *a;
    size_t tlen = 0, kids = 0;
    char *t;

    if (!n || depth > 4096)
        return NULL;
    n->parent = parent;
    n->line = xmlGetLineNo(x);
    if ((a = xmlHasProp(x, (const xmlChar *)"inactive")) && !a->ns && a->children && a->children->content &&
            !strcmp((const char *)a->children->content, "inactive"))
        n->inactive = 1;
    n->name_len = (unsigned)strlen((const char *)x->name);
    if (!(n->name = blob(d, (const char *)x->name, n->name_len)))
        return NULL;
    if (x->ns && x->ns->href && !(n->ns = blob(d, (const char *)x->ns->href, strlen((const char *)x->ns->href))))
        return NULL;
    for (c = x->children; c; c = c->next, kids++) {
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
            tlen += strlen((const char *)c->content);
            n->pieces = 1;
        }
    }
    /* xu_text() used text in place only when it was the one child node. */
    if (n->pieces && kids > 1)
        n->pieces = 2;
    if (n->pieces) {
        if (!(n->text = t = (char *)blob(d, NULL, tlen)))
            return NULL;
        for (c = x->children; c; c = c->next) {
            if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
                size_t l = strlen((const char *)c->content);

                memcpy(t, c->content, l);
                t += l;
            }
        }
        *t = '\0';
        n->text_len = (unsigned)tlen;
    }
    for (c = x->children; c; c = c->next) {
        struct xr_node *k;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!(k = copy(d, c, n, depth + 1)))
            return NULL;
        if (last)
            last->next = k;
        else
            n->children = k;
        last = k;
    }
    return n;
}

#define LX_OPTS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR \
        | XML_PARSE_NOWARNING)

/* Several top-level elements without a wrapper are not a well-formed
 * document: parse them again inside <eraudit-root>, on the same lines. */
static xmlDoc *
lx_read_wrapped(const char *buf, size_t len, const char *url, struct xg_err *e)
{
    static const char open[] = "<eraudit-root>", close[] = "</eraudit-root>";
    size_t skip = 0, olen = sizeof open - 1, clen = sizeof close - 1;
    xmlDoc *doc;
    char *w;

    if (len > SIZE_MAX - olen - clen - 1 || !(w = malloc(len + olen + clen + 1)))
        return NULL;
    /* The XML declaration may only come first: blank it out, keep its newlines. */
    while (skip < len && (buf[skip] == ' ' || buf[skip] == '\t' || buf[skip] == '\n' || buf[skip] == '\r'))
        skip++;
    memcpy(w, open, olen);
    memcpy(w + olen, buf, len);
    if (len - skip > 5 && !strncmp(buf + skip, "<?xml", 5)) {
        char *q = w + olen + skip, *end = memmem(q, len - skip, "?>", 2);

        for (; end && q < end + 2; q++)
            if (*q != '\n')
                *q = ' ';
    }
    memcpy(w + olen + len, close, clen);
    doc = xg_read(w, len + olen + clen, url, LX_OPTS, e);
    free(w);
    return doc;
}

static pthread_once_t lx_once = PTHREAD_ONCE_INIT;

/* libxml2 is set up once, whichever normalizing thread needs it first. */
static void
lx_init(void)
{
    xmlInitParser();
}

int
xr_parse_libxml(const char *buf, size_t len, const char *url, struct xr_doc **out, char *msg, size_t msg_size,
        long *line)
{
    struct xr_doc *d = calloc(1, sizeof *d);
    struct xg_err e;
    xmlDoc *doc = NULL;
    int rc = -1;

    pthread_once(&lx_once, lx_init);
    *out = NULL;
    *line = 0;
    snprintf(msg, msg_size, "out of memory");
    if (!d)
        goto cleanup;
    if (len > XR_MAX_DOC) {
        snprintf(msg, msg_size, "a document of %zu bytes: the XML reader takes at most %zu", len, XR_MAX_DOC);
        goto cleanup;
    }
    doc = xg_read(buf, len, url, LX_OPTS, &e);
    if (!doc && !e.dtd && e.code == XML_ERR_DOCUMENT_END)
        doc = lx_read_wrapped(buf, len, url, &e);
    if (!doc) {
        snprintf(msg, msg_size, "%s", e.msg[0] ? e.msg : "not an XML document");
        *line = e.line;
        goto cleanup;
    }
    if (!xmlDocGetRootElement(doc) || !(d->root = copy(d, xmlDocGetRootElement(doc), NULL, 0)))
        goto cleanup;
    *out = d;
    d = NULL;
    rc = 0;
cleanup:
    xmlFreeDoc(doc);
    xr_free(d);
    return rc;
}

int
xr_parse(const char *buf, size_t len, const char *url, struct xr_doc **out, char *msg, size_t msg_size, long *line)
{
    struct xr_doc *d = len > XR_MAX_DOC ? NULL : calloc(1, sizeof *d);

    /* A copy, read in place: libxml2 still has the original if the fast path gives up. */
    if (d && !getenv("ERAUDIT_XML_LIBXML") && (d->buf = malloc(len + 1))) {
        memcpy(d->buf, buf, len);
        d->buf[len] = '\0';
        if (!fast_parse(d, len)) {
            *out = d;
            return 0;
        }
    }
    xr_free(d);
    return xr_parse_libxml(buf, len, url, out, msg, msg_size, line);
}

int
xr_parse_take(char *buf, size_t len, struct xr_doc **out)
{
    struct xr_doc *d = len > XR_MAX_DOC ? NULL : calloc(1, sizeof *d);

    if (!d || getenv("ERAUDIT_XML_LIBXML")) {
        free(d);
        free(buf);
        return -1;
    }
    d->buf = buf;
    d->buf[len] = '\0';
    if (fast_parse(d, len)) {
        xr_free(d);
        return -1;
    }
    *out = d;
    return 0;
}
