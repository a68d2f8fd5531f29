/* servers_dev.c: the devices' files the daemon keeps (see servers_dev.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "device.h"
#include "log.h"
#include "servers_dev.h"

static int
servers_dev_find(const struct servers_devs *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		if (strcmp(ds->d[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Can every device of c be had? Those made keep their slots; the new
 * ones fit in the table. */
static int
servers_dev_check(const struct servers_devs *ds, const struct conf *c,
    char *err, size_t errlen)
{
	size_t i, added = 0;
	int j;

	for (i = 0; i < c->ndevices; i++) {
		if ((j = servers_dev_find(ds, c->devices[i].name)) == -1)
			added++;
		else if (ds->d[j].slots != c->devices[i].slots) {
			snprintf(err, errlen, "device %s: slots %d -> %d: "
			    "devices cannot change on reload: restart the "
			    "daemon", ds->d[j].name, ds->d[j].slots,
			    c->devices[i].slots);
			return -1;
		}
	}
	if (ds->n + added > CONF_DEVICES_MAX) {
		snprintf(err, errlen, "more than %d devices since the daemon "
		    "started: restart the daemon", CONF_DEVICES_MAX);
		return -1;
	}
	return 0;
}

int
servers_dev_open(struct servers_devs *ds, const struct conf *c, char *err,
    size_t errlen)
{
	char why[256];
	size_t i;
	int fd;

	if (servers_dev_check(ds, c, err, errlen) == -1)
		return -1;
	for (i = 0; i < c->ndevices; i++) {
		if (servers_dev_find(ds, c->devices[i].name) != -1)
			continue;
		fd = device_create((unsigned)c->devices[i].slots, why,
		    sizeof why);
		if (fd == -1) {
			snprintf(err, errlen, "device %s: %s",
			    c->devices[i].name, why);
			return -1;
		}
		ds->d[ds->n].name = conf_intern(c->devices[i].name);
		ds->d[ds->n].slots = c->devices[i].slots;
		ds->d[ds->n].fd = fd;
		ds->n++;
		log_info("device %s: %d slot%s", c->devices[i].name,
		    c->devices[i].slots, c->devices[i].slots == 1 ? "" : "s");
	}
	return 0;
}

int
servers_dev_fd(const struct servers_devs *ds, const char *name)
{
	int j = servers_dev_find(ds, name);

	return j == -1 ? -1 : ds->d[j].fd;
}

void
servers_dev_close(struct servers_devs *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		close(ds->d[i].fd);
	ds->n = 0;
}
