#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "demo/words.h"

size_t words_count(struct hash_table *t, const char *text)
{
    char word[32];
    size_t total = 0, len = 0;
    for (const char *p = text;; ++p) {
        if (isalpha((unsigned char)*p)) {
            if (len < sizeof word - 1)
                word[len++] = (char)tolower((unsigned char)*p);
            continue;
        }
        if (len > 0) {
            total += (size_t)hash_add(t, word, len);
            len = 0;
        }
        if (*p == '\0')
            break;
    }
    return total;
}

static int by_count_then_word(const void *a, const void *b)
{
    const struct hash_entry *x = *(const struct hash_entry *const *)a;
    const struct hash_entry *y = *(const struct hash_entry *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

size_t words_top(const struct hash_table *t, const struct hash_entry **top, size_t n)
{
    const struct hash_entry *all[HASH_CAPACITY];
    size_t k = 0;
    for (size_t i = 0; i < HASH_CAPACITY; ++i)
        if (t->slots[i].count > 0)
            all[k++] = &t->slots[i];
    qsort(all, k, sizeof all[0], by_count_then_word);
    if (n > k)
        n = k;
    memcpy(top, all, n * sizeof all[0]);
    return n;
}
