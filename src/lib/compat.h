/* compat.h: compiler attributes and small helpers shared by every module. */
#ifndef FS_COMPAT_H
#define FS_COMPAT_H

#define FS_DEAD      __attribute__((__noreturn__))
#define FS_PRINTF(a, b) __attribute__((__format__(__printf__, a, b)))
#define FS_UNUSED    __attribute__((__unused__))
#define FS_NELEM(a)  (sizeof(a) / sizeof((a)[0]))

/* Exit codes shared by the programs (sysexits.h values). */
#define FS_EXIT_OK       0
#define FS_EXIT_FAILURE  1
#define FS_EXIT_USAGE    64	/* EX_USAGE */
#define FS_EXIT_SOFTWARE 70	/* EX_SOFTWARE */
#define FS_EXIT_OSERR    71	/* EX_OSERR */
#define FS_EXIT_UNAVAIL  69	/* EX_UNAVAILABLE */
#define FS_EXIT_CONFIG   78	/* EX_CONFIG */

#endif
