/**
 * @file tap.h
 * @brief The SSH side of a NETCONF session, relayed to libnetconf2 (tap_* module).
 *
 * libnetconf2 2.0 parses every reply into a libyang tree before handing it
 * over: for a 50 KB configuration that is ~3 ms of CPU, and a 50 MB reply
 * costs ~600 MB of memory. The tap owns the SSH channel and relays it to
 * libnetconf2 over a socket pair (nc_connect_inout()), so libnetconf2 still
 * runs the session (<hello>, capabilities, yang-library, <get-schema>,
 * <close-session>), while the replies carrying the device's data are taken
 * off the wire as raw text: no tree, a size limit enforced while reading,
 * and the bytes the device sent are the bytes the snapshot keeps.
 *
 * A relay thread moves bytes both ways and follows the server's framing
 * (end-of-message for <hello> and base:1.0, chunks for base:1.1) to know
 * where each message starts and ends.
 */
#ifndef ER_TAP_H
#define ER_TAP_H

#include <stddef.h>
#include <stdint.h>

#include <libssh/libssh.h>

#include "err.h"

struct tap;

/**
 * @brief Open the "netconf" subsystem on an authenticated SSH session and
 * start relaying it.
 * @param[in] ss connected, authenticated session; the tap owns it from now
 * on, also when this function fails.
 * @param[in] device name for messages.
 * @param[in] hello_ms the device's <hello> must arrive within this time.
 * @param[out] fd the socket libnetconf2 talks to (nc_connect_inout(fd, fd, ...));
 * it stays owned by the tap.
 * @param[out] t the tap, close with tap_close().
 * @return ER_OK; ER_ECOLLECT (no channel, subsystem refused), ER_ENOMEM.
 */
er_code tap_open(ssh_session ss, const char *device, int hello_ms, int *fd, struct tap **t, struct er_err *err);

/**
 * @brief Take one more message the server sends off the relay: it will not
 * reach libnetconf2 but tap_take(). Arm once per request sent; requests may
 * be pipelined (several sent before the first reply is taken). The relay
 * stops reading the device while a captured reply waits to be taken, so at
 * most one reply is held besides the one being read.
 * @param[in] max larger messages are refused (the session is then unusable).
 */
void tap_arm(struct tap *t, size_t max);

/**
 * @brief Give up the armed messages: replies already taken off are freed,
 * replies still to come are dropped (libnetconf2 never sees them).
 */
void tap_abandon(struct tap *t);

/**
 * @brief Wait for the next message armed with tap_arm(), in order.
 * @param[in] what the request, for messages ("<get-config> of running").
 * @param[out] buf the message without framing, NUL-terminated (free()).
 * @return ER_OK; ER_ECOLLECT (timeout, larger than the limit, connection
 * closed, framing error) with a message naming the device.
 */
er_code tap_take(struct tap *t, int timeout_ms, const char *what, char **buf, size_t *len, struct er_err *err);

/**
 * @brief Check a reply taken with tap_take(): well-formed XML, an
 * <rpc-reply> with @p msgid, and no <rpc-error>. Streams through the text
 * (SAX), so a large reply is not turned into a tree.
 * @return ER_OK; ER_ECOLLECT "malformed reply to WHAT: line N: ..." or
 * "WHAT refused: TAG: MESSAGE".
 */
er_code tap_check_reply(const char *device, const char *buf, size_t len, uint64_t msgid, const char *what,
        struct er_err *err);

/** @brief Why the relay ended (stays valid until tap_close()), NULL while it runs. */
const char *tap_error(struct tap *t);

/** @brief Whether the relay is still running (no error, not closed). */
int tap_alive(struct tap *t);

/**
 * @brief Stop relaying, close the channel and free the SSH session; call
 * after nc_session_free(). NULL is fine.
 */
void tap_close(struct tap *t);

#endif
