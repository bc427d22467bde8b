/**
 * @file secrets.c
 * @brief Reading the secrets an inventory references (environment variable
 * or credential file), only when a collector needs one, never into a
 * message: errors name the reference, not the value.
 */
#include "inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The caller's buffer must not keep a half-read secret on failure. */
static er_code
secret_fail(char *buf, size_t size, struct er_err *err, er_code code, const char *what, const char *ref,
        const char *why)
{
    if (buf && size)
        explicit_bzero(buf, size);
    return er_set(err, code, "secret %s %s: %s", what, ref, why);
}

/*
 * A systemd credential (LoadCredential=): a file directly in the service's
 * $CREDENTIALS_DIRECTORY. systemd writes it read-only, owned by root and
 * readable by the service's user through an ACL (so its mode shows 0440), in a
 * directory private to the unit; that is as private as a 0600 file of our own.
 */
static int
is_credential(const char *path, const struct stat *st)
{
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    size_t n = dir ? strlen(dir) : 0;

    if (!n || dir[0] != '/' || strncmp(path, dir, n) || path[n] != '/' || !path[n + 1] || strchr(path + n + 1, '/'))
        return 0;
    return S_ISREG(st->st_mode) && (st->st_uid == 0 || st->st_uid == geteuid()) && !(st->st_mode & 022);
}

static er_code
secret_file(const char *path, char *buf, size_t size, struct er_err *err)
{
    struct stat st;
    char why[160];
    ssize_t n;
    size_t len = 0;
    int fd;
    er_code rc = ER_OK;

    /* O_NONBLOCK: a FIFO opens at once (and is refused below) instead of
     * waiting for a writer; O_NOFOLLOW: the file named, not where a link points */
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) < 0)
        return secret_fail(buf, size, err, errno == ENOENT ? ER_ENOTFOUND : errno == ELOOP ? ER_EINVAL : ER_EIO,
                "file", path, errno == ELOOP ? "is a symbolic link (not followed); expected a regular file" :
                strerror(errno));
    /* check the file we opened, not the name, so it cannot be swapped between */
    if (fstat(fd, &st) < 0) {
        rc = secret_fail(buf, size, err, ER_EIO, "file", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, sizeof why, "is %s, not a regular file", S_ISFIFO(st.st_mode) ? "a FIFO" :
                S_ISDIR(st.st_mode) ? "a directory" : S_ISSOCK(st.st_mode) ? "a socket" :
                S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device" : "something else");
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    if ((st.st_uid != geteuid() || (st.st_mode & 077)) && !is_credential(path, &st)) {
        snprintf(why, sizeof why, "has mode %04o; expected a regular file owned by uid %u with mode 0600 or 0400",
                (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    /* the secret and a line end ("\r\n") at most: nothing bigger is read */
    if ((uintmax_t)st.st_size > (uintmax_t)size + 1) {
        snprintf(why, sizeof why, "longer than %zu bytes", size ? size - 1 : 0);
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    while (len < size && (n = read(fd, buf + len, size - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = secret_fail(buf, size, err, ER_EIO, "file", path, strerror(errno));
            goto cleanup;
        }
        len += (size_t)n;
    }
    /* room is needed for the NUL after the newline is cut */
    if (len && buf[len - 1] == '\n')
        len--;
    if (len && buf[len - 1] == '\r')
        len--;
    if (len >= size) {
        snprintf(why, sizeof why, "longer than %zu bytes", size ? size - 1 : 0);
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, why);
        goto cleanup;
    }
    buf[len] = '\0';
    if (strlen(buf) != len)
        rc = secret_fail(buf, size, err, ER_EINVAL, "file", path, "contains a NUL byte");

cleanup:
    close(fd);
    return rc;
}

er_code
inv_secret_read(const struct inv_secret *s, char *buf, size_t size, struct er_err *err)
{
    const char *v;
    size_t len;

    if (!buf || !size)
        return er_set(err, ER_EINTERNAL, "inv_secret_read: no buffer");
    buf[0] = '\0';
    if (!s || (s->kind != INV_SECRET_ENV && s->kind != INV_SECRET_FILE) || !s->ref)
        return er_set(err, ER_EINVAL, "no secret reference to read (expected {env: NAME} or {file: PATH})");
    if (s->kind == INV_SECRET_FILE)
        return secret_file(s->ref, buf, size, err);
    if (!(v = getenv(s->ref)))
        return secret_fail(buf, size, err, ER_ENOTFOUND, "environment variable", s->ref, "not set");
    len = strlen(v);
    if (len && v[len - 1] == '\n')
        len--;
    if (len >= size)
        return secret_fail(buf, size, err, ER_EINVAL, "environment variable", s->ref, "too long");
    memcpy(buf, v, len);
    buf[len] = '\0';
    return ER_OK;
}
