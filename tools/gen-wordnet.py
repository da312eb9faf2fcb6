#!/usr/bin/env python3
"""(to be written) Generate wordnet-data.c from Debian's WordNet files."""
print("/* generated */")
