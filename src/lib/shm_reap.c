/* shm_reap.c: removing the rings a dead client left in /dev/shm, with
 * their lanes' pipes, when a client starts (doc/shm.md). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lane.h"
#include "log.h"
#include "shm.h"
#include "shm_reap.h"
#include "shm_ring.h"

/* Was the ring in dir made in another pid namespace than ours? */
static int
shm_other_pidns(int dfd, const char *name)
{
	struct shm_hdr h;
	uint32_t ours = shm_ring_pidns();
	int fd, other = 0;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	if (pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	    memcmp(h.magic, SHM_MAGIC, sizeof(h.magic)) == 0)
		other = ours != 0 && h.owner_pidns != 0 && h.owner_pidns != ours;
	close(fd);
	return other;
}

int
shm_reap_stale(const char *dir)
{
	char path[SHM_NAME_MAX + 1], ring[sizeof(path)];
	struct dirent *de;
	struct stat st;
	uint32_t uid, pid;
	DIR *d;
	int removed = 0, lane;

	if ((d = opendir(dir != NULL ? dir : SHM_DIR)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (snprintf(path, sizeof(path), "/%s", de->d_name) >=
		    (int)sizeof(path))
			continue;
		/* A ring's lane pipes (lane.h) go with it. */
		if ((lane = lane_path_ring(path, ring, sizeof(ring))) == -1 ||
		    shm_name_parse(ring, &uid, &pid, NULL) == -1 ||
		    uid != (uint32_t)getuid() || pid == (uint32_t)getpid() ||
		    !shm_ring_owner_dead(pid))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    !(lane ? S_ISFIFO(st.st_mode) : S_ISREG(st.st_mode)) ||
		    st.st_uid != getuid() ||
		    shm_other_pidns(dirfd(d), ring + 1))
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0) == 0) {
			log_info("shm: removed %s, left by dead process %" PRIu32,
			    path, pid);
			removed++;
		}
	}
	closedir(d);
	return removed;
}
