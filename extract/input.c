/* input.c - (stub, to be written by the input helper) */
#include "internal.h"
NgInputFormat ng_input_format_from_name(const char *name, bool *ok) { *ok = false; return NG_INPUT_GUESS; }
NgReader *ng_reader_new(NgWorld *world, const char *path, NgInputFormat format, NgStatus *status) { *status = NG_FAILURE; return NULL; }
void ng_reader_free(NgReader *reader) {}
NgStatus ng_reader_next(NgReader *reader, NgArticle *article) { return NG_END; }
