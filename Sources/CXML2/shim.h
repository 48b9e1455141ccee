// libxml2 (Debian: libxml2-dev, MIT): the XML parser for DOCX, ODT and EPUB parts, and its HTML parser.
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with Foundation's own ICU copy in Swift. qwery never
// touches the converter structs that need them (only pointers to them), so their ICU members are left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer; Swift 6 refuses it as shared mutable state.
static inline void qwery_xml_free(void *pointer) { xmlFree(pointer); }
