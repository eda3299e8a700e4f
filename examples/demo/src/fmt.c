#include <string.h>

#include "demo/fmt.h"

void fmt_heading(FILE *out, const char *title)
{
    int pad = FMT_RULE_WIDTH - (int)strlen(title) - 4;
    fprintf(out, "\n== %s ", title);
    for (int i = 0; i < pad; ++i)
        fputc('=', out);
    fputc('\n', out);
}

void fmt_bar(FILE *out, const char *label, unsigned value, unsigned max, int width)
{
    int n = max ? (int)((unsigned long)value * (unsigned)width / max) : 0;
    fprintf(out, "%-12s %4u ", label, value);
    for (int i = 0; i < n; ++i)
        fputc('#', out);
    fputc('\n', out);
}
