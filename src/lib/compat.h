/* compat.h: compiler attributes and small helpers shared by every module. */
#ifndef FS_COMPAT_H
#define FS_COMPAT_H

#define FS_DEAD      __attribute__((__noreturn__))
#define FS_PRINTF(a, b) __attribute__((__format__(__printf__, a, b)))
#define FS_UNUSED    __attribute__((__unused__))
#define FS_NELEM(a)  (sizeof(a) / sizeof((a)[0]))

#endif
