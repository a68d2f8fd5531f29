/* worker_curve.c: fake-worker as a CURVE server.
 *
 * The key pair and the ZAP handler live here; the socket gets its CURVE
 * options through worker_curve_sockopts, with its others. The ZAP handler
 * is bound before the socket is, so no client is ever admitted unasked.
 * SIGHUP, which fake-servers sends on a reload that keeps allow_dir, reads
 * the directory again; a directory that does not read keeps the keys the
 * worker had (zap_allow_dir).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <zmq.h>

#include "cert.h"
#include "exitcode.h"
#include "log.h"
#include "worker_opts.h"
#include "worker_curve.h"
#include "zap.h"
#include "zfd.h"

struct worker_curve {
	const char	*name;		/* the worker's, for messages */
	struct cert	 key;
	struct zap	*zap;
	const char	*allow;		/* NULL: any key */
	int		 hupfd;
	struct zfd	 zap_zf;	/* the handler's socket (zfd.h) */
};

static int
worker_curve_admit(struct worker_curve *wc)
{
	if (wc->allow == NULL) {
		zap_allow_any(wc->zap);
		log_notice("%s: CURVE, any client key admitted (encryption "
		    "without authentication)", wc->name);
		return 0;
	}
	return zap_allow_dir(wc->zap, wc->allow) == -1 ? -1 : 0;
}

int
worker_curve_open(void *zctx, const struct worker_opts *o,
    struct worker_curve **wcp)
{
	struct worker_curve *wc;
	sigset_t hup;
	char err[1024];

	*wcp = NULL;
	if (o->curve_secret == NULL)
		return 0;
	if ((wc = *wcp = calloc(1, sizeof *wc)) == NULL)
		fatal("calloc");
	wc->name = o->name;
	wc->allow = o->curve_allow;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);	/* blocked since main began */
	if ((wc->hupfd = signalfd(-1, &hup, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");
	if (cert_load(o->curve_secret, CERT_SECRET, &wc->key, err,
	    sizeof err) == -1) {
		log_warnx("%s: --curve-secret %s", o->name, err);
		return FS_EXIT_CONFIG;
	}
	if ((wc->zap = zap_new(zctx, o->name, err, sizeof err)) == NULL) {
		log_warnx("%s: %s", o->name, err);
		return FS_EXIT_SOFTWARE;
	}
	if (zfd_open(&wc->zap_zf, zap_socket(wc->zap)) == -1) {
		log_warnx("%s: ZAP handler: ZMQ_FD: %s", o->name,
		    zmq_strerror(errno));
		return FS_EXIT_SOFTWARE;
	}
	return worker_curve_admit(wc) == -1 ? FS_EXIT_CONFIG : 0;
}

int
worker_curve_sockopts(const struct worker_curve *wc, void *sock)
{
	int one = 1;

	if (wc == NULL)
		return 0;
	if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) == -1 ||
	    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, wc->key.secret_txt,
	    CERT_Z85_LEN) == -1) {
		log_warnx("%s: CURVE: %s", wc->name, zmq_strerror(errno));
		return -1;
	}
	return 0;
}

int
worker_curve_pollfds(const struct worker_curve *wc, struct pollfd *fds)
{
	if (wc == NULL)
		return 0;
	fds[0] = zfd_pollfd(&wc->zap_zf);
	fds[1] = (struct pollfd){ .fd = wc->hupfd, .events = POLLIN };
	return WORKER_CURVE_FDS;
}

int
worker_curve_busy(const struct worker_curve *wc)
{
	return wc != NULL && zfd_busy(&wc->zap_zf);
}

void
worker_curve_events(struct worker_curve *wc, const struct pollfd *fds)
{
	struct signalfd_siginfo si;

	if (wc == NULL)
		return;
	if (zfd_look(&wc->zap_zf, fds[0].revents))
		zfd_received(&wc->zap_zf, !zap_serve(wc->zap));
	if (!(fds[1].revents & POLLIN))
		return;
	while (read(wc->hupfd, &si, sizeof si) == (ssize_t)sizeof si)
		;
	log_info("%s: SIGHUP: reading %s again", wc->name, wc->allow ?
	    wc->allow : "nothing (any key is admitted)");
	if (wc->allow != NULL)
		worker_curve_admit(wc);
}

void
worker_curve_free(struct worker_curve **wcp)
{
	struct worker_curve *wc = *wcp;

	if (wc == NULL)
		return;
	zap_free(&wc->zap);
	if (wc->hupfd > 0)
		close(wc->hupfd);
	cert_clear(&wc->key);
	free(wc);
	*wcp = NULL;
}
