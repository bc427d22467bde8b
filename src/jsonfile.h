/**
 * @file jsonfile.h
 * @brief JSON files read with json-c (jsonfile_* module): the one place that
 * calls json-c's parser, so every JSON input (NetBox exports, the Microsoft
 * data files) is bounded the same way and fails with the same kind of message.
 *
 * The text is read under the file-size cap (bound.h), parsed strictly (RFC
 * 8259: no comments, no trailing commas) with a nesting limit, and a syntax
 * error names the file, line and column and what was expected. A UTF-8
 * byte order mark is skipped (Microsoft's files sometimes carry one).
 */
#ifndef ER_JSONFILE_H
#define ER_JSONFILE_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "err.h"

/** Levels of nesting a document may have; the data read here needs fewer than ten. */
#define JSONFILE_MAX_DEPTH 64

/**
 * @brief Parse @p len bytes of @p text (not changed) named @p name in messages.
 * @param[out] out the document (NULL for the JSON text "null"); release it with json_object_put().
 * @return ER_OK, ER_EINVAL ("NAME:LINE:COL: expected ..., got ..."), ER_ENOMEM.
 */
er_code jsonfile_parse(const char *name, const char *text, size_t len, struct json_object **out,
        struct er_err *err);

/**
 * @brief Read and parse the file @p path, or @p fp when not NULL (opened by
 * the caller, who closes it; @p path then only names it).
 * @return as jsonfile_parse(), and ER_EIO for an unreadable file.
 */
er_code jsonfile_read(const char *path, FILE *fp, struct json_object **out, struct er_err *err);

/** @brief The line (1-based) of byte @p off of @p text. */
unsigned jsonfile_line_at(const char *text, size_t off);

#endif
