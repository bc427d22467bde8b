/**
 * @file duration.c
 * @brief Durations: "30", "30s", "1.5", "500ms" to milliseconds and back.
 */
#include "duration.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
dur_parse_ms(const char *s, unsigned *ms)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno || !isfinite(v) || v <= 0)
        return -1;
    if (!strcmp(end, "ms"))
        v /= 1000;
    else if (*end && strcmp(end, "s"))
        return -1;
    if (v * 1000 < 1 || v * 1000 > (double)DUR_MAX_MS)
        return -1;
    *ms = (unsigned)(v * 1000 + 0.5);
    return 0;
}

const char *
dur_format_ms(unsigned ms, char *buf, size_t size)
{
    if (ms % 1000 == 0)
        snprintf(buf, size, "%u", ms / 1000);
    else
        snprintf(buf, size, "%ums", ms);
    return buf;
}
