#include <stdio.h>
#include "hello.h"

int greet(const char *who) { return printf(GREETING ", %s!\n", who); }
