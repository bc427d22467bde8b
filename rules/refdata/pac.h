/**
 * @file pac.h
 * @brief Proxy PAC files evaluated by a real PAC engine (pac_* module).
 *
 * The PAC file is run by libpacparser (a JavaScript engine with the PAC
 * helper functions) in a child process, once per audit for all the hosts
 * asked about. The child has a time limit, a CPU limit and a memory limit:
 * a PAC that loops, allocates without end or crashes the engine costs the
 * verdict (the hosts it did not answer carry the reason), never the audit.
 *
 * The network is never used. Before the PAC is read, the helpers that
 * would ask DNS or the host's address (dnsResolve, dnsResolveEx,
 * isResolvable(Ex) and through them isInNet on names, myIpAddress(Ex)) are
 * replaced by functions that answer from what the inventory declares
 * (pac_set_client_address(), pac_add_host()). A host whose evaluation asks
 * for a name the inventory does not answer gets no result but a reason, so
 * the rule reports it not evaluated instead of guessing.
 *
 * FindProxyForURLEx is called when the PAC defines it (Microsoft
 * extensions), FindProxyForURL otherwise. A result is returned as the
 * engine gives it ("PROXY a:8080; DIRECT"); pac_is_direct() judges it by
 * its first entry, what the client uses while the proxy is up.
 */
#ifndef ER_PAC_H
#define ER_PAC_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct pac;
struct pac_run;

/** Largest PAC file read (bytes). */
#define PAC_MAX_SIZE (4u << 20)
/** Default wall-clock limit for evaluating all the hosts of one audit (seconds). */
#define PAC_DEFAULT_SECONDS 5u
/** Default memory limit of the evaluating child (bytes of address space). */
#define PAC_DEFAULT_MEMORY ((size_t)512 << 20)

/** @brief Read a PAC file (not evaluated yet). Errors: unreadable, too large, contains NUL bytes. */
er_code pac_load(const char *path, struct pac **out, struct er_err *err);

/** @brief pac_load() from a stream the caller opened (and closes); @p path names it in messages. */
er_code pac_load_fp(FILE *f, const char *path, struct pac **out, struct er_err *err);
/**
 * @brief The same from a buffer of @p len bytes (it need not end with NUL).
 * @param name what errors and findings call the file
 */
er_code pac_load_mem(const char *name, const char *buf, size_t len, struct pac **out, struct er_err *err);

/** @brief Free; NULL is fine. */
void pac_free(struct pac *p);

/** @brief What myIpAddress() answers (an IPv4 or IPv6 address). Errors: not an address. */
er_code pac_set_client_address(struct pac *p, const char *addr, struct er_err *err);

/** @brief Let dnsResolve(@p name) answer @p addr (an IPv4 or IPv6 address). Errors: not an address. */
er_code pac_add_host(struct pac *p, const char *name, const char *addr, struct er_err *err);

/** @brief Change the time limit (seconds, at least 1) and memory limit (bytes, 0: none) of evaluations. */
void pac_set_limits(struct pac *p, unsigned seconds, size_t memory);

/**
 * @brief Evaluate the PAC for @p n hosts (URL https://HOST/) in one child process.
 *
 * Engine errors, time-outs and unanswered DNS questions are not errors of
 * this call: they are in the run (pac_find(), pac_run_error()).
 * @return ER_OK, or an error when no child could be run (no memory, fork).
 */
er_code pac_eval(const struct pac *p, const char *const *hosts, size_t n, struct pac_run **out, struct er_err *err);

/**
 * @brief What the PAC returned for host @p i of the run ("DIRECT", "PROXY p:8080; DIRECT").
 * @param[out] why when NULL is returned: why the host was not evaluated
 *             (engine error with file and line, DNS not answered, time-out)
 * @return the result, or NULL when the host has none.
 */
const char *pac_find(const struct pac_run *run, size_t i, const char **why);

/** @brief The error that kept the whole PAC from being evaluated (syntax error...), NULL if none. */
const char *pac_run_error(const struct pac_run *run);

/** @brief Free; NULL is fine. */
void pac_run_free(struct pac_run *run);

/** @brief 1 when the result's first entry sends the connection directly (DIRECT). */
int pac_is_direct(const char *result);

/** @brief The file the PAC was read from. */
const char *pac_path(const struct pac *p);

#endif
