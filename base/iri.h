/* iri.h - the namespaces of the newsgraph vocabulary and data.
 *
 * Data IRIs are deterministic: the same article always gives the same IRIs,
 * so graphs built on different machines merge without duplicates.
 *   article  <NG_NS_ARTICLE>{key}            also the name of the article's graph
 *   event    <NG_NS_EVENT>{key}/{sentence}-{n}
 *   mention  <NG_NS_MENTION>{key}/{sentence}-{n}
 *   actor    <NG_NS_ACTOR>{actor key}        e.g. actor/european-union
 *   action   <NG_NS_CAMEO>{code}  or  <NG_NS_ACTION>{verb lemma}
 *   edge     <NG_NS_REL>{action label}       actor -rel:sanctions-> target
 */
#ifndef NG_IRI_H
#define NG_IRI_H

#define NG_NS_BASE "https://w3id.org/newsgraph/"
#define NG_NS_ONTO NG_NS_BASE "ns#"
#define NG_NS_CAMEO NG_NS_BASE "cameo/"
#define NG_NS_REL NG_NS_BASE "rel/"
#define NG_NS_ID NG_NS_BASE "id/"
#define NG_NS_ARTICLE NG_NS_ID "article/"
#define NG_NS_EVENT NG_NS_ID "event/"
#define NG_NS_MENTION NG_NS_ID "mention/"
#define NG_NS_ACTOR NG_NS_ID "actor/"
#define NG_NS_ACTION NG_NS_ID "action/"
#define NG_NS_GRAPH NG_NS_ID "graph/"

#define NG_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NG_NS_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define NG_NS_XSD "http://www.w3.org/2001/XMLSchema#"
#define NG_NS_SKOS "http://www.w3.org/2004/02/skos/core#"
#define NG_NS_OWL "http://www.w3.org/2002/07/owl#"
#define NG_NS_SEM "http://semanticweb.cs.vu.nl/2009/11/sem/"
#define NG_NS_PROV "http://www.w3.org/ns/prov#"
#define NG_NS_DCT "http://purl.org/dc/terms/"
#define NG_NS_SCHEMA "https://schema.org/"

#endif /* NG_IRI_H */
