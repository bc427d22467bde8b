/**
 * @file cleanup.h
 * @brief Nothing half-written is left behind when a run is interrupted
 * (cleanup_* module).
 *
 * A collection writes its snapshot into a temporary directory and renames it
 * into place at the end; a live audit collects into a snapshot of its own
 * that it removes. SIGINT, SIGTERM or SIGHUP in the middle (Ctrl-C, a CI
 * timeout, cron's session ending) would leave those directories: they are
 * registered here, and a thread that waits for those signals removes them
 * before the process exits with 128 + the signal.
 */
#ifndef ER_CLEANUP_H
#define ER_CLEANUP_H

/**
 * @brief Remove @p path, a file or a directory tree, without following any
 * symbolic link (@p path itself included: a link is removed, not its target).
 * @return 0, or -1 when something stayed.
 */
int cleanup_rm_tree(const char *path);

/**
 * @brief From now on, SIGINT, SIGTERM and SIGHUP remove what is registered
 * and end the process. Call before starting any thread: the signals are
 * blocked in this thread and in every thread it starts.
 */
void cleanup_on_signals(void);

/** @brief Remove @p dir if the process is interrupted (a copy is kept). */
void cleanup_add(const char *dir);

/** @brief @p dir is finished or gone: no longer remove it. */
void cleanup_drop(const char *dir);

/**
 * @brief Hold off an interruption (until cleanup_release()) while a few
 * steps must happen together, such as renaming a snapshot into place and
 * dropping its temporary name. Calls nest.
 */
void cleanup_hold(void);

/** @brief End a cleanup_hold(). */
void cleanup_release(void);

#endif
