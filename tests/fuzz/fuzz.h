/**
 * @file fuzz.h
 * @brief What the libFuzzer harnesses share: the schema context (read once,
 * never changed by a run) and a private temporary directory for readers that
 * only take a path. Every run frees what it made: no state carries over.
 */
#ifndef ER_FUZZ_H
#define ER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

/** @brief The eraudit YANG context, built on first use (ERAUDIT_YANG_DIR or the source tree). */
static inline struct ly_ctx *
fuzz_ctx(void)
{
    static struct ly_ctx *ctx;
    struct er_err err = {0};

    if (!ctx && model_ctx_new(NULL, &ctx, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        abort();
    }
    return ctx;
}

/** @brief A directory of this process's own under $TMPDIR (or /tmp), removed at exit. */
const char *fuzz_tmpdir(void);

/** @brief Write @p len bytes to DIR/@p rel (parents made), where DIR is fuzz_tmpdir(); returns the path. */
const char *fuzz_write(const char *rel, const uint8_t *data, size_t len);

#endif
