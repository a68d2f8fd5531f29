/* fuzz_control.c: fuzz the control-request parser of fake-servers.
 *
 * The input is one request message as it arrives on the control socket.
 * Besides not crashing: a rejected request always has a reason, and that
 * reason, sent back as an error reply, is a reply the client can decode
 * (ok false, the same text, bytes past ASCII possibly shown as '?'); an
 * accepted request encodes back to a
 * request that parses to the same command, name and assignments (set).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlproto.h"
#include "fuzz.h"
#include "log.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init("fuzz_control", LOG_LVL_QUIET);
	return 0;
}

/* Is got the reason, or the reason with its bytes past ASCII as '?'? */
static int
fuzz_same_reason(const char *got, const char *reason)
{
	if (strcmp(got, reason) == 0)
		return 1;
	for (; *got != '\0' && *reason != '\0'; got++, reason++)
		if (*got != ((unsigned char)*reason < 0x80 ? *reason : '?'))
			return 0;
	return *got == *reason;
}

static void
fuzz_rejected(const char *reason)
{
	char *reply, err[256];
	json_t *o;

	FUZZ_ASSERT(reason[0] != '\0');
	reply = ctlproto_reply_error("%s", reason);
	FUZZ_ASSERT(reply != NULL);
	o = ctlproto_parse_reply(reply, strlen(reply), err, sizeof err);
	FUZZ_ASSERT(o != NULL);
	FUZZ_ASSERT(json_is_false(json_object_get(o, "ok")));
	FUZZ_ASSERT(json_is_string(json_object_get(o, "error")));
	FUZZ_ASSERT(fuzz_same_reason(json_string_value(json_object_get(o,
	    "error")), reason));
	json_decref(o);
	free(reply);
}

static void
fuzz_accepted(const struct ctl_req *r)
{
	struct ctl_req r2;
	char *s, err[256];
	int i;

	FUZZ_ASSERT(ctlproto_cmd_takes_name(r->cmd) == (r->name[0] != '\0'));
	s = ctlproto_request(r);
	FUZZ_ASSERT(s != NULL);
	FUZZ_ASSERT(ctlproto_parse_request(s, strlen(s), &r2, err,
	    sizeof err) == 0);
	FUZZ_ASSERT(r2.cmd == r->cmd && strcmp(r2.name, r->name) == 0);
	FUZZ_ASSERT(r2.nset == r->nset);
	for (i = 0; i < r->nset; i++)
		FUZZ_ASSERT(strcmp(r2.set[i], r->set[i]) == 0);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_req r;
	char err[256];
	json_t *o;

	memset(err, 0, sizeof err);
	if (ctlproto_parse_request((const char *)data, size, &r, err,
	    sizeof err) == 0)
		fuzz_accepted(&r);
	else
		fuzz_rejected(err);

	/* The client's side: a reply from a daemon it cannot trust. */
	if ((o = ctlproto_parse_reply((const char *)data, size, err,
	    sizeof err)) != NULL)
		json_decref(o);
	return 0;
}
