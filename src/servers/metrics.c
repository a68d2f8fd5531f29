/* metrics.c: GET /metrics over HTTP with libmicrohttpd, driven from the
 * daemon's poll loop (see metrics.h); libmicrohttpd is called through the
 * table of metrics_dl.h, loaded when metrics are first configured. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "conf.h"
#include "log.h"
#include "metrics.h"
#include "metrics_dl.h"

struct metrics {
	struct MHD_Daemon *d;
	int	 epfd;
	metrics_page page;
	void	*arg;
	char	 address[CONF_HOST_MAX + 8];
};

static const struct metrics_dl *mhd;	/* NULL until metrics_load() */

static const char not_found[] = "only /metrics is served here\n";
static const char not_allowed[] = "only GET and HEAD are allowed\n";
static const char no_page[] = "the metrics could not be gathered\n";

static void
metrics_log(void *arg, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	if ((n = strlen(msg)) > 0 && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	log_info("metrics: %s", msg);
}

static enum MHD_Result
metrics_reply(struct MHD_Connection *c, unsigned code, const char *type,
    void *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if ((r = mhd->create_response_from_buffer(len, body, mode)) == NULL) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	mhd->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		mhd->add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd->queue_response(c, code, r);
	mhd->destroy_response(r);
	return ret;
}

static enum MHD_Result
metrics_answer(void *arg, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **req)
{
	struct metrics *m = arg;
	size_t len;
	char *body;

	*upload_len = 0;	/* a body, if any, is not read */
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return metrics_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "text/plain", (void *)(uintptr_t)not_allowed,
		    sizeof not_allowed - 1, MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics") != 0)
		return metrics_reply(c, MHD_HTTP_NOT_FOUND, "text/plain",
		    (void *)(uintptr_t)not_found, sizeof not_found - 1,
		    MHD_RESPMEM_PERSISTENT);
	if ((body = m->page(m->arg, &len)) == NULL)
		return metrics_reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "text/plain", (void *)(uintptr_t)no_page,
		    sizeof no_page - 1, MHD_RESPMEM_PERSISTENT);
	return metrics_reply(c, MHD_HTTP_OK, METRICS_CONTENT_TYPE, body, len,
	    MHD_RESPMEM_MUST_FREE);
}

/* A listening socket of our own, so a failure says what and where. */
static int
metrics_listen(const char *hostport)
{
	struct addrinfo hints, *res, *ai;
	char host[CONF_HOST_MAX], port[8];
	int fd = -1, p, on = 1, err;

	if (conf_hostport(hostport, host, sizeof host, &p) == -1) {
		log_warnx("metrics: '%s' is not HOST:PORT", hostport);
		return -1;
	}
	snprintf(port, sizeof port, "%d", p);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((err = getaddrinfo(strcmp(host, "*") == 0 ? NULL : host, port,
	    &hints, &res)) != 0) {
		log_warnx("metrics: cannot resolve %s: %s", host,
		    gai_strerror(err));
		return -1;
	}
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
		    listen(fd, METRICS_CONNECTIONS_MAX) == -1) {
			err = errno;
			close(fd);
			fd = -1;
			errno = err;
		}
	}
	freeaddrinfo(res);
	if (fd == -1)
		log_warn("metrics: cannot listen on %s", hostport);
	return fd;
}

int
metrics_load(char *why, size_t len)
{
	char err[448];

	if (mhd == NULL && (mhd = metrics_dl_load(err, sizeof err)) == NULL) {
		snprintf(why, len, "metrics: %s", err);
		return -1;
	}
	return 0;
}

struct metrics *
metrics_open(const char *hostport, metrics_page page, void *arg)
{
	const union MHD_DaemonInfo *di;
	struct metrics *m;
	char why[512];
	int fd;

	if (metrics_load(why, sizeof why) == -1) {
		log_warnx("%s", why);
		return NULL;
	}
	if ((m = calloc(1, sizeof *m)) == NULL || (fd = metrics_listen(hostport))
	    == -1) {
		free(m);
		return NULL;
	}
	m->page = page;
	m->arg = arg;
	snprintf(m->address, sizeof m->address, "%s", hostport);
	m->d = mhd->start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL,
	    NULL, metrics_answer, m,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)METRICS_CONNECTIONS_MAX,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)METRICS_PER_IP_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)METRICS_TIMEOUT_S,
	    MHD_OPTION_EXTERNAL_LOGGER, metrics_log, m,
	    MHD_OPTION_END);
	if (m->d == NULL || (di = mhd->get_daemon_info(m->d,
	    MHD_DAEMON_INFO_EPOLL_FD)) == NULL) {
		log_warnx("metrics: libmicrohttpd would not start on %s",
		    hostport);
		if (m->d == NULL)
			close(fd);
		metrics_close(&m);
		return NULL;
	}
	m->epfd = di->epoll_fd;
	return m;
}

void
metrics_close(struct metrics **mp)
{
	struct metrics *m = *mp;

	if (m == NULL)
		return;
	if (m->d != NULL)
		mhd->stop_daemon(m->d);	/* closes the listening socket */
	free(m);
	*mp = NULL;
}

const char *
metrics_address(const struct metrics *m)
{
	return m->address;
}

int
metrics_fd(const struct metrics *m)
{
	return m->epfd;
}

uint64_t
metrics_deadline(const struct metrics *m)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (mhd->get_timeout(m->d, &ms) != MHD_YES)
		return 0;
	return clock_now_ns() + (uint64_t)ms * 1000000ull;
}

void
metrics_run(struct metrics *m)
{
	mhd->run(m->d);
}
