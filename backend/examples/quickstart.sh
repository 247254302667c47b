#!/usr/bin/env bash
# The whole device flow against a running backend, as README's quick start describes it:
# two phones sign in, take tokens, meet (each uploads what it heard), an official signs in with an
# SMS code and an authenticator code and issues a verification code, one phone reports its
# infection, the other is warned, refreshes its session, and the first erases itself.
#
#   DEV_SMS_ECHO=1 OFFICIAL_PHONE_NUMBERS=+15550100999 npm start     # in one terminal
#   backend/examples/quickstart.sh                                   # in another
#
# Needs curl, jq and node (for the authenticator code); run from the repository's root.
# QUICKSTART_API (default http://127.0.0.1:3000), QUICKSTART_OFFICIAL (default +15550100999),
# QUICKSTART_ENCOUNTER_MINUTES (default 11: at −50 dBm, 16.5 weighted minutes ≥ EXPOSURE_MIN_MINUTES=15).
set -euo pipefail

API="${QUICKSTART_API:-http://127.0.0.1:3000}"
OFFICIAL="${QUICKSTART_OFFICIAL:-+15550100999}"
ENCOUNTER_MINUTES="${QUICKSTART_ENCOUNTER_MINUTES:-11}"
# Numbers of the NANP's fictional 555-01xx range: never a real person's phone.
ALICE="+15550100001"
BOB="+15550100002"

if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
for tool in curl jq node; do
  command -v "$tool" >/dev/null || { echo "quickstart: $tool is needed (e.g. apt-get install $tool)" >&2; exit 2; }
done

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# call METHOD PATH [BODY] [TOKEN]: prints the answer; stops with it on an unexpected status.
call() {
  local method=$1 path=$2 body=${3:-} token=${4:-} out status
  local args=(-sS -X "$method" -o /tmp/quickstart.$$ -w '%{http_code}' "$API$path")
  [[ -n "$body" ]] && args+=(-H 'content-type: application/json' -d "$body")
  [[ -n "$token" ]] && args+=(-H "authorization: Bearer $token")
  status=$(curl "${args[@]}") || { echo "quickstart: no answer from $API (is the backend running?)" >&2; exit 1; }
  out=$(cat /tmp/quickstart.$$); rm -f /tmp/quickstart.$$
  if [[ "$status" -ge 400 ]]; then
    echo "quickstart: $method $path answered $status: $out" >&2
    exit 1
  fi
  printf '%s' "$out"
}

sign_in() {
  local challenge
  challenge=$(call POST /v1/auth/sms "{\"phoneNumber\":\"$1\"}")
  [[ $(jq -r '.devCode // empty' <<<"$challenge") ]] || { echo "quickstart: start the backend with DEV_SMS_ECHO=1 (the code is then in the answer)" >&2; exit 1; }
  call POST /v1/auth/verify "$(jq -c '{challengeId, code: .devCode}' <<<"$challenge")"
}

step "Alice and Bob sign in with an SMS code (echoed by the development server)"
ALICE_SESSION=$(sign_in "$ALICE")
BOB_SESSION=$(sign_in "$BOB")
ALICE_TOKEN=$(jq -r .accessToken <<<"$ALICE_SESSION")
BOB_TOKEN=$(jq -r .accessToken <<<"$BOB_SESSION")
jq -c '{deviceId, expiresIn, refreshExpiresAt}' <<<"$ALICE_SESSION"

step "Each takes contact tokens for this window and the next"
ALICE_TOKENS=$(call POST /v1/tokens '{"count":2}' "$ALICE_TOKEN")
BOB_TOKENS=$(call POST /v1/tokens '{"count":2}' "$BOB_TOKEN")
jq -c '.tokens[0]' <<<"$ALICE_TOKENS"

# They met for up to 20 minutes, ending a minute ago, within the current token window: an encounter
# long and close enough to expose (at least ENCOUNTER_MINUTES; at RSSI −50 dBm a minute weighs 1.5).
VALID_FROM=$(jq -r '.tokens[0].validFrom' <<<"$ALICE_TOKENS")
read -r FIRST LAST WAIT < <(node -e '
  const from = Date.parse(process.argv[1]), minutes = Number(process.argv[2]), now = Date.now();
  const first = Math.max(from, now - Math.max(20, minutes) * 60_000), last = now - 60_000;
  const wait = Math.max(0, Math.ceil((first + minutes * 60_000 - last) / 1000));
  console.log(new Date(first).toISOString(), new Date(last).toISOString(), wait);' "$VALID_FROM" "$ENCOUNTER_MINUTES")
if [[ "$WAIT" -gt 0 ]]; then
  echo "The token window began at $VALID_FROM: waiting ${WAIT}s so that the encounter is long enough"
  sleep "$WAIT"
  read -r FIRST LAST < <(node -e 'console.log(new Date(Date.parse(process.argv[1])).toISOString(), new Date(Date.now() - 60_000).toISOString())' "$FIRST")
fi
observation() { jq -c --arg first "$FIRST" --arg last "$LAST" '{token: .tokens[0].token, firstSeen: $first, lastSeen: $last, rssi: -50, txPower: 0}' <<<"$1"; }

step "They meet: each uploads what it heard (batchId is a UUID the device picks, reused on retry)"
call POST /v1/contacts "{\"batchId\":\"$(node -p 'crypto.randomUUID()')\",\"observations\":[$(observation "$ALICE_TOKENS")]}" "$BOB_TOKEN"; echo
call POST /v1/contacts "{\"batchId\":\"$(node -p 'crypto.randomUUID()')\",\"observations\":[$(observation "$BOB_TOKENS")]}" "$ALICE_TOKEN"; echo

step "A health official signs in: SMS code, then an authenticator (TOTP) enrolled on first sign-in"
ENROL=$(call POST /v1/auth/official/sms "{\"phoneNumber\":\"$OFFICIAL\"}")
[[ $(jq -r '.devCode // empty' <<<"$ENROL") ]] || { echo "quickstart: $OFFICIAL must be in OFFICIAL_PHONE_NUMBERS" >&2; exit 1; }
SECRET=$(call POST /v1/auth/official/totp "$(jq -c '{challengeId, code: .devCode}' <<<"$ENROL")" | jq -r .secret)
CHALLENGE=$(call POST /v1/auth/official/sms "{\"phoneNumber\":\"$OFFICIAL\"}")
TOTP=$(node --input-type=module -e 'import { generateSync } from "otplib"; console.log(generateSync({ secret: process.argv[1] }))' "$SECRET")
OFFICIAL_TOKEN=$(call POST /v1/auth/official/verify "$(jq -c --arg totp "$TOTP" '{challengeId, code: .devCode, totp: $totp}' <<<"$CHALLENGE")" | jq -r .accessToken)
CODE=$(call POST /v1/admin/verification-codes '{}' "$OFFICIAL_TOKEN" | jq -r .code)
echo "verification code for a positive test: $CODE"

step "Alice tested positive and reports it with the code; the tracer warns her contacts"
call POST /v1/infections "{\"verificationCode\":\"$CODE\"}" "$ALICE_TOKEN"; echo

step "Bob's phone asks for its notifications"
for _ in $(seq 1 60); do
  NOTIFICATIONS=$(call GET /v1/notifications "" "$BOB_TOKEN")
  [[ $(jq '.notifications | length' <<<"$NOTIFICATIONS") -gt 0 ]] && break
  sleep 0.5
done
jq -c '.notifications[0] // "none yet"' <<<"$NOTIFICATIONS"
[[ $(jq '.notifications | length' <<<"$NOTIFICATIONS") -gt 0 ]] || { echo "quickstart: Bob was not warned" >&2; exit 1; }

step "Bob's access token expires hourly; his refresh token (single use) gets the next one"
REFRESHED=$(call POST /v1/auth/refresh "$(jq -c '{refreshToken}' <<<"$BOB_SESSION")")
jq -c '{expiresIn, refreshExpiresAt}' <<<"$REFRESHED"

step "Alice erases everything about her device"
call DELETE /v1/me "" "$ALICE_TOKEN"; echo

step "The official's view"
call GET /v1/admin/stats "" "$OFFICIAL_TOKEN" | jq -c '{contactsStored, cases, notifications, dropped: .dropped.today}'
echo
echo "quickstart: done"
