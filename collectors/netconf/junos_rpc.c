/**
 * @file junos_rpc.c
 * @brief Junos requests and the peer addresses read back from a reply (see junos_rpc.h).
 */
#include "junos_rpc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xmlguard.h"

#define NS_BASE "urn:ietf:params:xml:ns:netconf:base:1.0"

int
junos_rpc_is_junos(const char *const *cpblts)
{
    for (size_t i = 0; cpblts && cpblts[i]; i++) {
        if (!strcmp(cpblts[i], JUNOS_CAP))
            return 1;
    }
    return 0;
}

const char *
junos_rpc_config(const char *database)
{
    return !strcmp(database, "candidate")
            ? "<get-configuration database=\"candidate\" inherit=\"inherit\" format=\"xml\"/>"
            : "<get-configuration database=\"committed\" inherit=\"inherit\" format=\"xml\"/>";
}

const char *
junos_rpc_route(const struct pfx *p, char *buf, size_t size)
{
    char text[PFX_STRLEN];
    int n;

    pfx_format(p, text);
    n = snprintf(buf, size, "<get-route-information><destination>%s</destination><detail/></get-route-information>",
            text);
    return n > 0 && (size_t)n < size ? buf : NULL;
}

const char *
junos_rpc_advertised(const char *addr, char *buf, size_t size)
{
    int n = snprintf(buf, size, "<get-route-information><advertising-protocol-name>bgp</advertising-protocol-name>"
            "<neighbor>%s</neighbor></get-route-information>", addr);

    return n > 0 && (size_t)n < size ? buf : NULL;
}

static void
peers_walk(const xmlNode *n, char (*out)[64], size_t max, size_t *k)
{
    for (; n && *k < max; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!strcmp((const char *)n->name, "peer-address")) {
            xmlChar *t = xmlNodeGetContent(n);
            unsigned char b[16];
            char a[64];
            size_t i = 0;
            const char *s = (const char *)t;

            while (s && *s && (*s == ' ' || *s == '\n' || *s == '\t'))
                s++;
            for (; s && s[i] && s[i] != '+' && s[i] != ' ' && s[i] != '\n' && i + 1 < sizeof a; i++)
                a[i] = s[i];
            a[i] = '\0';
            if (inet_pton(strchr(a, ':') ? AF_INET6 : AF_INET, a, b) == 1)
                snprintf(out[(*k)++], 64, "%s", a);
            xmlFree(t);
            continue;
        }
        peers_walk(n->children, out, max, k);
    }
}

size_t
junos_rpc_peers(const char *reply, size_t len, char (*out)[64], size_t max)
{
    struct xg_err xe;
    xmlDoc *doc = xg_read(reply, len, "bgp-information", XML_PARSE_NONET | XML_PARSE_NOBLANKS, &xe);
    size_t k = 0;

    if (doc)
        peers_walk(xmlDocGetRootElement(doc), out, max, &k);
    xmlFreeDoc(doc);
    return k;
}

/* One element of a request and its children, as opaque nodes. */
static int
node_build(const struct ly_ctx *ctx, struct lyd_node *parent, const xmlNode *x, struct lyd_node **out)
{
    struct lyd_node *n = NULL;
    xmlChar *text = NULL;
    int has_child = 0, rc = -1;

    for (const xmlNode *c = x->children; c; c = c->next)
        has_child |= c->type == XML_ELEMENT_NODE;
    if (!has_child)
        text = xmlNodeGetContent(x);
    if (lyd_new_opaq2(parent, ctx, (const char *)x->name, text && *text ? (const char *)text : NULL, NULL, NS_BASE,
            &n))
        goto cleanup;
    for (const xmlAttr *a = x->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(x->doc, a->children, 1);
        LY_ERR e = lyd_new_attr2(n, NULL, (const char *)a->name, (const char *)v, NULL);

        xmlFree(v);
        if (e)
            goto cleanup;
    }
    for (const xmlNode *c = x->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && node_build(ctx, n, c, NULL))
            goto cleanup;
    }
    if (out)
        *out = n;
    rc = 0;
cleanup:
    if (rc && !parent)
        lyd_free_tree(n);
    xmlFree(text);
    return rc;
}

struct lyd_node *
junos_rpc_node(const struct ly_ctx *ctx, const char *xml)
{
    struct xg_err xe;
    xmlDoc *doc = xg_read(xml, strlen(xml), "junos-request", XML_PARSE_NONET | XML_PARSE_NOBLANKS, &xe);
    struct lyd_node *n = NULL;

    if (doc && node_build(ctx, NULL, xmlDocGetRootElement(doc), &n))
        n = NULL;
    xmlFreeDoc(doc);
    return n;
}
