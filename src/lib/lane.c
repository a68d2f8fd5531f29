/* lane.c: doorbell lanes, the named pipes beside a ring (lane.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "lane.h"
#include "shm.h"
#include "shm_ring.h"
#include "wire.h"

/* A lane's pipes are SHM_DIR "<ring>.<lane>.<suffix>", by enum lane_dir. */
static const char *const lane_suffix[] = { "req", "rep" };

int
lane_path(char *buf, size_t len, const char *ring, int lane,
    enum lane_dir dir)
{
	int n;

	if (shm_name_check(ring, NULL, 0) == -1 || lane < 0 ||
	    lane >= SHM_LANES)
		return -1;
	n = snprintf(buf, len, SHM_DIR "%s.%d.%s", ring, lane,
	    lane_suffix[dir]);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
lane_path_ring(const char *name, char *ring, size_t len)
{
	const char *dot = strchr(name, '.'), *p;
	size_t n = dot != NULL ? (size_t)(dot - name) : strlen(name);

	if (dot != NULL) {
		for (p = dot + 1; *p >= '0' && *p <= '9'; p++)
			;
		if (p == dot + 1 || p - dot > 4 || *p++ != '.' ||
		    (strcmp(p, lane_suffix[LANE_REQ]) != 0 &&
		    strcmp(p, lane_suffix[LANE_REP]) != 0))
			return -1;
	}
	snprintf(ring, len, "%.*s", (int)n, name);
	return dot != NULL;
}

int
lane_create(const char *ring, int lane, int *repfd, char *err, size_t errlen)
{
	char req[LANE_PATH_MAX], rep[LANE_PATH_MAX];

	*repfd = -1;
	if (lane_path(req, sizeof(req), ring, lane, LANE_REQ) == -1 ||
	    lane_path(rep, sizeof(rep), ring, lane, LANE_REP) == -1)
		return wire_fail(err, errlen, "no lane %d for ring %s", lane,
		    ring);
	if (mkfifo(req, 0600) == -1)
		return wire_fail(err, errlen, "mkfifo %s: %s", req,
		    strerror(errno));
	if (mkfifo(rep, 0600) == -1) {
		wire_fail(err, errlen, "mkfifo %s: %s", rep, strerror(errno));
		unlink(req);
		return -1;
	}
	shm_ring_share(-1, req);
	shm_ring_share(-1, rep);
	/* Read and write: a worker that exits does not leave the pipe
	 * readable forever with a hang-up. */
	if ((*repfd = open(rep, O_RDWR | O_NONBLOCK | O_CLOEXEC |
	    O_NOFOLLOW)) == -1) {
		wire_fail(err, errlen, "open %s: %s", rep, strerror(errno));
		lane_unlink(ring, lane);
		return -1;
	}
	return 0;
}

int
lane_open_req(const char *ring, int lane)
{
	char path[LANE_PATH_MAX];

	if (lane_path(path, sizeof(path), ring, lane, LANE_REQ) == -1) {
		errno = EINVAL;
		return -1;
	}
	return open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
}

void
lane_unlink(const char *ring, int lane)
{
	char path[LANE_PATH_MAX];

	if (lane_path(path, sizeof(path), ring, lane, LANE_REQ) == 0)
		unlink(path);
	if (lane_path(path, sizeof(path), ring, lane, LANE_REP) == 0)
		unlink(path);
}

/* Open one pipe and check it is one, made by the ring's creator. */
static int
lane_open_one(const char *path, int flags, uint32_t uid, char *err,
    size_t errlen)
{
	struct stat st;
	int fd;

	if ((fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return wire_fail(err, errlen, "open %s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode) ||
	    st.st_uid != (uid_t)uid) {
		close(fd);
		return wire_fail(err, errlen, "%s is not a pipe of uid %" PRIu32,
		    path, uid);
	}
	return fd;
}

static void
lane_drain(int fd)
{
	unsigned char junk[LANE_MSG_MAX];

	while (read(fd, junk, sizeof(junk)) > 0)
		;
}

int
lane_open(const char *ring, int lane, uint32_t uid, int *reqfd, int *repfd,
    char *err, size_t errlen)
{
	char req[LANE_PATH_MAX], rep[LANE_PATH_MAX];

	*reqfd = *repfd = -1;
	if (lane_path(req, sizeof(req), ring, lane, LANE_REQ) == -1 ||
	    lane_path(rep, sizeof(rep), ring, lane, LANE_REP) == -1)
		return wire_fail(err, errlen, "no lane %d for ring %s", lane,
		    ring);
	/* Read and write: never a hang-up when the client closes it. */
	if ((*reqfd = lane_open_one(req, O_RDWR, uid, err, errlen)) == -1)
		return -1;
	if ((*repfd = lane_open_one(rep, O_WRONLY, uid, err, errlen)) == -1) {
		close(*reqfd);
		*reqfd = -1;
		return -1;
	}
	/* Requests written before a worker read them belong to its
	 * predecessor. */
	lane_drain(*reqfd);
	return 0;
}

int
lane_fits(size_t hlen, size_t plen)
{
	return hlen <= LANE_MSG_MAX && plen <= LANE_MSG_MAX &&
	    LANE_PREFIX + hlen + plen <= LANE_MSG_MAX;
}

int
lane_send(int fd, const void *hdr, size_t hlen, const void *pay, size_t plen)
{
	uint32_t pre[2];
	struct iovec iov[3];
	ssize_t n;

	if (!lane_fits(hlen, plen)) {
		errno = EMSGSIZE;
		return -1;
	}
	pre[0] = (uint32_t)hlen;
	pre[1] = (uint32_t)plen;
	iov[0] = (struct iovec){ pre, LANE_PREFIX };
	iov[1] = (struct iovec){ (void *)(uintptr_t)hdr, hlen };
	iov[2] = (struct iovec){ (void *)(uintptr_t)pay, plen };
	do
		n = writev(fd, iov, plen > 0 ? 3 : 2);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	/* A pipe writes up to PIPE_BUF bytes whole or not at all. */
	return 0;
}

int
lane_prefix_check(const unsigned char *p, size_t n, size_t *hlen,
    size_t *plen, char *err, size_t errlen)
{
	uint32_t pre[2];

	if (n < LANE_PREFIX)
		return wire_fail(err, errlen, "lane message of %zu bytes is "
		    "shorter than its %d-byte prefix", n, LANE_PREFIX);
	memcpy(pre, p, sizeof(pre));
	if (pre[0] == 0 || pre[0] > LANE_MSG_MAX - LANE_PREFIX ||
	    pre[1] > LANE_MSG_MAX - LANE_PREFIX - pre[0])
		return wire_fail(err, errlen, "lane message lengths %" PRIu32
		    " + %" PRIu32 " do not fit %d bytes", pre[0], pre[1],
		    LANE_MSG_MAX - LANE_PREFIX);
	*hlen = pre[0];
	*plen = pre[1];
	return 0;
}

int
lane_recv(int fd, unsigned char *buf, size_t len, size_t *hlen, size_t *plen,
    char *err, size_t errlen)
{
	unsigned char pre[LANE_PREFIX];
	ssize_t n;

	do
		n = read(fd, pre, sizeof(pre));
	while (n == -1 && errno == EINTR);
	if (n == -1 && errno == EAGAIN)
		return 0;
	if (n <= 0)
		return wire_fail(err, errlen, "lane read: %s", n == 0 ?
		    "end of file" : strerror(errno));
	if (lane_prefix_check(pre, (size_t)n, hlen, plen, err, errlen) == -1 ||
	    (*hlen + *plen > len && wire_fail(err, errlen, "lane message of %zu "
	    "bytes is longer than the %zu-byte buffer", *hlen + *plen,
	    len) == -1)) {
		lane_drain(fd);
		return -1;
	}
	do
		n = read(fd, buf, *hlen + *plen);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)(*hlen + *plen)) {
		wire_fail(err, errlen, "lane message cut short: %zd of %zu "
		    "bytes", n, *hlen + *plen);
		lane_drain(fd);
		return -1;
	}
	return 1;
}
