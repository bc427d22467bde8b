/**
 * @file duration.h
 * @brief Durations as people write them (dur_* module): "30", "30s",
 * "1.5", "500ms"; a bare number is seconds. The command line's timeouts
 * and the inventory's share it, so both read the same values.
 */
#ifndef ER_DURATION_H
#define ER_DURATION_H

#include <stddef.h>

/** The longest duration accepted: one day. */
#define DUR_MAX_MS 86400000u

/**
 * @brief Parse @p s into milliseconds (rounded to the nearest).
 * @return 0, or -1 when @p s is not a duration from 1 ms to one day.
 */
int dur_parse_ms(const char *s, unsigned *ms);

/** @brief @p ms as dur_parse_ms() reads it back: "30" (whole seconds) or "1500ms"; returns @p buf. */
const char *dur_format_ms(unsigned ms, char *buf, size_t size);

#endif
