// ncursesw with wide-character functions; macros Swift cannot call are wrapped as inline functions.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <ncursesw/ncurses.h>

static inline int qwery_getmaxy(WINDOW *window) { return getmaxy(window); }
static inline int qwery_getmaxx(WINDOW *window) { return getmaxx(window); }
static inline int qwery_color_pair(int pair) { return COLOR_PAIR(pair); }
