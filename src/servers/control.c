/* control.c: the control socket server of fake-servers (see control.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "ctlproto.h"
#include "log.h"

static int
control_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sa->sun_path) {
		log_warnx("control socket path too long (max %zu bytes): %s",
		    sizeof sa->sun_path - 1, path);
		return -1;
	}
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

/* mkdir -p of the directory holding path, 0755 for what it creates. */
static int
control_mkdirs(const char *path)
{
	char dir[1024], *p, save;

	snprintf(dir, sizeof dir, "%s", path);
	if ((p = strrchr(dir, '/')) == NULL || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		save = *p;
		*p = '\0';
		if (mkdir(dir, 0755) == 0)
			(void)chmod(dir, 0755);	/* whatever the umask */
		else if (errno != EEXIST) {
			log_warnx("cannot create directory %s: %s%s", dir, strerror(errno),
			    errno == EACCES || errno == EPERM || errno == EROFS ?
			    " (-s SOCKET puts the control socket where you may write)" : "");
			return -1;
		}
		if ((*p = save) == '\0')
			break;
	}
	return 0;
}

/* 1 if a daemon answers on path, 0 if none (stale or absent), -1 on error. */
static int
control_probe(const struct sockaddr_un *sa)
{
	int fd, rc;

	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sa, sizeof *sa);
	close(fd);
	if (rc == 0)
		return 1;
	if (errno == ENOENT || errno == ECONNREFUSED)
		return 0;
	return -1;
}

static int
control_lock(struct control *c)
{
	char lock[1100];

	snprintf(lock, sizeof lock, "%s.lock", c->path);
	if ((c->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		log_warn("cannot open lock file %s", lock);
		return -1;
	}
	if (flock(c->lockfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			log_warnx("another fake-servers holds %s: refusing to start a second one", lock);
		else
			log_warn("cannot lock %s", lock);
		return -1;
	}
	return 0;
}

/* Give path to group gid unless it has it (already created with it, say
 * by the unit's Group=: no chown, which the unit's filter denies). */
static int
control_chgrp(const char *path, gid_t gid)
{
	struct stat st;

	if (gid == (gid_t)-1 || (stat(path, &st) == 0 && st.st_gid == gid))
		return 0;
	if (chown(path, (uid_t)-1, gid) == 0)
		return 0;
	log_warn("cannot give control socket %s to group %lu", path,
	    (unsigned long)gid);
	return -1;
}

/* Created 0600 (so nobody connects before it is the group's), then given
 * to the group and opened to it. */
static int
control_bind(struct control *c, const struct sockaddr_un *sa, int mode,
    gid_t gid)
{
	mode_t old;
	int rc;

	if (unlink(c->path) == -1 && errno != ENOENT) {
		log_warn("cannot remove stale control socket %s", c->path);
		return -1;
	}
	c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd == -1) {
		log_warn("socket");
		return -1;
	}
	old = umask(0777 & ~(mode_t)(mode & 0700));
	rc = bind(c->fd, (const struct sockaddr *)sa, sizeof *sa);
	umask(old);
	if (rc == 0 && control_chgrp(c->path, gid) == -1)
		return -1;
	if (rc == -1 || chmod(c->path, (mode_t)mode) == -1 || listen(c->fd, 16) == -1) {
		log_warn("cannot listen on control socket %s", c->path);
		return -1;
	}
	return 0;
}

int
control_open(struct control *c, const char *path, int mode, gid_t gid)
{
	struct sockaddr_un sa;

	memset(c, 0, sizeof *c);
	c->fd = c->lockfd = -1;
	snprintf(c->path, sizeof c->path, "%s", path);
	if (control_addr(path, &sa) == -1 || control_mkdirs(path) == -1)
		return -1;
	switch (control_probe(&sa)) {
	case 1:
		log_warnx("another fake-servers is already running on %s: refusing to start a second one",
		    path);
		return -1;
	case -1:
		log_warn("cannot check control socket %s", path);
		return -1;
	}
	if (control_lock(c) == -1 || control_bind(c, &sa, mode, gid) == -1) {
		control_close(c);
		return -1;
	}
	return 0;
}

void
control_close(struct control *c)
{
	int i;

	for (i = 0; i < c->nclients; i++)
		close(c->clients[i]);
	c->nclients = 0;
	if (c->fd != -1) {
		close(c->fd);
		unlink(c->path);
	}
	if (c->lockfd != -1)
		close(c->lockfd);
	c->fd = c->lockfd = -1;
}

int
control_pollfds(const struct control *c, struct pollfd *pfd, int max)
{
	int i, n = 0;

	if (c->fd == -1 || max < 1)
		return 0;
	pfd[n].fd = c->fd;
	pfd[n++].events = POLLIN;
	for (i = 0; i < c->nclients && n < max; i++) {
		pfd[n].fd = c->clients[i];
		pfd[n++].events = POLLIN;
	}
	return n;
}

static void
control_drop(struct control *c, int fd)
{
	int i;

	for (i = 0; i < c->nclients; i++)
		if (c->clients[i] == fd) {
			close(fd);
			/* Keep the order: clients[0] is the oldest. */
			memmove(&c->clients[i], &c->clients[i + 1],
			    (size_t)(c->nclients - i - 1) * sizeof c->clients[0]);
			c->nclients--;
			return;
		}
}

static void
control_accept(struct control *c)
{
	int fd, sndbuf = CTLPROTO_REPLY_MAX;

	while ((fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) != -1) {
		/* A status reply is one message: make room for a long one. */
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
		if (c->nclients == CONTROL_CLIENTS_MAX) {
			/* Make room: the oldest client has had its chance. */
			log_info("control: too many clients, dropping the oldest");
			control_drop(c, c->clients[0]);
		}
		c->clients[c->nclients++] = fd;
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		log_warn("control: accept");
}

/* One request from a client; 0 to keep it, -1 to drop it. */
static int
control_serve(int fd, control_handler h, void *arg)
{
	char buf[CTLPROTO_REQ_MAX + 1], *reply;
	ssize_t n;
	int rc = 0;

	n = recv(fd, buf, sizeof buf - 1, MSG_TRUNC | MSG_DONTWAIT);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n == 0)
		return -1;
	if (n > CTLPROTO_REQ_MAX)
		reply = ctlproto_reply_error("request too long (%zd bytes, at most %d)",
		    n, CTLPROTO_REQ_MAX);
	else
		reply = h(buf, (size_t)n, arg);
	if (reply == NULL)
		return -1;
	if (send(fd, reply, strlen(reply), MSG_NOSIGNAL | MSG_DONTWAIT) == -1) {
		log_info("control: cannot send a reply: %s", strerror(errno));
		rc = -1;
	}
	free(reply);
	return rc;
}

void
control_dispatch(struct control *c, const struct pollfd *pfd, int n,
    control_handler h, void *arg)
{
	int i;

	for (i = 1; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		if ((pfd[i].revents & POLLIN) == 0 || control_serve(pfd[i].fd, h, arg) == -1)
			control_drop(c, pfd[i].fd);
	}
	if (n > 0 && (pfd[0].revents & POLLIN))
		control_accept(c);
}
