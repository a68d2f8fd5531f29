/* exitcode.h: the exit codes every program documents (sysexits.h values). */
#ifndef FS_EXITCODE_H
#define FS_EXITCODE_H

#define FS_EXIT_OK       0
#define FS_EXIT_FAILURE  1
#define FS_EXIT_USAGE    64	/* EX_USAGE */
#define FS_EXIT_UNAVAIL  69	/* EX_UNAVAILABLE */
#define FS_EXIT_SOFTWARE 70	/* EX_SOFTWARE */
#define FS_EXIT_OSERR    71	/* EX_OSERR */
#define FS_EXIT_NOPERM   77	/* EX_NOPERM: no worker admitted our key */
#define FS_EXIT_CONFIG   78	/* EX_CONFIG */

#endif
