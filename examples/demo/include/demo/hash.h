#ifndef DEMO_HASH_H
#define DEMO_HASH_H

#include <stddef.h>

/* A fixed-size open-addressing table from words to counts. */
#define HASH_CAPACITY 1024

struct hash_entry {
    char word[32];
    unsigned count;
};

struct hash_table {
    struct hash_entry slots[HASH_CAPACITY];
    size_t used;
};

void hash_init(struct hash_table *t);
/* Adds one occurrence of word (truncated to 31 bytes); returns 0 when the table is full. */
int hash_add(struct hash_table *t, const char *word, size_t len);

#endif
