package sales

// CheckSavable reports what a draft lacks before it can be stored at all:
// its customer (the store keeps every draft under one). Missing concepts,
// usos or formas are fine in a draft; Validate catches them before posting.
// Like Validate it returns FieldErrors of kind Invalid, so a screen shows the
// problem next to its field instead of an unexpected store error.
func (inv *Invoice) CheckSavable() error {
	p := &problems{op: "save draft invoice"}
	if inv.CustomerID == 0 && inv.Customer.RFC == "" {
		p.add("CustomerID", "Elija el cliente antes de guardar el borrador.")
	}
	return p.err()
}
