#!/usr/bin/env python3
"""(to be written) Generate lexicon/countries.gen.txt from iso-codes + country-aliases.txt."""
print("# generated")
