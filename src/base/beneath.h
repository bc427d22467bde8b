/**
 * @file beneath.h
 * @brief Opening files beneath a directory, never outside it (beneath_* module).
 *
 * Everything read from a snapshot goes through here: the snapshot is a
 * closed world, so a name in it ("devices/er1/netconf/running.xml", a data
 * file its inventory names) is resolved below the snapshot's directory
 * descriptor and may not leave it, neither by "..", nor an absolute path,
 * nor a symbolic link (openat2 RESOLVE_BENEATH; without openat2 every
 * component is opened O_NOFOLLOW, so no link is followed at all).
 */
#ifndef ER_BENEATH_H
#define ER_BENEATH_H

#include <stdio.h>

/**
 * @brief Whether @p rel is a path that stays below its directory by its
 * letters alone: relative, not empty, no ".." component.
 * @return 1 if so, 0 if not.
 */
int beneath_rel_ok(const char *rel);

/**
 * @brief Open @p rel below the directory @p root (O_CLOEXEC | O_NOCTTY are
 * added to @p flags; O_RDONLY or O_RDONLY | O_DIRECTORY are what readers use).
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) where the kernel has it,
 * else beneath_open_walk().
 * @return a descriptor, or -1 with errno: EXDEV (the path leaves @p root),
 * ELOOP (a link that is not followed), or what open() sets.
 */
int beneath_open(int root, const char *rel, int flags);

/**
 * @brief beneath_open() without openat2: each directory component opened
 * with openat(O_NOFOLLOW | O_DIRECTORY), the last with O_NOFOLLOW; any
 * symbolic link is refused (ELOOP). Exposed for tests and old kernels.
 * @return a descriptor, or -1 with errno.
 */
int beneath_open_walk(int root, const char *rel, int flags);

/**
 * @brief beneath_open() of a regular file for reading, as a stream.
 * @return the stream, or NULL with errno (EINVAL: not a regular file).
 */
FILE *beneath_fopen(int root, const char *rel);

/**
 * @brief Why an open below a root failed, in words for a message
 * ("leaves the snapshot", or strerror()).
 */
const char *beneath_strerror(int errnum);

/** @brief Whether @p errnum says the path tried to leave its root (a hostile name, not a missing file). */
int beneath_escaped(int errnum);

#endif
