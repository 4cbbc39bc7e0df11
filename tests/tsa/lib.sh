# tests/tsa/lib.sh - a TEST-ONLY RFC 3161 time-stamp authority on loopback
# for shell tests.  Source it after tests/lib.sh (it uses $T, $PYTHON3 and
# $top_srcdir):
#
#   . "$top_srcdir/tests/lib.sh"
#   . "$top_srcdir/tests/tsa/lib.sh"
#   start_tsa || die "cannot start the test TSA"
#   "$DEXF" annotate ... --tsa "$TSA_URL"
#   "$DEXF" verify ... --tsa-trust "$TSA_TRUST"
#
#   start_tsa [OPTION...]   start tests/tsa/responder.py with OPTIONs
#                           (--fail, --reject, --garbage, --faketime TIME,
#                           --log FILE); wait until it listens; set TSA_URL
#                           (http://127.0.0.1:PORT/tsa), TSA_PORT, TSA_PID.
#                           Several may run at once: each call starts one
#                           more, and TSA_URL names the newest.  Returns 1
#                           (with a message on stderr) if it did not start;
#                           77 for --faketime without faketime(1).
#   stop_tsa                stop every responder this script started
#   have_faketime           faketime(1) is installed
#   closed_port_url         an http:// URL on 127.0.0.1 where nothing
#                           listens (for "connection refused")
#   TSA_TRUST               the TSA's trust anchor, tests/pki/tsa-ca.pem
#
# The responders are stopped on exit: this replaces tests/lib.sh's EXIT
# trap with one that stops them and then removes $T as before.

TSA_TRUST=$top_srcdir/tests/pki/tsa-ca.pem
_tsa_pids=
_tsa_n=0

stop_tsa()
{
	for _p in $_tsa_pids; do
		kill "$_p" 2>/dev/null
	done
	for _p in $_tsa_pids; do
		wait "$_p" 2>/dev/null
	done
	_tsa_pids=
}

trap 'stop_tsa; rm -rf "$T"' EXIT
trap 'stop_tsa; rm -rf "$T"; exit 130' INT TERM HUP

have_faketime()
{
	command -v faketime >/dev/null 2>&1
}

start_tsa()
{
	_tsa_n=$((_tsa_n + 1))
	_dir=$T/.tsa$_tsa_n
	mkdir -p "$_dir" || return 1
	"${PYTHON3:-python3}" "$top_srcdir/tests/tsa/responder.py" \
		--serial-dir "$_dir" "$@" "$_dir/port" 2>"$_dir/stderr" &
	TSA_PID=$!
	_tsa_pids="$_tsa_pids $TSA_PID"
	_i=0
	while [ ! -s "$_dir/port" ]; do
		if ! kill -0 "$TSA_PID" 2>/dev/null; then
			wait "$TSA_PID"
			_rc=$?
			echo "test TSA exited ($_rc):" >&2
			cat "$_dir/stderr" >&2
			[ "$_rc" -eq 77 ] && return 77
			return 1
		fi
		_i=$((_i + 1))
		if [ "$_i" -gt 100 ]; then
			echo "test TSA did not start within 10 s" >&2
			cat "$_dir/stderr" >&2
			return 1
		fi
		sleep 0.1
	done
	TSA_PORT=$(cat "$_dir/port")
	TSA_URL=http://127.0.0.1:$TSA_PORT/tsa
	export TSA_URL TSA_PORT
	return 0
}

# A port that was free a moment ago: bind, read the number, close.
closed_port_url()
{
	_port=$("${PYTHON3:-python3}" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()')
	echo "http://127.0.0.1:$_port/tsa"
}
