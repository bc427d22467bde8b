/**
 * @file jsonr.c
 * @brief A small JSON reader: recursive descent into a flat node array.
 *
 * Speed matters because the service-tags file is several megabytes: the
 * scanner touches each byte once, strings without escapes are not copied,
 * and nodes live in one growing array.
 */
#include "jsonr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bound.h"

#define JR_MAX_DEPTH 256

struct jr_parser {
    struct jr_doc *d;
    char *p, *end;
    const char *line_start;
    uint32_t line;
    struct er_err *err;
};

static er_code
jr_fail(struct jr_parser *ps, const char *expected)
{
    char got[24];

    if (ps->p >= ps->end)
        snprintf(got, sizeof got, "the end of the file");
    else if ((unsigned char)*ps->p < 0x20)
        snprintf(got, sizeof got, "byte 0x%02x", (unsigned char)*ps->p);
    else
        snprintf(got, sizeof got, "'%c'", *ps->p);
    return er_set(ps->err, ER_EINVAL, "%s:%u:%ld: expected %s, got %s", ps->d->name, ps->line,
            (long)(ps->p - ps->line_start) + 1, expected, got);
}

static void
jr_ws(struct jr_parser *ps)
{
    while (ps->p < ps->end) {
        char c = *ps->p;

        if (c == '\n') {
            ps->line++;
            ps->line_start = ps->p + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        ps->p++;
    }
}

static long
jr_push(struct jr_parser *ps, enum jr_type t, const char *key)
{
    struct jr_doc *d = ps->d;
    struct jr_node *x;

    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 1024;
        struct jr_node *v = cap <= UINT32_MAX ? realloc(d->v, cap * sizeof *v) : NULL;

        if (!v) {
            er_set(ps->err, ER_ENOMEM, "%s: out of memory", d->name);
            return -1;
        }
        d->v = v;
        d->cap = cap;
    }
    x = &d->v[d->n];
    x->type = t;
    x->end = (uint32_t)d->n + 1;
    x->line = ps->line;
    x->key = key;
    x->s = NULL;
    return (long)d->n++;
}

static int
jr_hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        char c = s[i];

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static char *
jr_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | (cp >> 6));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | (cp >> 12));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | (cp >> 18));
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* A string at ps->p (on the opening quote), decoded in place; returns its start. */
static const char *
jr_string(struct jr_parser *ps)
{
    char *start = ++ps->p, *o;
    unsigned cp, lo;

    /* Fast path: no escapes, terminate at the closing quote. */
    while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && (unsigned char)*ps->p >= 0x20)
        ps->p++;
    o = ps->p;
    while (ps->p < ps->end && *ps->p != '"') {
        char c = *ps->p;

        if ((unsigned char)c < 0x20) {
            jr_fail(ps, "a control character escaped inside a string");
            return NULL;
        }
        if (c != '\\') {
            *o++ = c;
            ps->p++;
            continue;
        }
        if (ps->end - ps->p < 2) {
            ps->p = ps->end;
            break;
        }
        c = *++ps->p;
        ps->p++;
        switch (c) {
        case '"': case '\\': case '/': *o++ = c; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
            if (ps->end - ps->p < 4 || jr_hex4(ps->p, &cp)) {
                jr_fail(ps, "four hex digits after \\u");
                return NULL;
            }
            ps->p += 4;
            /* A surrogate pair is two escapes for one code point. */
            if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u' &&
                    !jr_hex4(ps->p + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                ps->p += 6;
            }
            o = jr_utf8(o, cp);
            break;
        default:
            ps->p--;
            jr_fail(ps, "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)");
            return NULL;
        }
    }
    if (ps->p >= ps->end) {
        jr_fail(ps, "the closing quote of the string");
        return NULL;
    }
    ps->p++;
    *o = '\0';
    return start;
}

static er_code jr_value(struct jr_parser *ps, const char *key, int depth);

static er_code
jr_container(struct jr_parser *ps, long self, int obj, int depth)
{
    char close = obj ? '}' : ']';
    const char *key = NULL;
    er_code rc;

    ps->p++;
    jr_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return ER_OK;
    }
    for (;;) {
        if (obj) {
            if (ps->p >= ps->end || *ps->p != '"')
                return jr_fail(ps, "a member name in quotes");
            if (!(key = jr_string(ps)))
                return ER_EINVAL;
            jr_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':')
                return jr_fail(ps, "':' after the member name");
            ps->p++;
            jr_ws(ps);
        }
        if ((rc = jr_value(ps, key, depth + 1)))
            return rc;
        jr_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            jr_ws(ps);
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            ps->d->v[self].end = (uint32_t)ps->d->n;
            return ER_OK;
        }
        return jr_fail(ps, obj ? "',' or '}'" : "',' or ']'");
    }
}

static er_code
jr_number(struct jr_parser *ps, long self)
{
    char *s = ps->p;

    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9')
        return jr_fail(ps, "a digit");
    while (ps->p < ps->end && ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '.' || *ps->p == 'e' ||
            *ps->p == 'E' || *ps->p == '+' || *ps->p == '-'))
        ps->p++;
    /*
     * Terminate the number's text in place: over a following blank, else by
     * moving it one byte left over the ':', '[', ',' or blank already read.
     */
    if (ps->p >= ps->end) {
        *ps->p = '\0';
    } else if (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n') {
        if (*ps->p == '\n') {
            ps->line++;
            ps->line_start = ps->p + 1;
        }
        *ps->p++ = '\0';
    } else if (*ps->p != ',' && *ps->p != '}' && *ps->p != ']') {
        return jr_fail(ps, "the end of the number");
    } else if (s > ps->d->buf) {
        memmove(s - 1, s, (size_t)(ps->p - s));
        s--;
        ps->p[-1] = '\0';
    } else {
        return jr_fail(ps, "the end of the document");
    }
    ps->d->v[self].s = s;
    return ER_OK;
}

static er_code
jr_value(struct jr_parser *ps, const char *key, int depth)
{
    long self;
    char c;

    if (depth > JR_MAX_DEPTH)
        return jr_fail(ps, "at most 256 levels of nesting");
    if (ps->p >= ps->end)
        return jr_fail(ps, "a value");
    c = *ps->p;
    switch (c) {
    case '{':
    case '[':
        if ((self = jr_push(ps, c == '{' ? JR_OBJ : JR_ARR, key)) < 0)
            return ER_ENOMEM;
        return jr_container(ps, self, c == '{', depth);
    case '"':
        if ((self = jr_push(ps, JR_STR, key)) < 0)
            return ER_ENOMEM;
        return (ps->d->v[self].s = jr_string(ps)) ? ER_OK : ER_EINVAL;
    case 't':
    case 'f':
    case 'n': {
        static const char *const words[] = {"true", "false", "null"};
        const char *w = words[c == 't' ? 0 : c == 'f' ? 1 : 2];
        size_t l = strlen(w);

        if ((size_t)(ps->end - ps->p) < l || memcmp(ps->p, w, l))
            return jr_fail(ps, "true, false or null");
        if (jr_push(ps, c == 't' ? JR_TRUE : c == 'f' ? JR_FALSE : JR_NULL, key) < 0)
            return ER_ENOMEM;
        ps->p += l;
        return ER_OK;
    }
    default:
        if ((self = jr_push(ps, JR_NUM, key)) < 0)
            return ER_ENOMEM;
        return jr_number(ps, self);
    }
}

er_code
jr_parse(const char *name, char *text, size_t len, struct jr_doc *d, struct er_err *err)
{
    struct jr_parser ps = {.d = d, .p = text, .end = text + len, .line_start = text, .line = 1, .err = err};
    er_code rc;

    memset(d, 0, sizeof *d);
    d->buf = text;
    d->name = name;
    text[len] = '\0';
    /* A UTF-8 byte order mark is allowed (Microsoft's files sometimes carry one). */
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        ps.p += 3;
    jr_ws(&ps);
    if ((rc = jr_value(&ps, NULL, 0)))
        goto fail;
    jr_ws(&ps);
    if (ps.p < ps.end) {
        rc = jr_fail(&ps, "the end of the document");
        goto fail;
    }
    return ER_OK;
fail:
    jr_free(d);
    return rc;
}

er_code
jr_parse_file(const char *path, struct jr_doc *d, struct er_err *err)
{
    FILE *fp = fopen(path, "rb");
    er_code rc;

    memset(d, 0, sizeof *d);
    if (!fp)
        return er_set(err, ER_EIO, "%s: cannot open: %s", path, strerror(errno));
    rc = jr_parse_fp(fp, path, d, err);
    fclose(fp);
    return rc;
}

er_code
jr_parse_fp(FILE *fp, const char *path, struct jr_doc *d, struct er_err *err)
{
    struct stat st;
    char *buf;
    size_t got;
    er_code rc;

    memset(d, 0, sizeof *d);
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode))
        return er_set(err, ER_EIO, "%s: not a regular file", path);
    if ((rc = bound_check(path, (uint64_t)st.st_size, bound_cap(), err)))
        return rc;
    if (!(buf = malloc((size_t)st.st_size + 1)))
        return er_set(err, ER_ENOMEM, "%s: out of memory", path);
    got = fread(buf, 1, (size_t)st.st_size, fp);
    if (ferror(fp)) {
        free(buf);
        return er_set(err, ER_EIO, "%s: read error", path);
    }
    return jr_parse(path, buf, got, d, err);
}

void
jr_free(struct jr_doc *d)
{
    if (!d)
        return;
    free(d->v);
    free(d->buf);
    memset(d, 0, sizeof *d);
}

long
jr_first(const struct jr_doc *d, size_t i)
{
    if (i >= d->n || (d->v[i].type != JR_ARR && d->v[i].type != JR_OBJ) || d->v[i].end == i + 1)
        return -1;
    return (long)i + 1;
}

long
jr_next(const struct jr_doc *d, size_t parent, size_t i)
{
    size_t n = d->v[i].end;

    return n < d->v[parent].end ? (long)n : -1;
}

long
jr_get(const struct jr_doc *d, size_t obj, const char *key)
{
    long c;

    if (obj >= d->n || d->v[obj].type != JR_OBJ)
        return -1;
    JR_FOR(d, obj, c) {
        if (!strcmp(d->v[c].key, key))
            return c;
    }
    return -1;
}

const char *
jr_str(const struct jr_doc *d, size_t obj, const char *key)
{
    long c = jr_get(d, obj, key);

    return c >= 0 && d->v[c].type == JR_STR ? d->v[c].s : NULL;
}
