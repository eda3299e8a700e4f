/* A typical small translation unit: a few libc headers, a little code. Used to measure the bytes
 * a job sends and receives when the preprocessed source is mostly headers. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double mean(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        s += v[i];
    }
    return n ? s / (double)n : NAN;
}

int print_mean(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    double v[64];
    size_t n = 0;
    while (n < 64 && fscanf(f, "%lf", &v[n]) == 1) {
        n++;
    }
    fclose(f);
    printf("%g\n", mean(v, n));
    return 0;
}
