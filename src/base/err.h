/**
 * @file err.h
 * @brief The one error type of eraudit: a code plus a message buffer.
 *
 * Functions that can fail return an ::er_code and fill a caller-owned
 * struct er_err. Messages name the file:line, device, path or OID involved
 * and never carry a secret.
 */
#ifndef ER_ERR_H
#define ER_ERR_H

#include <stdarg.h>

/** Error codes; ER_OK is 0 so `if (rc)` tests for failure. */
typedef enum {
    ER_OK = 0,
    ER_EINVAL,   /**< bad input: inventory, snapshot, rules file, usage */
    ER_ENOMEM,   /**< out of memory */
    ER_EIO,      /**< a file or socket operation failed */
    ER_ENOTFOUND,/**< something named does not exist */
    ER_EYANG,    /**< libyang refused a tree or schema */
    ER_ECOLLECT, /**< collection from a device failed */
    ER_EINTERNAL /**< a bug */
} er_code;

/** An error: its code and a human message. */
struct er_err {
    er_code code;
    char msg[1024];
};

/**
 * @brief Set @p err (may be NULL) to @p code with a printf-style message.
 * @return @p code, so `return er_set(err, ER_EINVAL, ...)` reads naturally.
 */
er_code er_set(struct er_err *err, er_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * @brief Prefix the existing message of @p err with more context
 * ("device er1: " + old message). Keeps the code.
 * @return the code of @p err.
 */
er_code er_wrap(struct er_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @brief Clear @p err to ER_OK with an empty message. */
void er_clear(struct er_err *err);

/** Jump to @p label with @p var set to @p code when @p cond holds. */
#define ER_CHECK_GOTO(cond, var, code, label) \
    do { if (cond) { (var) = (code); goto label; } } while (0)

/** Evaluate @p expr (an er_code); on failure store it in @p var and jump. */
#define ER_TRY(var, expr, label) \
    do { if (((var) = (expr)) != ER_OK) goto label; } while (0)

#endif
