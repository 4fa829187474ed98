package cite

// ValidateCSL lets the external tests (built_test.go) use the validator.
var ValidateCSL = validateCSL
