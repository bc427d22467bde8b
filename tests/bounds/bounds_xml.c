/**
 * @file bounds_xml.c
 * @brief Test driver: read one reply file the ways eraudit reads XML.
 *
 * Usage: bounds_xml reply|tree|libxml FILE
 *   reply   the live check of a NETCONF reply (tap_check_reply(), SAX, message-id 1)
 *   tree    xr_parse(): the in-place reader, libxml2 for the rest
 *   libxml  xr_parse_libxml(): libxml2 only
 * Prints "ok" (exit 0) or "refused: MESSAGE" (exit 1); exit 2 on usage or
 * an unreadable file.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "bound.h"
#include "tap.h"
#include "xmlread.h"

int
main(int argc, char **argv)
{
    struct er_err err;
    struct xr_doc *doc = NULL;
    char *buf, msg[512];
    size_t len;
    long line = 0;
    int rc;

    if (argc != 3)
        return fprintf(stderr, "usage: bounds_xml reply|tree|libxml FILE\n"), 2;
    if (bound_read_path(argv[2], argv[2], 0, &buf, &len, &err))
        return fprintf(stderr, "%s\n", err.msg), 2;
    if (!strcmp(argv[1], "reply")) {
        rc = tap_check_reply("sim", buf, len, 1, "<get-config>", &err) != ER_OK;
        snprintf(msg, sizeof msg, "%s", err.msg);
    } else if (!strcmp(argv[1], "tree") || !strcmp(argv[1], "libxml")) {
        rc = (!strcmp(argv[1], "tree") ? xr_parse : xr_parse_libxml)(buf, len, argv[2], &doc, msg, sizeof msg, &line)
                != 0;
        if (rc)
            snprintf(msg + strlen(msg), sizeof msg - strlen(msg), " (line %ld)", line);
        xr_free(doc);
    } else {
        free(buf);
        return fprintf(stderr, "usage: bounds_xml reply|tree|libxml FILE\n"), 2;
    }
    free(buf);
    if (rc)
        printf("refused: %s\n", msg);
    else
        printf("ok\n");
    return rc;
}
