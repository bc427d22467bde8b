/**
 * @file sanitize.h
 * @brief ER_ASAN: 1 in an AddressSanitizer build, with gcc or clang.
 *
 * gcc defines __SANITIZE_ADDRESS__ under -fsanitize=address; clang 14 does
 * not, and says so through __has_feature(address_sanitizer) instead. Code
 * that must behave differently under ASan (free everything before exit so
 * leaks stay visible) tests ER_ASAN, never the compiler macros.
 */
#ifndef ER_SANITIZE_H
#define ER_SANITIZE_H

#if defined(__SANITIZE_ADDRESS__)
#define ER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ER_ASAN 1
#endif
#endif
#ifndef ER_ASAN
#define ER_ASAN 0
#endif

#endif
