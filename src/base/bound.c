/**
 * @file bound.c
 * @brief Size limits on untrusted files and replies.
 */
#define _GNU_SOURCE
#include "bound.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BOUND_READ_STEP ((size_t)1 << 20)

static pthread_once_t bound_once = PTHREAD_ONCE_INIT;
static size_t bound_value = BOUND_DEFAULT_CAP;

int
bound_parse_size(const char *s, size_t *out)
{
    static const char units[] = "KMGT";
    const char *u;
    size_t v = 0, mul = 1;

    if (!s || *s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (SIZE_MAX - (size_t)(*s - '0')) / 10)
            return -1;
        v = v * 10 + (size_t)(*s - '0');
    }
    if (*s && (u = strchr(units, *s & ~0x20))) {
        mul = (size_t)1 << (10 * (u - units + 1));
        s++;
        if (*s == 'i')
            s++;
    }
    if (*s == 'B' || *s == 'b')
        s++;
    if (*s || !v || v > SIZE_MAX / mul)
        return -1;
    *out = v * mul;
    return 0;
}

/* Read once: every thread sees the same cap. */
static void
bound_load(void)
{
    const char *s = getenv(BOUND_ENV);
    size_t v;

    if (s && *s && !bound_parse_size(s, &v))
        bound_value = v;
}

er_code
bound_init(struct er_err *err)
{
    const char *s = getenv(BOUND_ENV);
    size_t v;

    pthread_once(&bound_once, bound_load);
    if (s && *s && bound_parse_size(s, &v))
        return er_set(err, ER_EINVAL, "%s: expected a size in bytes such as 256M, 1G or 1048576, got '%.64s'",
                BOUND_ENV, s);
    return ER_OK;
}

size_t
bound_cap(void)
{
    pthread_once(&bound_once, bound_load);
    return bound_value;
}

er_code
bound_check(const char *what, uint64_t size, size_t cap, struct er_err *err)
{
    if (size <= cap)
        return ER_OK;
    return er_set(err, ER_EINVAL, "%s: %" PRIu64 " bytes, over the limit of %zu bytes (%s)", what, size, cap,
            BOUND_ENV);
}

er_code
bound_read_fd(int fd, const char *what, size_t extra, char **buf, size_t *len, struct er_err *err)
{
    size_t cap = bound_cap(), size, got = 0;
    struct stat st;
    char *b = NULL, *nb;
    er_code rc;

    *buf = NULL;
    *len = 0;
    if (fstat(fd, &st))
        return er_set(err, ER_EIO, "%s: %s", what, strerror(errno));
    if (S_ISREG(st.st_mode)) {
        if (st.st_size < 0)
            return er_set(err, ER_EIO, "%s: negative size", what);
        if ((rc = bound_check(what, (uint64_t)st.st_size, cap, err)))
            return rc;
        size = (size_t)st.st_size;
    } else {
        size = BOUND_READ_STEP;   /* a stream: its size shows while reading */
    }
    if (extra > SIZE_MAX - cap - 2)
        return er_set(err, ER_EINTERNAL, "%s: room asked for is too large", what);
    /* One byte more than the size: a file that grew since fstat() is seen. */
    if (!(b = malloc(size + 1 + extra + 1)))
        return er_set(err, ER_ENOMEM, "%s: out of memory for %zu bytes", what, size);
    for (;;) {
        ssize_t n;

        if (got == size + 1) {
            size_t ns = size + 1 + (size < BOUND_READ_STEP ? BOUND_READ_STEP : size);

            if (got > cap)
                break;
            if (ns > cap + 1)
                ns = cap + 1;
            if (!(nb = realloc(b, ns + 1 + extra + 1))) {
                free(b);
                return er_set(err, ER_ENOMEM, "%s: out of memory for %zu bytes", what, ns);
            }
            b = nb;
            size = ns - 1;
        }
        n = read(fd, b + got, size + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = er_set(err, ER_EIO, "%s: %s", what, strerror(errno));
            free(b);
            return rc;
        }
        if (!n)
            break;
        got += (size_t)n;
    }
    if (got > cap) {
        free(b);
        return er_set(err, ER_EINVAL, "%s: more than %zu bytes, over the limit (%s)", what, cap, BOUND_ENV);
    }
    b[got] = '\0';
    *buf = b;
    *len = got;
    return ER_OK;
}

er_code
bound_read_path(const char *path, const char *what, size_t extra, char **buf, size_t *len, struct er_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    er_code rc;

    *buf = NULL;
    *len = 0;
    if (fd < 0)
        return er_set(err, ER_EIO, "%s: %s", what, strerror(errno));
    rc = bound_read_fd(fd, what, extra, buf, len, err);
    close(fd);
    return rc;
}
