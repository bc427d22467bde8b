/**
 * @file progress.h
 * @brief Collection progress on stderr (progress_* module), thread-safe.
 *
 * The collectors report each device as it starts and ends; the module
 * draws it. In terminal style one status line is redrawn in place (\r);
 * a message printed with progress_msg() clears it first and the line is
 * redrawn below, so the two never share a line. In plain style (no
 * terminal: a CI log) a full line is printed every interval and once at
 * the end. Once few devices remain, the line names them. With no
 * progress_begin() (or mode PROGRESS_NEVER) reports are no-ops and
 * progress_msg() is a plain fprintf to stderr.
 */
#ifndef ER_PROGRESS_H
#define ER_PROGRESS_H

#include <stddef.h>

/** Whether progress is shown; 0 (auto) is the default of a zeroed struct. */
enum progress_mode {
    PROGRESS_AUTO = 0,    /**< terminal style on a terminal, plain lines otherwise */
    PROGRESS_ALWAYS = 1,  /**< terminal style even without a terminal */
    PROGRESS_NEVER = -1,  /**< nothing (--quiet) */
};

/** What happened to one device of one protocol. */
enum progress_event { PROGRESS_STARTED, PROGRESS_DONE, PROGRESS_FAILED };

/** One unit of work: a device collected over one protocol. */
struct progress_unit {
    const char *name;     /**< device name, kept by the caller until progress_end() */
    const char *proto;    /**< "netconf", "snmp" */
};

/**
 * @brief Start showing the progress of @p n units.
 * @param mode auto, always or never.
 * @param interval_s seconds between two plain lines; 0: 10, or
 *        $ERAUDIT_PROGRESS_INTERVAL when set.
 * @return 0; -1 when out of memory (then nothing is shown).
 */
int progress_begin(const struct progress_unit *units, size_t n, enum progress_mode mode, unsigned interval_s);

/** @brief Report an event of the unit (@p name, @p proto); unknown units are ignored. */
void progress_report(const char *name, const char *proto, enum progress_event ev);

/** @brief Print a message line to stderr above the status line. */
void progress_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** @brief Print the final line (counts of all units) and stop. */
void progress_end(void);

/**
 * @brief Clear the status line and show nothing more: the process is about
 * to end on a signal (cleanup.c), its message goes on a clean line.
 */
void progress_abandon(void);

/** @brief Parse "auto", "always", "never"; -2 when none of them. */
int progress_parse_mode(const char *s);

#endif
