package store

// Record is a stored document: Kind names its collection ("topic",
// "subscription", "delivery", ...), Key is unique within the kind, and Data
// is opaque to the store (domains encode it, usually as JSON).
type Record struct {
	Kind string
	Key  string
	Data []byte
}
