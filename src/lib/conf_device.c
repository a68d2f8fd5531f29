/* conf_device.c: the devices workers share (device.h): the top-level
 * "devices" list's checks (slots, names of the form of a worker's,
 * each defined once) and each worker's device defined there.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "conf_priv.h"

#define NAME_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789_.-"

const struct conf_device *
conf_find_device(const struct conf *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ndevices; i++)
		if (strcmp(c->devices[i].name, name) == 0)
			return &c->devices[i];
	return NULL;
}

/* One device: its name, its slots; defined before under that name? */
static void
conf_device_check_one(const struct conf *c, size_t i,
    struct conf_errors *errs)
{
	struct conf_device d = c->devices[i];
	struct conf_group g = { conf_device_keys, DK__MAX, &d, d.key_line,
	    &d.invalid, "device: " };
	const struct conf_device *first;
	size_t j;

	conf_key_check_ranges(&g, c->path, d.line, errs);
	if (d.key_line[DK_NAME] == 0) {
		conf_errors_add(errs, c->path, d.line, "device: missing "
		    "required key 'name'");
		return;
	}
	if (d.invalid & 1u << DK_NAME)
		return;
	if (d.name[0] == '\0' || d.name[strspn(d.name, NAME_CHARS)] != '\0') {
		conf_errors_add(errs, c->path, d.key_line[DK_NAME], "device "
		    "name '%s' is not 1..%d of A-Z a-z 0-9 _ . -", d.name,
		    CONF_NAME_MAX - 1);
		return;
	}
	for (j = 0; j < i; j++) {
		first = &c->devices[j];
		if (!(first->invalid & 1u << DK_NAME) &&
		    strcmp(first->name, d.name) == 0) {
			conf_errors_add(errs, c->path, d.key_line[DK_NAME],
			    "duplicate device name '%s' (first defined at "
			    "line %d)", d.name, first->line);
			return;
		}
	}
}

/* A worker's device: one of the list. */
static void
conf_device_check_worker(const struct conf *c, const struct conf_worker *w,
    struct conf_errors *errs)
{
	char names[256] = "", what[CONF_NAME_MAX + 24];
	size_t i, n;

	if (w->device[0] == '\0' || (w->invalid & 1u << WK_DEVICE) ||
	    conf_find_device(c, w->device) != NULL)
		return;
	for (i = 0; i < c->ndevices; i++) {
		if (c->devices[i].key_line[DK_NAME] == 0 ||
		    conf_find_device(c, c->devices[i].name) != &c->devices[i])
			continue;
		n = strlen(names);
		snprintf(names + n, sizeof names - n, "%s%s", n ? ", " : "",
		    c->devices[i].name);
	}
	if (w->key_line[WK_NAME] == 0 || (w->invalid & 1u << WK_NAME) ||
	    w->name[0] == '\0')
		snprintf(what, sizeof what, "worker at line %d", w->line);
	else
		snprintf(what, sizeof what, "worker '%s'", w->name);
	conf_errors_add(errs, w->file, w->key_line[WK_DEVICE], "%s: device "
	    "'%s' is not defined in devices (%s)", what, w->device,
	    names[0] ? names : "none is");
}

void
conf_device_check(const struct conf *c, struct conf_errors *errs)
{
	size_t i;

	for (i = 0; i < c->ndevices; i++)
		conf_device_check_one(c, i, errs);
	for (i = 0; i < c->nworkers; i++)
		conf_device_check_worker(c, &c->workers[i], errs);
}
