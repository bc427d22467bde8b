/**
 * @file jsonfile.h
 * @brief JSON files read with json-c (jsonfile_* module): the one place that
 * calls json-c's parser, so every JSON input (NetBox exports, the Microsoft
 * data files) is bounded the same way and fails with the same kind of message.
 *
 * The text is read under the file-size cap (bound.h), parsed strictly (RFC
 * 8259: no comments, no trailing commas; UTF-8 checked) with a nesting limit, and a syntax
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

/**
 * @brief Read the text of @p path (or of @p fp, opened by the caller who
 * closes it) under the file-size cap, for jsonfile_parse() and, when a
 * value turns out wrong, jsonfile_line_of().
 * @param[out] text NUL-terminated, free() it. @return ER_OK, ER_EIO, ER_EINVAL (too large), ER_ENOMEM.
 */
er_code jsonfile_load(const char *path, FILE *fp, char **text, size_t *len, struct er_err *err);

/**
 * @brief Member @p key of object @p o when it is of type @p t; NULL when @p o
 * is no object or the member is absent or of another type.
 */
struct json_object *jsonfile_member(const struct json_object *o, const char *key, enum json_type t);

/** @brief jsonfile_member() of a string, as its text (valid while @p o lives), or NULL. */
const char *jsonfile_str(const struct json_object *o, const char *key);

/** @brief The line (1-based) of byte @p off of @p text. */
unsigned jsonfile_line_at(const char *text, size_t off);

/** One step of a path into a document: a member name, or (key NULL) an array index. */
struct jsonfile_step {
    const char *key;
    size_t index;
};

/**
 * @brief The line a value starts on, found by its path (values[3].properties:
 * {"values",0}, {NULL,3}, {"properties",0}) in the text it was parsed from.
 *
 * json-c keeps no positions, so a value found wrong after parsing (a bad
 * prefix, a missing member) is located again in the text, only then: a
 * skim of the already valid text along the path, not a second parser.
 * @return the line, or the line of the deepest step found when the rest
 * of the path is missing (a member that is absent is reported at its object).
 */
unsigned jsonfile_line_of(const char *text, size_t len, const struct jsonfile_step *path, size_t n);

#endif
