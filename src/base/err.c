/** @file err.c @brief The project error type. */
#include "err.h"

#include <stdio.h>
#include <string.h>

er_code
er_set(struct er_err *err, er_code code, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

er_code
er_wrap(struct er_err *err, const char *fmt, ...)
{
    char head[512], old[sizeof err->msg];
    va_list ap;

    if (!err)
        return ER_EINTERNAL;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%.511s%.511s", head, old);
    return err->code;
}

void
er_clear(struct er_err *err)
{
    if (err) {
        err->code = ER_OK;
        err->msg[0] = '\0';
    }
}
