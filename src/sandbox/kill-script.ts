/**
 * A shell snippet that SIGKILLs every process of session `$1`: the process group first (works
 * everywhere), then anything else whose session id matches in /proc (children that made their own
 * process group, such as `timeout`). Processes started with `setsid` (background servers) are in
 * another session and survive.
 */
export const KILL_SESSION = `sid="$1"
kill -KILL -- "-$sid" 2>/dev/null
for f in /proc/[0-9]*/stat; do
  read -r line < "$f" 2>/dev/null || continue
  set -- \${line##*) }
  if [ "$4" = "$sid" ]; then p=\${f#/proc/}; kill -KILL "\${p%/stat}" 2>/dev/null; fi
done
exit 0`;

/** SIGKILLs every process whose environment holds `RUNTOOLS_EXEC=$1` (one exec and its children). */
export const KILL_EXEC = `for f in $(grep -lzx "RUNTOOLS_EXEC=$1" /proc/[0-9]*/environ 2>/dev/null); do
  p=\${f#/proc/}; kill -KILL "\${p%/environ}" 2>/dev/null
done
exit 0`;
