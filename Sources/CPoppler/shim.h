// poppler's GLib interface (Debian: libpoppler-glib-dev, GPL-2 or GPL-3): PDF text per page.
#include <poppler.h>
