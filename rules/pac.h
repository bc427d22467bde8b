/**
 * @file pac.h
 * @brief A reader for the usual shape of proxy PAC files (pac_* module).
 *
 * Not a JavaScript engine: it understands FindProxyForURL bodies made of
 * `if (COND) return "RESULT";` statements and a final `return "RESULT";`,
 * where COND joins with || calls of shExpMatch(host, "glob"),
 * dnsDomainIs(host, ".domain"), localHostOrDomainIs(host, "name"),
 * isPlainHostName(host) and host == "name". Anything else is recorded as
 * not understood, so a rule can say its verdict is partial instead of
 * guessing.
 */
#ifndef ER_PAC_H
#define ER_PAC_H

#include <stddef.h>

#include "../src/err.h"

struct pac;

/** @brief Read and analyse a PAC file. Errors: unreadable, or no FindProxyForURL. */
er_code pac_load(const char *path, struct pac **out, struct er_err *err);

/**
 * @brief Analyse a PAC text of @p len bytes (it may hold NUL bytes); @p name
 * is used in messages and as pac_path(). Errors: no FindProxyForURL.
 */
er_code pac_parse(const char *name, const char *data, size_t len, struct pac **out, struct er_err *err);

/** @brief Free; NULL is fine. */
void pac_free(struct pac *p);

/**
 * @brief What the PAC returns for @p host ("DIRECT", "PROXY p:8080; DIRECT").
 * @param[out] line line of the statement that decided (0 for none)
 * @return the result, or NULL when no statement returns for it.
 */
const char *pac_find(const struct pac *p, const char *host, int *line);

/** @brief 1 when the result sends the connection directly (starts with DIRECT). */
int pac_is_direct(const char *result);

/** @brief First construct not understood ("line 12: isInNet(...)"), NULL if none. */
const char *pac_unsupported(const struct pac *p);

/** @brief The file the PAC was read from. */
const char *pac_path(const struct pac *p);

#endif
