/**
 * @file pac_engine.h
 * @brief The child side of PAC evaluation (pac_engine_* module, used by pac.c only).
 */
#ifndef ER_PAC_ENGINE_H
#define ER_PAC_ENGINE_H

#include <stddef.h>

/** What the evaluating child gets from its parent: this and nothing else. */
struct pac_job {
    const char *path;            /**< what messages call the PAC file */
    const char *text;            /**< the PAC file's text */
    const char *dns;             /**< the inventory's answers, from pac_engine_dns() */
    const char *client;          /**< what myIpAddress() answers, or NULL */
    const char *const *hosts;    /**< the hosts to evaluate */
    size_t n;
    unsigned seconds;            /**< time limit (alarm and RLIMIT_CPU) */
    size_t memory;               /**< address space the child may add (0: none; not under ASan) */
};

/**
 * @brief The inventory's DNS answers as a script for the child (names must be lower case).
 * @return a string to free, NULL when out of memory.
 */
char *pac_engine_dns(char *const *names, char *const *addrs, size_t n_hosts, const char *client);

/**
 * @brief In the forked child: set the limits, evaluate @p job's PAC for each host and write
 * the records on @p fd. Never returns (_exit).
 */
_Noreturn void pac_engine_run(const struct pac_job *job, int fd);

#endif
