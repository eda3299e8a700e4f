#ifndef DEMO_FMT_H
#define DEMO_FMT_H

#include <stdio.h>

#define FMT_RULE_WIDTH 60

void fmt_heading(FILE *out, const char *title);
/* A horizontal bar of value/max * width '#' characters. */
void fmt_bar(FILE *out, const char *label, unsigned value, unsigned max, int width);

#endif
