/**
 * @file bound.h
 * @brief Size limits on untrusted files and replies (bound_* module).
 *
 * Every reader of a snapshot file, an inventory, a data file or a device
 * reply refuses what is larger than one cap before reading it: the cap is
 * 256 MiB unless the environment variable ERAUDIT_MAX_FILE_SIZE says
 * otherwise ("512M", "2G", "1048576"; K, M, G and T are powers of 1024).
 * Sizes are size_t end to end; a file is never read as fewer bytes than it
 * holds.
 */
#ifndef ER_BOUND_H
#define ER_BOUND_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/** The cap when ERAUDIT_MAX_FILE_SIZE is not set: 256 MiB. */
#define BOUND_DEFAULT_CAP ((size_t)256 << 20)

/** The environment variable that sets the cap. */
#define BOUND_ENV "ERAUDIT_MAX_FILE_SIZE"

/**
 * @brief Parse a size: digits, then an optional K, M, G or T (powers of
 * 1024), optionally followed by "i" and/or "B" ("256M", "256MiB", "1g").
 * @param[out] out the size in bytes.
 * @return 0, or -1 when @p s is not such a size, is 0 or overflows.
 */
int bound_parse_size(const char *s, size_t *out);

/**
 * @brief Check ERAUDIT_MAX_FILE_SIZE once, at start-up.
 * @return ER_OK, or ER_EINVAL (named) when it is set and not a size.
 */
er_code bound_init(struct er_err *err);

/**
 * @brief The cap in bytes: ERAUDIT_MAX_FILE_SIZE, or BOUND_DEFAULT_CAP when
 * it is unset (or invalid: bound_init() refuses that at start-up).
 */
size_t bound_cap(void);

/**
 * @brief Refuse @p size over @p cap with a named error.
 * @param what what is being read, for the message ("device r1: netconf/running.xml").
 * @param size the size found (an off_t or a byte count).
 * @param cap the limit, usually bound_cap().
 * @return ER_OK, or ER_EINVAL: "WHAT: N bytes, over the limit of CAP bytes (ERAUDIT_MAX_FILE_SIZE)".
 */
er_code bound_check(const char *what, uint64_t size, size_t cap, struct er_err *err);

/**
 * @brief Read all of an open file, refusing it by its fstat() size before
 * reading and by what was read while reading (a file that grows, a pipe).
 * @param fd the file (not closed here).
 * @param what the name for messages.
 * @param extra bytes of room wanted after the text (a NUL always follows it).
 * @param[out] buf the text, NUL-terminated (free() it).
 * @param[out] len its length.
 * @return ER_OK, ER_EINVAL when over the cap, ER_EIO, ER_ENOMEM.
 */
er_code bound_read_fd(int fd, const char *what, size_t extra, char **buf, size_t *len, struct er_err *err);

/** @brief As bound_read_fd() on @p path, opened read-only. */
er_code bound_read_path(const char *path, const char *what, size_t extra, char **buf, size_t *len,
        struct er_err *err);

#endif
