#!/usr/bin/env bash
# A stand-in review agent: scores the work 92 and gives a verdict on each criterion the prompt asks
# about ("- C<n>: text"): met when its text says MET-BY-REVIEW, else needs_person.
set -euo pipefail
prompt=$(cat)
criteria=""
while IFS=$'\t' read -r id text; do
  [ -n "$id" ] || continue
  case "$text" in
    *MET-BY-REVIEW*) verdict=met ;;
    *) verdict=needs_person ;;
  esac
  criteria="${criteria}{\"id\":\"${id}\",\"verdict\":\"${verdict}\",\"why\":\"stand-in review\"},"
done < <(printf '%s\n' "$prompt" | sed -n 's/^- \(C[0-9][0-9]*\): \(.*\)$/\1\t\2/p')
printf '{"scores":{"completeness":28,"accuracy":23,"clarity":18,"compliance":14,"usability":9},'
printf '"feedback":[],"insights":[],"criteria":[%s]}\n' "${criteria%,}"
