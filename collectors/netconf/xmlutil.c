/**
 * @file xmlutil.c
 * @brief Walking libxml2 trees by local name, text without allocation.
 */
#include "xmlutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int
xu_is(const struct xr_node *n, const char *name)
{
    return n && !strcmp(n->name, name);
}

const char *
xu_ns(const struct xr_node *n)
{
    return n ? n->ns : "";
}

struct xr_node *
xu_next_elem(const struct xr_node *n)
{
    for (n = n ? n->next : NULL; n && n->inactive; n = n->next)
        ;
    return (struct xr_node *)n;
}

struct xr_node *
xu_first(const struct xr_node *parent)
{
    struct xr_node *n = parent ? parent->children : NULL;

    return n && n->inactive ? xu_next_elem(n) : n;
}

struct xr_node *
xu_child(const struct xr_node *parent, const char *name)
{
    struct xr_node *n;

    for (n = parent ? parent->children : NULL; n; n = n->next) {
        if (!n->inactive && !strcmp(n->name, name))
            return n;
    }
    return NULL;
}

struct xr_node *
xu_next(const struct xr_node *n)
{
    const struct xr_node *s;

    for (s = n->next; s; s = s->next) {
        if (!s->inactive && s->name_len == n->name_len && !memcmp(s->name, n->name, n->name_len))
            return (struct xr_node *)s;
    }
    return NULL;
}

struct xr_node *
xu_find(const struct xr_node *parent, const char *path)
{
    const struct xr_node *cur = parent;
    const char *seg = path, *end;
    struct xr_node *n;

    while (cur && *seg) {
        size_t len;

        end = strchr(seg, '/');
        len = end ? (size_t)(end - seg) : strlen(seg);
        for (n = cur->children; n; n = n->next) {
            if (!n->inactive && n->name_len == len && !memcmp(n->name, seg, len))
                break;
        }
        cur = n;
        seg = end ? end + 1 : seg + len;
    }
    return (struct xr_node *)cur;
}

const char *
xu_text(const struct xr_node *n, char *buf, size_t size)
{
    const char *s;
    size_t len, start = 0;

    if (!n)
        return NULL;
    s = n->text;
    len = n->text_len;
    /* The common case: text without surrounding blanks, used in place. */
    if (n->pieces < 2 && len && !isspace((unsigned char)s[0]) && !isspace((unsigned char)s[len - 1]))
        return s;
    if (len >= size)
        len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    while (len && isspace((unsigned char)buf[len - 1]))
        buf[--len] = '\0';
    while (start < len && isspace((unsigned char)buf[start]))
        start++;
    return buf + start;
}

const char *
xu_str(const struct xr_node *parent, const char *path, char *buf, size_t size)
{
    return xu_text(xu_find(parent, path), buf, size);
}

const char *
xu_ident(const char *v)
{
    const char *colon, *p;

    if (!v || !isalpha((unsigned char)v[0]) || !(colon = strchr(v, ':')) || strchr(colon + 1, ':'))
        return v;
    for (p = v; p < colon; p++) {
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
            return v;
    }
    return isalpha((unsigned char)colon[1]) ? colon + 1 : v;
}

long
xu_line(const struct xr_node *n)
{
    return n ? n->line : 0;
}

/* Children that name a list entry, most specific first. */
static const char *const key_names[] = {
    "name", "neighbor-address", "ip", "sequence-id", "index", "identifier", "prefix", "ip-prefix",
    "destination-prefix", "id", "pool-id", "interface-id", "afi-safi-name", "community-set-name",
    "set-name", "local-discriminator", NULL,
};

/* Whether @n is a top-level data element (its parent is a reply wrapper). */
static int
is_top(const struct xr_node *n)
{
    const struct xr_node *p = n->parent;
    const char *ns;

    if (!p || xu_is(p, "rpc-reply") || xu_is(p, "eraudit-root"))
        return 1;
    ns = xu_ns(p);
    return (xu_is(p, "data") || xu_is(p, "config")) && strstr(ns, "urn:ietf:params:xml:ns:") == ns
            && (strstr(ns, "netconf") || strstr(ns, "datastores"));
}

/* "[key='value']" for a list entry, "" otherwise. */
static void
key_pred(const struct xr_node *n, char *buf, size_t size)
{
    char tb[128];
    const char *v;
    size_t i;

    buf[0] = '\0';
    if (xu_is(n, "config") || xu_is(n, "state"))
        return;
    for (i = 0; key_names[i]; i++) {
        const struct xr_node *k = xu_child(n, key_names[i]);

        if (!k)
            k = xu_find(xu_child(n, "config"), key_names[i]);
        if (k && !xu_first(k) && (v = xu_text(k, tb, sizeof tb)) && *v) {
            snprintf(buf, size, "[%s='%s']", key_names[i], v);
            return;
        }
    }
}

const char *
xu_path(const struct xr_node *n, char *buf, size_t size)
{
    const struct xr_node *chain[64];
    size_t depth = 0, len = 0, i;

    buf[0] = '\0';
    for (; n && depth < 64; n = n->parent) {
        chain[depth++] = n;
        if (is_top(n))
            break;
    }
    for (i = depth; i-- > 0 && len + 1 < size;) {
        char pred[200] = "";

        /* The named element too: a list entry is named by its key. */
        key_pred(chain[i], pred, sizeof pred);
        len += (size_t)snprintf(buf + len, size - len, "/%s%s", chain[i]->name, pred);
        if (len >= size)
            len = size - 1;
    }
    return buf;
}
