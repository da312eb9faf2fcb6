#!/bin/sh
# seed: the wire story the project's example comes from
# (../shared/seed/seed-article.txt, not copied here: skipped without it)
# gives, with no --date, the four events issue 11 names:
#   EU - 163 - Alexander Lukashenko - 2020-11-06
#   EU - 163 - Belarusian officials (BLRGOV) - 2020-10-02
#   Dmitry Mezentsev - 010 (a statement) - 2020-11-25
#   US House of Representatives - passes - the bill - 2020-11-18
. "${top_srcdir:-.}/tests/e2e/common.sh"

SEED="${NG_SHARED:-$top_srcdir/../shared}/seed/seed-article.txt"
[ -f "$SEED" ] || skip "no $SEED (the shared data is not in a user's clone)"
ng extract --no-store --format tsv "$SEED" > "$TMP/seed.tsv"
# actor, actor code, action, cameo, target, target code, date
cut -f3,4,6,8,9,10,12 "$TMP/seed.tsv" > "$TMP/events"
want() {
  grep -qF "$1" "$TMP/events" || { cat "$TMP/events" >&2; fail "seed: no event '$1'"; }
}
T=$(printf '\t')
want "European Union${T}IGOEUREEC${T}sanctions${T}163${T}Alexander Lukashenko${T}BLRGOV${T}2020-11-06"
want "European Union${T}IGOEUREEC${T}sanctions${T}163${T}Belarus government${T}BLRGOV${T}2020-10-02"
grep -F "Dmitry Mezentsev${T}RUSGOV${T}" "$TMP/events" | grep -qE "${T}01[0-9]${T}.*${T}2020-11-25\$" ||
  { cat "$TMP/events" >&2; fail "seed: no statement (01x) of Dmitry Mezentsev on 2020-11-25"; }
want "U.S. House of Representatives${T}USALEG${T}passes${T}${T}${T}${T}2020-11-18"
# and none of the seed's events is dated by the article where its own
# clause gives the date: November 6 is not 2020-11-25
grep "${T}Alexander Lukashenko${T}" "$TMP/events" | grep -q "${T}163${T}.*2020-11-25\$" &&
  fail "seed: a sanction of Lukashenko dated 2020-11-25"
echo "seed: the four events, $(wc -l < "$TMP/events") events in all"
