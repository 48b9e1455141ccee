#ifndef QWERY_CPDF_H
#define QWERY_CPDF_H
#include <stddef.h>

/// poppler-glib, opened with dlopen the first time a PDF is read (in the extraction worker), so the rest of qwery
/// never maps poppler, cairo, X11 and their ~45 libraries: every `qwery search` starts faster for it.

/// Loads poppler-glib (once per process). NULL when it is there, else why not (dlerror's words).
const char *qwery_pdf_load(void);
/// Opens a PDF from bytes: 0 and *document set; 1 when it needs a password; 2 when damaged (*message set, free it
/// with qwery_pdf_free_text).
int qwery_pdf_open(const void *bytes, size_t count, void **document, char **message);
int qwery_pdf_page_count(void *document);
/// A page's text (0-based index; free with qwery_pdf_free_text); NULL without text, and *missing = 1 when the
/// page itself cannot be read.
char *qwery_pdf_page_text(void *document, int index, int *missing);
void qwery_pdf_free_text(char *text);
void qwery_pdf_close(void *document);

#endif
