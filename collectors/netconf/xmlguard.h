/**
 * @file xmlguard.h
 * @brief libxml2 with the limits untrusted replies need (xg_* module).
 *
 * NETCONF replies and the files a snapshot holds need no DTD. Every
 * libxml2 parse of them goes through here: a document that declares one
 * (<!DOCTYPE ...>) is stopped as soon as its name is read, before any
 * entity is declared, so no entity is ever expanded ("billion laughs", in
 * text or in attribute values). XML_PARSE_HUGE is never passed, so
 * libxml2's own limits (256 levels of elements, names, attribute values)
 * stay on; documents larger than libxml2's int length are refused, never
 * truncated.
 */
#ifndef ER_XMLGUARD_H
#define ER_XMLGUARD_H

#include <stddef.h>

#include <libxml/parser.h>

/** The message of a refused DTD. */
#define XG_DTD_REFUSED "a DTD (<!DOCTYPE>) is refused: NETCONF replies need none, so entities are never declared " \
    "or expanded"

/** What a failed parse says. */
struct xg_err {
    int code;        /**< libxml2's error code, 0 when it gave none */
    int dtd;         /**< a DTD was refused */
    long line;       /**< the line named, 0 when unknown */
    char msg[384];   /**< one line, no trailing newline */
};

/**
 * @brief @p opts made safe: XML_PARSE_NONET added; XML_PARSE_HUGE,
 * XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_DTDVALID
 * and XML_PARSE_XINCLUDE removed.
 */
int xg_options(int opts);

/**
 * @brief Stop @p ctxt at a DOCTYPE. For a context with libxml2's own SAX2
 * handler (its user data is the context); a custom handler installs its
 * own internalSubset callback that calls xmlStopParser().
 * @param st where the refusal is noted (must outlive the parse).
 */
void xg_guard(xmlParserCtxt *ctxt, struct xg_err *st);

/**
 * @brief Parse @p len bytes into a tree, guarded.
 * @param url the name in libxml2's messages (may be NULL).
 * @param opts libxml2 options, made safe with xg_options().
 * @param[out] e on failure, why (a refused DTD, a size, libxml2's message).
 * @return the document (xmlFreeDoc() it), or NULL.
 */
xmlDoc *xg_read(const char *buf, size_t len, const char *url, int opts, struct xg_err *e);

/** @brief libxml2's error @p x in @p e's words (limits named, not XML_PARSE_HUGE). */
void xg_word(const xmlError *x, struct xg_err *e);

#endif
