/**
 * @file snapshot_digest.c
 * @brief The digest that ties partial snapshots to one inventory (snap_digest()).
 */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "beneath.h"

er_code
snap_digest(int root, const char *rel, char *out, size_t size, struct er_err *err)
{
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int n_md = 0, i;
    EVP_MD_CTX *md_ctx;
    ssize_t r = 0;
    int fd, ok;

    if (size < 72)
        return er_set(err, ER_EINTERNAL, "digest buffer too small");
    if ((fd = beneath_open(root, rel, O_RDONLY)) < 0)
        return er_set(err, ER_EIO, "%s: cannot read: %s", rel, beneath_strerror(errno));
    if (!(md_ctx = EVP_MD_CTX_new())) {
        close(fd);
        return er_set(err, ER_ENOMEM, "out of memory");
    }
    ok = EVP_DigestInit_ex(md_ctx, EVP_sha256(), NULL);
    while (ok && ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR)))
        ok = r < 0 || EVP_DigestUpdate(md_ctx, buf, (size_t)r);
    if (r < 0) {
        er_set(err, ER_EIO, "%s: cannot read: %s", rel, strerror(errno));
        ok = -1;
    }
    if (ok > 0)
        ok = EVP_DigestFinal_ex(md_ctx, md, &n_md);
    EVP_MD_CTX_free(md_ctx);
    close(fd);
    if (ok < 0)
        return ER_EIO;
    if (!ok || n_md != 32)
        return er_set(err, ER_EINTERNAL, "%s: SHA-256 failed", rel);
    memcpy(out, "sha256:", 7);
    for (i = 0; i < n_md; i++)
        snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
    return ER_OK;
}
