#!/usr/bin/env bash
# `bash scripts/node-bundle.sh ENTRY.ts [args...]`: bundles a TypeScript entry for Node with esbuild (resolving TF.js's
# packages as the site's build does, which Node's own type stripping cannot) and runs it with the arguments after it.
# The npm scripts bench:engine, bench:kernels and bench:accuracy use it, so `npm run bench:x -- args` reach the entry.
set -euo pipefail
entry=$1
shift
out="node_modules/.cache/bench/$(basename "${entry%.ts}").cjs"
esbuild "$entry" --bundle --platform=node --format=cjs --main-fields=module,main --log-level=warning --outfile="$out"
node "$out" "$@"
