/* prefixes.c - the namespace prefixes the project declares in Turtle output
 * and predeclares in SPARQL queries. */
#include "internal.h"
#include "iri.h"

/* Order matters only for output stability: Turtle headers list them in this
 * order.  The project's own namespaces come first. */
static const NgPrefix prefixes[] = {
    {"ng", NG_NS_ONTO},     {"cameo", NG_NS_CAMEO},
    {"rel", NG_NS_REL},     {"article", NG_NS_ARTICLE},
    {"event", NG_NS_EVENT}, {"mention", NG_NS_MENTION},
    {"actor", NG_NS_ACTOR}, {"action", NG_NS_ACTION},
    {"graph", NG_NS_GRAPH}, {"rdf", NG_NS_RDF},
    {"rdfs", NG_NS_RDFS},   {"xsd", NG_NS_XSD},
    {"skos", NG_NS_SKOS},   {"owl", NG_NS_OWL},
    {"sem", NG_NS_SEM},     {"prov", NG_NS_PROV},
    {"dct", NG_NS_DCT},     {"schema", NG_NS_SCHEMA},
    {NULL, NULL},
};

const NgPrefix *ng_prefixes(void) { return prefixes; }
