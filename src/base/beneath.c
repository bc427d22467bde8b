/**
 * @file beneath.c
 * @brief Opening files beneath a directory, never outside it.
 */
#define _GNU_SOURCE
#include "beneath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

int
beneath_rel_ok(const char *rel)
{
    const char *p;
    size_t n;

    if (!rel || !*rel || rel[0] == '/')
        return 0;
    for (p = rel; *p; p += n + (p[n] == '/')) {
        n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
    }
    return 1;
}

/* O_DIRECTORY says ENOTDIR for a link to anything: name it for what it is. */
static void
link_errno(int dir, const char *part)
{
    struct stat st;
    int e = errno;

    errno = e == ENOTDIR && !fstatat(dir, part, &st, AT_SYMLINK_NOFOLLOW) && S_ISLNK(st.st_mode) ? ELOOP : e;
}

int
beneath_open_walk(int root, const char *rel, int flags)
{
    char part[NAME_MAX + 1];
    const char *p = rel;
    int dir = root, fd;
    size_t n;

    if (!beneath_rel_ok(rel)) {
        errno = EXDEV;
        return -1;
    }
    for (;;) {
        n = strcspn(p, "/");
        if (n > NAME_MAX) {
            errno = ENAMETOOLONG;
            goto fail;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        p += n;
        while (*p == '/')
            p++;
        if (!*p)
            break;
        if (n == 0 || (n == 1 && part[0] == '.'))
            continue;
        fd = openat(dir, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            link_errno(dir, part);
            goto fail;
        }
        if (dir != root)
            close(dir);
        dir = fd;
    }
    /* "a/." or "." name the directory itself */
    fd = openat(dir, n ? part : ".", flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 && n)
        link_errno(dir, part);
    if (dir != root) {
        int e = errno;

        close(dir);
        errno = e;
    }
    return fd;
fail:
    if (dir != root) {
        int e = errno;

        close(dir);
        errno = e;
    }
    return -1;
}

int
beneath_open(int root, const char *rel, int flags)
{
#ifdef SYS_openat2
    struct open_how how = {.flags = (unsigned)(flags | O_CLOEXEC | O_NOCTTY),
            .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd;

    /* RESOLVE_BENEATH refuses absolute paths and ".." above the root
     * already; the letters are checked anyway so both ways agree. */
    if (!beneath_rel_ok(rel)) {
        errno = EXDEV;
        return -1;
    }
    do {
        fd = syscall(SYS_openat2, root, rel, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    /* ENOSYS: before Linux 5.6; EPERM: a seccomp filter that does not know it */
    if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
        return (int)fd;
#endif
    return beneath_open_walk(root, rel, flags);
}

FILE *
beneath_fopen(int root, const char *rel)
{
    struct stat st;
    FILE *f;
    int fd = beneath_open(root, rel, O_RDONLY | O_NONBLOCK);

    if (fd < 0)
        return NULL;
    /* a FIFO or a device would block or never end: only regular files are read */
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) || !(f = fdopen(fd, "rb"))) {
        int e = errno;

        close(fd);
        errno = e;
        return NULL;
    }
    return f;
}

int
beneath_escaped(int errnum)
{
    return errnum == EXDEV || errnum == ELOOP;
}

const char *
beneath_strerror(int errnum)
{
    if (errnum == EXDEV)
        return "the path leaves the snapshot (absolute, '..' or a link out of it)";
    if (errnum == ELOOP)
        return "a symbolic link (not followed in a snapshot)";
    if (errnum == EINVAL)
        return "not a regular file";
    return strerror(errnum);
}
