/* wire_dtype.c: numpy's dtype names, as a header's "dtype" gives them.
 *
 * The canonical names with their type character and item size, and the
 * other spellings numpy accepts for them (type strings such as "<f8").
 */
#include "config.h"

#include <string.h>

#include "compat.h"
#include "wire.h"

struct dtype_alias {
	const char *alias;
	const char *name;
};

/* Canonical numpy names, their type character and item size. */
static const struct wire_dtype wire_dtypes[] = {
	{ "bool", 'b', 1 },
	{ "int8", 'i', 1 }, { "uint8", 'u', 1 },
	{ "int16", 'i', 2 }, { "uint16", 'u', 2 },
	{ "int32", 'i', 4 }, { "uint32", 'u', 4 },
	{ "int64", 'i', 8 }, { "uint64", 'u', 8 },
	{ "float16", 'f', 2 }, { "float32", 'f', 4 }, { "float64", 'f', 8 },
	{ "complex64", 'c', 8 }, { "complex128", 'c', 16 },
};

/* Other spellings numpy accepts (after any byte-order prefix). */
static const struct dtype_alias wire_aliases[] = {
	{ "?", "bool" }, { "b1", "bool" }, { "bool_", "bool" },
	{ "i1", "int8" }, { "b", "int8" }, { "byte", "int8" },
	{ "u1", "uint8" }, { "B", "uint8" }, { "ubyte", "uint8" },
	{ "i2", "int16" }, { "h", "int16" }, { "short", "int16" },
	{ "u2", "uint16" }, { "H", "uint16" }, { "ushort", "uint16" },
	{ "i4", "int32" }, { "i", "int32" }, { "intc", "int32" },
	{ "u4", "uint32" }, { "I", "uint32" }, { "uintc", "uint32" },
	{ "i8", "int64" }, { "l", "int64" }, { "q", "int64" },
	{ "int", "int64" }, { "int_", "int64" }, { "longlong", "int64" },
	{ "u8", "uint64" }, { "L", "uint64" }, { "Q", "uint64" },
	{ "uint", "uint64" }, { "ulonglong", "uint64" },
	{ "f2", "float16" }, { "e", "float16" }, { "half", "float16" },
	{ "f4", "float32" }, { "f", "float32" }, { "single", "float32" },
	{ "f8", "float64" }, { "d", "float64" }, { "double", "float64" },
	{ "float", "float64" }, { "float_", "float64" },
	{ "c8", "complex64" }, { "F", "complex64" }, { "csingle", "complex64" },
	{ "c16", "complex128" }, { "D", "complex128" },
	{ "complex", "complex128" }, { "cdouble", "complex128" },
};

static const struct wire_dtype *
wire_dtype_canonical(const char *name)
{
	size_t i;

	/* The first byte first: this runs for every header. */
	for (i = 0; i < FS_NELEM(wire_dtypes); i++)
		if (wire_dtypes[i].name[0] == name[0] &&
		    strcmp(wire_dtypes[i].name, name) == 0)
			return &wire_dtypes[i];
	for (i = 0; i < FS_NELEM(wire_aliases); i++)
		if (strcmp(wire_aliases[i].alias, name) == 0)
			return wire_dtype_canonical(wire_aliases[i].name);
	return NULL;
}

int
wire_dtype_lookup(const char *name, struct wire_dtype *out)
{
	const struct wire_dtype *d;
	char order = 0;

	if (name[0] == '<' || name[0] == '>' || name[0] == '|' ||
	    name[0] == '=')
		order = *name++;
	if ((d = wire_dtype_canonical(name)) == NULL)
		return -1;
	/* Data is little-endian; big-endian is fine only for single bytes. */
	if (order == '>' && d->itemsize > 1)
		return -1;
	*out = *d;
	return 0;
}
