#ifndef DEMO_WORDS_H
#define DEMO_WORDS_H

#include <stddef.h>

#include "demo/hash.h"

/* Splits text into lower-case words of letters and counts them into t; returns the total. */
size_t words_count(struct hash_table *t, const char *text);
/* Fills top with pointers to the n most frequent entries (ties: alphabetical). */
size_t words_top(const struct hash_table *t, const struct hash_entry **top, size_t n);

#endif
