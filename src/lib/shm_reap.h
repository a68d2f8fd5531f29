/* shm_reap.h: removing the rings (and their lanes) of dead clients. */
#ifndef FS_SHM_REAP_H
#define FS_SHM_REAP_H

/* Remove this user's rings whose creator is dead, from dir (NULL:
 * SHM_DIR), with their lanes' pipes. A ring made in another pid namespace
 * (a container sharing /dev/shm) is left alone: its pid means nothing
 * here. Returns how many files were removed, or -1. */
int	shm_reap_stale(const char *dir);

#endif
