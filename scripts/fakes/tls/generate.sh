#!/usr/bin/env bash
# Regenerates the TEST-ONLY TLS fixtures used by scripts/fakes/tlsProxy.js: a self-signed CA ("Story Leads test CA")
# and a leaf certificate for each host a fake serves (api.hubapi.com, story-leads-test.myshopify.com) signed by it, valid from 2000-01-01 to 2100-01-01 (so no machine clock
# can find them not yet valid or expired). Committed because CI has no openssl. The keys are not secrets: they only
# make n8n trust the fake HubSpot and the fake Shopify shop on 127.0.0.1 in the e2e tests (n8n gets ca.pem through NODE_EXTRA_CA_CERTS);
# never install ca.pem anywhere else. Needs openssl 3 (`openssl ca` sets the start date; `req -x509` cannot in 3.0).
set -euo pipefail
cd "$(dirname "$0")"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
START=20000101000000Z
END=21000101000000Z
touch "$WORK/index.txt"
echo 1000 > "$WORK/serial"
cat > "$WORK/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $WORK
database = $WORK/index.txt
serial = $WORK/serial
new_certs_dir = $WORK
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_leaf ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:\${ENV::LEAF_HOST}
authorityKeyIdentifier = keyid
subjectKeyIdentifier = hash
CNF
# CA: a key, a request, then self-signed with fixed dates (the config names LEAF_HOST, set per leaf below).
export LEAF_HOST=unused
openssl req -new -newkey rsa:2048 -nodes -subj "/CN=Story Leads test CA (test only)" \
	-keyout "$WORK/ca-key.pem" -out "$WORK/ca.csr" 2>/dev/null
openssl ca -batch -notext -config "$WORK/ca.cnf" -selfsign -keyfile "$WORK/ca-key.pem" -in "$WORK/ca.csr" \
	-startdate "$START" -enddate "$END" -extensions v3_ca -out ca.pem 2>/dev/null
# A leaf per host, signed by the CA: <file>.pem and <file>-key.pem.
leaf() {
	local host=$1 file=$2
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$host" -keyout "$file-key.pem" -out "$WORK/$file.csr" 2>/dev/null
	LEAF_HOST=$host openssl ca -batch -notext -config "$WORK/ca.cnf" -cert ca.pem -keyfile "$WORK/ca-key.pem" \
		-in "$WORK/$file.csr" -startdate "$START" -enddate "$END" -extensions v3_leaf -out "$file.pem" 2>/dev/null
	openssl verify -CAfile ca.pem "$file.pem"
}
leaf api.hubapi.com hubapi
leaf story-leads-test.myshopify.com shopify
