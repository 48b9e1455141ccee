// libyaml (Debian libyaml-dev 0.2.5): YAML's own C parser, read event by event for key outlines.
#include <yaml.h>
