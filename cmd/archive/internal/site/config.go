package site

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
)

// ConfigFile is the name of the site configuration at the site root.
const ConfigFile = "archive.toml"

// Config is the site configuration, read from archive.toml. Every key is
// optional; DefaultConfig gives the values used when a key is absent.
type Config struct {
	Title        string `toml:"title"`         // the archive's name, in every page title
	Description  string `toml:"description"`   // one sentence for the home page and feeds
	BaseURL      string `toml:"baseURL"`       // absolute URL the site is served from, e.g. https://example.org/
	Language     string `toml:"language"`      // BCP 47 tag for <html lang>
	Organization string `toml:"organization"`  // who keeps the archive (snapshots record it)
	Contact      string `toml:"contact"`       // a person or desk to write to
	ContactEmail string `toml:"contact_email"` // their address
	Story        string `toml:"story"`         // the story that articles without a story key belong to
	License      string `toml:"license"`       // how the archive's own pages may be reused
	Paginate     int    `toml:"paginate"`      // entries per page of a list (default DefaultPaginate)

	// Hugo is the site's Hugo configuration (hugo.toml, config.toml,
	// config/_default/ ...), nil when it has none: see hugosite.go.
	Hugo *hugoconfig.Config `toml:"-"`
}

// DefaultConfig is the configuration of a site without archive.toml.
func DefaultConfig() Config {
	return Config{
		Title:        "Source archive",
		Description:  "Archived news articles, cross-linked.",
		BaseURL:      "http://localhost:1313/",
		Language:     "en",
		Organization: "",
		Story:        "The story",
		Paginate:     DefaultPaginate,
	}
}

// LoadConfig reads archive.toml from the root of fsys. A missing file gives
// DefaultConfig; keys that are present replace the defaults one by one. An
// unknown key is an error naming the key and its line.
func LoadConfig(fsys fs.FS) (Config, error) {
	cfg := DefaultConfig()
	if err := applyHugoConfig(fsys, &cfg); err != nil {
		return cfg, err
	}
	src, err := fs.ReadFile(fsys, ConfigFile)
	if errors.Is(err, fs.ErrNotExist) {
		return cfg, nil
	}
	if ae, ok := article.AsError(err); ok { // a link out of the site
		return cfg, ae
	}
	if err != nil {
		return cfg, &article.Error{File: ConfigFile, Err: err, Fix: "check that the file is readable"}
	}
	md, err := toml.Decode(string(src), &cfg)
	if err != nil {
		line := 0
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line = pe.Position.Line
			err = errors.New(pe.Message)
		}
		return cfg, &article.Error{File: ConfigFile, Line: line, Err: fmt.Errorf("config: %w", err),
			Fix: "correct the TOML syntax on that line (strings in double quotes: title = \"My archive\")"}
	}
	if und := md.Undecoded(); len(und) > 0 {
		key := und[0].String()
		line := 0
		if k := und[0]; len(k) > 0 {
			line = tomlKeyLine(src, k[len(k)-1])
		}
		return cfg, &article.Error{File: ConfigFile, Line: line, Err: fmt.Errorf("unknown key %q", key),
			Fix: "remove it or use one of: " + strings.Join(configKeys(), ", ")}
	}
	if cfg.Paginate < 1 {
		return cfg, &article.Error{File: ConfigFile, Line: tomlKeyLine(src, "paginate"), Err: fmt.Errorf("paginate = %d: a page must list at least one entry", cfg.Paginate),
			Fix: fmt.Sprintf("write paginate = %d, or leave it out", DefaultPaginate)}
	}
	if cfg.BaseURL != "" {
		if err := checkBaseURL(cfg.BaseURL); err != nil {
			return cfg, &article.Error{File: ConfigFile, Line: tomlKeyLine(src, "baseURL"), Err: err,
				Fix: "write an absolute URL such as baseURL = \"https://archive.example.org/\""}
		}
	}
	return cfg, nil
}

func configKeys() []string {
	return []string{"title", "description", "baseURL", "language", "organization", "contact", "contact_email", "story", "license", "paginate"}
}

// checkBaseURL accepts absolute http(s) URLs.
func checkBaseURL(u string) error {
	p, err := url.Parse(u)
	if err != nil {
		return fmt.Errorf("baseURL %q: %v", u, err)
	}
	if (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return fmt.Errorf("baseURL %q is not an absolute http(s) URL", u)
	}
	return nil
}

// tomlKeyLine is the 1-based line on which key is assigned, or 0.
func tomlKeyLine(src []byte, key string) int {
	return keyLine(src, key, 1)
}

// keyLine finds the line of a "key:" or "key =" assignment in src, counting
// from first; it returns 0 when the key is not found.
func keyLine(src []byte, key string, first int) int {
	for i, l := range strings.Split(string(src), "\n") {
		t := strings.TrimLeft(l, " \t\"'")
		if !strings.HasPrefix(t, key) {
			continue
		}
		r := strings.TrimLeft(t[len(key):], " \t\"'")
		if strings.HasPrefix(r, ":") || strings.HasPrefix(r, "=") {
			return first + i
		}
	}
	return 0
}
