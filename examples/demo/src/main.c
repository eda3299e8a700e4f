/* ferry demo: a small program whose translation units are compiled through ferry. */
#include <stdio.h>

#include "demo/fmt.h"
#include "demo/hash.h"
#include "demo/mandel.h"
#include "demo/primes.h"
#include "demo/text.h"
#include "demo/words.h"

#define TOP_WORDS 8

static struct hash_table g_words;

int main(void)
{
    printf("ferry demo: seven translation units, compiled wherever ferry sent them\n");

    fmt_heading(stdout, "Mandelbrot");
    mandel_draw(stdout, 60, 20, 200);

    fmt_heading(stdout, "Primes");
    unsigned first[10];
    unsigned n = primes_first(first, 10);
    printf("first %u:", n);
    for (unsigned i = 0; i < n; ++i)
        printf(" %u", first[i]);
    printf("\n");
    for (unsigned limit = 10; limit <= PRIMES_MAX; limit *= 10)
        printf("below %6u: %5u\n", limit, primes_count_below(limit));

    fmt_heading(stdout, "Most frequent words");
    hash_init(&g_words);
    size_t total = words_count(&g_words, demo_text);
    const struct hash_entry *top[TOP_WORDS];
    size_t k = words_top(&g_words, top, TOP_WORDS);
    printf("%zu words, %zu distinct\n", total, g_words.used);
    for (size_t i = 0; i < k; ++i)
        fmt_bar(stdout, top[i]->word, top[i]->count, top[0]->count, 30);
    return 0;
}
