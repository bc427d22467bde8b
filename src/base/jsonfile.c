/**
 * @file jsonfile.c
 * @brief JSON files read with json-c: bounded, strict, errors with file:line:column.
 */
#include "jsonfile.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bound.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* json-c's error, said as what was expected (the project's message form). */
static const char *
expected(enum json_tokener_error e)
{
    switch (e) {
    case json_tokener_error_depth: return "at most " STR(JSONFILE_MAX_DEPTH) " levels of nesting, got more";
    case json_tokener_error_parse_eof: return "more, got the end of the file";
    case json_tokener_error_parse_null: return "null, got something else";
    case json_tokener_error_parse_boolean: return "true, false or null, got something else";
    case json_tokener_error_parse_number: return "a number, got something else";
    case json_tokener_error_parse_array: return "',' or ']', got something else";
    case json_tokener_error_parse_object_key_name: return "a member name in quotes, got something else";
    case json_tokener_error_parse_object_key_sep: return "':', got something else";
    case json_tokener_error_parse_object_value_sep: return "',' or '}', got something else";
    case json_tokener_error_parse_string: return "a valid string escape, got something else";
    case json_tokener_error_parse_comment: return "JSON without comments, got one";
    case json_tokener_error_parse_utf8_string: return "UTF-8 text, got another byte";
    case json_tokener_error_size: return "a smaller document, got more";
    default: return NULL;       /* said with the character found */
    }
}

unsigned
jsonfile_line_at(const char *text, size_t off)
{
    const char *p = text, *end = text + off;
    unsigned line = 1;

    while ((p = memchr(p, '\n', (size_t)(end - p)))) {
        line++;
        p++;
    }
    return line;
}

static er_code
syntax(const char *name, const char *text, size_t off, const char *what, struct er_err *err)
{
    const char *nl = off ? text + off : text;
    size_t col;

    /* the column counts from the last newline before the offset */
    while (nl > text && nl[-1] != '\n')
        nl--;
    col = (size_t)(text + off - nl) + 1;
    return er_set(err, ER_EINVAL, "%s:%u:%zu: expected %s", name, jsonfile_line_at(text, off), col, what);
}

er_code
jsonfile_parse(const char *name, const char *text, size_t len, struct json_object **out, struct er_err *err)
{
    struct json_tokener *tok;
    struct json_object *doc = NULL;
    size_t off = 0, chunk;
    enum json_tokener_error e = json_tokener_continue;
    er_code rc = ER_OK;

    *out = NULL;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        off = 3;
    if (!(tok = json_tokener_new_ex(JSONFILE_MAX_DEPTH)))
        return er_set(err, ER_ENOMEM, "%s: out of memory", name);
    /* trailing text is checked below, to say "expected the end of the document" */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS | JSON_TOKENER_VALIDATE_UTF8);
    /* json-c takes an int length: a larger text goes in pieces */
    while (off < len) {
        chunk = len - off < INT_MAX / 2 ? len - off : INT_MAX / 2;
        doc = json_tokener_parse_ex(tok, text + off, (int)chunk);
        e = json_tokener_get_error(tok);
        if (e != json_tokener_continue) {
            off += json_tokener_get_parse_end(tok);
            break;
        }
        off += chunk;
    }
    if (e == json_tokener_continue)
        rc = syntax(name, text, len, "a complete JSON document, got the end of the file", err);
    else if (e != json_tokener_success)
    {
        char what[64];

        if (expected(e))
            snprintf(what, sizeof what, "%s", expected(e));
        else if (off < len && text[off] > 0x20 && text[off] < 0x7f)
            snprintf(what, sizeof what, "valid JSON (a value, or a separator where it belongs), got '%c'", text[off]);
        else
            snprintf(what, sizeof what, "valid JSON, got byte 0x%02x", off < len ? (unsigned char)text[off] : 0);
        rc = syntax(name, text, off, what, err);
    }
    else {
        while (off < len && strchr(" \t\r\n", text[off]) && text[off])
            off++;
        if (off < len)
            rc = syntax(name, text, off, "the end of the document, got more", err);
    }
    json_tokener_free(tok);
    if (rc)
        json_object_put(doc);
    else
        *out = doc;
    return rc;
}

er_code
jsonfile_load(const char *path, FILE *fp, char **text, size_t *len, struct er_err *err)
{
    FILE *f = fp ? fp : fopen(path, "rb");
    struct stat st;
    er_code rc;

    *text = NULL;
    if (!f)
        return er_set(err, ER_EIO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))
        rc = er_set(err, ER_EIO, "%s: not a regular file", path);
    else
        rc = bound_read_fd(fileno(f), path, 1, text, len, err);
    if (!fp)
        fclose(f);
    return rc;
}

er_code
jsonfile_read(const char *path, FILE *fp, struct json_object **out, struct er_err *err)
{
    char *text;
    size_t len;
    er_code rc;

    *out = NULL;
    if (!(rc = jsonfile_load(path, fp, &text, &len, err)))
        rc = jsonfile_parse(path, text, len, out, err);
    free(text);
    return rc;
}

struct json_object *
jsonfile_member(const struct json_object *o, const char *key, enum json_type t)
{
    struct json_object *v;

    return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) &&
            json_object_is_type(v, t) ? v : NULL;
}

const char *
jsonfile_str(const struct json_object *o, const char *key)
{
    return json_object_get_string(jsonfile_member(o, key, json_type_string));
}

/* ------------------------------------------------ locating a value again */

static const char *
skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* Past the string starting at the quote @p p. */
static const char *
skip_string(const char *p, const char *end)
{
    for (p++; p < end && *p != '"'; p++) {
        if (*p == '\\')
            p++;
    }
    return p < end ? p + 1 : end;
}

/* Past the value at @p p (the text parsed already, so it is well formed). */
static const char *
skip_value(const char *p, const char *end)
{
    size_t depth = 0;

    do {
        if (p >= end)
            return end;
        if (*p == '"') {
            p = skip_string(p, end);
            continue;
        }
        if (*p == '[' || *p == '{')
            depth++;
        else if (*p == ']' || *p == '}')
            depth--;
        else if (!depth) {
            /* a number or a word: up to the next delimiter */
            while (p < end && !strchr(",]} \t\r\n", *p))
                p++;
            return p;
        }
        p++;
    } while (depth);
    return p;
}

/* The value of step @p s inside the container at @p p, or NULL when it has none. */
static const char *
step_into(const char *p, const char *end, const struct jsonfile_step *s)
{
    size_t i = 0, k = s->key ? strlen(s->key) : 0;

    if (p >= end || *p != (s->key ? '{' : '['))
        return NULL;
    for (p = skip_ws(p + 1, end); p < end && *p != '}' && *p != ']'; i++) {
        int hit = s->key ? (*p == '"' && (size_t)(end - p) > k + 1 && !memcmp(p + 1, s->key, k) && p[k + 1] == '"')
                         : i == s->index;

        if (s->key) {
            p = skip_ws(skip_string(p, end), end);
            p = skip_ws(p + 1, end);            /* past ':' */
        }
        if (hit)
            return p;
        p = skip_ws(skip_value(p, end), end);
        if (p < end && *p == ',')
            p = skip_ws(p + 1, end);
    }
    return NULL;
}

unsigned
jsonfile_line_of(const char *text, size_t len, const struct jsonfile_step *path, size_t n)
{
    const char *end = text + len, *p = text, *q;
    size_t i;

    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
        p += 3;
    p = skip_ws(p, end);
    for (i = 0; i < n && (q = step_into(p, end, &path[i])); i++)
        p = q;
    return jsonfile_line_at(text, (size_t)(p - text));
}
