#include "demo/mandel.h"

/* Darker characters for points that escape later. */
static const char k_shades[] = " .:-=+*#%@";

static int escape_time(double cr, double ci, int max_iter)
{
    double zr = 0, zi = 0;
    int n = 0;
    while (n < max_iter && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        ++n;
    }
    return n;
}

void mandel_draw(FILE *out, int width, int height, int max_iter)
{
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            double cr = -2.2 + 3.0 * x / (width - 1);
            double ci = -1.2 + 2.4 * y / (height - 1);
            int n = escape_time(cr, ci, max_iter);
            /* Most points escape within a few steps: shade those finely, the rest as the set. */
            int last = (int)sizeof k_shades - 2;
            int shade = n >= max_iter ? last : (n / 2 < last ? n / 2 : last - 1);
            fputc(k_shades[shade], out);
        }
        fputc('\n', out);
    }
}
