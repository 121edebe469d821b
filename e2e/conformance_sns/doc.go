// Package conformancesns replays SNS cases recorded against real AWS
// (LocalStack's validated snapshots of tests/aws/services/sns, read from
// FOGBANK_CONFORMANCE_DIR, default ../shared/conformance from the module
// root) against fogbank and compares the responses after LocalStack's
// normalisation (sns_api transformers included). Each subtest is named by
// its pytest node id; cases fogbank does not pass yet are skipped with a
// "fogbank gap:" reason.
package conformancesns
