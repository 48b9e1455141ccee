// OpenBLAS's CBLAS interface (Debian: libopenblas-dev puts cblas.h in the multiarch include folder).
#include <cblas.h>
