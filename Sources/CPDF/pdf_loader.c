#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cpdf.h"

// GLib's GError, as laid out in glib/gerror.h (domain, code, message).
typedef struct { unsigned int domain; int code; char *message; } QweryGError;

static void *(*bytes_new)(const void *, size_t);
static void (*bytes_unref)(void *);
static void (*error_free)(QweryGError *);
static void (*glib_free)(void *);
static void (*object_unref)(void *);
static void *(*document_new_from_bytes)(void *, const char *, QweryGError **);
static unsigned int (*error_quark)(void);
static int (*get_n_pages)(void *);
static void *(*get_page)(void *, int);
static char *(*page_get_text)(void *);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512];

static void *symbol(void *library, const char *name) {
    void *found = dlsym(library, name);
    if (!found && !failure[0]) snprintf(failure, sizeof failure, "poppler-glib lacks %s", name);
    return found;
}

static void load(void) {
    void *glib = dlopen("libglib-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    void *gobject = dlopen("libgobject-2.0.so.0", RTLD_NOW | RTLD_LOCAL);
    void *poppler = dlopen("libpoppler-glib.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!glib || !gobject || !poppler) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure, "cannot load poppler-glib (install libpoppler-glib8): %s", why ? why : "not found");
        return;
    }
    bytes_new = symbol(glib, "g_bytes_new");
    bytes_unref = symbol(glib, "g_bytes_unref");
    error_free = symbol(glib, "g_error_free");
    glib_free = symbol(glib, "g_free");
    object_unref = symbol(gobject, "g_object_unref");
    document_new_from_bytes = symbol(poppler, "poppler_document_new_from_bytes");
    error_quark = symbol(poppler, "poppler_error_quark");
    get_n_pages = symbol(poppler, "poppler_document_get_n_pages");
    get_page = symbol(poppler, "poppler_document_get_page");
    page_get_text = symbol(poppler, "poppler_page_get_text");
}

const char *qwery_pdf_load(void) {
    pthread_once(&once, load);
    return failure[0] ? failure : NULL;
}

int qwery_pdf_open(const void *bytes, size_t count, void **document, char **message) {
    *document = NULL;
    *message = NULL;
    if (qwery_pdf_load()) {
        *message = strdup(failure);
        return 2;
    }
    void *data = bytes_new(bytes, count);
    QweryGError *error = NULL;
    // The document keeps its own reference to the bytes.
    *document = document_new_from_bytes(data, NULL, &error);
    bytes_unref(data);
    if (*document) return 0;
    int encrypted = error && error->domain == error_quark() && error->code == 1;  // POPPLER_ERROR_ENCRYPTED
    if (error && error->message && error->message[0]) *message = strdup(error->message);
    if (error) error_free(error);
    return encrypted ? 1 : 2;
}

int qwery_pdf_page_count(void *document) { return get_n_pages(document); }

char *qwery_pdf_page_text(void *document, int index, int *missing) {
    *missing = 0;
    void *page = get_page(document, index);
    if (!page) {
        *missing = 1;
        return NULL;
    }
    char *text = page_get_text(page);
    object_unref(page);
    if (!text) return NULL;
    // Handed to Swift as malloc'd memory, so one free releases it whichever library made it.
    char *copy = strdup(text);
    glib_free(text);
    return copy;
}

void qwery_pdf_free_text(char *text) { free(text); }

void qwery_pdf_close(void *document) {
    if (document) object_unref(document);
}
