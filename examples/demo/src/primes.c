#include <string.h>

#include "demo/primes.h"

static unsigned char g_composite[PRIMES_MAX];

static void sieve(unsigned limit)
{
    memset(g_composite, 0, limit);
    g_composite[0] = g_composite[1] = 1;
    for (unsigned i = 2; (unsigned long)i * i < limit; ++i)
        if (!g_composite[i])
            for (unsigned j = i * i; j < limit; j += i)
                g_composite[j] = 1;
}

unsigned primes_count_below(unsigned limit)
{
    if (limit > PRIMES_MAX)
        limit = PRIMES_MAX;
    sieve(limit);
    unsigned n = 0;
    for (unsigned i = 0; i < limit; ++i)
        n += !g_composite[i];
    return n;
}

unsigned primes_first(unsigned *out, unsigned n)
{
    sieve(PRIMES_MAX);
    unsigned k = 0;
    for (unsigned i = 2; i < PRIMES_MAX && k < n; ++i)
        if (!g_composite[i])
            out[k++] = i;
    return k;
}
