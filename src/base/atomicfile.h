/**
 * @file atomicfile.h
 * @brief Output files that appear whole or not at all (atomicfile_* module).
 *
 * A report, a model dump or a check result is written to a temporary file
 * beside its final name (same directory, so the rename cannot cross file
 * systems), then flushed, checked (fflush, ferror, fsync, fclose) and
 * renamed over the final name. On any failure the temporary file is
 * removed and whatever was under the final name before is untouched; the
 * error names the final path and the cause (strerror(errno)). An
 * interruption (SIGINT, SIGTERM, SIGHUP) removes the temporary file too.
 *
 * A final name that is a symbolic link to a regular file is followed: the
 * file it points to is replaced and the link kept. A final name that is not
 * a regular file (/dev/stdout, a FIFO, a terminal) is written in place, as
 * nothing can be renamed over it; errors are still checked.
 */
#ifndef ER_ATOMICFILE_H
#define ER_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "err.h"

struct atomicfile;

/**
 * @brief Start writing @p path.
 * @return ER_OK; ER_EIO (the directory cannot take a file, @p path is a
 * directory), with the path and the cause.
 */
er_code atomicfile_open(const char *path, struct atomicfile **af, struct er_err *err);

/** @brief The stream to write to (owned by @p af). */
FILE *atomicfile_stream(struct atomicfile *af);

/**
 * @brief Flush, check, fsync and close the temporary file, without renaming
 * it yet: after ER_OK only atomicfile_commit() (or _abort()) is left.
 * @return ER_OK; ER_EIO with the final path and the cause (the temporary
 * file is then removed: call atomicfile_abort() to free @p af).
 */
er_code atomicfile_close(struct atomicfile *af, struct er_err *err);

/**
 * @brief atomicfile_close() if not done yet, then rename over the final
 * name and sync its directory. Frees @p af in every case.
 * @return ER_OK; ER_EIO with the final path and the cause (the old file is untouched).
 */
er_code atomicfile_commit(struct atomicfile *af, struct er_err *err);

/** @brief Remove the temporary file and free @p af; NULL is fine. */
void atomicfile_abort(struct atomicfile *af);

/** @brief The permissions a new file gets: 0666 less the process's umask. */
unsigned atomicfile_new_mode(void);

/** @brief Write @p len bytes as the whole of @p path (open, write, commit). */
er_code atomicfile_write(const char *path, const void *buf, size_t len, struct er_err *err);

/**
 * @brief mkdir -p of the directories above the last component of @p path
 * (each made with @p mode when missing; existing ones are fine). @p path is
 * changed while it runs and restored. @return 0, or -1 with errno set.
 */
int atomicfile_mkdirs(char *path, mode_t mode);

#endif
