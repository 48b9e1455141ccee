// ncursesw with wide-character functions; macros Swift cannot call are wrapped as inline functions.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

static inline WINDOW *qwery_standard_screen(void) { return stdscr; }
static inline int qwery_getmaxy(WINDOW *window) { return getmaxy(window); }
static inline int qwery_getmaxx(WINDOW *window) { return getmaxx(window); }
static inline int qwery_color_pair(int pair) { return COLOR_PAIR(pair); }
static inline int qwery_colors(void) { return COLORS; }
static inline int qwery_color_pairs(void) { return COLOR_PAIRS; }
static inline int qwery_key_f(int number) { return KEY_F(number); }
static inline attr_t qwery_attribute_bold(void) { return A_BOLD; }
static inline attr_t qwery_attribute_underline(void) { return A_UNDERLINE; }
static inline attr_t qwery_attribute_reverse(void) { return A_REVERSE; }
static inline int qwery_set_attributes(attr_t attributes, int pair) { return attr_set(attributes, (short)pair, NULL); }
static inline mmask_t qwery_mouse_wheel_up(void) { return BUTTON4_PRESSED; }
static inline mmask_t qwery_mouse_wheel_down(void) {
#ifdef BUTTON5_PRESSED
    return BUTTON5_PRESSED;
#else
    return 0;
#endif
}
static inline mmask_t qwery_mouse_click(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t qwery_mouse_double_click(void) { return BUTTON1_DOUBLE_CLICKED; }
static inline mmask_t qwery_mouse_all(void) { return ALL_MOUSE_EVENTS; }
