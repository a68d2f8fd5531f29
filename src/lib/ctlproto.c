/* ctlproto.c: encoding and checking of control requests and replies
 * (see ctlproto.h). Shared by the daemon and fake-serversctl. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"

static const struct {
	const char *name;
	int	takes_name;
} ctlproto_cmds[] = {
	[CTL_STATUS] = { "status", 0 },
	[CTL_START] = { "start", 1 },
	[CTL_STOP] = { "stop", 1 },
	[CTL_RESTART] = { "restart", 1 },
	[CTL_RESET] = { "reset", 1 },
	[CTL_RELOAD] = { "reload", 0 },
	[CTL_STATS] = { "stats", 0 },
	[CTL_SET] = { "set", 1 },
};

const char *
ctlproto_cmd_name(enum ctl_cmd c)
{
	if ((unsigned)c >= FS_NELEM(ctlproto_cmds))
		return "?";
	return ctlproto_cmds[c].name;
}

int
ctlproto_cmd_lookup(const char *name, enum ctl_cmd *out)
{
	size_t i;

	for (i = 0; i < FS_NELEM(ctlproto_cmds); i++)
		if (strcmp(name, ctlproto_cmds[i].name) == 0) {
			*out = (enum ctl_cmd)i;
			return 0;
		}
	return -1;
}

int
ctlproto_cmd_takes_name(enum ctl_cmd c)
{
	return (unsigned)c < FS_NELEM(ctlproto_cmds) && ctlproto_cmds[c].takes_name;
}

static int
ctlproto_set_array(json_t *o, const struct ctl_req *r)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < r->nset && a != NULL; i++)
		if (json_array_append_new(a, json_string(r->set[i])) == -1) {
			json_decref(a);
			return -1;
		}
	return a == NULL ? -1 : json_object_set_new(o, "set", a);
}

char *
ctlproto_request(const struct ctl_req *r)
{
	json_t *o;
	char *s;

	o = json_pack("{s:i, s:s}", "v", CTLPROTO_VERSION, "cmd", ctlproto_cmd_name(r->cmd));
	if (o == NULL)
		return NULL;
	if (ctlproto_cmd_takes_name(r->cmd))
		json_object_set_new(o, "name", json_string(r->name));
	if (r->cmd == CTL_SET && ctlproto_set_array(o, r) == -1) {
		json_decref(o);
		return NULL;
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static int
ctlproto_check_version(json_t *o, char *err, size_t errlen)
{
	json_t *v = json_object_get(o, "v");

	if (!json_is_integer(v)) {
		snprintf(err, errlen, "missing protocol version \"v\"");
		return -1;
	}
	if (json_integer_value(v) != CTLPROTO_VERSION) {
		snprintf(err, errlen, "unsupported protocol version %lld (this side speaks %d)",
		    (long long)json_integer_value(v), CTLPROTO_VERSION);
		return -1;
	}
	return 0;
}

static json_t *
ctlproto_parse_object(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o;

	if ((o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je)) == NULL) {
		snprintf(err, errlen, "malformed JSON: %s", je.text);
		return NULL;
	}
	if (!json_is_object(o)) {
		snprintf(err, errlen, "not a JSON object");
		json_decref(o);
		return NULL;
	}
	if (ctlproto_check_version(o, err, errlen) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* set's "set": 1 to CTLPROTO_SET_MAX strings "KEY=VALUE". */
static int
ctlproto_req_set(json_t *o, struct ctl_req *r, char *err, size_t errlen)
{
	json_t *a = json_object_get(o, "set"), *v;
	size_t i;

	r->nset = 0;
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > CTLPROTO_SET_MAX) {
		snprintf(err, errlen, "command 'set' needs \"set\": an array "
		    "of 1 to %d \"KEY=VALUE\" strings", CTLPROTO_SET_MAX);
		return -1;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) >= CTLPROTO_SET_LEN ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			snprintf(err, errlen, "\"set\" item %zu is not a "
			    "KEY=VALUE string of 1 to %d bytes", i + 1,
			    CTLPROTO_SET_LEN - 1);
			return -1;
		}
		snprintf(r->set[r->nset++], CTLPROTO_SET_LEN, "%s",
		    json_string_value(v));
	}
	return 0;
}

static int
ctlproto_req_fields(json_t *o, struct ctl_req *r, char *err, size_t errlen)
{
	json_t *cmd = json_object_get(o, "cmd"), *name = json_object_get(o, "name");

	if (!json_is_string(cmd)) {
		snprintf(err, errlen, "missing command \"cmd\"");
		return -1;
	}
	if (ctlproto_cmd_lookup(json_string_value(cmd), &r->cmd) == -1) {
		snprintf(err, errlen, "unknown command '%.64s'", json_string_value(cmd));
		return -1;
	}
	r->name[0] = '\0';
	r->nset = 0;
	if (!ctlproto_cmd_takes_name(r->cmd))
		return 0;
	if (!json_is_string(name) || json_string_length(name) == 0) {
		snprintf(err, errlen, "command '%s' needs a worker \"name\"",
		    ctlproto_cmd_name(r->cmd));
		return -1;
	}
	if (json_string_length(name) >= sizeof r->name) {
		snprintf(err, errlen, "worker name too long");
		return -1;
	}
	snprintf(r->name, sizeof r->name, "%s", json_string_value(name));
	return r->cmd == CTL_SET ? ctlproto_req_set(o, r, err, errlen) : 0;
}

int
ctlproto_parse_request(const char *buf, size_t len, struct ctl_req *r,
    char *err, size_t errlen)
{
	json_t *o;
	int rc;

	if (len > CTLPROTO_REQ_MAX) {
		snprintf(err, errlen, "request too long (more than %d bytes)", CTLPROTO_REQ_MAX);
		return -1;
	}
	if ((o = ctlproto_parse_object(buf, len, err, errlen)) == NULL)
		return -1;
	rc = ctlproto_req_fields(o, r, err, errlen);
	json_decref(o);
	return rc;
}

char *
ctlproto_reply_ok(json_t *body)
{
	json_t *o = body != NULL ? body : json_object();
	char *s;

	json_object_set_new(o, "v", json_integer(CTLPROTO_VERSION));
	json_object_set_new(o, "ok", json_true());
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

char *
ctlproto_reply_error(const char *fmt, ...)
{
	char msg[512], *s, *p;
	va_list ap;
	json_t *o;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	o = json_pack("{s:i, s:b, s:s}", "v", CTLPROTO_VERSION, "ok", 0, "error", msg);
	if (o == NULL) {
		/* The text quotes a peer's bytes, or cut a UTF-8 sequence:
		 * JSON needs valid UTF-8, so say it in ASCII. */
		for (p = msg; *p != '\0'; p++)
			if ((unsigned char)*p >= 0x80)
				*p = '?';
		o = json_pack("{s:i, s:b, s:s}", "v", CTLPROTO_VERSION, "ok", 0,
		    "error", msg);
	}
	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

json_t *
ctlproto_parse_reply(const char *buf, size_t len, char *err, size_t errlen)
{
	json_t *o;

	if ((o = ctlproto_parse_object(buf, len, err, errlen)) == NULL)
		return NULL;
	if (!json_is_boolean(json_object_get(o, "ok"))) {
		snprintf(err, errlen, "reply without \"ok\"");
		json_decref(o);
		return NULL;
	}
	return o;
}
