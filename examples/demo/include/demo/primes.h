#ifndef DEMO_PRIMES_H
#define DEMO_PRIMES_H

/* Number of primes below limit (sieve of Eratosthenes); limit <= PRIMES_MAX. */
#define PRIMES_MAX 100000
unsigned primes_count_below(unsigned limit);
/* Writes the first n primes to out; returns how many were written. */
unsigned primes_first(unsigned *out, unsigned n);

#endif
