package main

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// checker accumulates Check failures. Every rule skips a value that is still unknown (a
// preview that depends on resources not yet created): the engine checks again once it is known.
type checker struct {
	p     props
	fails []failure
}

func (c *checker) fail(property, format string, args ...any) {
	c.fails = append(c.fails, failure{property, fmt.Sprintf(format, args...)})
}

// present is true when name holds a known value to check further; a missing required input
// is recorded as a failure.
func (c *checker) present(name string, required bool) bool {
	if c.p.unknown(name) {
		return false
	}
	if !c.p.has(name) {
		if required {
			c.fail(name, "missing required property %q", name)
		}
		return false
	}
	return true
}

func (c *checker) str(name string, required bool, allowed ...string) {
	if !c.present(name, required) {
		return
	}
	v, _, err := c.p.str(name)
	if err != nil {
		c.fail(name, "%v", err)
		return
	}
	if len(allowed) == 0 {
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.fail(name, "%s must be one of %s, got %q", name, strings.Join(allowed, ", "), v)
}

func (c *checker) integer(name string, required bool, min int64) {
	if !c.present(name, required) {
		return
	}
	v, _, err := c.p.integer(name)
	if err != nil {
		c.fail(name, "%v", err)
	} else if v < min {
		c.fail(name, "%s must be at least %d, got %d", name, min, v)
	}
}

func (c *checker) boolean(name string) {
	if c.present(name, false) {
		if _, _, err := c.p.boolean(name); err != nil {
			c.fail(name, "%v", err)
		}
	}
}

// list checks a list of strings and, once every element is known, each element with valid.
func (c *checker) list(name string, required bool, valid func(string) error) {
	if !c.present(name, required) {
		return
	}
	items, _, err := c.p.strList(name)
	if err != nil {
		c.fail(name, "%v", err)
		return
	}
	for _, item := range items {
		if err := valid(item); err != nil {
			c.fail(name, "%v", err)
		}
	}
}

// privateKey enforces upstream's rule for a key that may come in plainly or write-only:
// exactly one of the two, and the write-only one needs its version counter.
func (c *checker) privateKey(plainName, woName string) {
	c.str(plainName, false)
	c.str(woName, false)
	c.integer(woName+"Version", false, 0)
	if c.p.unknown(plainName) || c.p.unknown(woName) {
		return
	}
	switch {
	case c.p.has(plainName) == c.p.has(woName):
		c.fail(plainName, "exactly one of %q or %q must be set", plainName, woName)
	case c.p.has(woName) && !c.p.has(woName+"Version"):
		c.fail(woName+"Version", "%q requires %q to be set", woName, woName+"Version")
	}
}

var subjectStrings = []string{
	"commonName", "organization", "organizationalUnit", "locality", "province",
	"country", "postalCode", "serialNumber", "emailAddress",
}

func (c *checker) subject(name string) {
	if !c.present(name, false) {
		return
	}
	s, _, err := c.p.object(name)
	if err != nil {
		c.fail(name, "%v", err)
		return
	}
	sub := checker{p: s}
	for _, field := range subjectStrings {
		sub.str(field, false)
	}
	sub.list("streetAddresses", false, func(string) error { return nil })
	for k := range s.m {
		if !contains(subjectStrings, string(k)) && k != "streetAddresses" {
			sub.fail(string(k), "unknown subject field %q", string(k))
		}
	}
	for _, f := range sub.fails {
		c.fail(name+"."+f.property, "%s", f.reason)
	}
}

// sans checks dnsNames, ipAddresses and uris.
func (c *checker) sans() {
	c.list("dnsNames", false, func(string) error { return nil })
	c.list("ipAddresses", false, func(s string) error {
		if net.ParseIP(s) == nil {
			return fmt.Errorf("invalid IP address %q", s)
		}
		return nil
	})
	c.list("uris", false, func(s string) error {
		if _, err := url.Parse(s); err != nil {
			return fmt.Errorf("invalid URI %q: %v", s, err)
		}
		return nil
	})
}

// certSpec checks the inputs readCertSpec reads.
func (c *checker) certSpec() {
	c.integer("validityPeriodHours", true, 0)
	c.integer("earlyRenewalHours", false, 0)
	c.integer("maxPathLength", false, -1)
	c.boolean("isCaCertificate")
	c.boolean("setSubjectKeyId")
	c.list("allowedUses", true, func(use string) error {
		_, _, err := parseUses([]string{use})
		return err
	})
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}
