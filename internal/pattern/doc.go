// Package pattern implements the Amazon EventBridge event-pattern language
// and SNS subscription filter policies: validation with AWS's exact error
// texts, and matching of many patterns at once with a compiled automaton.
//
// EventBridge runs aws/event-ruler and returns its messages verbatim, so the
// parser follows event-ruler's JsonRuleCompiler token by token (including
// Jackson's JSON syntax messages) and the matcher follows event-ruler's
// semantics, including array consistency.
//
// # Patterns
//
// [Compile] validates an EventBridge pattern and returns a [*Pattern]; a
// failure is an [*Error] with Code [CodeInvalidEventPattern] and the message
// AWS returns ("Event pattern is not valid. Reason: ..."). [Test] is the
// TestEventPattern operation. Supported: exact strings, numbers (compared by
// value: 300.0 matches 300), true, false, null and ""; prefix, suffix and
// their equals-ignore-case forms; equals-ignore-case; anything-but with a
// value, a list, prefix, suffix, equals-ignore-case or wildcard; numeric
// (=, <, <=, >, >= and ranges); cidr (IPv4 and IPv6; exact strings that are
// IP addresses match any spelling of the address, as in event-ruler); exists;
// wildcard (with \* and \\ escapes and a complexity limit); $or at any level.
// Keys are dot-joined, so {"a":{"b":[..]}} and {"a.b":[..]} are the same
// field and match events spelled either way. The last duplicate key wins.
//
// # Semantics worth knowing
//
//   - A field matches when any of its event values matches any condition;
//     fields are AND-ed. An array in an event matches when an element does.
//   - Values inside objects of the same event array must come from the same
//     element (event-ruler's array consistency), exists:false included.
//   - anything-but matches null and values of other types, but not a missing
//     field; numeric never matches strings or null.
//   - exists applies to leaves only: exists:true does not match an object or
//     an empty array, exists:false does.
//   - Numbers are compared through a sort-preserving 64-bit key of their
//     float64 value. A literal that is not exactly a float64 in its shortest
//     form (for example 12345678901234567890) is compared as text, as in
//     event-ruler; -0 and 0 are different keys.
//   - equals-ignore-case matches each character's lower- or upper-case form
//     (Java's Locale.ROOT mapping, with ß→SS and İ→i̇), not Unicode folding.
//
// # SNS filter policies
//
// [CompileFilterPolicy] validates a policy for a [Scope]. SNS's own checks
// come first, in SNS's order: at most 5 top-level keys, at most 150
// combinations (product of value counts times nesting depth, $or branches
// added), no nesting in scope MessageAttributes, then each match value;
// wildcard and anything-but other than prefix are rejected. Failures are
// [*Error] with Code [CodeInvalidParameter] and a Message without the
// API-specific "Invalid parameter: " prefix. Matching uses
// [Pattern.MatchBody] for MessageBody and [Pattern.MatchAttributes] for
// MessageAttributes ([Attribute]: String, Number, String.Array; other types
// are present but never equal a value). Out-of-range numbers (SNS documents
// ±1e9 with 5 decimals) are accepted and compared as float64, as AWS was
// observed to do.
//
// # Matching many patterns
//
// [Matcher] holds patterns by id. All patterns are compiled into one machine:
// paths are numbered in sorted order; each state has, per path, one shared
// value matcher (a hash map of typed exact values, prefix and suffix indexes
// probed once per distinct key length, case-folded indexes, a sorted
// interval index for numeric ranges, and a short list for the remaining
// operators); patterns with identical conditions share states. An event is
// flattened once, skipping every subtree no pattern uses, and only the
// states its values reach are visited, so the cost depends on the event,
// not on the number of patterns. The exact path does not allocate.
//
// Add and Remove may run concurrently with matching: matches read an
// immutable snapshot (atomic.Pointer); the first match after a change
// rebuilds it (copy-on-write), so bulk loads cost one build.
package pattern
