/**
 * @file xmlutil.c
 * @brief Walking libxml2 trees by local name, text without allocation.
 */
#include "xmlutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int
xu_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

const char *
xu_ns(const xmlNode *n)
{
    return (n && n->ns && n->ns->href) ? (const char *)n->ns->href : "";
}

xmlNode *
xu_next_elem(const xmlNode *n)
{
    for (n = n ? n->next : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return (xmlNode *)n;
    }
    return NULL;
}

xmlNode *
xu_first(const xmlNode *parent)
{
    xmlNode *n;

    if (!parent)
        return NULL;
    for (n = parent->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
    }
    return NULL;
}

xmlNode *
xu_child(const xmlNode *parent, const char *name)
{
    xmlNode *n;

    if (!parent)
        return NULL;
    for (n = parent->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
            return n;
    }
    return NULL;
}

xmlNode *
xu_next(const xmlNode *n)
{
    const xmlChar *name = n->name;

    /* Names come from the parser's dictionary: equal names often share a pointer. */
    for (n = n->next; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && (n->name == name || !strcmp((const char *)n->name, (const char *)name)))
            return (xmlNode *)n;
    }
    return NULL;
}

xmlNode *
xu_find(const xmlNode *parent, const char *path)
{
    const xmlNode *cur = parent;
    const char *seg = path, *end;
    xmlNode *n;

    while (cur && *seg) {
        size_t len;

        end = strchr(seg, '/');
        len = end ? (size_t)(end - seg) : strlen(seg);
        for (n = cur->children; n; n = n->next) {
            if (n->type == XML_ELEMENT_NODE && !strncmp((const char *)n->name, seg, len) && !n->name[len])
                break;
        }
        cur = n;
        seg = end ? end + 1 : seg + len;
    }
    return (xmlNode *)cur;
}

const char *
xu_text(const xmlNode *n, char *buf, size_t size)
{
    const xmlNode *c;
    size_t len = 0, start = 0;

    if (!n)
        return NULL;
    c = n->children;
    /* The common case: one text child without surrounding blanks, used in place. */
    if (c && !c->next && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
        const char *s = (const char *)c->content;
        size_t l = strlen(s);

        if (l && !isspace((unsigned char)s[0]) && !isspace((unsigned char)s[l - 1]))
            return s;
    }
    buf[0] = '\0';
    for (; c; c = c->next) {
        size_t l;

        if ((c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE) || !c->content)
            continue;
        l = strlen((const char *)c->content);
        if (len + l >= size)
            l = size - 1 - len;
        memcpy(buf + len, c->content, l);
        len += l;
        buf[len] = '\0';
    }
    while (len && isspace((unsigned char)buf[len - 1]))
        buf[--len] = '\0';
    while (start < len && isspace((unsigned char)buf[start]))
        start++;
    return buf + start;
}

const char *
xu_str(const xmlNode *parent, const char *path, char *buf, size_t size)
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
xu_line(const xmlNode *n)
{
    return n ? xmlGetLineNo(n) : 0;
}

/* Children that name a list entry, most specific first. */
static const char *const key_names[] = {
    "name", "neighbor-address", "ip", "sequence-id", "index", "identifier", "prefix", "ip-prefix",
    "destination-prefix", "id", "pool-id", "interface-id", "afi-safi-name", "community-set-name",
    "set-name", "local-discriminator", NULL,
};

/* Whether @n is a top-level data element (its parent is a reply wrapper). */
static int
is_top(const xmlNode *n)
{
    const xmlNode *p = n->parent;
    const char *ns;

    if (!p || p->type != XML_ELEMENT_NODE || xu_is(p, "rpc-reply") || xu_is(p, "eraudit-root"))
        return 1;
    ns = xu_ns(p);
    return (xu_is(p, "data") || xu_is(p, "config")) && strstr(ns, "urn:ietf:params:xml:ns:") == ns
            && (strstr(ns, "netconf") || strstr(ns, "datastores"));
}

/* "[key='value']" for a list entry, "" otherwise. */
static void
key_pred(const xmlNode *n, char *buf, size_t size)
{
    char tb[128];
    const char *v;
    size_t i;

    buf[0] = '\0';
    if (xu_is(n, "config") || xu_is(n, "state"))
        return;
    for (i = 0; key_names[i]; i++) {
        const xmlNode *k = xu_child(n, key_names[i]);

        if (!k)
            k = xu_find(xu_child(n, "config"), key_names[i]);
        if (k && !xu_first(k) && (v = xu_text(k, tb, sizeof tb)) && *v) {
            snprintf(buf, size, "[%s='%s']", key_names[i], v);
            return;
        }
    }
}

const char *
xu_path(const xmlNode *n, char *buf, size_t size)
{
    const xmlNode *chain[64];
    size_t depth = 0, len = 0, i;

    buf[0] = '\0';
    for (; n && n->type == XML_ELEMENT_NODE && depth < 64; n = n->parent) {
        chain[depth++] = n;
        if (is_top(n))
            break;
    }
    for (i = depth; i-- > 0 && len + 1 < size;) {
        char pred[200] = "";

        if (i > 0)
            key_pred(chain[i], pred, sizeof pred);
        len += (size_t)snprintf(buf + len, size - len, "/%s%s", (const char *)chain[i]->name, pred);
        if (len >= size)
            len = size - 1;
    }
    return buf;
}
