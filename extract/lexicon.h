#ifndef NG_LEXICON_H
#define NG_LEXICON_H
#include "internal.h"
#endif
