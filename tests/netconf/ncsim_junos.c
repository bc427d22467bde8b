/**
 * @file ncsim_junos.c
 * @brief The simulator as a Junos device: `ncsim --junos-stdio DIR` speaks
 * NETCONF 1.0 (end-of-message framing, as Junos does) on stdin/stdout for
 * one device, run by a private OpenSSH sshd as its netconf subsystem.
 *
 * Why not the libnetconf2 server of the other devices: Junos requests carry
 * unprefixed attributes (`<get-configuration database="committed"
 * inherit="inherit"/>`) and elements no YANG module defines, which
 * libnetconf2 2.0 refuses (libyang parses an RPC strictly) before any
 * callback sees them. Here requests are read with libxml2.
 *
 * DIR holds what the device answers, each file the content of the
 * <rpc-reply> (a saved reply, <rpc-reply> included, is fine too):
 *
 *     running.xml      <get-configuration database="committed">
 *     candidate.xml    database="candidate" (default: running.xml)
 *     interfaces.xml   <get-interface-information>
 *     bgp.xml          <get-bgp-neighbor-information>
 *     routes.xml       <get-route-information><destination>P</destination>:
 *                      the rt entries inside P, else the longest one covering it
 *     adv-ADDRESS.xml  <get-route-information><advertising-protocol-name>bgp ...
 *                      <neighbor>ADDRESS</neighbor> (default: no routes)
 *
 * <get-schema> is answered from /usr/share/yuma/modules/ietf (Debian
 * package libyuma-base), as for the other simulated devices.
 *
 * Every request is appended to DIR/requests.log (name and attributes, one a
 * line) so tests can check what was asked.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ncsim_junos.h"

#define EOM "]]>]]>"
#define NCSIM_IETF_DIR "/usr/share/yuma/modules/ietf"
#define NS_BASE "urn:ietf:params:xml:ns:netconf:base:1.0"

static const char hello[] =
    "<hello xmlns=\"" NS_BASE "\"><capabilities>"
    "<capability>urn:ietf:params:netconf:base:1.0</capability>"
    "<capability>urn:ietf:params:netconf:capability:candidate:1.0</capability>"
    "<capability>urn:ietf:params:netconf:capability:confirmed-commit:1.0</capability>"
    "<capability>urn:ietf:params:netconf:capability:validate:1.0</capability>"
    "<capability>urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file</capability>"
    "<capability>urn:ietf:params:xml:ns:netconf:base:1.0</capability>"
    "<capability>http://xml.juniper.net/netconf/junos/1.0</capability>"
    "<capability>http://xml.juniper.net/dmi/system/1.0</capability>"
    "<capability>urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring?module=ietf-netconf-monitoring&amp;"
    "revision=2010-10-04</capability>"
    "</capabilities><session-id>4242</session-id></hello>" EOM;

/* What was read past the last message. */
struct inbuf {
    char *buf;
    size_t len, cap;
};

/* Read one message up to the end-of-message marker; NULL at end of input. */
static char *
read_msg(struct inbuf *in, size_t *len)
{
    char *end, *msg;
    ssize_t r;

    for (;;) {
        if (in->len >= 6 && (end = memmem(in->buf, in->len, EOM, 6))) {
            *len = (size_t)(end - in->buf);
            if (!(msg = malloc(*len + 1)))
                return NULL;
            memcpy(msg, in->buf, *len);
            msg[*len] = '\0';
            in->len -= *len + 6;
            memmove(in->buf, end + 6, in->len);
            return msg;
        }
        if (in->len + 4096 >= in->cap) {
            size_t cap = in->cap ? in->cap * 2 : 65536;
            char *b = realloc(in->buf, cap);

            if (!b)
                return NULL;
            in->buf = b;
            in->cap = cap;
        }
        if ((r = read(0, in->buf + in->len, in->cap - in->len - 1)) <= 0)
            return NULL;
        in->len += (size_t)r;
    }
}

static void
write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(1, p, n);

        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
    }
}

/* The content of a device file, its own <?xml?> and <rpc-reply> wrapper removed. */
static char *
body_of(const char *dir, const char *file, const char *fallback)
{
    char path[4200], *buf = NULL, *start, *end;
    size_t len = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, file);
    if (!(f = fopen(path, "rb")) && fallback) {
        snprintf(path, sizeof path, "%s/%s", dir, fallback);
        f = fopen(path, "rb");
    }
    if (!f)
        return NULL;
    if (getdelim(&buf, &len, '\0', f) < 0) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf)
        return NULL;
    start = buf;
    if (!strncmp(start, "<?xml", 5) && (end = strstr(start, "?>")))
        start = end + 2;
    start += strspn(start, " \r\n\t");
    if (!strncmp(start, "<rpc-reply", 10) && (end = strrchr(start, '<')) && !strncmp(end, "</rpc-reply>", 12) &&
            (start = strchr(start, '>'))) {
        *end = '\0';
        start++;
    }
    memmove(buf, start, strlen(start) + 1);
    return buf;
}

/* "P/L" into bytes and length; family by the address. */
static int
parse_pfx(const char *v, unsigned char a[16], unsigned *len, int *v6)
{
    char addr[64];
    const char *slash = strchr(v, '/');

    snprintf(addr, sizeof addr, "%.*s", slash ? (int)(slash - v) : (int)strlen(v), v);
    memset(a, 0, 16);
    *v6 = strchr(addr, ':') != NULL;
    if (inet_pton(*v6 ? AF_INET6 : AF_INET, addr, a) != 1)
        return -1;
    *len = slash ? (unsigned)atoi(slash + 1) : (*v6 ? 128 : 32);
    return 0;
}

/* Whether prefix (b, bl) lies inside (a, al). */
static int
inside(const unsigned char *a, unsigned al, const unsigned char *b, unsigned bl)
{
    unsigned i;

    if (bl < al)
        return 0;
    for (i = 0; i < al; i++) {
        if (((a[i / 8] >> (7 - i % 8)) & 1) != ((b[i / 8] >> (7 - i % 8)) & 1))
            return 0;
    }
    return 1;
}

static xmlNode *
child(const xmlNode *n, const char *name)
{
    for (n = n ? n->children : NULL; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
            return (xmlNode *)n;
    }
    return NULL;
}

static int
rt_prefix(xmlNode *rt, unsigned char a[16], unsigned *len, int *v6)
{
    xmlNode *d = child(rt, "rt-destination"), *l = child(rt, "rt-prefix-length");
    xmlChar *dv = d ? xmlNodeGetContent(d) : NULL, *lv = l ? xmlNodeGetContent(l) : NULL;
    char text[128];
    int rc;

    snprintf(text, sizeof text, "%s%s%s", dv ? (char *)dv : "", lv && !strchr((char *)dv, '/') ? "/" : "",
            lv && !strchr((char *)dv, '/') ? (char *)lv : "");
    rc = dv ? parse_pfx(text, a, len, v6) : -1;
    xmlFree(dv);
    xmlFree(lv);
    return rc;
}

/* routes.xml cut to the destination asked: the routes inside it, else the longest one covering it. */
static char *
routes_for(const char *dir, const char *dest)
{
    char *body = body_of(dir, "routes.xml", NULL), *out = NULL;
    unsigned char q[16], a[16];
    unsigned ql, al, best_len = 0;
    int qv6, av6, any = 0;
    xmlDoc *doc;
    xmlNode *root, *t, *rt, *next, *best = NULL;
    xmlBuffer *xb;

    if (!body || parse_pfx(dest, q, &ql, &qv6) ||
            !(doc = xmlReadMemory(body, (int)strlen(body), "routes.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS))) {
        free(body);
        return strdup("<route-information xmlns=\"http://xml.juniper.net/junos/22.4R0/junos-routing\"/>");
    }
    free(body);
    root = xmlDocGetRootElement(doc);
    for (t = root->children; t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "route-table"))
            continue;
        for (rt = t->children; rt; rt = rt->next) {
            if (rt->type == XML_ELEMENT_NODE && !strcmp((const char *)rt->name, "rt") &&
                    !rt_prefix(rt, a, &al, &av6) && av6 == qv6) {
                if (inside(q, ql, a, al))
                    any = 1;
                else if (inside(a, al, q, ql) && (!best || al > best_len))
                    best = rt, best_len = al;
            }
        }
    }
    /* Drop every rt but those answered. */
    for (t = root->children; t; t = t->next) {
        for (rt = t->type == XML_ELEMENT_NODE ? t->children : NULL; rt; rt = next) {
            next = rt->next;
            if (rt->type != XML_ELEMENT_NODE || strcmp((const char *)rt->name, "rt"))
                continue;
            if (rt_prefix(rt, a, &al, &av6) || av6 != qv6 || (any ? !inside(q, ql, a, al) : rt != best)) {
                xmlUnlinkNode(rt);
                xmlFreeNode(rt);
            }
        }
    }
    if ((xb = xmlBufferCreate())) {
        xmlNodeDump(xb, doc, root, 0, 0);
        out = strdup((const char *)xmlBufferContent(xb));
        xmlBufferFree(xb);
    }
    xmlFreeDoc(doc);
    return out;
}

static void
log_request(const char *dir, const xmlNode *op)
{
    char path[4200];
    FILE *f;

    snprintf(path, sizeof path, "%s/requests.log", dir);
    if (!(f = fopen(path, "a")))
        return;
    fprintf(f, "%s", (const char *)op->name);
    for (xmlAttr *a = op->properties; a; a = a->next) {
        xmlChar *v = xmlNodeListGetString(op->doc, a->children, 1);

        fprintf(f, " %s=%s", (const char *)a->name, v ? (const char *)v : "");
        xmlFree(v);
    }
    for (const xmlNode *c = op->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            xmlChar *v = xmlNodeGetContent(c);

            fprintf(f, " <%s>%s", (const char *)c->name, v ? (const char *)v : "");
            xmlFree(v);
        }
    }
    fputc('\n', f);
    fclose(f);
}

static char *
text_of(const xmlNode *n, const char *name)
{
    xmlNode *c = child(n, name);
    xmlChar *v = c ? xmlNodeGetContent(c) : NULL;
    char *s = v ? strdup((const char *)v) : NULL;

    xmlFree(v);
    return s;
}

/* <get-schema>: the module's text from the IETF modules directory, escaped. The
 * libnetconf2 client asks for ietf-netconf this way, as from a real Junos. */
static char *
schema_of(const xmlNode *op)
{
    char *id = text_of(op, "identifier"), *ver = text_of(op, "version"), path[512], *text = NULL, *out = NULL, *o;
    size_t len = 0;
    FILE *f;

    if (id && !strchr(id, '/') && !strchr(id, '*') && (!ver || (!strchr(ver, '/') && !strchr(ver, '*')))) {
        glob_t g = {0};

        /* Without a version: the module's one revision in the directory. */
        snprintf(path, sizeof path, "%s/%s@%s.yang", NCSIM_IETF_DIR, id, ver && *ver ? ver : "*");
        if (!glob(path, 0, NULL, &g) && g.gl_pathc)
            snprintf(path, sizeof path, "%s", g.gl_pathv[g.gl_pathc - 1]);
        globfree(&g);
        if ((f = fopen(path, "rb"))) {
            if (getdelim(&text, &len, '\0', f) < 0) {
                free(text);
                text = NULL;
            }
            fclose(f);
        }
    }
    if (text && (out = malloc(strlen(text) * 5 + 128))) {
        o = out + sprintf(out, "<data xmlns=\"urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring\">");
        for (const char *p = text; *p; p++)
            o += *p == '<' ? sprintf(o, "&lt;") : *p == '>' ? sprintf(o, "&gt;") : *p == '&' ? sprintf(o, "&amp;")
                    : sprintf(o, "%c", *p);
        sprintf(o, "</data>");
    }
    free(text);
    free(id);
    free(ver);
    return out;
}

/* The answer to one Junos request (malloc'd body), or NULL for an rpc-error. */
static char *
answer(const char *dir, const xmlNode *op, int *close)
{
    const char *name = (const char *)op->name;
    char file[200], *v, *body;

    if (!strcmp(name, "close-session")) {
        *close = 1;
        return strdup("<ok/>");
    }
    if (!strcmp(name, "get-configuration")) {
        xmlChar *db = xmlGetProp(op, (const xmlChar *)"database");
        int cand = db && !strcmp((const char *)db, "candidate");

        xmlFree(db);
        return body_of(dir, cand ? "candidate.xml" : "running.xml", "running.xml");
    }
    if (!strcmp(name, "get-schema"))
        return schema_of(op);
    if (!strcmp(name, "get-interface-information"))
        return body_of(dir, "interfaces.xml", NULL);
    if (!strcmp(name, "get-bgp-neighbor-information"))
        return body_of(dir, "bgp.xml", NULL);
    if (!strcmp(name, "get-route-information")) {
        if ((v = text_of(op, "neighbor"))) {
            snprintf(file, sizeof file, "adv-%s.xml", v);
            free(v);
            body = body_of(dir, file, NULL);
            return body ? body : strdup("<route-information xmlns=\"http://xml.juniper.net/junos/22.4R0/"
                    "junos-routing\"/>");
        }
        if ((v = text_of(op, "destination"))) {
            body = routes_for(dir, v);
            free(v);
            return body;
        }
    }
    return NULL;
}

int
ncsim_junos_stdio(const char *dir)
{
    static const char rpc_error[] = "<rpc-error><error-type>protocol</error-type><error-tag>operation-failed"
        "</error-tag><error-severity>error</error-severity><error-message>syntax error</error-message></rpc-error>";
    static const char tail[] = "\n</rpc-reply>" EOM;
    struct inbuf in = {0};
    char *msg, *body, head[256];
    size_t len;
    int close = 0;

    write_all(hello, sizeof hello - 1);
    if (!(msg = read_msg(&in, &len))) {     /* the client's <hello> */
        free(in.buf);
        return 1;
    }
    free(msg);
    while (!close && (msg = read_msg(&in, &len))) {
        xmlDoc *doc = xmlReadMemory(msg, (int)len, "rpc", NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
        xmlNode *rpc = doc ? xmlDocGetRootElement(doc) : NULL, *op = NULL;
        xmlChar *id = rpc ? xmlGetProp(rpc, (const xmlChar *)"message-id") : NULL;

        for (op = rpc ? rpc->children : NULL; op && op->type != XML_ELEMENT_NODE; op = op->next)
            ;
        if (op)
            log_request(dir, op);
        body = op ? answer(dir, op, &close) : NULL;
        snprintf(head, sizeof head, "<rpc-reply xmlns=\"" NS_BASE "\" xmlns:junos=\"http://xml.juniper.net/junos/"
                "22.4R0/junos\" message-id=\"%s\">\n", id ? (const char *)id : "0");
        write_all(head, strlen(head));
        if (body)
            write_all(body, strlen(body));
        else
            write_all(rpc_error, sizeof rpc_error - 1);
        write_all(tail, sizeof tail - 1);
        free(body);
        xmlFree(id);
        xmlFreeDoc(doc);
        free(msg);
    }
    free(in.buf);
    return 0;
}
