#ifndef NG_JSON_H
#define NG_JSON_H
#include "internal.h"
#endif
