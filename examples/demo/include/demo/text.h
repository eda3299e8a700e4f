#ifndef DEMO_TEXT_H
#define DEMO_TEXT_H

/* The text whose words are counted: a short description of distributed compiling. */
extern const char *const demo_text;

#endif
