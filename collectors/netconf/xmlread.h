/**
 * @file xmlread.h
 * @brief Reading NETCONF reply files into a light element tree (xr_* module).
 *
 * Replies are large (a router's interfaces and BGP state run to megabytes)
 * and the mappers only walk elements by local name and read their text. So
 * the common document is read by a small in-place reader: elements,
 * attributes, namespaces, character and predefined entity references,
 * comments between elements. Anything else (CDATA, mixed content, an
 * encoding other than UTF-8, a prefix that is not declared, a document that
 * is not well-formed) goes to libxml2, whose tree is copied into the same
 * shape and whose message and line report a bad document. Both paths give
 * the same tree; tests/unit/test_xmlread.c holds them to it. Both are
 * bounded (xmlguard.h): a DTD is refused, so no entity is ever expanded;
 * more than 256 levels of elements are refused by name; a document over
 * INT_MAX bytes is refused, never truncated.
 */
#ifndef ER_XMLREAD_H
#define ER_XMLREAD_H

#include <stddef.h>

/** An element. Text and names stay valid until xr_free(). */
struct xr_node {
    const char *name;          /**< local name */
    const char *ns;            /**< namespace URI, "" when none */
    const char *text;          /**< character data, untrimmed; "" when none */
    struct xr_node *parent;    /**< NULL for the root */
    struct xr_node *children;  /**< first child element */
    struct xr_node *next;      /**< next sibling element */
    long line;                 /**< line of the start tag */
    unsigned name_len, text_len;
    unsigned char pieces;      /**< text came in several pieces (libxml2 path) */
    unsigned char inactive;    /**< inactive="inactive" (Junos: a statement kept but not applied) */
};

/** A parsed document: the root and the memory behind every node. */
struct xr_doc {
    struct xr_node *root;
    struct xr_chunk *chunks;
    char *buf;                 /**< the text read in place (fast path) */
    struct xr_blob *blobs;     /**< names and text copied from libxml2 */
    int fast;                  /**< read by the in-place reader, not libxml2 */
};

/**
 * @brief Parse @p len bytes of XML. Several top-level elements are read as
 * the children of one element named "eraudit-root".
 * @param[out] doc the document (free with xr_free()).
 * @param[out] msg on failure, libxml2's message (no trailing newline).
 * @param[out] line on failure, the line it names (0 when unknown).
 * @return 0, or -1 when the text is not a well-formed document (or memory ran out).
 */
int xr_parse(const char *buf, size_t len, const char *url, struct xr_doc **doc, char *msg, size_t msg_size,
        long *line);

/**
 * @brief As xr_parse()'s fast path, reading @p buf (@p len bytes and room
 * for a NUL after them) in place, with no copy: the document takes @p buf,
 * and on failure it is freed. Returns 0, or -1 when the fast path gave up
 * (or memory ran out): @p buf is no longer the text it was, and the caller
 * reads it again for xr_parse(), which words any error.
 */
int xr_parse_take(char *buf, size_t len, struct xr_doc **doc);

/** @brief As xr_parse(), always through libxml2 (tests compare the two). */
int xr_parse_libxml(const char *buf, size_t len, const char *url, struct xr_doc **doc, char *msg, size_t msg_size,
        long *line);

/** @brief Free a document; NULL is fine. */
void xr_free(struct xr_doc *doc);

#endif
