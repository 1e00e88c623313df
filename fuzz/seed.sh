#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ from the repository's fixtures (the corpora are not committed).
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/terraform_hcl corpus/hcl_differential corpus/yaml_differential corpus/cloudformation_yaml corpus/cloudformation_json corpus/pipeline
copy() { # copy <target> <files...>: named by content hash, so reruns do not duplicate
    local target=$1; shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        [ "$(stat -c %s "$f")" -le 65536 ] || continue
        cp "$f" "corpus/$target/$(sha1sum "$f" | cut -c1-16)"
    done
}
mapfile -t tf < <(find "$root/testdata" "$root/rules" -name '*.tf' -type f)
mapfile -t yaml < <(find "$root/testdata" "$root/rules" \( -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) -type f -not -path '*/snapshots/*')
mapfile -t json < <(find "$root/testdata" "$root/rules" -name '*.json' -type f -not -path '*/snapshots/*' -not -name '*.tf.json')
copy terraform_hcl "${tf[@]}"
copy hcl_differential "${tf[@]}"
copy cloudformation_yaml "${yaml[@]}"
copy yaml_differential "${yaml[@]}"
copy cloudformation_json "${json[@]}"
# The pipeline target splits its input at the first NUL: a `.tf`, then a `.yaml`.
i=0
for t in "${tf[@]}"; do
    y=${yaml[$((i % ${#yaml[@]}))]}
    i=$((i + 1))
    [ "$(stat -c %s "$t")" -le 32768 ] && [ "$(stat -c %s "$y")" -le 32768 ] || continue
    { cat "$t"; printf '\0'; cat "$y"; } > "corpus/pipeline/seed-$i"
done
# terraform_hcl: bytes after a NUL are an override.tf; seed with the fixtures that have one.
while IFS= read -r o; do
    m="$(dirname "$o")/main.tf"
    [ -f "$m" ] || continue
    { cat "$m"; printf '\0'; cat "$o"; } > "corpus/terraform_hcl/override-$(sha1sum "$o" | cut -c1-16)"
done < <(find "$root/testdata" "$root/rules" \( -name 'override.tf' -o -name '*_override.tf' \) -type f)
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) inputs"; done
