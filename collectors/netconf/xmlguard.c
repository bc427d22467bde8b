/**
 * @file xmlguard.c
 * @brief libxml2 with the limits untrusted replies need.
 */
#define _GNU_SOURCE
#include "xmlguard.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>

int
xg_options(int opts)
{
    return (opts | XML_PARSE_NONET) & ~(XML_PARSE_HUGE | XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR
            | XML_PARSE_DTDVALID | XML_PARSE_XINCLUDE);
}

/* libxml2 calls this once a DOCTYPE's name is read, before its internal
 * subset (where entities would be declared) is parsed: stop there. */
static void
xg_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
    xmlParserCtxt *ctxt = ctx;
    struct xg_err *st = ctxt->_private;

    (void)name, (void)external_id, (void)system_id;
    if (st) {
        st->dtd = 1;
        st->line = xmlSAX2GetLineNumber(ctxt);
    }
    xmlStopParser(ctxt);
}

void
xg_guard(xmlParserCtxt *ctxt, struct xg_err *st)
{
    ctxt->_private = st;
    ctxt->sax->internalSubset = xg_doctype;
    ctxt->sax->externalSubset = xg_doctype;
    ctxt->sax->entityDecl = NULL;
    ctxt->sax->getParameterEntity = NULL;
    ctxt->sax->resolveEntity = NULL;
}

void
xg_word(const xmlError *x, struct xg_err *e)
{
    const char *m = x && x->message ? x->message : "not an XML document";
    const char *huge = strstr(m, "XML_PARSE_HUGE");
    size_t l;

    e->code = x ? x->code : 0;
    e->line = x ? x->line : 0;
    if (x && strstr(m, "Excessive depth")) {
        snprintf(e->msg, sizeof e->msg, "elements nested deeper than %u levels: refused", xmlParserMaxDepth);
        return;
    }
    /* libxml2's advice to pass XML_PARSE_HUGE is cut off: that is not ours to take. */
    snprintf(e->msg, sizeof e->msg, "%.*s", huge ? (int)(huge - m) : (int)strlen(m), m);
    l = strlen(e->msg);
    if (huge && l >= 4 && !strcmp(e->msg + l - 4, "use "))
        e->msg[l -= 4] = '\0';
    while (l && (isspace((unsigned char)e->msg[l - 1]) || e->msg[l - 1] == '(' || e->msg[l - 1] == ','))
        e->msg[--l] = '\0';
    if (huge)
        snprintf(e->msg + l, sizeof e->msg - l, " (over a limit of the XML reader: refused)");
    e->msg[strcspn(e->msg, "\n")] = '\0';
}

xmlDoc *
xg_read(const char *buf, size_t len, const char *url, int opts, struct xg_err *e)
{
    xmlParserCtxt *ctxt;
    xmlDoc *doc = NULL;

    memset(e, 0, sizeof *e);
    if (len > INT_MAX) {
        snprintf(e->msg, sizeof e->msg, "a document of %zu bytes: the XML reader takes at most %d", len, INT_MAX);
        return NULL;
    }
    if (!(ctxt = xmlCreateMemoryParserCtxt(buf, (int)len))) {
        snprintf(e->msg, sizeof e->msg, "out of memory");
        return NULL;
    }
    xmlCtxtUseOptions(ctxt, xg_options(opts));
    xg_guard(ctxt, e);
    if (url && ctxt->input && !ctxt->input->filename)
        ctxt->input->filename = (char *)xmlStrdup((const xmlChar *)url);
    xmlParseDocument(ctxt);
    doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    if (e->dtd) {
        snprintf(e->msg, sizeof e->msg, "%s", XG_DTD_REFUSED);
    } else if (!doc || !ctxt->wellFormed) {
        xg_word(xmlCtxtGetLastError(ctxt), e);
    } else {
        xmlFreeParserCtxt(ctxt);
        return doc;
    }
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    return NULL;
}
