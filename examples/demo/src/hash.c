#include <string.h>

#include "demo/hash.h"

/* FNV-1a: simple, and good enough for a few hundred words. */
static unsigned long fnv1a(const char *s, size_t len)
{
    unsigned long h = 2166136261u;
    for (size_t i = 0; i < len; ++i) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void hash_init(struct hash_table *t)
{
    memset(t, 0, sizeof *t);
}

int hash_add(struct hash_table *t, const char *word, size_t len)
{
    if (len >= sizeof t->slots[0].word)
        len = sizeof t->slots[0].word - 1;
    size_t i = fnv1a(word, len) % HASH_CAPACITY;
    for (size_t probes = 0; probes < HASH_CAPACITY; ++probes, i = (i + 1) % HASH_CAPACITY) {
        struct hash_entry *e = &t->slots[i];
        if (e->count == 0) {
            memcpy(e->word, word, len);
            e->word[len] = '\0';
            e->count = 1;
            t->used++;
            return 1;
        }
        if (strncmp(e->word, word, len) == 0 && e->word[len] == '\0') {
            e->count++;
            return 1;
        }
    }
    return 0;
}
