/* ctlproto.h: the control protocol between fake-serversctl and fake-servers.
 *
 * One request, one reply, each a JSON object in one SOCK_SEQPACKET message,
 * both carrying the protocol version "v":
 *   {"v":1,"cmd":"stop","name":"Seg1"}
 *   {"v":1,"ok":true,...}   or   {"v":1,"ok":false,"error":"unknown worker 'x'"}
 */
#ifndef FS_CTLPROTO_H
#define FS_CTLPROTO_H

#include <stddef.h>
#include <jansson.h>

#include "compat.h"

#define CTLPROTO_VERSION	1
#define CTLPROTO_REQ_MAX	4096		/* bytes in a request */
#define CTLPROTO_REPLY_MAX	(1024 * 1024)	/* bytes in a reply */
#define CTLPROTO_NAME_MAX	96

enum ctl_cmd {
	CTL_STATUS,
	CTL_START,
	CTL_STOP,
	CTL_RESTART,
	CTL_RESET,
	CTL_RELOAD,
	CTL_STATS,
	CTL_SET
};

#define CTLPROTO_SET_MAX	16	/* assignments in one set */
#define CTLPROTO_SET_LEN	128	/* bytes of one, with its NUL */

/* set NAME KEY=VALUE...: {"v":1,"cmd":"set","name":"Seg1",
 * "set":["cost_ms=30","error_rate=0.1"]}. */
struct ctl_req {
	enum ctl_cmd cmd;
	char	name[CTLPROTO_NAME_MAX];	/* "" when the command takes none */
	char	set[CTLPROTO_SET_MAX][CTLPROTO_SET_LEN];	/* "KEY=VALUE" */
	int	nset;
};

const char	*ctlproto_cmd_name(enum ctl_cmd);
int		 ctlproto_cmd_lookup(const char *, enum ctl_cmd *);
int		 ctlproto_cmd_takes_name(enum ctl_cmd);

/* Encode a request: a malloc'd string. */
char		*ctlproto_request(const struct ctl_req *);
/* Decode and check a request: 0, or -1 with the reason in err. */
int		 ctlproto_parse_request(const char *buf, size_t len, struct ctl_req *,
		    char *err, size_t errlen);
/* Replies as malloc'd strings; body (an object, may be NULL) is consumed. */
char		*ctlproto_reply_ok(json_t *body);
char		*ctlproto_reply_error(const char *fmt, ...) FS_PRINTF(1, 2);
/* Decode a reply: the object (ok or not), or NULL with the reason in err. */
json_t		*ctlproto_parse_reply(const char *buf, size_t len, char *err, size_t errlen);

#endif
