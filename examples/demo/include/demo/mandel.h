#ifndef DEMO_MANDEL_H
#define DEMO_MANDEL_H

#include <stdio.h>

/* Draws the Mandelbrot set as width x height characters. */
void mandel_draw(FILE *out, int width, int height, int max_iter);

#endif
